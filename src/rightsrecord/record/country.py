"""A country's whole record: what the read services give (`read.services.country`), with
what the living record derives for it: yearly drafts, trends with the test behind their
directions, and the UN recommendations made to it, each followed up. Pages, `/api/v1` and
`show country` all read it here, so they stay one document.

Trends and the recommendations' later events read a whole country; they are kept in the
store's `derived` table with the country's `living_stamp` (which any new report, version,
correction, recommendation or document about it moves) and made again only when it has
moved, as the drafts are (`drafts.draft_summary`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TypeVar

from pydantic import BaseModel

from ..read import services
from ..read.models import CountryFilters, CountryRecord, Recommendation, TrendRow
from ..store.base import PUBLIC, Scope, Store
from . import drafts, recommendations, trends

# The stages of what is kept: a new version of a part's code makes it again.
TRENDS_STAGE = "trends.v1"
FOLLOWUP_STAGE = "followup.v1"

M = TypeVar("M", bound=BaseModel)


def country(store: Store, code: str, *, filters: CountryFilters | None = None,
            limit: int = 50, cursor: str | None = None, summaries_limit: int = 20,
            summaries_cursor: str | None = None, scope: Scope = PUBLIC) -> CountryRecord:
    rec = services.country(store, code, filters=filters, limit=limit, cursor=cursor,
                           summaries_limit=summaries_limit, summaries_cursor=summaries_cursor,
                           scope=scope)
    stamp = store.living_stamp(rec.code)
    return rec.model_copy(update={
        "draft_summary": drafts.draft_summary(store, rec.code, scope),
        "trends": kept(store, rec.code, f"trends:{scope.name}", TRENDS_STAGE, stamp,
                       TrendRow, lambda: trends.trends(store, rec.code, scope)),
        "trend_test": trends.TREND_TEST,
        "recommendations": kept(store, rec.code, f"recommendations:{scope.name}",
                                FOLLOWUP_STAGE, stamp, Recommendation,
                                lambda: recommendations.for_country(store, rec.code, scope))})


def kept(store: Store, code: str, kind: str, stage: str, stamp: str, model: type[M],
         make: Callable[[], list[M]]) -> list[M]:
    """What was derived for a country, as kept for this stamp and stage; else made and
    kept."""
    found = store.derived(code, kind)
    if found and found["stamp"] == stamp and found["stage"] == stage:
        try:
            return [model.model_validate(x) for x in json.loads(found["body"])]
        except ValueError:  # a body this version cannot read: make it again
            pass
    value = make()
    store.put_derived(code, kind, stamp, stage,
                      json.dumps([x.model_dump(mode="json") for x in value]))
    return value
