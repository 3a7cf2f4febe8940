"""HTML listing pages: entries found by their dates, whatever the markup around them.

An entry's date is a `<time>` element (its `datetime`, else its text) or a text node that is a
date, alone or after a short label ("Press release · 25 March 2013"), or that opens the node.
The entry is the largest element around its date that holds no other entry's date: an `<li>`,
an `<article>` card, a table row, a `views-row` div. Its title is its heading, else its
longest link; its teaser is the rest of its text, less the date, labels and furniture.
Summaries come before the first entry: sections under a year heading (`<h2>2019</h2>` and
their paragraphs), `summary` blocks, and long undated `<li>`s. Furniture (navigation, share
bars, cookie notices, captions, pagers) is skipped as a whole subtree (`furniture`).

Each element is visited a bounded number of times: linear in the page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from lxml import html as lxml_html

from ..document import Segment
from . import listing_dates
from .address import web_address
from .furniture import is_furniture_element, is_furniture_text
from .listing_common import (
    MIN_ITEMS,
    MIN_SUMMARY_CHARS,
    summary_year,
    title_like,
    unique_items,
    year_heading,
)
from .listing_dates import Hit
from .sanitize import clean_line, clean_text

Element = lxml_html.HtmlElement
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_SECTION_TEXT = frozenset(("p", "li", "blockquote", "dd"))
_INLINE_ENTRY_TAGS = frozenset(("li", "td", "dt", "dd", "article", "div", "tr"))
_STOP = frozenset(("body", "html", "main"))
_TITLE_SIBLINGS = frozenset((*_HEADINGS, "dt"))
MONTH_FIRST_LANGS = frozenset(("en-us", "en_us"))
LABEL_WORDS = 4


@dataclass
class _Anchor:
    owner: Element  # the element whose text (or `<time>`) holds the date
    text: str | None  # the text node holding the date; None for a `<time>` element
    hit: Hit | None
    day: str | None = None


def _last_node(el: Element) -> Element:
    """The last node of el's subtree in document order (el itself when it has no children)."""
    while len(el):
        el = el[-1]
    return el


def _content(tree: Element) -> Iterator[Element]:
    """Every element in document order, furniture subtrees and comments left out."""
    skip_to: Element | None = None
    for el in tree.iter():
        if skip_to is not None:
            if el is skip_to:
                skip_to = None
            continue
        if not isinstance(el.tag, str):
            continue
        if is_furniture_element(el):
            last = _last_node(el)
            if last is not el:
                skip_to = last
            continue
        yield el


def _text_anchor(owner: Element, text: str | None) -> _Anchor | None:
    if not text or not text.strip() or not text.lstrip()[0].isalnum():
        return None
    hit = listing_dates.date_line(" ".join(text.split()))
    if hit is None or (not hit.alone and owner.tag not in _INLINE_ENTRY_TAGS):
        return None
    return _Anchor(owner, text, hit)


def _anchors(elements: list[Element]) -> list[_Anchor]:
    found: list[_Anchor] = []
    inside_time: Element | None = None  # the last node of the open <time>
    for el in elements:
        if inside_time is not None:
            if el is inside_time:
                inside_time = None
            continue
        if el.tag == "time":
            day = listing_dates.iso_attribute(el.get("datetime"))
            hit = listing_dates.find(" ".join(el.text_content().split()))
            if day or hit:
                found.append(_Anchor(el, None, hit, day))
                if len(el):
                    inside_time = _last_node(el)
                continue
        for text in (el.text, *(child.tail for child in el)):
            anchor = _text_anchor(el, text)
            if anchor is not None:
                found.append(anchor)
                break
    return found


