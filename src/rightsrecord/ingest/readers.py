"""One reader per input kind: bytes in, a Document (without its url or hash) out.

A reader never opens its content as a path or URL, raises nothing but RejectedInput, and
does a bounded amount of work (`limits`): what a limit cuts off is said in the notes.
"""

from __future__ import annotations

import copy
import functools
import io
import logging
import re
from collections.abc import Callable
from datetime import datetime
from time import struct_time
from typing import Any, TypeVar

import feedparser
import trafilatura
from lxml import etree
from lxml import html as lxml_html
from pypdf import PageObject, PdfReader
from pypdf.errors import DependencyError
from pypdf.generic import ArrayObject, NameObject

from ..document import Document, Segment
from ..errors import RejectedInput
from .address import outlet_name, page_claims, web_address
from .dates import parse_date
from .decode import decode
from .limits import Budget, Limits, OutOfTime, hard_deadline
from .listing import looks_like_text_listing, parse_html_listing, parse_text_listing
from .sanitize import (
    clean_line,
    clean_plain,
    clean_text,
    flat_html,
    flatten_deep,
    limit_attributes,
    plain_line,
    strip_controls,
)

MIN_TEXT_CHARS = 1
# pypdf logs each repair it makes to a damaged file; with no handler of its own, Python would
# print them on stderr, between the outcome lines. An application that sets up logging still
# gets them.
logging.getLogger("pypdf").addHandler(logging.NullHandler())
_Reader = TypeVar("_Reader", bound=Callable[..., Document])


def _brief(exc: BaseException, named: bool = True) -> str:
    """An exception as one short line, with its class name unless `named` is False."""
    words = " ".join(str(exc).split())
    words = words if len(words) <= 160 else words[:160] + " …"
    if named or not words:
        return f"{type(exc).__name__}: {words}" if words else type(exc).__name__
    return words


def reader(what: str) -> Callable[[_Reader], _Reader]:
    """A reader that raises RejectedInput and nothing else, and stops at the time limit: a
    library's own error on hostile input is a one-line rejection naming it."""

    def wrap(read: _Reader) -> _Reader:
        @functools.wraps(read)
        def guarded(*args: Any, **kwargs: Any) -> Document:
            limits = Limits.current()
            try:
                with hard_deadline(limits.seconds):
                    return read(*args, **kwargs)
            except RejectedInput:
                raise
            except OutOfTime:
                reason = Budget(limits.seconds).reason()
                raise RejectedInput(f"took too long to read: over {reason}") from None
            except RecursionError:
                raise RejectedInput("structure nested too deeply to read") from None
            except MemoryError:
                raise RejectedInput("too large to read in memory") from None
            except Exception as exc:  # noqa: BLE001 - any library error is a rejection
                raise RejectedInput(f"unreadable {what}: {_brief(exc)}") from None

        return guarded  # type: ignore[return-value]

    return wrap


def _cut(text: str, limit: int) -> str:
    """`text` cut to `limit` characters, at the last paragraph or line break when near."""
    if len(text) <= limit:
        return text
    head = text[:limit]
    at = max(head.rfind("\n\n"), head.rfind("\n"))
    return head[:at].rstrip() if at > limit * 0.9 else head.rstrip()


def _doc(kind: str, text: str, title: str | None, published: str | None,
         segments: list[Segment] | None = None, notes: list[str] | None = None,
         limits: Limits | None = None) -> Document:
    """The Document, each text held to the character limit and the items to the item limit,
    with a note for each cut."""
    limits = limits or Limits.current()
    notes = list(notes or [])
    segments = list(segments or [])
    items = [s for s in segments if s.kind == "item"]
    if len(items) > limits.items:
        dropped = {id(s) for s in items[limits.items:]}
        segments = [s for s in segments if id(s) not in dropped]
        notes.append(f"kept the first {limits.items:,} of {len(items):,} entries "
                     "(RIGHTSRECORD_MAX_ITEMS)")
    cut = 0
    for segment in segments:
        if len(segment.text) > limits.chars:
            segment.text, cut = _cut(segment.text, limits.chars), cut + 1
    if len(text) > limits.chars:
        text, cut = _cut(text, limits.chars), cut + 1
    if cut:
        notes.append(f"cut {cut:,} text{'s' if cut > 1 else ''} at {limits.chars:,} characters "
                     "(RIGHTSRECORD_MAX_CHARS)")
    return Document(url="", kind=kind, body=Segment(text=text), segments=segments,
                    title=title, published=published, notes=notes)


@reader("text")
def read_text(data: bytes, label: str, charset: str | None = None) -> Document:
    # Read as text whatever tags it mentions: stored and served as text, every word kept.
    text = clean_plain(decode(data, label, charset))
    if not text:
        raise RejectedInput("no readable text")
    if looks_like_text_listing(text):
        summaries, items = parse_text_listing(text)
        return _doc("listing", text, None, max((i.date for i in items if i.date), default=None),
                    [*summaries, *items])
    # Simple news-item layout: a short first line is the title, a date may follow it.
    lines = text.split("\n")
    title = plain_line(lines[0]) if len(lines) > 1 and len(lines[0]) <= 200 else None
    published = None
    for line in lines[1:4]:
        published = parse_date(line) if len(line) <= 40 else None
        if published:
            break
    return _doc("text", text, title, published)


