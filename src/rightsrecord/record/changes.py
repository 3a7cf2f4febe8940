"""What changed in a country's record since a time: new documents, new versions, new events,
new reports of events the record already held, and people's corrections; newest first.

When something entered the record is the time the store kept with its text (a document's
first storing, a version's), never when linking last ran: linking everything again makes
its clusters and reports anew, and must not make the record look new. So an event is new
when the first text that tells it entered since; a report is new when its text entered
since and its event was told before. A later version of an article revises its text, so
what it tells is not new (the version is); an item a listing or feed adds is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from ..document import display_title
from ..read.errors import Invalid
from ..read.models import Change, Changes, When
from ..read.provenance import make_source, own_title, when
from ..read.services import cursors_checked, known_country
from ..store.base import PUBLIC, Scope, Store, clamp, decode_cursor, encode_cursor

# Within one second, the kinds in this order (the newest-first order reads it descending).
RANK = {"document": 4, "version": 3, "event": 2, "report": 2, "correction": 1}
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
BATCH = 200  # reports read at a time while looking for new events and reports


@dataclass
class _Entry:
    place: tuple[str, int, int]  # (when it entered, kind rank, id): the newest-first order
    change: Change
    cluster_id: int | None = None


def parse_since(since: str) -> str:
    """`since` (a date, YYYY-MM-DD, or an ISO timestamp; without a zone, UTC) as the store
    writes its times: UTC, to the second. Anything else is the caller's error (422)."""
    text = (since or "").strip()
    try:
        if len(text) > 40 or not _DAY.match(text):
            raise ValueError(text)
        if len(text) == 10:
            day = date.fromisoformat(text)
            moment = datetime(day.year, day.month, day.day, tzinfo=UTC)
        else:
            moment = datetime.fromisoformat(text)
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=UTC)
        return moment.astimezone(UTC).replace(microsecond=0).isoformat(timespec="seconds")
    except (ValueError, OverflowError):
        raise Invalid(f"Bad time {text[:40]!r}: use a date (YYYY-MM-DD) or an ISO timestamp "
                      "(YYYY-MM-DDTHH:MM:SS, UTC unless it names a zone).") from None


def changes(store: Store, code: str, since: str, *, limit: int = 50, cursor: str | None = None,
            scope: Scope = PUBLIC) -> Changes:
    """What entered a country's record (or was corrected in it) at `since` or later, newest
    first, a page of `limit` at a time (`cursor` reads the next)."""
    stamp = parse_since(since)
    cc = known_country(store, code, scope)
    limit = clamp(limit)
    with cursors_checked(cursor):
        raw = decode_cursor(cursor, 3, (str, int, int))
    after = (raw[0], raw[1], raw[2]) if raw else None
    found: list[_Entry] = []
    for read in (_documents, _versions, _events_and_reports, _corrections):
        found += read(store, cc, stamp, limit + 1, after)
    found.sort(key=lambda e: e.place, reverse=True)
    page = found[:limit]
    _add_when(store, page)
    nxt = encode_cursor(*page[-1].place) if len(found) > limit else None
    return Changes(country=cc, since=stamp, changes=[e.change for e in page], next_cursor=nxt)


def _source(r: dict[str, Any], item: bool = False) -> Any:
    return make_source(int(r["document_id"]), int(r["n"]),
                       title=None if item else r["title"], url=r["url"], kind=r["kind"],
                       published=r.get("segment_date") if item else r["published"],
                       outlet=r["outlet"], canonical=None if item else r["canonical_url"])


def _documents(store: Store, cc: str, since: str, n: int,
               after: tuple[str, int, int] | None) -> list[_Entry]:
    rank = RANK["document"]
    return [_Entry((str(r["at"]), rank, int(r["document_id"])), Change(
        kind="document", at=str(r["at"]), title=display_title(r["title"], r["text_start"] or ""),
        detail="A new document.", document_id=int(r["document_id"]), source=_source(r)))
        for r in store.new_documents(cc, since, n, after, rank)]