def _containers(anchors: list[_Anchor], elements: list[Element]
                ) -> tuple[list[Element], dict[Element, int]]:
    """Each anchor's entry: its largest ancestor that holds no other anchor; and how many
    anchors (0, 1, or 2 for more) each element holds."""
    count: dict[Element, int] = {}
    for a in anchors:
        node: Element | None = a.owner
        while node is not None and count.get(node, 0) < 2:  # saturates: linear in the page
            count[node] = count.get(node, 0) + 1
            node = node.getparent()
    blocked = {el for el in elements if el.tag in _STOP}
    for h1 in (el for el in elements if el.tag == "h1"):
        blocked.update(h1.iterancestors())
    out = []
    for a in anchors:
        node = a.owner
        while True:
            parent = node.getparent()
            if parent is None or parent in blocked or count.get(parent, 0) != 1:
                break
            node = parent
        out.append(node)
    return out, count


def _texts(root: Element, skip: Callable[[Element], bool]) -> Iterator[tuple[Element, str]]:
    """(owner, text node) pairs in document order; a skipped element's subtree is left out,
    its tail kept."""
    stack: list[tuple[Element, bool]] = [(root, False)]
    while stack:
        el, closed = stack.pop()
        if closed:
            parent = el.getparent()
            if el is not root and el.tail and parent is not None:
                yield parent, el.tail
            continue
        stack.append((el, True))
        if el is not root and (not isinstance(el.tag, str) or skip(el)):
            continue
        if el.text:
            yield el, el.text
        stack.extend((child, False) for child in reversed(el))


def _title(roots: list[Element]) -> tuple[Element | None, str | None, str | None]:
    """(the title's element, the title, its link) of the entry made of `roots`."""
    heading = next((el for root in roots for el in root.iter(*_HEADINGS)), None)
    if heading is not None:
        title = clean_line(heading.text_content())
        if title and not is_furniture_text(title):
            link = next(heading.iter("a"), None)
            if link is None and heading.getparent() is not None and \
                    heading.getparent().tag == "a":
                link = heading.getparent()
            return heading, title, link.get("href") if link is not None else None
    best: tuple[int, Element, str] | None = None
    for link in (el for root in roots for el in root.iter("a")):
        text = clean_line(link.text_content())
        hit = listing_dates.date_line(text) if text else None
        if hit is not None:  # "5 March 2024: Court jails lawyer" is a title after its date
            rest = clean_line(hit.after.lstrip(" :–—-|·"))
            text = rest if rest and title_like(rest) else None
        if not text or is_furniture_text(text):
            continue
        if best is None or len(text) > best[0]:
            best = (len(text), link, text)
    if best is None:
        return None, None, None
    return best[1], best[2], best[1].get("href")


def _teaser(roots: list[Element], anchor: _Anchor, title_el: Element | None) -> str:
    parts: list[str] = []

    def skip(el: Element) -> bool:
        return el is title_el or el.tag == "time" or is_furniture_element(el)

    texts = (pair for root in roots if root is not title_el for pair in _texts(root, skip))
    for owner, text in texts:
        if owner is anchor.owner and text == anchor.text and anchor.hit is not None:
            text = "" if anchor.hit.alone else anchor.hit.after
        words = text.split()
        if not words or is_furniture_text(text):
            continue
        if len(words) <= LABEL_WORDS and not any(w[-1] in ".!?" for w in words):
            continue  # a type label, a separator, a byline
        parts.append(text)
    teaser = clean_text(" ".join(parts))
    return "" if is_furniture_text(teaser) else teaser


def _siblings(container: Element, count: dict[Element, int]) -> list[Element]:
    """A flat entry: the date's element among siblings that are the entries' parts
    (`<h3>title</h3><p>date</p><p>teaser</p>`, `<dt>date</dt><dd>title</dd>`): its title
    just before it, where that is a heading, and what follows up to the next entry."""
    parent = container.getparent()
    if parent is None or count.get(parent, 0) < 2:
        return [container]
    prev = container.getprevious()
    titled = prev is not None and prev.tag in _TITLE_SIBLINGS and not count.get(prev, 0)
    out = [prev, container] if titled else [container]
    node = container.getnext()
    while node is not None and not count.get(node, 0):
        after = node.getnext()
        if node.tag in _TITLE_SIBLINGS and after is not None and count.get(after, 0):
            break  # the next entry's title
        out.append(node)
        node = after
    return [el for el in out if isinstance(el.tag, str)]


