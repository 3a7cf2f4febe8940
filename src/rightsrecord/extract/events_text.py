"""Text handling for the events stage: same-length normalisation, tokens, sentence spans.

Everything here keeps character offsets: the normalised text has exactly the length of the
input, so a span found in it is a span of the input.
"""

from __future__ import annotations

import re

from rightsrecord.extract.sentences import sentence_spans

# UTF-8 read as Windows-1252 (mojibake such as "â€™" for "’", "Â " for a no-break space).
# A lead character of a 2-, 3- or 4-byte sequence followed by the right number of characters
# that stand for continuation bytes. No nested repetition: linear time.
_CONT = (
    "\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018\u2019\u201a\u201c\u201d\u201e\u2020\u2021\u2022\u2026\u2030"
    "\u2039\u203a\u20ac\u2122\ufffd"
)
_MOJIBAKE = re.compile(
    f"[\u00c2-\u00df][{_CONT}]|[\u00e0-\u00ef][{_CONT}]{{2}}|[\u00f0-\u00f4][{_CONT}]{{3}}"
    # a quote whose last byte was lost ("â€" + text), a no-break space left as a bare "Â"
    f"|\u00e2\u20ac(?![{_CONT}])|\u00c2(?=[\\s\\x00-\\x1f]|$)"
)
_CP1252_BYTE: dict[str, int] = {}
for _b in range(0x80, 0x100):
    try:
        _CP1252_BYTE[bytes([_b]).decode("cp1252")] = _b
    except UnicodeDecodeError:
        _CP1252_BYTE[chr(_b)] = _b  # undefined in cp1252: kept as the C1 control / same byte
for _c in range(0xA0, 0x100):
    _CP1252_BYTE.setdefault(chr(_c), _c)
# "\ufffd" most often replaced 0x9d, the last byte of "”" (e2 80 9d)
_CP1252_BYTE["\ufffd"] = 0x9D

# A soft hyphen fills the room a repaired letter leaves; the tokenizer reads it as part of a word
FILL_IN_WORD = "\u00ad"
_SPACE_LIKE = {"\u00a0", "\u2007", "\u202f"}


def _repair(m: re.Match[str]) -> str:
    s = m.group(0)
    if s == "\u00c2":
        return " "
    if s == "\u00e2\u20ac":
        return '" '
    try:
        raw = bytes(_CP1252_BYTE[c] if c in _CP1252_BYTE else ord(c) for c in s)
        c = raw.decode("utf-8")
    except (KeyError, ValueError, UnicodeDecodeError):
        return s
    if len(c) != 1:
        return s
    if c.isalnum():
        return c + FILL_IN_WORD * (len(s) - 1)
    if c in _SPACE_LIKE:
        c = " "
    return c + " " * (len(s) - 1)


def normalise(text: str) -> str:
    """Same-length copy: mojibake repaired, lower-cased, control characters as spaces."""
    if _MOJIBAKE.search(text):
        text = _MOJIBAKE.sub(_repair, text)
    low = text.lower()
    if len(low) != len(text):  # a few characters lower-case to two ("İ")
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return low


# Words (letters and digits of any script, soft hyphens inside), and the punctuation that
# bounds clauses. Everything else separates tokens.
TOKEN = re.compile("[^\\W_]+(?:\u00ad[^\\W_]*)*|[,;:()\"\u201c\u201d?!]")


def split_sentences(text: str, norm: str | None = None) -> list[tuple[int, int]]:
    """Sentence spans of text: the shared segmenter (`sentences.sentence_spans`), which reads
    lower-cased text and mojibake itself. `norm` is accepted for older callers and unused."""
    return sentence_spans(text)
