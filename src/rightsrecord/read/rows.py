"""Export rows: plain dicts built from the read models, one per event or search hit, and the
HURIDOCS-style record of an event. The web's exports and `rightsrecord export` both write
these, so a CSV from either is the same table.

Rows are read in bounded pages and yielded as they come (constant memory). A row's `date`
is only ever a date a source states for the event (`date_basis: stated`); where none does
it is empty and `reported_on` says when the event was first reported.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import chain
from typing import Any

from ..store.base import PUBLIC, Scope, Store
from . import services
from .models import Agent, EventDetail, Evidence, Report, SearchHit, SearchQuery, Source
from .provenance import when

BATCH = 200  # events read per page
HIT_BATCH = 1000  # hits read per page: each page of a ranked search ranks every match


@dataclass(frozen=True)
class Pages:
    """Where our own pages are: each kind's address from its id (a document's also from its
    version; 0 is the current one)."""

    event: Callable[[int], str]
    document: Callable[[int, int], str]
    actor: Callable[[int], str]


def pages_under(base: str) -> Pages:
    """Our pages under a site's address ("" for bare paths), laid out as the web app lays
    them out (`web.urls`, which the web's exports use; a test holds the two to the same
    rows): for `rightsrecord export`, which knows no request to ask."""
    base = base.rstrip("/")
    return Pages(event=lambda i: f"{base}/events/{int(i)}",
                 document=lambda d, n: f"{base}/documents/{int(d)}"
                 + (f"/versions/{int(n)}" if n else ""),
                 actor=lambda i: f"{base}/actors/{int(i)}")


EVENT_FIELDS: tuple[str, ...] = (
    "id", "type", "date", "date_basis", "date_stage", "reported_on", "country", "title",
    "reports", "sources", "targets", "source_name", "source_url", "source_published",
    "source_page", "evidence", "evidence_segment", "evidence_start", "evidence_end",
    "evidence_stage", "url",
)
HIT_FIELDS: tuple[str, ...] = (
    "kind", "segment_id", "document_id", "title", "published", "country", "source_name",
    "source_url", "snippet", "url",
)


def lead(reports: list[Report]) -> Report | None:
    """The report a one-line row (or a feed entry) cites: the first with quoted evidence,
    the main report first; else the first report."""
    ordered = sorted(reports, key=lambda r: not r.main)
    return next((r for r in ordered if r.evidence), ordered[0] if ordered else None)


def event_row(e: EventDetail, pages: Pages) -> dict[str, Any]:
    """One event as a flat row: what, when (stated only), where, how many sources, and the
    lead report's source and quoted evidence."""
    r = lead(e.report_list)
    ev = r.evidence if r else None
    stated = e.when.basis == "stated"
    return {
        "id": e.id, "type": e.type,
        "date": e.when.date if stated else None,
        "date_basis": e.when.basis,
        "date_stage": e.when.stage if stated else None,
        "reported_on": e.when.reported, "country": e.country, "title": e.title,
        "reports": e.reports, "sources": e.sources,
        "targets": "; ".join(t.name for t in e.targets) or None,
        "source_name": r.source.name if r else None,
        "source_url": r.source.url if r else None,
        "source_published": r.published if r else None,
        "source_page": _page(r.source, pages) if r else None,
        "evidence": ev.text if ev else None,
        "evidence_segment": ev.segment_id if ev else None,
        "evidence_start": ev.start if ev else None,
        "evidence_end": ev.end if ev else None,
        "evidence_stage": ev.stage if ev else None,
        "url": pages.event(e.id),
    }


def hit_row(h: SearchHit, pages: Pages) -> dict[str, Any]:
    return {"kind": h.kind, "segment_id": h.segment_id, "document_id": h.document_id,
            "title": h.title, "published": h.published, "country": h.country,
            "source_name": h.source.name, "source_url": h.source.url, "snippet": h.snippet,
            "url": pages.document(h.document_id, 0)}