def _item(roots: list[Element], anchor: _Anchor, base: str | None,
          count: dict[Element, int]) -> Segment:
    title_el, title, url = _title(roots)
    teaser = _teaser(roots, anchor, title_el)
    if title is None and not teaser:
        roots = _siblings(roots[0], count)
        title_el, title, url = _title(roots)
        teaser = _teaser(roots, anchor, title_el)
    url = web_address(url, base)  # an entry's own link: http(s) only, never a local path
    return Segment(text=teaser, kind="item", date=anchor.day, title=title, url=url)


def _summaries(elements: list[Element]) -> tuple[list[Segment], bool]:
    """The summaries among `elements` (those before the first entry), and whether any came
    from a year heading or a `summary` block (a country page even without entries)."""
    out: list[Segment] = []
    strong = False
    section: tuple[int, int, list[str]] | None = None  # (heading level, year, paragraphs)

    def close() -> None:
        nonlocal section, strong
        if section is not None:
            body = clean_text("\n".join(section[2]))
            if len(body) >= MIN_SUMMARY_CHARS:
                out.append(Segment(text=body, kind="summary", year=section[1]))
                strong = True
        section = None

    skip_to: Element | None = None
    for el in elements:
        if skip_to is not None:
            if el is skip_to:
                skip_to = None
            continue
        last = _last_node(el)
        if el.tag in _HEADINGS:
            level, year = int(el.tag[1]), year_heading(el.text_content())
            if section is not None and level > section[0]:
                pass  # a subheading ("Key Developments in 2022") stays in its section
            elif year is not None and level >= 2:
                close()
                section = (level, year, [])
            elif section is not None and level <= section[0]:
                close()
        elif section is not None:
            if el.tag not in _SECTION_TEXT:
                continue
            text = clean_text(el.text_content())
            if text and not is_furniture_text(text):
                section[2].append(text)
        elif el.tag == "li" or "summary" in (el.get("class") or ""):
            body = clean_text(el.text_content())
            if len(body) < MIN_SUMMARY_CHARS or is_furniture_text(body):
                continue
            out.append(Segment(text=body, kind="summary", year=summary_year(body)))
            strong = strong or el.tag != "li"
        else:
            continue
        if last is not el:
            skip_to = last
    close()
    for position, summary in enumerate(out):
        summary.position = position
    return out, strong


def parse_html_listing(tree: Element, base_url: str | None) -> tuple[
    list[Segment], list[Segment]
]:
    """Summaries and items from a parsed HTML page, or two empty lists."""
    elements = list(_content(tree))  # holding them keeps each element's proxy (a dict key)
    anchors = _anchors(elements)
    lang = (tree.get("lang") or "").lower()
    day_first = listing_dates.numeric_order([a.hit for a in anchors if a.hit and not a.day],
                                            lang in MONTH_FIRST_LANGS)
    for a in anchors:
        a.day = a.day or (a.hit.iso(day_first) if a.hit else None)
    anchors = [a for a in anchors if a.day]
    containers, count = _containers(anchors, elements)
    items = unique_items([_item([c], a, base_url, count)
                          for c, a in zip(containers, anchors, strict=True)])
    if len(items) < MIN_ITEMS:
        items, containers = [], []
    first = min((_index(elements, c) for c in containers[:1]), default=len(elements))
    summaries, strong = _summaries(elements[:first])
    if not items and (not strong or anchors):
        return [], []  # without entries, a dated page is an article, not a country page
    return summaries, items


def _index(elements: list[Element], el: Element) -> int:
    for i, other in enumerate(elements):
        if other is el:
            return i
    return len(elements)
