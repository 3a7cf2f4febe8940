"""Actor names across documents: folded keys, name parts, same-actor scores, script aliases.

`fold` turns a name into a key on which spelling variants meet: Cyrillic (Russian, Kazakh,
Tajik, ...) to Latin by `data/actors/cyrillic.tsv`, diacritics stripped, apostrophes and
hyphens removed, then the ordered rewrite rules of `data/actors/translit.tsv` (kh -> h,
zh -> j, y -> i, doubled letters single, ...). The key is for comparing, not for display.

`same_person` and `same_organisation` score a pair of names on this scale:

- 1.0  the folded names are equal (after leading titles are dropped);
- 0.9  compatible and specific: one has fewer given names, a patronymic or initials
       (`V. Kozlov` / `Vladimir Kozlov`); an organisation and its acronym, the same name with
       or without an international prefix (`UN Human Rights Council`), or with its qualifier
       before or after its head (`UPR Working Group` / `Working Group on the Universal
       Periodic Review`, `Justice Ministry` / `Ministry of Justice`);
- 0.6  the same words in another order (`Kozlov Vladimir`), or an organisation name that
       only extends the other; only context should join them (`explained`: a text that
       names the qualifier a short name leaves out);
- 0.5  a surname alone against a full name with that surname: only context should join;
- 0.0  surnames fold differently, or given names conflict (`Vladimir` / `Sergei Kozlov`).

A store links automatically at 0.9 and above.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path
from typing import NamedTuple

DATA = Path(__file__).resolve().parent / "data" / "actors"
AUTO_LINK = 0.9

_APOSTROPHES = re.compile(r"['’ʼʻ`´‘]")
_HYPHENS = re.compile(r"[-‐‑‒–—]")
_NON_LETTER = re.compile(r"[^a-z0-9 ]+")
_SPACES = re.compile(r"\s+")
_ORG_WORDS = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
_ACRONYM_SKIP = frozenset({"for", "of", "and", "the", "to", "in", "on", "at", "&"})


def _lines(name: str) -> list[list[str]]:
    out = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            out.append(line.split("\t"))
    return out


@cache
def _letters() -> dict[int, str]:
    return {ord(row[0]): (row[1] if len(row) > 1 else "") for row in _lines("cyrillic.tsv")}


@cache
def _rules() -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple((re.compile(row[0]), row[1] if len(row) > 1 else "")
                 for row in _lines("translit.tsv"))


@cache
def _honorifics() -> frozenset[str]:
    return frozenset(row[0].strip() for row in _lines("honorifics.txt"))


def _latin(name: str) -> str:
    """Lower-case Latin letters and spaces: letter table, diacritics, marks removed."""
    text = unicodedata.normalize("NFC", name).lower().translate(_letters())
    text = "".join(c for c in unicodedata.normalize("NFKD", text)
                   if not unicodedata.combining(c))
    text = _HYPHENS.sub("", _APOSTROPHES.sub("", text.translate(_letters())))
    return _SPACES.sub(" ", _NON_LETTER.sub(" ", text)).strip()


def fold(name: str) -> str:
    """A lower-case key of `name` on which transliteration variants meet."""
    text = _latin(name)
    for pattern, repl in _rules():
        text = pattern.sub(repl, text)
    return text


class _Token(NamedTuple):
    key: str  # folded
    latin: str  # Latin letters before the rewrite rules (initials compare on these)
    initial: bool


def _tokens(name: str) -> list[_Token]:
    """The words of a person name, leading titles dropped."""
    raw = name.replace(".", ". ").split()
    titles = _honorifics()
    while len(raw) > 1 and _latin(raw[0]) in titles:
        raw = raw[1:]
    out = []
    for w in raw:
        key = fold(w)
        if key:
            out.append(_Token(key, _latin(w).replace(" ", ""),
                              len(key) == 1 or (w.endswith(".") and len(key) <= 3)))
    return out


def name_parts(name: str) -> tuple[tuple[str, ...], str]:
    """(given names, surname) as folded tokens; titles dropped, patronymics kept as middle
    names, initials end with a dot (`V. Kozlov` -> (("v.",), "kozlov"))."""
    toks = _tokens(name)
    if not toks:
        return (), ""
    return tuple(t.latin + "." if t.initial else t.key for t in toks[:-1]), toks[-1].key


def _compatible(a: _Token, b: _Token) -> bool:
    if a.key == b.key:
        return True
    if a.initial:
        return b.latin.startswith(a.latin)
    if b.initial:
        return a.latin.startswith(b.latin)
    return False


def same_person(a: str, b: str) -> float:
    """How sure it is that two person names name one person (scale in the module doc)."""
    ta, tb = _tokens(a), _tokens(b)
    if not ta or not tb:
        return 0.0
    if [t.key for t in ta] == [t.key for t in tb]:
        return 1.0
    ga, gb = ta[:-1], tb[:-1]
    if ta[-1].key != tb[-1].key:
        if len(ta) == len(tb) >= 2 and sorted(t.key for t in ta) == sorted(t.key for t in tb):
            return 0.6
        return 0.0
    if not ga or not gb:
        return 0.5
    if not all(_compatible(x, y) for x, y in zip(ga, gb, strict=False)):
        return 0.0
    return AUTO_LINK


def _org_key(name: str) -> str:
    key = fold(name)
    return key[4:] if key.startswith("the ") else key


def _acronyms(name: str) -> set[str]:
    words = [w for w in _ORG_WORDS.findall(name.replace("/", " ")) if w.lower() != "the"]
    if len(words) < 2:
        return set()
    full = "".join(w[0] for w in words)
    short = "".join(w[0] for w in words if w.lower() not in _ACRONYM_SKIP)
    return {fold(full), fold(short)}


def _acronym_of(short: str, long: str) -> bool:
    letters = re.sub(r"[^\w]", "", short)
    if not 2 <= len(letters) <= 8 or " " in short.strip() or not letters.isupper():
        return False
    return fold(letters) in _acronyms(long)


def same_organisation(a: str, b: str) -> float:
    """How sure it is that two organisation names name one organisation."""
    ka, kb = _org_key(a), _org_key(b)
    if not ka or not kb:
        return 0.0
    if ka == kb:
        return 1.0
    if ka.replace(" ", "") == kb.replace(" ", ""):
        return 0.95
    if _acronym_of(a, b) or _acronym_of(b, a):
        return AUTO_LINK
    ba, bb = _bare(ka), _bare(kb)
    if ba == bb or _reordered(a, b) or _reordered(b, a):
        return AUTO_LINK
    if (ba + " ").startswith(bb + " ") or (bb + " ").startswith(ba + " "):
        return 0.6
    return 0.0


# Folded prefixes that place a body in an international organisation ("UN Working Group").
_INTL = ("united nations ", "un ", "u n ", "european union ", "eu ")
_QUALIFIER = re.compile(r"\s+(?:on|of|for)\s+(?:the\s+)?", re.I)


def _bare(key: str) -> str:
    """An organisation key without a leading international prefix, where a name of two words
    or more remains."""
    for p in _INTL:
        if key.startswith(p) and " " in key[len(p):]:
            return key[len(p):]
    return key


def _split_qualified(name: str) -> tuple[str, str] | None:
    """(head, qualifier) of "Working Group on the Universal Periodic Review"; the head folded
    and bare, the qualifier as written."""
    m = _QUALIFIER.search(name)
    if not m or not name[m.end():].strip():
        return None
    head = _bare(_org_key(name[:m.start()]))
    return (head, name[m.end():].strip()) if head else None


def _reordered(a: str, b: str) -> bool:
    """`a` puts before its head what `b` gives after it: "UPR Working Group" / "Working Group
    on the Universal Periodic Review", "Justice Ministry" / "Ministry of Justice"."""
    split = _split_qualified(b)
    if split is None:
        return False
    head, qualifier = split
    ka = _bare(_org_key(a))
    if not ka.endswith(" " + head):
        return False
    front = ka[:-len(head) - 1]
    if front == _org_key(qualifier):
        return True
    words = _ORG_WORDS.findall(a)
    lead = words[-len(head.split()) - 1] if len(words) > len(head.split()) else ""
    return " " not in front and bool(lead) and _acronym_of(lead, qualifier)


