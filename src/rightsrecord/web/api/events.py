"""`/api/v1/events`: real-world events (each a cluster of reports), and each one's reports."""

# No `from __future__ import annotations`: FastAPI reads these signatures at run time.

from typing import Annotated

from fastapi import APIRouter, Query

from ...read import services, vocab
from ...read.models import EventDetail, EventSummary, Paged
from ..deps import ScopeDep, StoreDep
from .common import INVALID, NOT_FOUND, PAGE_SIZE, Country, Cursor, PageLimit, Theme, Year, reads

router = APIRouter(prefix="/events", tags=["events"])

Type = Annotated[str | None, Query(alias="type", description="An event type.",
                                   json_schema_extra={"enum": list(vocab.event_types())})]


@reads(router, "", Paged[EventSummary], summary="Events, newest first.", responses=INVALID)
def list_events(store: StoreDep, scope: ScopeDep, country: Country = None,
                event_type: Type = None, year: Year = None, theme: Theme = None,
                cursor: Cursor = None, limit: PageLimit = PAGE_SIZE) -> Paged[EventSummary]:
    return services.events(store, country=country, event_type=event_type, year=year,
                           theme=theme, limit=limit, cursor=cursor, scope=scope)


@reads(router, "/{event_id}", EventDetail, summary="One event: what, when (as stated), where, "
       "against whom, every report quoted, and why each was linked.", responses=NOT_FOUND)
def get_event(event_id: str, store: StoreDep, scope: ScopeDep) -> EventDetail:
    return services.event(store, event_id, scope)
