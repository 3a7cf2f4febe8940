"""`/api/v1/search`: hits for a query, filtered, with facets."""

# No `from __future__ import annotations`: FastAPI reads these signatures at run time.

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from ...read import services
from ...read.models import SearchQuery, SearchResults
from ..deps import ScopeDep, StoreDep
from .common import (
    DOCUMENT_KINDS,
    INVALID,
    PAGE_SIZE,
    ActorId,
    Country,
    Cursor,
    EventType,
    IsoDate,
    PageLimit,
    Theme,
    Year,
    reads,
)

router = APIRouter(prefix="/search", tags=["search"])

Words = Annotated[str, Query(description='Words, "phrases", OR and NOT.')]
SourceKind = Annotated[str | None, Query(description="The kind of source text.",
                                         json_schema_extra={"enum": list(DOCUMENT_KINDS)})]
Sort = Annotated[Literal["relevance", "newest", "oldest"], Query(description="Hit order.")]


@reads(router, "", SearchResults, summary="Hits for a query (words, \"phrases\", OR, NOT), "
       "filtered, with facets.", responses=INVALID)
def search(store: StoreDep, scope: ScopeDep, q: Words = "", country: Country = None,
           theme: Theme = None, event_type: EventType = None, actor: ActorId = None,
           year: Year = None, source_kind: SourceKind = None, date_from: IsoDate = None,
           date_to: IsoDate = None, sort: Sort = "relevance", cursor: Cursor = None,
           limit: PageLimit = PAGE_SIZE) -> SearchResults:
    query = SearchQuery(q=q, country=country, theme=theme, event_type=event_type, actor=actor,
                        year=year, source_kind=source_kind, date_from=date_from,
                        date_to=date_to, sort=sort)
    return services.search(store, query, limit=limit, cursor=cursor, scope=scope)