def org_head(name: str) -> str:
    """The folded head word of an organisation name, the word before its qualifier ("Working
    Group on ..." -> "grup") or its last: what names of one body share however they are
    written ("UPR Working Group", "UN Working Group")."""
    m = _QUALIFIER.search(name)
    key = _org_key(name[:m.start()] if m else name)
    return key.rsplit(" ", 1)[-1] if key else ""


def explained(short: str, long: str, text: str) -> bool:
    """Whether `text` gives what the short name of a body leaves out of its long one: "UN
    Working Group" in a text on the "Universal Periodic Review" (or the "UPR") is the
    "Working Group on the Universal Periodic Review"."""
    split = _split_qualified(long)
    if split is None or _bare(_org_key(short)) != split[0]:
        return False
    qualifier = split[1]
    if qualifier in text:
        return True
    letters = "".join(w[0] for w in _ORG_WORDS.findall(qualifier)
                      if w.lower() not in _ACRONYM_SKIP)
    return len(letters) >= 2 and letters.isupper() and bool(
        re.search(rf"(?<!\w){re.escape(letters)}(?!\w)", text))


_LAT = r"A-Za-zÀ-ÖØ-öø-ɏ"
_CYR = r"\u0400-\u04FF"
_LAT_NAME = rf"[A-Z\u00C0-\u00DE][{_LAT}'’-]*\.?"
_CYR_NAME = rf"[\u0400-\u042F\u0490-\u04FE][{_CYR}'’-]*\.?"
_PAREN = re.compile(r"\(([^()\n]{1,100})\)")
_VARIANT = re.compile(r"(?:also spelled|also written|also known as|a\.k\.a\.|or)\s+(.+)", re.I)
_ONLY_LAT = re.compile(rf"{_LAT_NAME}(?:\s+{_LAT_NAME}){{0,4}}")
_ONLY_CYR = re.compile(rf"{_CYR_NAME}(?:\s+{_CYR_NAME}){{0,4}}")
_BEFORE_LAT = re.compile(rf"(?<![\w])(?:{_LAT_NAME}\s+){{0,4}}{_LAT_NAME}\s*$")
_BEFORE_CYR = re.compile(rf"(?<![\w])(?:{_CYR_NAME}\s+){{0,4}}{_CYR_NAME}\s*$")
_LOOK_BACK = 120


