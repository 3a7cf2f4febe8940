"""Listing pages: summary paragraphs, then a dated feed of entries.

The text layout is the scraped one: `•` bullets, each summary a bullet paragraph, each
entry a bullet whose whole content is a date (`• Feb 27, 2015`), optionally followed by
indented teaser lines. The HTML layout is the same structure as lists: undated long
`<li>`/`<p class="summary">` blocks, then `<li>` entries that start with a date.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

from lxml import html as lxml_html

from ..model import Item, SummaryBlock
from .dates import LISTING_DATE, YEAR, parse_date, whole_date
from .sanitize import clean_line, clean_text

_BULLET = re.compile(r"^\s*[•·▪◦*\-]\s+(.*)$")
_IN_YEAR = re.compile(r"\b(?:In|During|Throughout)\s+(19[5-9]\d|20\d\d)\b")
MIN_ITEMS = 2
MIN_SUMMARY_CHARS = 80


def summary_year(text: str) -> int | None:
    """The year a summary covers: the one it opens a sentence with ("In 2014, ..."),
    else the latest year it names."""
    lead = _IN_YEAR.search(text)
    if lead:
        return int(lead.group(1))
    years = [int(y) for y in YEAR.findall(text)]
    return max(years) if years else None


def looks_like_text_listing(text: str) -> bool:
    dated = 0
    for line in text.splitlines():
        m = _BULLET.match(line)
        if m and whole_date(m.group(1)):
            dated += 1
            if dated >= MIN_ITEMS:
                return True
    return False


def parse_text_listing(text: str) -> tuple[list[SummaryBlock], list[Item]]:
    summaries: list[SummaryBlock] = []
    items: list[Item] = []
    block: list[str] | None = None  # the open summary paragraph
    item: Item | None = None
    teaser: list[str] = []

    def close() -> None:
        nonlocal block, item, teaser
        if block is not None:
            body = clean_text(" ".join(block))
            if body:
                summaries.append(
                    SummaryBlock(text=body, year=summary_year(body), position=len(summaries))
                )
        if item is not None:
            item.text = clean_text(" ".join(teaser)) or None
            items.append(item)
        block, item, teaser = None, None, []

    for line in text.splitlines():
        bullet = _BULLET.match(line)
        if bullet:
            close()
            content = bullet.group(1).strip()
            day = whole_date(content)
            if day:
                item = Item(date=day, position=len(items))
            else:
                block = [content]
        elif not line.strip():
            if block is not None:
                close()
        elif item is not None:
            teaser.append(line.strip())
        elif block is not None:
            block.append(line.strip())
    close()
    return summaries, items


def parse_html_listing(tree: lxml_html.HtmlElement, base_url: str | None) -> tuple[
    list[SummaryBlock], list[Item]
]:
    """Summaries and items from a parsed HTML page, or two empty lists."""
    entries = []
    for li in tree.iter("li"):
        head = _leading_text(li)
        day = parse_date(head)
        if day:
            entries.append((li, day))
    if len(entries) < MIN_ITEMS:
        return [], []
    first_entry = entries[0][0]
    items = [_html_item(li, day, i, base_url) for i, (li, day) in enumerate(entries)]
    summaries: list[SummaryBlock] = []
    taken: list[lxml_html.HtmlElement] = []
    for el in tree.iter("p", "li", "div", "section"):
        if el is first_entry:
            break
        if any(el in t.iterdescendants() for t in taken):
            continue
        is_summary = "summary" in (el.get("class") or "") or (
            el.tag == "li" and not parse_date(_leading_text(el))
        )
        body = clean_text(el.text_content()) if is_summary else ""
        if len(body) >= MIN_SUMMARY_CHARS:
            taken.append(el)
            summaries.append(
                SummaryBlock(text=body, year=summary_year(body), position=len(summaries))
            )
    return summaries, items


def _leading_text(el: lxml_html.HtmlElement) -> str:
    return " ".join(el.text_content().split())[:40]


def _html_item(li: lxml_html.HtmlElement, day: str, position: int, base: str | None) -> Item:
    link = next(iter(li.iter("a")), None)
    title = clean_line(link.text_content()) if link is not None else None
    url = link.get("href") if link is not None else None
    if url and base:
        url = urljoin(base, url)
    if url and not url.startswith(("http://", "https://", "file://")):
        url = None
    teaser_parts = [p.text_content() for p in li.iter("p")]
    if not teaser_parts:
        # No paragraph: the teaser is what remains once the date and title are taken out.
        rest = li.text_content()
        for known in filter(None, (title,)):
            rest = rest.replace(known, " ", 1)
        teaser_parts = [LISTING_DATE.sub(" ", rest.strip(), count=1)]
    teaser = clean_text(" ".join(teaser_parts)) or None
    if teaser and whole_date(teaser):
        teaser = None
    return Item(date=day, title=title, text=teaser, url=url, position=position)
