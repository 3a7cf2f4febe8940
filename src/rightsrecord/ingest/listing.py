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

from ..document import Segment
from .dates import LISTING_DATE, YEAR, parse_date, whole_date
from .sanitize import clean_line, clean_text

_BULLET = re.compile(r"^\s*[•·▪◦*\-]\s+(.*)$")
_IN_YEAR = re.compile(r"\b(?:In|During|Throughout)\s+(19[5-9]\d|20\d\d)\b")
MIN_ITEMS = 2
MIN_SUMMARY_CHARS = 80
_SUMMARY_TAGS = frozenset(("p", "li", "div", "section"))


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


def parse_text_listing(text: str) -> tuple[list[Segment], list[Segment]]:
    summaries: list[Segment] = []
    items: list[Segment] = []
    block: list[str] | None = None  # the open summary paragraph
    item: Segment | None = None
    teaser: list[str] = []

    def close() -> None:
        nonlocal block, item, teaser
        if block is not None:
            body = clean_text(" ".join(block))
            if body:
                summaries.append(
                    Segment(text=body, kind="summary", year=summary_year(body),
                            position=len(summaries))
                )
        if item is not None:
            item.text = clean_text(" ".join(teaser))
            items.append(item)
        block, item, teaser = None, None, []

    for line in text.splitlines():
        bullet = _BULLET.match(line)
        if bullet:
            close()
            content = bullet.group(1).strip()
            day = whole_date(content)
            if day:
                item = Segment(text="", kind="item", date=day, position=len(items))
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
    list[Segment], list[Segment]
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
    summaries: list[Segment] = []
    # One walk in document order: a taken summary's subtree is skipped up to its last node, so
    # nothing is compared against earlier summaries (which was quadratic in their number).
    skip_to: lxml_html.HtmlElement | None = None
    for el in tree.iter():
        if el is first_entry:
            break
        if skip_to is not None:
            if el is skip_to:
                skip_to = None
            continue
        if el.tag not in _SUMMARY_TAGS:
            continue
        # every <li> before the first entry was read by the loop above and had no date
        is_summary = el.tag == "li" or "summary" in (el.get("class") or "")
        body = clean_text(el.text_content()) if is_summary else ""
        if len(body) >= MIN_SUMMARY_CHARS:
            skip_to = _last_node(el)
            summaries.append(
                Segment(text=body, kind="summary", year=summary_year(body),
                        position=len(summaries))
            )
    return summaries, items


def _last_node(el: lxml_html.HtmlElement) -> lxml_html.HtmlElement | None:
    """The last node of el's subtree in document order (None when el has no children)."""
    last = None
    while len(el):
        el = last = el[-1]
    return last


def _leading_text(el: lxml_html.HtmlElement) -> str:
    """`" ".join(el.text_content().split())[:40]`, reading only as much text as that needs:
    an outer <li> does not read the whole list it holds."""
    parts: list[str] = []
    need = 40  # non-blank characters still to read
    for piece in el.itertext():
        for i in range(0, len(piece), 256):
            chunk = piece[i:i + 256]
            parts.append(chunk)
            need -= len("".join(chunk.split()))
            if need <= 0:
                return " ".join("".join(parts).split())[:40]
    return " ".join("".join(parts).split())[:40]


def _html_item(li: lxml_html.HtmlElement, day: str, position: int, base: str | None) -> Segment:
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
    return Segment(text=teaser or "", kind="item", date=day, title=title, url=url,
                   position=position)