def _versions(store: Store, cc: str, since: str, n: int,
              after: tuple[str, int, int] | None) -> list[_Entry]:
    rank = RANK["version"]
    return [_Entry((str(r["at"]), rank, int(r["version_id"])), Change(
        kind="version", at=str(r["at"]), title=display_title(r["title"], r["text_start"] or ""),
        detail=f"Version {int(r['n'])}: its text changed.", document_id=int(r["document_id"]),
        source=_source(r)))
        for r in store.new_versions(cc, since, n, after, rank)]


def _event_title(r: dict[str, Any]) -> str:
    return own_title(r["event_title"]) or (r["event_type"] or "development").replace("-", " ")


def _events_and_reports(store: Store, cc: str, since: str, n: int,
                        after: tuple[str, int, int] | None) -> list[_Entry]:
    """New events (the first text telling them entered since) and new reports of events
    told before; later reports of a new event are part of it, not changes of their own."""
    rank = RANK["event"]
    out: list[_Entry] = []
    cursor = after
    while len(out) < n:
        rows = store.new_reports(cc, since, BATCH, cursor, rank)
        if not rows:
            break
        firsts = store.first_reports([int(r["cluster_id"]) for r in rows])
        for r in rows:
            cid = int(r["cluster_id"])
            first = firsts.get(cid)
            place = (str(r["at"]), rank, int(r["report_id"]))
            cursor = place
            if first is None:
                continue
            if first[0] < since:
                kind, detail = "report", "A new report of an event the record already held."
            elif first == (str(r["at"]), int(r["report_id"])):
                kind, detail = "event", "A new event."
            else:
                continue
            item = r["segment_kind"] == "item"
            title = _event_title(r)
            out.append(_Entry(place, Change(
                kind=kind, at=str(r["at"]), title=title, detail=detail,  # type: ignore[arg-type]
                document_id=int(r["document_id"]), event_id=cid, source=_source(r, item)),
                cluster_id=cid))
            if len(out) >= n:
                break
        if len(rows) < BATCH:
            break
    return out


def _corrections(store: Store, cc: str, since: str, n: int,
                 after: tuple[str, int, int] | None) -> list[_Entry]:
    """People's corrections, one change per act: a split keeps one report apart from each
    other report of its event, in rows made together."""
    rank = RANK["correction"]
    acts: dict[tuple[str, str, str, str | None], list[dict[str, Any]]] = {}
    for r in store.new_corrections(cc, since):
        acts.setdefault((str(r["at"]), r["kind"], r["a"], r["note"]), []).append(r)
    out = []
    for (at, kind, _a, note), rows in acts.items():
        place = (at, rank, min(int(r["id"]) for r in rows))
        if after is not None and place >= after:
            continue
        r = rows[0]
        cid = int(r["cluster_id"]) if r["cluster_id"] is not None else None
        what = (f"A person kept a report of this event apart from {len(rows)} other"
                f" report{'s' if len(rows) != 1 else ''}." if kind == "apart"
                else "A person joined two events into this one.")
        out.append(_Entry(place, Change(
            kind="correction", at=at, title=_event_title(r) if cid else "Correction",
            detail=what + (f" Note: {note}" if note else ""), event_id=cid), cluster_id=cid))
    out.sort(key=lambda e: e.place, reverse=True)
    return out[:n]


def _add_when(store: Store, page: list[_Entry]) -> None:
    """Each event's `When`, as its page states it (never a publication date as the date it
    happened)."""
    ids = sorted({e.cluster_id for e in page if e.cluster_id is not None})
    dates = store.event_dates(ids) if ids else {}
    for e in page:
        if e.cluster_id is None or e.cluster_id not in dates:
            continue
        ds = dates[e.cluster_id]
        e.change.when = when([(d["date"], d["date_source"], d["stage"]) for d in ds],
                             [d["reported"] for d in ds]) if ds else When()