@reader("HTML")
def read_html(data: bytes, label: str, url: str | None, charset: str | None = None
              ) -> Document:
    limits = Limits.current()
    notes: list[str] = []
    # No tree API takes control characters; a tag's attributes past the limit cost quadratic
    # parsing time and hold no text.
    markup, cut_tags = limit_attributes(strip_controls(decode(data, label, charset)),
                                        limits.attributes)
    if cut_tags:
        notes.append(f"ignored the attributes past the first {limits.attributes:,} in "
                     f"{cut_tags:,} tag{'s' if cut_tags > 1 else ''} "
                     "(RIGHTSRECORD_MAX_ATTRIBUTES)")
    try:
        parser = lxml_html.HTMLParser(huge_tree=True)  # reads 2048 levels, not 256
        tree = lxml_html.document_fromstring(markup, parser=parser)
        flat = any(e.type_name == "ERR_RESOURCE_LIMIT" for e in parser.error_log)
        if flat:  # deeper still: the parser dropped text, so read the page as flat paragraphs
            tree = lxml_html.document_fromstring(flat_html(markup))
    except (etree.ParserError, ValueError) as exc:
        raise RejectedInput(f"unreadable HTML: {exc}") from None
    for bad in tree.xpath("//script|//style|//noscript|//template"):
        bad.drop_tree()
    flat = flatten_deep(tree) or flat  # a deep page goes to trafilatura as this shallow tree
    canonical, outlet = page_claims(tree, url)
    # A listing's relative links are read against the page's canonical address, never against
    # a local file's.
    summaries, items = parse_html_listing(tree, canonical or url)
    extracted = trafilatura.bare_extraction(
        copy.deepcopy(tree) if flat else markup, url=url, with_metadata=True,
        include_comments=False, favor_recall=True
    )
    text = clean_text(getattr(extracted, "text", None) or "")
    title = clean_line(getattr(extracted, "title", None)) or clean_line(
        tree.findtext(".//title")
    )
    published = parse_date(getattr(extracted, "date", None))
    if items or summaries:
        if not text:
            text = clean_text(tree.text_content())
        doc = _doc("listing", text, title, published, [*summaries, *items], notes, limits)
    else:
        if not text:
            text = clean_text(tree.text_content())
            if not text:
                raise RejectedInput("no readable text in the HTML")
        doc = _doc("html", text, title, published, notes=notes, limits=limits)
    doc.canonical, doc.outlet = canonical, outlet
    return doc


def _entry_date(entry: dict) -> str | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if isinstance(value, struct_time):
            return f"{value.tm_year:04d}-{value.tm_mon:02d}-{value.tm_mday:02d}"
    return None


@reader("feed")
def read_feed(data: bytes, label: str) -> Document:
    # A stream, never bytes or a string: feedparser opens those as a file name or URL first.
    parsed = feedparser.parse(io.BytesIO(data))
    if parsed.bozo and not isinstance(
        parsed.bozo_exception, feedparser.CharacterEncodingOverride
    ):
        raise RejectedInput(f"truncated or malformed feed: {parsed.bozo_exception}")
    limits = Limits.current()
    budget = Budget(limits.seconds)
    notes: list[str] = []
    entries = parsed.entries
    if len(entries) > limits.items:
        notes.append(f"kept the first {limits.items:,} of {len(entries):,} entries "
                     "(RIGHTSRECORD_MAX_ITEMS)")
        entries = entries[:limits.items]
    items: list[Segment] = []
    for position, entry in enumerate(entries):
        if budget.spent():
            notes.append(f"kept the first {position:,} of {len(parsed.entries):,} entries: "
                         f"{budget.reason()} (RIGHTSRECORD_MAX_SECONDS)")
            break
        title = clean_line(_string(entry.get("title")))
        teaser = clean_text(_string(entry.get("summary")))
        link = _string(entry.get("link"))
        if link and not link.startswith(("http://", "https://")):
            link = None
        items.append(Segment(text=teaser or "", kind="item", date=_entry_date(entry),
                             title=title, url=link, position=position))
    if not items:
        raise RejectedInput("feed has no entries")
    feed = parsed.feed
    # The body is the entries' own words: the feed's title and description describe the
    # feed, report nothing, and so are never read for facts.
    parts = ["\n".join(filter(None, (i.title, i.text))) for i in items]
    published = _entry_date(feed) or max((i.date for i in items if i.date), default=None)
    title = clean_line(_string(feed.get("title")))
    doc = _doc("feed", "\n\n".join(p for p in parts if p), title, published, items, notes,
               limits)
    doc.canonical = _self_link(feed)
    doc.outlet = outlet_name(title)
    return doc


def _self_link(feed: Any) -> str | None:
    """The address a feed gives for itself (its rel=self link), if it is an http(s) one."""
    links = feed.get("links")
    for link in links if isinstance(links, list) else []:
        if isinstance(link, dict) and link.get("rel") == "self":
            address = web_address(_string(link.get("href")))
            if address:
                return address
    return None


