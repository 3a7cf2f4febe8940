"""Page furniture: navigation, share bars, cookie notices, captions, map disclaimers, pagers.

What counts is data (`data/listing/furniture.tsv`): element tags, class or id tokens, and line
patterns. One rule is structural: a line of three or more short pieces between separators
("Home | About us | Regions") is a navigation bar.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

from lxml import html as lxml_html

_TOKENS = re.compile(r"[\s_]+")
_NAV_SEPARATORS = re.compile(r"\s+[|·•›»/]\s+|\s*\|\s*")
NAV_PIECE_WORDS = 4
NAV_MIN_PIECES = 3


@cache
def _table() -> tuple[frozenset[str], frozenset[str], frozenset[str], re.Pattern[str]]:
    """(tags, page tags, class tokens, the line pattern)."""
    raw = resources.files("rightsrecord").joinpath("data/listing/furniture.tsv").read_text(
        "utf-8")
    sets: dict[str, set[str]] = {"tag": set(), "page-tag": set(), "class": set()}
    lines = []
    for row in raw.splitlines():
        if not row.strip() or row.startswith("#"):
            continue
        kind, value = row.split("\t", 1)
        if kind == "line":
            lines.append(f"(?:{value.strip()})")
        else:
            sets[kind].add(value.strip().lower())
    return (frozenset(sets["tag"]), frozenset(sets["page-tag"]), frozenset(sets["class"]),
            re.compile("|".join(lines), re.IGNORECASE))


def is_furniture_text(text: str | None) -> bool:
    """A line or short block that is page furniture, not content."""
    text = " ".join((text or "").split())
    if not text:
        return False
    if _table()[3].search(text[:300]):
        return True
    pieces = [p for p in _NAV_SEPARATORS.split(text) if p.strip()]
    return len(pieces) >= NAV_MIN_PIECES and all(
        len(p.split()) <= NAV_PIECE_WORDS for p in pieces)


def is_furniture_element(el: lxml_html.HtmlElement) -> bool:
    """An element whose whole subtree is furniture: by tag, or by a class or id token.

    A `<header>` or `<footer>` is the page's only outside an entry (`<article>`, `<li>`)."""
    tags, page_tags, classes, _ = _table()
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag in tags:
        return True
    if tag in page_tags:
        return not any(a.tag in ("article", "li") for a in el.iterancestors())
    names = f"{el.get('class') or ''} {el.get('id') or ''}".lower()
    if not names.strip():
        return False
    if any(n in classes for n in names.split()):
        return True
    return any(t in classes for n in names.split() for t in _TOKENS.split(n.replace("-", " ")))
