"""The one place that builds the web UI's links.

Every page has a JSON twin at the same path with `.json` added (the home page's is
`/index.json`). Lists take an opaque `cursor` (the country page also `summaries_cursor`)
and an optional `limit`, and their filters as query parameters; a parameter left as None
(or empty) is left out of the link. The links to the other rooms (feeds, exports, the API,
its docs) are built here too.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

JSON = ".json"
EXPORT_FORMATS = ("csv", "jsonl")


def _query(**params: object) -> str:
    pairs = [(k, str(v)) for k, v in params.items() if v is not None and v != ""]
    return f"?{urlencode(pairs)}" if pairs else ""


def _suffix(fmt: str) -> str:
    if fmt not in ("html", "json"):
        raise ValueError(f"unknown page format {fmt!r}")
    return JSON if fmt == "json" else ""


def _code(code: str) -> str:
    return quote(code.upper(), safe="")


def home(fmt: str = "html") -> str:
    return "/index.json" if fmt == "json" else "/"


def countries(fmt: str = "html") -> str:
    """Every country the record holds anything about."""
    return f"/countries{_suffix(fmt)}"


def country(code: str, fmt: str = "html", *, theme: str | None = None,
            year: int | str | None = None, event_type: str | None = None,
            cursor: str | None = None, summaries_cursor: str | None = None,
            limit: int | None = None, summaries_limit: int | None = None) -> str:
    """A country's record: summaries, then the dated feed (filtered by theme, year, event
    type)."""
    return f"/countries/{_code(code)}{_suffix(fmt)}" + _query(
        theme=theme, year=year, event_type=event_type, cursor=cursor,
        summaries_cursor=summaries_cursor, limit=limit, summaries_limit=summaries_limit)


def changes(code: str, fmt: str = "html", *, since: str | None = None,
            cursor: str | None = None, limit: int | None = None) -> str:
    """What entered or was corrected in a country's record since a date."""
    return f"/countries/{_code(code)}/changes{_suffix(fmt)}" + _query(
        since=since, cursor=cursor, limit=limit)


def draft(code: str) -> str:
    """A country's drafted yearly summaries as Markdown, their sources as footnotes."""
    return f"/countries/{_code(code)}/draft.md"


def documents(fmt: str = "html", *, country: str | None = None, kind: str | None = None,
              year: int | str | None = None, cursor: str | None = None,
              limit: int | None = None) -> str:
    return f"/documents{_suffix(fmt)}" + _query(country=country, kind=kind, year=year,
                                                cursor=cursor, limit=limit)


def document(doc_id: int, fmt: str = "html", *, view: str | None = None) -> str:
    """A document at its current version; `view="analyst"` for its facts and spans."""
    return f"/documents/{int(doc_id)}{_suffix(fmt)}" + _query(view=view)


def version(doc_id: int, n: int, fmt: str = "html", *, view: str | None = None) -> str:
    """A document at one stored version (the current one included: a stable citation)."""
    return f"/documents/{int(doc_id)}/versions/{int(n)}{_suffix(fmt)}" + _query(view=view)


def events(fmt: str = "html", *, country: str | None = None, type: str | None = None,
           year: int | str | None = None, theme: str | None = None,
           cursor: str | None = None, limit: int | None = None) -> str:
    return f"/events{_suffix(fmt)}" + _query(country=country, type=type, year=year,
                                             theme=theme, cursor=cursor, limit=limit)


def event(cluster_id: int, fmt: str = "html") -> str:
    """One real-world event: a cluster of reports."""
    return f"/events/{int(cluster_id)}{_suffix(fmt)}"


def actors(fmt: str = "html", *, type: str | None = None, cursor: str | None = None,
           limit: int | None = None) -> str:
    return f"/actors{_suffix(fmt)}" + _query(type=type, cursor=cursor, limit=limit)


def actor(identity_id: int, fmt: str = "html") -> str:
    """A person or organisation across documents, with their case."""
    return f"/actors/{int(identity_id)}{_suffix(fmt)}"


def search(query: str = "", fmt: str = "html", *, country: str | None = None,
           theme: str | None = None, event_type: str | None = None,
           actor: int | str | None = None, year: int | str | None = None,
           source_kind: str | None = None, date_from: str | None = None,
           date_to: str | None = None, sort: str | None = None, cursor: str | None = None,
           limit: int | None = None) -> str:
    """Search; `sort` is left out of the link when it is the default (relevance)."""
    return f"/search{_suffix(fmt)}" + _query(
        q=query, country=country, theme=theme, event_type=event_type, actor=actor, year=year,
        source_kind=source_kind, date_from=date_from, date_to=date_to,
        sort=None if sort == "relevance" else sort, cursor=cursor, limit=limit)


def static(name: str) -> str:
    return f"/static/{name}"


def is_json(path: str) -> bool:
    """Whether a request path names a JSON twin (and so gets JSON errors)."""
    return path.endswith(JSON)


# -- the other rooms -------------------------------------------------------------------------


def _export_format(fmt: str) -> str:
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    return fmt


def feed_country(code: str) -> str:
    """A country's developments as an Atom feed."""
    return f"/feeds/countries/{_code(code)}.atom"


def feed_changes(code: str, since: str | None = None) -> str:
    """What entered or was corrected in a country's record since a date, as an Atom feed."""
    return f"/feeds/countries/{_code(code)}/changes.atom" + _query(since=since)


def export_country(code: str, fmt: str) -> str:
    """A country's events as CSV or JSON Lines."""
    return f"/exports/countries/{_code(code)}.{_export_format(fmt)}"


def api_country(code: str) -> str:
    return f"/api/v1/countries/{_code(code)}"


def api_changes(code: str, since: str | None = None) -> str:
    return f"/api/v1/countries/{_code(code)}/changes" + _query(since=since)


def feed_search(query: str, **filters: object) -> str:
    """A search's hits as an Atom feed; `filters` are the search's own (country, theme, ...)."""
    return "/feeds/search.atom" + _search_query(query, filters)


def export_search(query: str, fmt: str, **filters: object) -> str:
    """A search's hits as CSV or JSON Lines; `filters` as for `feed_search`."""
    return f"/exports/search.{_export_format(fmt)}" + _search_query(query, filters)


def _search_query(query: str, filters: dict[str, object]) -> str:
    sort = filters.pop("sort", None)
    return _query(q=query, **filters, sort=None if sort == "relevance" else sort)


def api_docs() -> str:
    return "/docs"
