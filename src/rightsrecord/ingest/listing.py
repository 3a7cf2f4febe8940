"""Listing pages: summary paragraphs, then a dated feed of entries.

The text layouts: each entry opens with a date line, bulleted or not, the date alone or after
a type label ("NEWS | 3 May 2021", "Press release · 25 March 2013", "Monday 14 September
2009"). A short unpunctuated line next to the date line is the entry's title (after it, or
before it where the page puts titles first); the other lines are its teaser. Summaries are the
long paragraphs before the first entry: bulleted ones, and those under a year heading
("2019"). The HTML layouts are read in `listing_html`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..document import Segment
from . import listing_dates
from .furniture import is_furniture_text
from .listing_common import (
    MIN_ITEMS,
    MIN_SUMMARY_CHARS,
    summary_year,
    title_like,
    unique_items,
    year_heading,
)
from .listing_dates import Hit
from .listing_html import parse_html_listing
from .sanitize import clean_plain, plain_line

__all__ = ["looks_like_text_listing", "parse_html_listing", "parse_text_listing",
           "summary_year", "year_heading", "title_like", "unique_items"]

_BULLET = re.compile(r"^\s*[•·▪◦*\-]\s+(.*)$")
MIN_UNBULLETED_ITEMS = 3


@dataclass
class _Line:
    kind: str  # blank, furniture, date, text
    content: str
    bullet: bool
    hit: Hit | None = None


def _classify(line: str) -> _Line:
    if not line.strip():
        return _Line("blank", "", False)
    bullet = _BULLET.match(line)
    content = (bullet.group(1) if bullet else line).strip()
    hit = listing_dates.date_line(content)
    if hit is not None and (hit.alone or bullet):
        return _Line("date", content, bool(bullet), hit)
    if is_furniture_text(content):
        return _Line("furniture", content, bool(bullet))
    return _Line("text", content, bool(bullet))


def looks_like_text_listing(text: str) -> bool:
    bulleted = dated = 0
    for line in text.splitlines():
        bullet = _BULLET.match(line)
        content = (bullet.group(1) if bullet else line).strip()
        if not content or not content[0].isalnum():
            continue
        hit = listing_dates.date_line(content)
        if hit is None or not (hit.alone or bullet):
            continue
        if hit.iso() is None and hit.iso(False) is None:
            continue
        dated += 1
        bulleted += bool(bullet)
        if bulleted >= MIN_ITEMS or dated >= MIN_UNBULLETED_ITEMS:
            return True
    return False


def _titles_first(lines: list[_Line]) -> bool:
    """Whether the page puts each title on the line before its date line."""
    before = after = 0
    for i, line in enumerate(lines):
        if line.kind != "date" or (line.hit and not line.hit.alone):
            continue
        prev = lines[i - 1] if i else None
        if prev and prev.kind == "text" and title_like(prev.content) and (
                i < 2 or lines[i - 2].kind in ("blank", "furniture", "date")):
            before += 1
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        if nxt and nxt.kind == "text" and title_like(nxt.content):
            after += 1
    return before > after


def parse_text_listing(text: str) -> tuple[list[Segment], list[Segment]]:
    lines = [_classify(line) for line in text.splitlines()]
    day_first = listing_dates.numeric_order([ln.hit for ln in lines if ln.hit])
    titles_first = _titles_first(lines)
    summaries: list[Segment] = []
    items: list[Segment] = []
    block: list[str] | None = None  # the open summary paragraph
    section_year: int | None = None  # the year heading the open summary section
    item: Segment | None = None
    teaser: list[str] = []
    pending_title: str | None = None

    def close(section_too: bool = False) -> None:
        nonlocal block, item, teaser, section_year
        if block is not None and (section_too or section_year is None):
            body = clean_plain(" ".join(block))
            if len(body) >= MIN_SUMMARY_CHARS:
                summaries.append(Segment(text=body, kind="summary",
                                         year=section_year or summary_year(body),
                                         position=len(summaries)))
            block = None
        if section_too:
            section_year = None
        if item is not None:
            item.text = clean_plain(" ".join(teaser))
            items.append(item)
        item, teaser = None, []

    for i, line in enumerate(lines):
        if line.kind == "furniture":
            continue
        if line.kind == "blank":
            close()
            continue
        if line.kind == "date":
            close(section_too=True)
            day = line.hit.iso(day_first) if line.hit else None
            title, pending_title = pending_title, None
            if day:
                item = Segment(text="", kind="item", date=day, title=title,
                               position=len(items))
                if not line.hit.alone:
                    teaser.append(line.hit.after)
            continue
        content = line.content
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        if titles_first and nxt is not None and nxt.kind == "date" and title_like(content) \
                and (i == 0 or lines[i - 1].kind in ("blank", "furniture", "date")):
            close()
            pending_title = plain_line(content)
        elif item is not None:
            if item.title is None and not teaser and not titles_first and title_like(content):
                item.title = plain_line(content)
            else:
                teaser.append(content)
        elif items:
            continue  # text between entries that belongs to none
        elif (year := year_heading(content)) is not None:
            close(section_too=True)
            section_year, block = year, []
        elif block is not None:
            block.append(content)
        elif line.bullet or section_year is not None:
            block = [content]
    close(section_too=True)
    return summaries, unique_items(items)
