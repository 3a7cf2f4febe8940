"""How a document's address is named to a reader: never a path of the machine that read it.

A stored document is keyed by its address (`Document.url`): the URL it was fetched from, the
`file:` URI of a local file, or an identity such as `stdin:sha256:…` or `jsonl:<id>`. Pages
show its canonical address and outlet where it has them, else `source_name(url)`.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, unquote_to_bytes, urlsplit

WEB = ("http://", "https://")
_SEPARATORS = re.compile(r"[/\\]")
_DRIVE = re.compile(r"[A-Za-z]:[/\\]")


def is_web(url: str | None) -> bool:
    return url is not None and url[:8].lower().startswith(WEB)


def host(url: str | None) -> str | None:
    """The lower-case host of an http(s) address, without port or credentials; else None."""
    if url is None or not is_web(url):
        return None
    try:
        name = urlsplit(url).hostname
    except ValueError:
        return None
    return name or None


def looks_like_path(name: str) -> bool:
    """A name that holds a path of the machine that read it: it has a folder separator or a
    drive letter. Hosts, outlets of old stores and kinds have neither."""
    return bool(_SEPARATORS.search(name) or _DRIVE.match(name))


def last_part(path: str) -> str:
    """The last part of a path (the file's own name), or "" when it ends in a separator."""
    return _SEPARATORS.split(path.rstrip("/\\"))[-1] if path.strip("/\\") else ""


def source_name(url: str) -> str:
    """A document's address as it may be shown: an http(s) URL itself; for a local file its
    own name alone; a short label for standard input and JSON lines; never a path."""
    if is_web(url):
        return url
    lowered = url[:6].lower()
    if lowered.startswith("file:"):
        raw = unquote_to_bytes(urlsplit(url).path).rstrip(b"/").rsplit(b"/", 1)[-1]
        return raw.decode("utf-8", "backslashreplace") or "local file"
    if lowered.startswith("stdin:"):
        return "standard input"
    if lowered.startswith("jsonl:"):
        ident = url[len("jsonl:"):]
        if ident.startswith("sha256:"):
            return f"JSON line {ident[:19]}"  # sha256: and the first 12 hex digits
        return f"JSON line {unquote(ident)}"
    if not url.strip():
        return "unnamed input"
    return last_part(url) if looks_like_path(url) else url