def huridocs_record(e: EventDetail, agents: list[Agent], pages: Pages) -> dict[str, Any]:
    """An event in the layout of the HURIDOCS Events Standard Formats: the event, its acts,
    victims (the event's targets), perpetrators (agents where a text names them) and sources
    (each report, with its quoted evidence, span and stage)."""
    stated = e.when.basis == "stated"
    acts = []
    for type_ in dict.fromkeys(r.event_type or e.type for r in e.report_list) or [e.type]:
        reps = [r for r in e.report_list if (r.event_type or e.type) == type_]
        w = when([(r.when.date, "text" if r.when.basis == "stated" else None, r.when.stage)
                  for r in reps], [r.published for r in reps]) if reps else e.when
        acts.append({"type": type_, "date": w.date if w.basis == "stated" else None,
                     "date_basis": w.basis,
                     "date_stage": w.stage if w.basis == "stated" else None})
    return {
        "event": {"id": e.id, "title": e.title, "date": e.when.date if stated else None,
                  "date_basis": e.when.basis, "date_stage": e.when.stage if stated else None,
                  "reported_on": e.when.reported, "country": e.country, "type": e.type,
                  "url": pages.event(e.id)},
        "acts": acts,
        "victims": [{"id": t.id, "name": t.name, "type": t.type, "url": pages.actor(t.id)}
                    for t in e.targets],
        "perpetrators": [{"name": a.name, "evidence": _evidence(a.evidence)} for a in agents],
        "sources": [{"name": r.source.name, "url": r.source.url, "title": r.title,
                     "published": r.published, "document_id": r.source.document_id,
                     "version": r.source.version, "page": _page(r.source, pages),
                     "evidence": _evidence(r.evidence)} for r in e.report_list],
    }


def _evidence(ev: Evidence | None) -> dict[str, Any] | None:
    return None if ev is None else {"text": ev.text, "start": ev.start, "end": ev.end,
                                    "segment_id": ev.segment_id, "stage": ev.stage}


def _page(source: Source, pages: Pages) -> str:
    return pages.document(source.document_id, source.version)


# -- streams -----------------------------------------------------------------------------------


def event_rows(store: Store, pages: Pages, *, country: str | None = None,
               event_type: str | None = None, year: int | None = None,
               theme: str | None = None, scope: Scope = PUBLIC) -> Iterator[dict[str, Any]]:
    for e in services.iter_events(store, country=country, event_type=event_type, year=year,
                                  theme=theme, batch=BATCH, scope=scope):
        yield event_row(e, pages)


def huridocs_records(store: Store, pages: Pages, *, country: str | None = None,
                     event_type: str | None = None, year: int | None = None,
                     theme: str | None = None, scope: Scope = PUBLIC
                     ) -> Iterator[dict[str, Any]]:
    for e in services.iter_events(store, country=country, event_type=event_type, year=year,
                                  theme=theme, batch=BATCH, scope=scope):
        yield huridocs_record(e, services.agents(store, e, scope), pages)


def hit_rows(store: Store, query: SearchQuery, pages: Pages, scope: Scope = PUBLIC
             ) -> Iterator[dict[str, Any]]:
    cursor = None
    while True:
        found = services.search(store, query, limit=HIT_BATCH, cursor=cursor, scope=scope,
                                counted=False)
        for h in found.hits.data:
            yield hit_row(h, pages)
        cursor = found.hits.next_cursor
        if not cursor:
            return


def primed(items: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """The rows, the first already read: a refusal (a bad filter, an unknown country) is
    raised here, before anything is written."""
    first = next(items, None)
    return items if first is None else chain([first], items)


# -- writing -----------------------------------------------------------------------------------


def csv_lines(rows: Iterable[dict[str, Any]], fields: tuple[str, ...]) -> Iterator[str]:
    """The header, then each row as one CSV record (RFC 4180; empty for null)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fields, extrasaction="raise")
    writer.writeheader()
    yield _drain(buffer)
    for row in rows:
        writer.writerow(row)
        yield _drain(buffer)


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def json_lines(rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    """Each row as one line of JSON (UTF-8 when encoded, not escaped)."""
    for row in rows:
        yield json.dumps(row, ensure_ascii=False) + "\n"


def json_array(rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    """The rows as one JSON array, written a row at a time."""
    yield "["
    for i, row in enumerate(rows):
        yield ("," if i else "") + "\n" + json.dumps(row, ensure_ascii=False)
    yield "\n]\n"
