"""The automatic faithfulness check of a drafted sentence: every name, number and date it
states must be in the words it cites.

`unsupported(sentence, evidence)` lists what the sentence states that none of its evidence
texts hold, in the order the sentence states it:

- names: runs of capitalised words (joined by a lower-case particle such as "of" or "al"),
  leaving out a function word that is capitalised only because it opens the sentence (or a
  clause after a colon, a quote or a parenthesis): `data/record/function_words.txt`. A name is
  supported when each of its words is in the evidence;
- numbers: digits (`1,433` is 1433; `2.5` is 2.5) and number words
  (`data/record/number_words.tsv`: "seven", "twenty-one", "dozens"), compared by value, so
  "seven" is supported by "7" and the reverse;
- dates: years (numbers), month and weekday names when capitalised, relative days in any case
  (`data/record/date_words.tsv`), compared by the day or month they name ("Aug." is August;
  an ISO date 2024-08-02 names August, 2 and 2024).

Words are compared folded (case and diacritics ignored, curly apostrophes straight) and
without a possessive or plural ending ("Kazakhstan's", "Kazakhs" and "Kazakh" are one word).
The check is lexical and deterministic: it proves that nothing was added, not that the
sentence means what its source meant.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data" / "record"

_WORD = re.compile(r"[^\W\d_](?:[\w'’]*[^\W_])?(?:-[^\W_]+)*")
_NUMBER = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)*")
_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_ISO = re.compile(r"\b(\d{4})-(\d{2})(?:-(\d{2}))?\b")
# Where a new sentence or clause opens: the text's start, after an end mark, a colon, a
# semicolon, an opening quote or parenthesis, or a dash between clauses.
_OPENING = re.compile(r"(?:[.!?:;][”\"’)]*\s+|[“\"(\[]\s*|\s[–—]\s+)$")
# Lower-case words a name may hold between two of its capitalised words.
PARTICLES = frozenset({"of", "de", "del", "della", "der", "des", "di", "do", "dos", "du",
                       "al", "el", "la", "le", "bin", "ibn", "van", "von", "y"})
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december")


def fold(text: str) -> str:
    """Lower case, no diacritics, straight apostrophes and quotes."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return (plain.casefold().replace("’", "'").replace("‘", "'").replace("“", '"')
            .replace("”", '"'))


def base(word: str) -> str:
    """A word folded, without a possessive or plural ending."""
    w = fold(word).rstrip("'")
    if w.endswith("'s"):
        w = w[:-2]
    if len(w) > 3 and w.endswith("s") and not w.endswith("ss"):
        w = w[:-1]
    return w


def _rows(name: str) -> list[list[str]]:
    with (DATA / name).open(encoding="utf-8") as fh:
        lines = (ln for ln in fh if ln.strip() and not ln.startswith("#"))
        return [row for row in csv.reader(lines, delimiter="\t") if row]


@cache
def function_words() -> frozenset[str]:
    return frozenset(r[0].strip() for r in _rows("function_words.txt"))


@cache
def number_words() -> dict[str, int]:
    return {r[0]: int(r[1]) for r in _rows("number_words.tsv")}


@cache
def date_words() -> dict[str, tuple[str, str]]:
    """Folded word → (the day or month it names, its kind: month, weekday or relative)."""
    return {r[0]: (r[1], r[2]) for r in _rows("date_words.tsv")}


@dataclass(frozen=True)
class _Fact:
    surface: str  # as the sentence writes it
    kind: str  # name | number | date
    keys: tuple[str, ...]  # what the evidence must hold: every one of them


def _number_value(raw: str) -> list[str]:
    """The values digits write: grouped thousands joined, a decimal kept, other commas
    separating numbers."""
    if _GROUPED.fullmatch(raw):
        raw = raw.replace(",", "")
    out = []
    for part in raw.split(","):
        if not part:
            continue
        if part.count(".") == 1:
            whole, frac = part.split(".")
            frac = frac.rstrip("0")
            out.append(f"{int(whole)}.{frac}" if frac else str(int(whole)))
        else:
            out.extend(str(int(p)) for p in part.split(".") if p)
    return out


def _word_number(word: str) -> str | None:
    """A number word's value ("twenty-one" is 21), else None."""
    parts = fold(word).split("-")
    values = number_words()
    if not all(p in values for p in parts):
        return None
    return str(sum(values[p] for p in parts))


