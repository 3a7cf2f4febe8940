"""`/api/v1/countries`: the countries the record holds, and each one's record."""

# No `from __future__ import annotations`: FastAPI reads these signatures at run time.

from fastapi import APIRouter

from ...read import services, vocab
from ...read.errors import NotFound
from ...read.models import Changes, CountryFilters, CountryRecord, CountryRow
from ...record.country import country as record_country
from ..deps import ScopeDep, StoreDep
from .common import (
    INVALID,
    NOT_FOUND,
    PAGE_SIZE,
    Cursor,
    EventType,
    PageLimit,
    Since,
    Theme,
    Year,
    reads,
)

router = APIRouter(prefix="/countries", tags=["countries"])


@reads(router, "", list[CountryRow], summary="Every country the record holds, with counts.")
def list_countries(store: StoreDep, scope: ScopeDep) -> list[CountryRow]:
    return services.countries(store, scope)


@reads(router, "/{code}", CountryRecord, summary="A country's record: the summaries sources "
       "published, then its dated feed (filtered), filter options, chart and timeline.",
       responses={**NOT_FOUND, **INVALID})
def get_country(code: str, store: StoreDep, scope: ScopeDep, theme: Theme = None,
                year: Year = None, event_type: EventType = None, cursor: Cursor = None,
                summaries_cursor: Cursor = None, limit: PageLimit = PAGE_SIZE
                ) -> CountryRecord:
    if vocab.country_code(code) is None:  # a path that names no country
        raise NotFound(f"No country with the code {code[:40]!r}.")
    return record_country(store, code, filters=CountryFilters(
        theme=theme, year=year, event_type=event_type), limit=limit, cursor=cursor,
        summaries_cursor=summaries_cursor, scope=scope)


@reads(router, "/{code}/changes", Changes, summary="What entered or was corrected in a "
       "country's record since a date (a month ago unless given), newest first.",
       responses={**NOT_FOUND, **INVALID})
def get_changes(code: str, store: StoreDep, scope: ScopeDep, since: Since = None,
                cursor: Cursor = None, limit: PageLimit = PAGE_SIZE) -> Changes:
    from datetime import date, timedelta

    from ...record.changes import changes

    if vocab.country_code(code) is None:
        raise NotFound(f"No country with the code {code[:40]!r}.")
    cc = services.known_country(store, code, scope)
    return changes(store, cc, since or (date.today() - timedelta(days=30)).isoformat(),
                   limit=limit, cursor=cursor, scope=scope)
