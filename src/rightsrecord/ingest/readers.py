"""One reader per input kind: bytes in, a Document (without its url or hash) out."""

from __future__ import annotations

import copy
import io
import re
from datetime import datetime
from time import struct_time

import feedparser
import trafilatura
from lxml import etree
from lxml import html as lxml_html
from pypdf import PdfReader
from pypdf.errors import PdfReadError, PyPdfError

from ..document import Document, Segment
from ..errors import RejectedInput
from .dates import parse_date
from .decode import decode
from .listing import looks_like_text_listing, parse_html_listing, parse_text_listing
from .sanitize import clean_line, clean_text, flat_html, flatten_deep

MIN_TEXT_CHARS = 1


def _doc(kind: str, text: str, title: str | None, published: str | None,
         segments: list[Segment] | None = None) -> Document:
    return Document(url="", kind=kind, body=Segment(text=text), segments=segments or [],
                    title=title, published=published)


def read_text(data: bytes, label: str, charset: str | None = None) -> Document:
    raw = decode(data, label, charset)
    text = clean_text(raw)
    if not text:
        raise RejectedInput("no readable text" + (" once scripts were removed" if raw.strip()
                                                  else ""))
    if looks_like_text_listing(text):
        summaries, items = parse_text_listing(text)
        return _doc("listing", text, None, max((i.date for i in items if i.date), default=None),
                    [*summaries, *items])
    # Simple news-item layout: a short first line is the title, a date may follow it.
    lines = text.split("\n")
    title = clean_line(lines[0]) if len(lines) > 1 and len(lines[0]) <= 200 else None
    published = None
    for line in lines[1:4]:
        published = parse_date(line) if len(line) <= 40 else None
        if published:
            break
    return _doc("text", text, title, published)


def read_html(data: bytes, label: str, url: str | None, charset: str | None = None
              ) -> Document:
    markup = decode(data, label, charset)
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
    summaries, items = parse_html_listing(tree, url)
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
        return _doc("listing", text, title, published, [*summaries, *items])
    if not text:
        body = clean_text(tree.text_content())
        if not body:
            raise RejectedInput("no readable text in the HTML")
        text = body
    return _doc("html", text, title, published)


def _entry_date(entry: dict) -> str | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if isinstance(value, struct_time):
            return f"{value.tm_year:04d}-{value.tm_mon:02d}-{value.tm_mday:02d}"
    return None


def read_feed(data: bytes, label: str) -> Document:
    parsed = feedparser.parse(data)
    if parsed.bozo and not isinstance(
        parsed.bozo_exception, feedparser.CharacterEncodingOverride
    ):
        raise RejectedInput(f"truncated or malformed feed: {parsed.bozo_exception}")
    items: list[Segment] = []
    for position, entry in enumerate(parsed.entries):
        title = clean_line(entry.get("title"))
        teaser = clean_text(entry.get("summary") or "")
        link = entry.get("link")
        if link and not link.startswith(("http://", "https://")):
            link = None
        items.append(Segment(text=teaser or "", kind="item", date=_entry_date(entry),
                             title=title, url=link, position=position))
    if not items:
        raise RejectedInput("feed has no entries")
    feed = parsed.feed
    parts = [clean_text(feed.get("subtitle"))] + [
        "\n".join(filter(None, (i.title, i.text))) for i in items
    ]
    published = _entry_date(feed) or max((i.date for i in items if i.date), default=None)
    return _doc("feed", "\n\n".join(p for p in parts if p), clean_line(feed.get("title")),
                published, items)


_PDF_DATE = re.compile(r"D:(\d{4})(\d{2})?(\d{2})?")


def read_pdf(data: bytes, label: str) -> Document:
    if not data.lstrip().startswith(b"%PDF-"):
        raise RejectedInput("not a PDF: the %PDF header is missing")
    if b"%%EOF" not in data[-2048:]:
        raise RejectedInput("truncated PDF: the end-of-file marker is missing")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise RejectedInput("encrypted PDF")
        pages = [page.extract_text() or "" for page in reader.pages]
        meta = reader.metadata or {}
    except RejectedInput:
        raise
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise RejectedInput(f"damaged PDF: {exc}") from None
    text = clean_text("\n\n".join(pages))
    if not text:
        raise RejectedInput("PDF has no extractable text (a scan without a text layer?)")
    title = clean_line(meta.get("/Title")) if meta else None
    if not title:
        title = clean_line(text.split("\n", 1)[0][:200])
    published = None
    created = meta.get("/CreationDate") if meta else None
    match = _PDF_DATE.match(str(created or ""))
    if match and match.group(2) and match.group(3):
        try:
            published = datetime(int(match[1]), int(match[2]), int(match[3])).date().isoformat()
        except ValueError:
            published = None
    return _doc("pdf", text, title, published)
