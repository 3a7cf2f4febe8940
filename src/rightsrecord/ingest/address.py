"""Where a document says it lives and who published it, read from its own content.

A page's `<link rel=canonical>` (else its `og:url`) is its canonical address; its
`og:site_name` names its outlet. Both are the page's claims, so each is held to what may be
stored and shown: an absolute http(s) address without credentials, or a short line of text.
A local path never becomes either.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urljoin

from ..document import Document
from ..sources import host, is_web
from .fetch import redact_url
from .sanitize import clean_line, has_markup_hazard

# The longest address a document can be keyed by: PostgreSQL indexes at most about 2,700
# bytes of a value, SQLite any length.
MAX_ADDRESS_BYTES = 2000
MAX_OUTLET_CHARS = 200
_UNSAFE = re.compile(r"[\x00-\x20\x7f<>\"'`]")


def web_address(href: str | None, base: str | None = None) -> str | None:
    """`href` as an absolute http(s) address (resolved against `base` when that is one), or
    None: a relative address on a local file, another scheme, or an address that holds spaces,
    quotes or markup is no address to show."""
    if not href:
        return None
    href = href.strip()
    try:
        address = urljoin(base, href) if base is not None and is_web(base) else href
    except ValueError:
        return None
    if not is_web(address) or host(address) is None:
        return None
    address = redact_url(address)
    if (_UNSAFE.search(address) or has_markup_hazard(address)
            or len(address.encode("utf-8", "surrogatepass")) > MAX_ADDRESS_BYTES):
        return None
    try:
        address.encode("utf-8")
    except UnicodeEncodeError:
        return None
    return address


def outlet_name(name: str | None) -> str | None:
    """A publisher's name as stored: one cleaned line, cut at MAX_OUTLET_CHARS."""
    line = clean_line(name)
    if not line:
        return None
    return line if len(line) <= MAX_OUTLET_CHARS else line[:MAX_OUTLET_CHARS].rstrip() + " …"


def _values(tree: Any, xpath: str) -> list[str]:
    try:
        found = tree.xpath(xpath)
    except Exception:  # noqa: BLE001 - a damaged tree names no address
        return []
    return [str(v) for v in found if isinstance(v, str)]


def page_claims(tree: Any, base: str | None) -> tuple[str | None, str | None]:
    """(canonical address, outlet) an HTML tree names: the first usable `rel=canonical` link,
    else `og:url`; and `og:site_name`."""
    lower = "translate(normalize-space({}), 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', " \
            "'abcdefghijklmnopqrstuvwxyz')"
    rel = lower.format("@rel")
    links = _values(tree, f"//link[contains(concat(' ', {rel}, ' '), ' canonical ')]/@href")
    og_url = _values(tree, f"//meta[{lower.format('@property')} = 'og:url' or "
                           f"{lower.format('@name')} = 'og:url']/@content")
    canonical = next((a for a in (web_address(h, base) for h in (*links, *og_url)) if a), None)
    names = _values(tree, f"//meta[{lower.format('@property')} = 'og:site_name' or "
                          f"{lower.format('@name')} = 'og:site_name']/@content")
    outlet = next((n for n in (outlet_name(v) for v in names) if n), None)
    return canonical, outlet


def settle_address(doc: Document) -> None:
    """Hold the canonical address and outlet to what may be stored, and name the outlet by
    the host of the canonical (else the fetched) address when nothing else names it."""
    doc.canonical = web_address(doc.canonical)
    doc.outlet = outlet_name(doc.outlet) or host(doc.canonical) or host(doc.url)
