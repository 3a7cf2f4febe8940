"""What the text and HTML listing readers share: summary years, year headings, headlines,
and one copy of each entry."""

from __future__ import annotations

import re
from collections import Counter

from ..document import Segment
from .dates import YEAR

_IN_YEAR = re.compile(r"\b(?:In|During|Throughout)\s+(19[5-9]\d|20\d\d)\b")
_END_PUNCT = re.compile(r"[.!?…]$")
MIN_ITEMS = 2
MIN_SUMMARY_CHARS = 80
MAX_TITLE_CHARS = 160
MAX_HEADING_WORDS = 6


def summary_year(text: str) -> int | None:
    """The year a summary covers: the one it opens a sentence with ("In 2014, ..."), else the
    year it names most often (the latest of those tied), not one it recalls in passing."""
    lead = _IN_YEAR.search(text)
    if lead:
        return int(lead.group(1))
    counts = Counter(int(y) for y in YEAR.findall(text))
    if not counts:
        return None
    return max(counts, key=lambda y: (counts[y], y))


def year_heading(text: str | None) -> int | None:
    """The year a heading names ("2019", "World Report 2019", "Egypt 2022"), else None."""
    text = " ".join((text or "").split())
    if not text or len(text.split()) > MAX_HEADING_WORDS or _END_PUNCT.search(text):
        return None
    years = set(YEAR.findall(text))
    return int(years.pop()) if len(years) == 1 else None


def title_like(text: str) -> bool:
    """A line that reads as a headline: short, two words or more, no closing full stop."""
    text = text.strip().rstrip("\"'”’)»")
    return (len(text) <= MAX_TITLE_CHARS and len(text.split()) >= 2
            and not _END_PUNCT.search(text))


def unique_items(items: list[Segment]) -> list[Segment]:
    """Each entry once: a featured block that repeats an entry (same date, same title or the
    same opening text) keeps the fuller copy, where the first one stood."""
    kept: dict[tuple, Segment] = {}
    for item in items:
        key: tuple = (item.date, " ".join((item.title or "").split()).casefold(),
                      "" if item.title else " ".join(item.text.split()[:12]).casefold())
        if key[1:] == ("", ""):
            key = (id(item),)  # an entry with neither title nor text is its own
        old = kept.get(key)
        if old is None:
            kept[key] = item
        elif len(item.text) > len(old.text):
            old.text, old.url = item.text, old.url or item.url
    out = list(kept.values())
    for position, item in enumerate(out):
        item.position = position
    return out
