"""The one place that builds the web UI's links.

Every page has a JSON twin at the same path with `.json` added (the home page's is
`/index.json`). Lists take an opaque `cursor` (the country page also `summaries_cursor`)
and an optional `limit`; a parameter left as None is left out of the link.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

JSON = ".json"


def _query(**params: object) -> str:
    pairs = [(k, str(v)) for k, v in params.items() if v is not None and v != ""]
    return f"?{urlencode(pairs)}" if pairs else ""


def _suffix(fmt: str) -> str:
    if fmt not in ("html", "json"):
        raise ValueError(f"unknown page format {fmt!r}")
    return JSON if fmt == "json" else ""


def home(fmt: str = "html") -> str:
    return "/index.json" if fmt == "json" else "/"


def country(code: str, fmt: str = "html", *, cursor: str | None = None,
            summaries_cursor: str | None = None, limit: int | None = None,
            summaries_limit: int | None = None) -> str:
    path = f"/countries/{quote(code.upper(), safe='')}{_suffix(fmt)}"
    return path + _query(cursor=cursor, summaries_cursor=summaries_cursor, limit=limit,
                         summaries_limit=summaries_limit)


def document(doc_id: int, fmt: str = "html") -> str:
    """A document at its current version."""
    return f"/documents/{int(doc_id)}{_suffix(fmt)}"


def version(doc_id: int, n: int, fmt: str = "html") -> str:
    """A document at one stored version (the current one included: a stable citation)."""
    return f"/documents/{int(doc_id)}/versions/{int(n)}{_suffix(fmt)}"


def search(query: str = "", fmt: str = "html", *, cursor: str | None = None,
           limit: int | None = None) -> str:
    return f"/search{_suffix(fmt)}" + _query(q=query, cursor=cursor, limit=limit)


def static(name: str) -> str:
    return f"/static/{name}"


def is_json(path: str) -> bool:
    """Whether a request path names a JSON twin (and so gets JSON errors)."""
    return path.endswith(JSON)


def event(cluster_id: int, fmt: str = "html") -> str:
    """One real-world event: a cluster of reports."""
    return f"/events/{int(cluster_id)}{_suffix(fmt)}"


def actor(identity_id: int, fmt: str = "html") -> str:
    """A person or organisation across documents, with their case."""
    return f"/actors/{int(identity_id)}{_suffix(fmt)}"
