"""`/api/v1/watchlists`: saved queries, their alerts and their Atom feeds.

Anyone may read them (a webhook shown by its origin alone, the secret never); making and
deleting one takes `Authorization: Bearer <token>` with the token the server was started
with (`$RIGHTSRECORD_API_TOKEN`, read at each request). A server without one refuses every
write (403): its watchlists are managed with `rightsrecord watch`.
"""

# No `from __future__ import annotations`: FastAPI reads these signatures at run time.

import hmac
import os
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from ...read.models import Alert, Paged, Source, Watchlist
from ...record import watch
from ..deps import ScopeDep, StoreDep
from ..feeds import ATOM, ENTRIES, Feed, urn
from .common import INVALID, NOT_FOUND, PAGE_SIZE, Cursor, ErrorBody, PageLimit, reads

TOKEN_ENV = "RIGHTSRECORD_API_TOKEN"
QUOTE_CHARS = 600

router = APIRouter(prefix="/watchlists", tags=["watchlists"])

bearer = HTTPBearer(auto_error=False, scheme_name="token", description=(
    f"The server's token (`${TOKEN_ENV}`), needed to make or delete a watchlist."))

BAD_BODY: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "A body that is not JSON."}}
WRITES: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody, "description": "No token, or not the server's token."},
    403: {"model": ErrorBody, "description": "The server has no token: its watchlists are "
          "managed with `rightsrecord watch`."},
}


def token_checked(credentials: Annotated[HTTPAuthorizationCredentials | None,
                                         Depends(bearer)]) -> None:
    """A write goes on only with the server's token, compared in constant time."""
    expected = os.environ.get(TOKEN_ENV, "")
    if not expected:
        raise HTTPException(403, "Watchlists are managed with `rightsrecord watch`: this "
                            f"server has no token (${TOKEN_ENV}) to accept changes with.")
    given = credentials.credentials if credentials else ""
    if not hmac.compare_digest(given.encode("utf-8", "replace"),
                               expected.encode("utf-8", "replace")):
        raise HTTPException(401, "A write needs `Authorization: Bearer` with the server's "
                            "token.", headers={"WWW-Authenticate": "Bearer"})


Token = Depends(token_checked)
# The token is declared optional (`{}` beside it): a server without one takes no credentials
# at all and refuses every write (403), whatever is sent.
OPTIONAL_TOKEN: dict[str, Any] = {"security": [{}]}


class AtomResponse(Response):
    media_type = ATOM


@reads(router, "", Paged[Watchlist], summary="Watchlists, oldest first.", responses=INVALID)
def list_watchlists(store: StoreDep, cursor: Cursor = None,
                    limit: PageLimit = PAGE_SIZE) -> Paged[Watchlist]:
    return watch.watchlists(store, limit, cursor)


@router.post("", response_model=watch.NewWatchlist, status_code=201,
             summary="Make a watchlist (its webhook's secret is in this answer alone).",
             responses={**BAD_BODY, **WRITES, **INVALID}, dependencies=[Token],
             openapi_extra=OPTIONAL_TOKEN)
def create_watchlist(spec: watch.WatchlistSpec, store: StoreDep) -> watch.NewWatchlist:
    return watch.add(store, spec)


@reads(router, "/{watchlist_id}", Watchlist, summary="One watchlist.", responses=NOT_FOUND)
def get_watchlist(watchlist_id: str, store: StoreDep) -> Watchlist:
    return watch.get(store, watchlist_id)


@router.delete("/{watchlist_id}", status_code=204, response_class=Response,
               summary="Delete a watchlist, with its alerts.",
               responses={204: {"description": "Deleted."}, **WRITES, **NOT_FOUND},
               dependencies=[Token], openapi_extra=OPTIONAL_TOKEN)
def delete_watchlist(watchlist_id: str, store: StoreDep) -> Response:
    watch.remove(store, watchlist_id)
    return Response(status_code=204)


@reads(router, "/{watchlist_id}/alerts", Paged[Alert], summary="A watchlist's alerts, "
       "newest first, each with the JSON its webhook is sent.",
       responses={**NOT_FOUND, **INVALID})
def list_alerts(watchlist_id: str, store: StoreDep, cursor: Cursor = None,
                limit: PageLimit = PAGE_SIZE) -> Paged[Alert]:
    return watch.alerts(store, watchlist_id, limit, cursor)


FEED_DOC: dict[int | str, dict[str, Any]] = {
    200: {"description": "An Atom feed (RFC 4287).",
          "content": {ATOM: {"schema": {"type": "string"}}}},
    404: {"description": NOT_FOUND[404]["description"],  # JSON, as every error
          "content": {"application/json": {
              "schema": {"$ref": "#/components/schemas/ErrorBody"}}}},
}


def alerts_feed(request: Request, watchlist_id: str, store: StoreDep,
                scope: ScopeDep) -> Response:
    """A watchlist's alerts as an Atom feed, newest first."""
    w = watch.get(store, watchlist_id)
    found = watch.alerts(store, w.id, ENTRIES)
    feed = Feed(request, store, scope, f"Watchlist: {w.name}",
                f"What the watchlist “{w.name}” matched, newest first, every alert cited.")
    for a in found.data:
        _entry(feed, w, a)
    return feed.response()


def _entry(feed: Feed, w: Watchlist, a: Alert) -> None:
    event, doc = a.payload.get("event") or {}, a.payload.get("document") or {}
    evidence = a.payload.get("evidence") or {}
    source = Source(document_id=int(doc.get("id") or a.document_id),
                    version=int(doc.get("version") or 0), title=doc.get("title"),
                    name=str(doc.get("source") or "source"), url=doc.get("url"),
                    published=doc.get("published"))
    page = feed.pages.event(a.event_id) if a.event_id else \
        feed.pages.document(source.document_id, source.version)
    summary = str(event.get("when_label") or "undated")
    if event.get("country"):
        summary += f", {event['country']}"
    quote = " ".join(str(evidence.get("text") or "").split())
    if quote:
        if len(quote) > QUOTE_CHARS:
            quote = quote[:QUOTE_CHARS].rsplit(" ", 1)[0] + " …"
        summary += f": “{quote}”"
    summary += f" ({source.name})"
    feed.entry(urn("watchlist", w.id, "alert", a.id), str(event.get("title") or "Alert"),
               page, summary, [source], source.published, source,
               category=event.get("type"))


for method, name, shown in (("GET", "alerts_feed", True), ("HEAD", "alerts_feed_head", False)):
    router.add_api_route("/{watchlist_id}/feed.atom", alerts_feed, methods=[method], name=name,
                         include_in_schema=shown, response_class=AtomResponse,
                         summary="A watchlist's alerts as an Atom feed, newest first.",
                         responses=FEED_DOC)


# A path with routes of several methods answers any other method 405 with all of them in
# `Allow` (each route alone would name only its own).
OTHER_METHODS = ("POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE")


def _others(path: str, methods: tuple[str, ...]) -> None:
    allow = ", ".join(methods)

    def not_allowed(request: Request) -> Response:
        raise HTTPException(405, f"{request.method} is not allowed here.",
                            headers={"Allow": allow})

    router.add_api_route(path, not_allowed, methods=[m for m in OTHER_METHODS
                                                     if m not in methods],
                         name=f"not_allowed{path.replace('/', '_')}", include_in_schema=False)


_others("", ("GET", "HEAD", "POST"))
_others("/{watchlist_id}", ("GET", "HEAD", "DELETE"))
