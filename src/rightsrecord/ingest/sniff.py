"""Which reader an input needs, from its bytes first and its name or media type second."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

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
