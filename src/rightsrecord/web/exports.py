"""Exports: a country's events, any filtered list of events, or a search's hits, as CSV or
JSON Lines, and a country's events in the HURIDOCS events layout.

The rows are `read.rows`' (the same as `rightsrecord export` writes), streamed as they are
read, a page of events at a time: an export of any size is written in constant memory, and
sent chunked. A bad filter or an unknown country is refused (422, 404) before the first byte.
"""

# No `from __future__ import annotations`: FastAPI reads these signatures at run time.

from collections.abc import Callable, Iterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import StreamingResponse

from ..read import rows, services
from ..read.errors import Invalid
from ..read.models import SearchQuery
from . import urls
from .deps import ScopeDep, StoreDep

router = APIRouter()
READ = ["GET", "HEAD"]

CSV = "text/csv; charset=utf-8"
JSONL = "application/x-ndjson"
JSON = "application/json"
CHUNK = 1 << 15  # bytes sent a chunk, about

EventType = Annotated[str | None, Query(alias="type")]
Sort = Literal["relevance", "newest", "oldest"]


def pages_at(base: str) -> rows.Pages:
    """Our pages' absolute addresses under `base` (the site's address; "" for bare paths)."""
    base = base.rstrip("/")
    return rows.Pages(
        event=lambda i: base + urls.event(i),
        document=lambda d, n: base + (urls.version(d, n) if n else urls.document(d)),
        actor=lambda i: base + urls.actor(i))


def site(request: Request) -> rows.Pages:
    return pages_at(str(request.base_url))


def given(raw: str | None) -> str | None:
    """A filter's value; None when left empty (a form's "any")."""
    return raw.strip() if raw is not None and raw.strip() else None


def number(raw: str | None, name: str) -> int | None:
    value = given(raw)
    if value is None:
        return None
    if not (value.isascii() and value.isdigit() and len(value) <= 9):
        raise Invalid(f"{name.capitalize()} must be a number, not {value[:40]!r}.")
    return int(value)


def search_query(q: str = "", country: str | None = None, theme: str | None = None,
                 event_type: str | None = None, actor: str | None = None,
                 year: str | None = None, source_kind: str | None = None,
                 date_from: str | None = None, date_to: str | None = None,
                 sort: Sort = "relevance") -> SearchQuery:
    """The search a feed or an export is of: the parameters of the search page."""
    return SearchQuery(q=q.strip(), country=given(country), theme=given(theme),
                       event_type=given(event_type), actor=number(actor, "actor"),
                       year=number(year, "year"), source_kind=given(source_kind),
                       date_from=given(date_from), date_to=given(date_to), sort=sort)


Search = Annotated[SearchQuery, Depends(search_query)]
Export = Callable[..., StreamingResponse]


def chunks(lines: Iterator[str], size: int = CHUNK) -> Iterator[bytes]:
    """The lines as UTF-8, gathered into chunks of about `size` bytes."""
    buffer: list[bytes] = []
    held = 0
    for line in lines:
        data = line.encode("utf-8")
        buffer.append(data)
        held += len(data)
        if held >= size:
            yield b"".join(buffer)
            buffer, held = [], 0
    if buffer:
        yield b"".join(buffer)


def stream(request: Request, lines: Iterator[str], media_type: str,
           filename: str) -> StreamingResponse:
    """The lines as UTF-8, sent as they come (a few rows a chunk); a HEAD gets the headers
    alone."""
    body = iter(()) if request.method == "HEAD" else chunks(lines)
    return StreamingResponse(body, media_type=media_type, headers={
        "Content-Disposition": f'attachment; filename="{filename}"'})


def table(request: Request, items: Iterator[dict[str, Any]], fmt: str,
          fields: tuple[str, ...], name: str) -> StreamingResponse:
    """Rows as CSV (a header, then a record each) or JSON Lines (an object a line)."""
    items = rows.primed(items)
    if fmt == "csv":
        return stream(request, rows.csv_lines(items, fields), CSV, f"{name}.csv")
    return stream(request, rows.json_lines(items), JSONL, f"{name}.jsonl")


def _name(*parts: object) -> str:
    """A download's file name from its filters: safe characters only."""
    words = ["rightsrecord", *(str(p) for p in parts if p not in (None, ""))]
    return "-".join("".join(c if c.isascii() and (c.isalnum() or c in "_.") else "_"
                            for c in w)[:40] for w in words)


# -- a country's events ------------------------------------------------------------------------
# The HURIDOCS paths first: `{code}.jsonl` would also match `KZ.huridocs.jsonl`.


def _huridocs(fmt: str) -> Export:
    def endpoint(request: Request, code: str, store: StoreDep,
                 scope: ScopeDep) -> StreamingResponse:
        cc = services.known_country(store, code, scope)
        records = rows.primed(rows.huridocs_records(store, site(request), country=cc,
                                                scope=scope))
        name = _name(cc, "events", "huridocs")
        if fmt == "json":
            return stream(request, rows.json_array(records), JSON, f"{name}.json")
        return stream(request, rows.json_lines(records), JSONL, f"{name}.jsonl")
    return endpoint


def _country(fmt: str) -> Export:
    def endpoint(request: Request, code: str, store: StoreDep,
                 scope: ScopeDep) -> StreamingResponse:
        cc = services.known_country(store, code, scope)
        items = rows.event_rows(store, site(request), country=cc, scope=scope)
        return table(request, items, fmt, rows.EVENT_FIELDS, _name(cc, "events"))
    return endpoint


for _fmt in ("json", "jsonl"):
    router.add_api_route(f"/exports/countries/{{code}}.huridocs.{_fmt}", _huridocs(_fmt),
                         methods=READ, include_in_schema=False)
for _fmt in ("csv", "jsonl"):
    router.add_api_route(f"/exports/countries/{{code}}.{_fmt}", _country(_fmt), methods=READ,
                         include_in_schema=False)


# -- events, filtered; a search's hits ---------------------------------------------------------


def _events(fmt: str) -> Export:
    def endpoint(request: Request, store: StoreDep, scope: ScopeDep,
                 country: str | None = None, event_type: EventType = None,
                 year: str | None = None, theme: str | None = None) -> StreamingResponse:
        cc, kind, n, th = (given(country), given(event_type), number(year, "year"),
                           given(theme))
        items = rows.event_rows(store, site(request), country=cc, event_type=kind, year=n,
                                theme=th, scope=scope)
        name = _name(cc and cc.upper(), kind, n, th, "events")
        return table(request, items, fmt, rows.EVENT_FIELDS, name)
    return endpoint


def _search(fmt: str) -> Export:
    def endpoint(request: Request, store: StoreDep, scope: ScopeDep,
                 query: Search) -> StreamingResponse:
        items = rows.hit_rows(store, query, site(request), scope)
        return table(request, items, fmt, rows.HIT_FIELDS, _name("search", query.q[:40]))
    return endpoint


for _fmt in ("csv", "jsonl"):
    router.add_api_route(f"/exports/events.{_fmt}", _events(_fmt), methods=READ,
                         include_in_schema=False)
    router.add_api_route(f"/exports/search.{_fmt}", _search(_fmt), methods=READ,
                         include_in_schema=False)