def _string(value: object) -> str | None:
    """A metadata value that is text; anything else (bytes, a number, a list) is ignored."""
    return value if isinstance(value, str) else None


_PDF_DATE = re.compile(r"D:(\d{4})(\d{2})?(\d{2})?")


class _Pages:
    """The text of a PDF's pages, read in order until a limit: pages, characters, time."""

    def __init__(self, reader: PdfReader, limits: Limits) -> None:
        self.reader, self.limits = reader, limits
        self.budget = Budget(limits.seconds)
        self.texts: list[str] = []
        self.notes: list[str] = []
        self.skipped = 0  # pages whose content is over the size limit

    def read(self) -> None:
        total = len(self.reader.pages)
        chars = 0
        for number in range(total):
            if number >= self.limits.pdf_pages:
                self.notes.append(f"read the first {number:,} of {total:,} pages "
                                  "(RIGHTSRECORD_MAX_PDF_PAGES)")
                break
            if chars > self.limits.chars:
                self.notes.append(f"read the first {number:,} of {total:,} pages: over "
                                  f"{self.limits.chars:,} characters (RIGHTSRECORD_MAX_CHARS)")
                break
            try:
                self.budget.check()
                text = self._page(self.reader.pages[number])
            except OutOfTime:
                if not any(self.texts):
                    raise
                self.notes.append(f"read the first {number:,} of {total:,} pages: "
                                  f"{self.budget.reason()} (RIGHTSRECORD_MAX_SECONDS)")
                break
            self.texts.append(text)
            chars += len(text)
        if self.skipped:
            self.notes.append(
                f"skipped {self.skipped:,} page{'s' if self.skipped > 1 else ''} whose content "
                f"is over {self.limits.pdf_page_bytes:,} bytes (RIGHTSRECORD_MAX_PDF_PAGE_BYTES)")

    def _page(self, page: PageObject) -> str:
        if _content_bytes(page, self.limits.pdf_page_bytes) > self.limits.pdf_page_bytes:
            self.skipped += 1
            return ""
        operators = 0

        def tick(*_: object) -> None:  # between operators: the time limit holds within a page
            nonlocal operators
            operators += 1
            if not operators % 256:
                self.budget.check()

        return page.extract_text(visitor_operand_before=tick) or ""


def _content_bytes(page: PageObject, cap: int) -> int:
    """The size of a page's content streams, decompressed, counted up to just past `cap`."""
    contents = page.get("/Contents")
    if contents is None:
        return 0
    contents = contents.get_object()
    total = 0
    for part in contents if isinstance(contents, ArrayObject) else [contents]:
        stream = part.get_object()
        total += len(stream.get_data()) if hasattr(stream, "get_data") else 0
        if total > cap:
            break
    return total


def _meta_text(meta: Any, key: str) -> str | None:
    """A PDF metadata entry that is text; a number, a name, bytes or a dictionary is ignored."""
    value = meta.get(key)
    if hasattr(value, "get_object"):
        value = value.get_object()
    return None if isinstance(value, NameObject) else _string(value)


@reader("PDF")
def read_pdf(data: bytes, label: str) -> Document:
    if not data.lstrip().startswith(b"%PDF-"):
        raise RejectedInput("not a PDF: the %PDF header is missing")
    if b"%%EOF" not in data[-2048:]:
        raise RejectedInput("truncated PDF: the end-of-file marker is missing")
    limits = Limits.current()
    try:
        pdf = PdfReader(io.BytesIO(data), strict=False)
        if pdf.is_encrypted:
            raise RejectedInput("encrypted PDF")
        pages = _Pages(pdf, limits)
        pages.read()
        meta = pdf.metadata or {}
    except (RejectedInput, OutOfTime):
        raise
    except (NotImplementedError, DependencyError) as exc:  # a filter or feature pypdf lacks
        raise RejectedInput(f"unsupported PDF: {_brief(exc, named=False)}") from None
    except Exception as exc:  # noqa: BLE001 - pypdf raises many kinds on damaged files
        raise RejectedInput(f"damaged PDF: {_brief(exc)}") from None
    text = clean_text("\n\n".join(pages.texts))
    if not text:
        raise RejectedInput("PDF has no extractable text (a scan without a text layer?)"
                            if not pages.skipped else
                            f"PDF has no page under {limits.pdf_page_bytes:,} bytes of content "
                            "(RIGHTSRECORD_MAX_PDF_PAGE_BYTES)")
    title = clean_line(_meta_text(meta, "/Title"))
    if not title:
        title = clean_line(text.split("\n", 1)[0][:200])
    published = None
    match = _PDF_DATE.match(_meta_text(meta, "/CreationDate") or "")
    if match and match.group(2) and match.group(3):
        try:
            published = datetime(int(match[1]), int(match[2]), int(match[3])).date().isoformat()
        except ValueError:
            published = None
    return _doc("pdf", text, title, published, notes=pages.notes, limits=limits)