def _date_word(word: str) -> str | None:
    """The day or month a word names, else None: months and weekdays only capitalised."""
    entry = date_words().get(fold(word).rstrip("."))
    if entry is None:
        return None
    canonical, kind = entry
    if kind != "relative" and not word[:1].isupper():
        return None
    return canonical


def _without_iso(text: str) -> tuple[str, list[tuple[int, str, list[str]]]]:
    """The text with its ISO dates blanked, and each date's (position, surface, keys)."""
    found = []
    for m in _ISO.finditer(text):
        month = int(m.group(2))
        if not 1 <= month <= 12:
            continue
        keys = [f"n:{int(m.group(1))}", f"d:{MONTHS[month - 1]}"]
        if m.group(3):
            keys.append(f"n:{int(m.group(3))}")
        found.append((m.start(), m.group(), keys))
    blanked = _ISO.sub(lambda m: " " * len(m.group()), text)
    return blanked, found


def _facts(text: str) -> list[tuple[int, _Fact]]:
    """What a text states: its names, numbers and dates, each with its position."""
    text, isos = _without_iso(text)
    out: list[tuple[int, _Fact]] = [(pos, _Fact(surface, "date", tuple(keys)))
                                    for pos, surface, keys in isos]
    for m in _NUMBER.finditer(text):
        out.append((m.start(), _Fact(m.group(), "number",
                                     tuple(f"n:{v}" for v in _number_value(m.group())))))
    name: list[tuple[int, str]] = []
    pending: list[tuple[int, str]] = []  # particles seen after a name word

    def close() -> None:
        if name:
            words = tuple(f"w:{base(w)}" for _, w in name if fold(w) not in PARTICLES)
            start, end = name[0][0], name[-1][0] + len(name[-1][1])
            out.append((start, _Fact(text[start:end], "name", words)))
        name.clear()
        pending.clear()

    for m in _WORD.finditer(text):
        word, pos = m.group(), m.start()
        last = pending[-1] if pending else name[-1] if name else None
        if last and (text[last[0] + len(last[1]):pos].strip()
                     or last[1].endswith(("'s", "’s"))):
            close()
        number, date = _word_number(word), _date_word(word)
        if number is not None:
            close()
            out.append((pos, _Fact(word, "number", (f"n:{number}",))))
        elif date is not None:
            close()
            out.append((pos, _Fact(word, "date", (f"d:{date}",))))
        elif word[:1].isupper():
            opening = not text[:pos].strip() or _OPENING.search(text[max(0, pos - 4):pos])
            if opening and fold(word) in function_words() and not name:
                continue
            name.extend(pending)
            pending.clear()
            name.append((pos, word))
        elif name and fold(word) in PARTICLES and not pending:
            pending.append((pos, word))
        else:
            close()
    close()
    return sorted(out, key=lambda t: t[0])


def names(text: str) -> list[str]:
    """The names a text states (see the module's note), as it writes them, in its order."""
    return [f.surface for _, f in _facts(text) if f.kind == "name"]


def _held(texts: list[str]) -> set[str]:
    """Every key the evidence holds: its words, numbers (in digits or words) and dates."""
    held: set[str] = set()
    for text in texts:
        blanked, isos = _without_iso(text)
        for _, _, keys in isos:
            held.update(keys)
        for m in _NUMBER.finditer(blanked):
            held.update(f"n:{v}" for v in _number_value(m.group()))
        for m in _WORD.finditer(blanked):
            word = m.group()
            held.add(f"w:{base(word)}")
            for part in word.split("-"):
                held.add(f"w:{base(part)}")
            number = _word_number(word)
            if number is not None:
                held.add(f"n:{number}")
            entry = date_words().get(fold(word).rstrip("."))
            if entry is not None:  # in any case: the comparison ignores case
                held.add(f"d:{entry[0]}")
    return held


def unsupported(sentence: str, evidence: list[str]) -> list[str]:
    """The names, numbers and dates of `sentence` that no text of `evidence` holds, as the
    sentence writes them, in its order, each once; [] when every one is supported."""
    held = _held(evidence)
    out: list[str] = []
    for _, fact in _facts(sentence):
        if any(key not in held for key in fact.keys) and fact.surface not in out:
            out.append(fact.surface)
    return out
