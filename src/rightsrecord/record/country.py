"""A country's whole record: what the read services give (`read.services.country`), with
what the living record derives for it: yearly drafts, trends with the test behind their
directions, and the UN recommendations made to it, each followed up. Pages, `/api/v1` and
`show country` all read it here, so they stay one document."""

from __future__ import annotations

from ..read import services
from ..read.models import CountryFilters, CountryRecord
from ..store.base import PUBLIC, Scope, Store
from . import drafts, recommendations, trends


def country(store: Store, code: str, *, filters: CountryFilters | None = None,
            limit: int = 50, cursor: str | None = None, summaries_limit: int = 20,
            summaries_cursor: str | None = None, scope: Scope = PUBLIC) -> CountryRecord:
    rec = services.country(store, code, filters=filters, limit=limit, cursor=cursor,
                           summaries_limit=summaries_limit, summaries_cursor=summaries_cursor,
                           scope=scope)
    return rec.model_copy(update={
        "draft_summary": drafts.draft_summary(store, rec.code, scope),
        "trends": trends.trends(store, rec.code, scope), "trend_test": trends.TREND_TEST,
        "recommendations": recommendations.for_country(store, rec.code, scope)})
