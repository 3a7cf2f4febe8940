"""Which reader an input needs, from its bytes first and its name or media type second."""

from __future__ import annotations

import mimetypes
import re
from urllib.parse import urlsplit

from ..errors import RejectedInput
from .decode import binary_kind, decode
from .textkinds import data_kind

_FEED = re.compile(rb"<(?:rss|feed|rdf:RDF)[\s>]", re.IGNORECASE)
_HTML = re.compile(rb"<!doctype\s+html|<html[\s>]|<body[\s>]|<head[\s>]|<(?:p|div|ul|article)[\s>]",
                   re.IGNORECASE)
# A whole HTML document, not text that mentions a tag: a doctype or <html> first (after an XML
# declaration or comments at most).
_HTML_DOCUMENT = re.compile(
    rb"(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<html[\s>])",
    re.IGNORECASE | re.DOTALL,
)


def sniff(data: bytes, name: str = "", media_type: str | None = None) -> str:
    """One of pdf | feed | html | text."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"%PDF-"):
        return "pdf"
    media = (media_type or "").split(";")[0].strip().lower()
    lowered = (urlsplit(name).path if "://" in name else name).lower()
    if _FEED.search(head) and (head.startswith(b"<?xml") or head[:1] == b"<"):
        return "feed"
    if media in ("application/rss+xml", "application/atom+xml") or lowered.endswith(
        (".rss", ".atom")
    ):
        return "feed"
    if media in ("text/html", "application/xhtml+xml") or lowered.endswith((".html", ".htm")):
        return "html"
    if lowered.endswith(".txt") or media == "text/plain":
        # Named or served as text: text, unless it really is an HTML document.
        return "html" if _HTML_DOCUMENT.match(head) else "text"
    if _HTML.search(head):
        return "html"
    if lowered.endswith(".pdf") or media == "application/pdf":
        return "pdf"  # claims to be a PDF but lacks the header: the PDF reader says why
    return "text"


# Media types that name documents (or say nothing): the content decides. Any other type a
# file's name gives it (text/csv, application/json, text/x-python, ...) is no document.
_DOCUMENT_TYPES = frozenset({
    "text/plain", "text/html", "application/xhtml+xml", "text/xml", "application/xml",
    "application/rss+xml", "application/x-rss+xml", "application/atom+xml", "application/pdf",
    "application/octet-stream",
})
# Python's own table only, not the machine's: the same file is judged alike everywhere.
_MEDIA_TYPES = mimetypes.MimeTypes(filenames=())


def named_type(name: str) -> str | None:
    """The media type a file's name gives it, from Python's own table."""
    path = urlsplit(name).path if "://" in name else name
    return _MEDIA_TYPES.guess_type(path, strict=False)[0]


def not_a_document(data: bytes, name: str) -> str | None:
    """Why a file found in a folder is no document to read (its kind, in a few words), or
    None for an HTML page, a feed, a PDF, a listing, or plain text that reads as prose.

    A PDF header, a feed's root element or a whole HTML document is a document whatever
    the file is named, and so is a file named as HTML; a file whose name gives it a media
    type that is no document's (text/csv, application/json, text/x-python: Python's own
    table) is none; otherwise its content says what the text is (`textkinds.data_kind`).
    Empty, binary or undecodable files are left to the readers, which say why they cannot be
    read.
    """
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head or binary_kind(data):
        return None
    kind = sniff(data, name)
    if kind in ("pdf", "feed") or (kind == "html" and _HTML_DOCUMENT.match(head)):
        return None
    media = named_type(name)
    if media in ("text/html", "application/xhtml+xml"):
        return None
    if media and media not in _DOCUMENT_TYPES:
        return f"its name says {media}, not a document"
    try:
        return data_kind(decode(data, name))
    except RejectedInput:
        return None  # the reader says why it cannot be read
