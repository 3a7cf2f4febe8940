"""Sentence spans of a text: the one segmenter every stage uses. Offsets index the text as given.

A candidate boundary is end punctuation (. ! ? … or its mojibake "â€¦") with the closing quotes
and brackets after it (also mojibake: "â€\x9d", "â€™"); what follows decides:

- whitespace, then a capital, a digit, a letter of an uncased script, an opening quote or
  bracket, a dash or a bullet: a boundary, unless the word before a single period is an
  abbreviation (`data/sentences/abbreviations.txt`: "Dr.", "Jan.", "U.S."), an initial ("J.")
  or a list number at the start of its line ("1.");
- whitespace, then a lower-case letter: a boundary only in lower-cased text
  (`casing.is_lower_cased`), where capitals say nothing;
- no whitespace: a boundary only next to a quote ("beaten.”He", "members.“But");
- a quote closed after the stop, then a speech clause ("“We were beaten.” he said."): no
  boundary, the clause stays with the quote.

Line breaks: a blank line always ends a sentence; a single one (PDF text) does not, except
before a list item or a dateline, and after a heading (a short line without end punctuation
before a much longer one).

Datelines ("ALMATY, Kazakhstan (AP) — ", "(Geneva, May 3, 2024) –", "Bishkek:") open the
sentence of their lead: never a sentence of their own (the evidence of an event then names
its place), and whatever stands before one (a title on the line above, or on the same line
before a parenthesised one) is a sentence apart. Standing alone scored lower on the dev folds of
`bench/sentences_bench.py`. Linear in the text: every look around a candidate is bounded.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

from rightsrecord.casing import is_lower_cased

# Characters that continue a mojibake sequence (UTF-8 bytes read as Windows-1252).
_CONT = (
    "\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122\ufffd"
)
_QUOTES = "\"'\u201d\u2019\u00bb\u00e2"
# closing: straight or typographic quote, bracket, mojibake ” / ’, or "â€" whose last byte was lost
_CLOSE = (
    f"(?:[\"'\u201d\u2019\u00bb)\\]]|\u00e2\u20ac[\u009d\ufffd\u2122]|\u00e2\u20ac(?![{_CONT}]))"
)
_OPEN = re.compile("``?|[\"'\u201c\u2018\u00ab(\\[]|\u00e2\u20ac[\u0153\u02dc]")
_WS = "(?:\\s|\u00c2(?=\\s))"  # "Â" before a no-break space is a mis-decoded one
_CANDIDATE = re.compile(
    f"(?P<stop>(?:[.!?\u2026]|\u00e2\u20ac\u00a6)++)(?P<close>{_CLOSE}*+)(?P<gap>{_WS}*+)"
    f"|(?P<nl>\\n{_WS}*+)"
)
_WORD_BEFORE = re.compile(r"([\w.]+)$")
_INITIALS = re.compile(r"(?:[^\W\d_]\.)*[^\W\d_]")
_DASH_OR_BULLET = set("-\u2013\u2014\u2022*\u00b7\u25aa\u25cf")
_SAID = re.compile(
    r"(?:[^\W\d_][\w'\u2019-]*\s+){0,3}?(?:said|says|added|adds|told|asked|stated|claimed|alleged"
    r"|warned|recalled|explained|insisted|noted|wrote|replied|shouted|cried)\b"
    # the clause ends the sentence, or goes on without opening another quote
    "(?:\\s+[\\w'\u2019-]+){0,4}?\\s*(?:[.!?]|,(?!\\s*(?:[\"'\u201c\u2018]|\u00e2\u20ac)))",
    re.IGNORECASE,
)
# What opens a line that starts a sentence of its own: a list item or a dateline.
_ITEM = re.compile(
    "(?:[-\u2013\u2014\u2022*\u00b7\u25aa\u25cf]|\\(?\\d{1,3}[.)]|\\(?[a-z][.)]|\\([ivx]+\\))\\s",
    re.IGNORECASE,
)
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_PAREN_DATELINE = re.compile(
    rf"\((?:[^\W\d_][\w.'-]*,? ){{1,3}}{_MONTH} \d{{1,2}}, \d{{4}}\)\s*[-\u2013\u2014]",
    re.IGNORECASE,
)
_WIRE_DATELINE = re.compile(
    r"[^\n]{0,60}?\((?:AP|AFP|Reuters|RFE/RL|IPS|PTI|IANS|UNI|Xinhua|dpa|TASS|Interfax)\)"
    "\\s*[-\u2013\u2014]",
    re.IGNORECASE,
)
_CITY_COLON = re.compile(r"[^\W\d_][\w.'-]*(?: [^\W\d_][\w.'-]*){0,2}:\s")
_HEADING_MAX = 80  # a heading line is at most this long ...
_HEADING_SHARE = 0.6  # ... and shorter than this share of the line after it


@cache
def _abbreviations() -> dict[str, str]:
    """Abbreviation (lower-case, no final period) -> its kind, "before" or "after"."""
    raw = resources.files("rightsrecord").joinpath("data/sentences/abbreviations.txt")
    out: dict[str, str] = {}
    for line in raw.read_text("utf-8").splitlines():
        if line and not line.startswith("#"):
            kind, words = line.split("\t", 1)
            out.update((w, kind) for w in words.split())
    return out


def sentence_spans(text: str, lowered: bool | None = None) -> list[tuple[int, int]]:
    """(start, end) of each sentence, whitespace trimmed, covering all non-blank text.
    `lowered` (default: `casing.is_lower_cased(text)`) lets a lower-case letter open one."""
    if lowered is None:
        lowered = is_lower_cased(text)
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _CANDIDATE.finditer(text):
        if m.group("nl") is not None:
            if _line_break(text, m, lowered):
                _add(text, start, m.start(), spans)
                start = m.end()
        elif _after_stop(text, m, lowered, start):
            _add(text, start, m.end("close"), spans)
            start = m.end()
    _add(text, start, len(text), spans)
    cuts = _dateline_cuts(text)
    return _cut(text, spans, cuts) if cuts else spans


def _after_stop(text: str, m: re.Match[str], lowered: bool, start: int) -> bool:
    """Whether the stop of m ends a sentence, by the word before it and what follows."""
    pos, gap, close = m.end(), m.group("gap"), m.group("close")
    if pos >= len(text) or gap.count("\n") >= 2:
        return True
    if close and any(c in _QUOTES for c in close) and _SAID.match(text, pos):
        return False
    op = _OPEN.match(text, pos)
    ch = text[op.end()] if op and op.end() < len(text) else ("" if op else text[pos])
    opens = ch.isalpha() and (lowered or not ch.islower())
    if not gap:  # "3.5", "U.S", "example.com" go on; a quote next to the stop may end it
        if not (opens and (op or close)):
            return False
    elif not (op or ch.isdigit() or ch in _DASH_OR_BULLET or opens):
        return False
    if m.group("stop") != ".":
        return True
    word = _WORD_BEFORE.search(text, max(start, m.start() - 20), m.start())
    if not word:
        return True
    token = word.group(1).lower().rstrip(".")
    kind = _abbreviations().get(token)
    if kind == "before" or (kind == "after" and not (token == "etc" and ch.isupper())):
        return False
    if _INITIALS.fullmatch(token):
        return False  # initials ("J. Smith", "M.N. Singh") or a lettered item
    if token.isdigit() and len(token) <= 3:
        return not _opens_line(text, word.start(), start)
    return True


def _opens_line(text: str, pos: int, start: int) -> bool:
    """Whether only blanks or a bullet stand between pos and the line's (or sentence's) start."""
    if pos - start <= 8 and not text[start:pos].strip():
        return True
    before = text[max(0, pos - 8):pos]
    nl = before.rfind("\n")
    if nl < 0 and pos > 8:
        return False
    return not before[nl + 1:].strip(" \t\u2022*-")


def _line_break(text: str, m: re.Match[str], lowered: bool) -> bool:
    """Whether a line break (not after end punctuation) ends a sentence."""
    pos = m.end()
    if pos >= len(text) or m.group("nl").count("\n") >= 2:
        return True
    if _ITEM.match(text, pos) or _PAREN_DATELINE.match(text, pos) or _WIRE_DATELINE.match(
            text, pos):
        return True
    ch = text[pos]
    city = _CITY_COLON.match(text, pos)
    if city and (lowered or ch.isupper()):
        return True
    if not (ch.isupper() or ch.isdigit() or _OPEN.match(text, pos) or (lowered and ch.isalpha())):
        return False
    prev = text[text.rfind("\n", 0, m.start()) + 1:m.start()].strip()
    if not prev or len(prev) > _HEADING_MAX or prev[-1] in ",;:-\u2013\u2014(":
        return False
    end = text.find("\n", pos)
    nxt = len((text[pos:] if end < 0 else text[pos:end]).rstrip())
    return len(prev) < _HEADING_SHARE * nxt


def _dateline_cuts(text: str) -> list[int]:
    """Where "(City, Month d, yyyy) –" datelines start: whatever precedes one on its line is a
    title, not part of its sentence."""
    if "(" not in text:
        return []
    return [m.start() for m in _PAREN_DATELINE.finditer(text)]


def _cut(text: str, spans: list[tuple[int, int]], cuts: list[int]) -> list[tuple[int, int]]:
    """Spans cut at each of the sorted positions that falls inside one."""
    out: list[tuple[int, int]] = []
    i = 0
    for s, e in spans:
        while i < len(cuts) and cuts[i] <= s:
            i += 1
        while i < len(cuts) and cuts[i] < e:
            _add(text, s, cuts[i], out)
            s = cuts[i]
            i += 1
        _add(text, s, e, out)
    return out


def _add(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))