def _before(text: str, end: int, pattern: re.Pattern[str], words: int) -> str:
    window = text[max(0, end - _LOOK_BACK):end]
    m = pattern.search(window)
    if not m:
        return ""
    parts = m.group(0).split()
    titles = _honorifics()
    parts = parts[-words:] if words else parts
    while len(parts) > 1 and _latin(parts[0]) in titles:
        parts = parts[1:]
    return " ".join(parts)


def script_aliases(text: str) -> list[tuple[str, str]]:
    """(Latin name, other form) where the text gives one form in parentheses after the
    other: `Nursultan Nazarbayev (Нұрсұлтан Назарбаев)`, `Назарбаев (Nazarbayev)`, and
    Latin variants `X (also spelled Y)` / `X (or Y)`."""
    out: list[tuple[str, str]] = []
    for m in _PAREN.finditer(text):
        inner = m.group(1).strip()
        variant = _VARIANT.fullmatch(inner)
        if variant and _ONLY_LAT.fullmatch(variant.group(1).strip()):
            other = variant.group(1).strip()
            name = _before(text, m.start(), _BEFORE_LAT, len(other.split()))
            if name:
                out.append((name, other))
        elif _ONLY_CYR.fullmatch(inner):
            name = _before(text, m.start(), _BEFORE_LAT, len(inner.split()))
            if name:
                out.append((name, inner))
        elif _ONLY_LAT.fullmatch(inner):
            name = _before(text, m.start(), _BEFORE_CYR, len(inner.split()))
            if name:
                out.append((inner, name))
    return out
