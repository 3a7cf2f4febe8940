"""Convert a store of the first schema (migration m001) into the shared schema.

Every version, item, summary and fact is carried over: each old row becomes a Document and
is written through the store's own write path, the first version of an address keeping its
old id as the document's id. The old facts keep the stage ids that made them, so
`rightsrecord annotate --stale` re-runs them with the current stages.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ..document import CountryScore, Document, Segment
from ..facts import Actor, CountryMention, Event, Theme, Timex

if TYPE_CHECKING:
    from .sqlite import SQLiteStore

ORDER = ("sentences", "dates", "places", "themes", "actors", "events")


def convert(store: SQLiteStore) -> int:
    db = store.db
    names = {r["code"]: r["name"] for r in db.execute("SELECT code, name FROM countries")}
    seen: set[str] = set()
    converted = 0
    rows = db.execute("SELECT d.*, s.name AS source FROM legacy_documents d"
                      " JOIN legacy_sources s ON s.id = d.source_id"
                      " ORDER BY d.url, d.version").fetchall()
    for row in rows:
        doc = _document(db, row, names)
        first = row["url"] not in seen
        seen.add(row["url"])
        store._add_one(doc, document_id=int(row["id"]) if first else None)
        converted += 1
    return converted


def _country(code: str | None, names: dict[str, str]) -> list[CountryScore]:
    return [CountryScore(code, names.get(code, code), 1.0, True)] if code else []


def _document(db: Any, row: Any, names: dict[str, str]) -> Document:
    body = Segment(text=row["text"], countries=_country(row["country"], names))
    facts: dict[tuple[str, int], list[Any]] = {}
    for a in db.execute("SELECT * FROM legacy_annotations WHERE document_id = ?"
                        " ORDER BY id", (row["id"],)):
        facts.setdefault((a["target"], int(a["target_id"])), []).append(a)
    segments: list[Segment] = []
    for s in db.execute("SELECT * FROM legacy_summaries WHERE document_id = ? ORDER BY position",
                        (row["id"],)):
        seg = Segment(text=s["text"], kind="summary", position=int(s["position"]),
                      year=s["year"], countries=_country(s["country"], names))
        _facts(seg, facts.get(("summary", int(s["id"])), []))
        segments.append(seg)
    for i in db.execute("SELECT * FROM legacy_items WHERE document_id = ? ORDER BY position",
                        (row["id"],)):
        seg = Segment(text=i["text"] or "", kind="item", position=int(i["position"]),
                      date=i["date"], title=i["title"], url=i["url"],
                      countries=_country(i["country"], names))
        _facts(seg, facts.get(("item", int(i["id"])), []))
        segments.append(seg)
    _facts(body, facts.get(("document", int(row["id"])), []))
    doc = Document(url=row["url"], kind=row["kind"], body=body, segments=segments,
                   content_hash=row["content_hash"], title=row["title"],
                   published=row["published"], source=row["source"],
                   fetched_at=row["fetched_at"])
    stages = [s for seg in doc.units() for s in seg.done]
    for seg in doc.units():
        seg.done = sorted(set(stages), key=lambda i: ORDER.index(i.split(".")[0])
                          if i.split(".")[0] in ORDER else len(ORDER)) or ["legacy.v0"]
    return doc


def _facts(seg: Segment, rows: list[Any]) -> None:
    actors: dict[int, Actor] = {}
    done: list[str] = []
    for a in rows:
        value = json.loads(a["value"] or "{}")
        kind, s, e = a["kind"], int(a["start"]), int(a["end"])
        if a["stage"] not in done:
            done.append(a["stage"])
        if kind == "date":
            seg.dates.append(Timex(s, e, a["text"], value.get("type", "DATE"),
                                   value.get("value", "")))
        elif kind == "place":
            seg.places.append(CountryMention(value.get("country", ""), s, e, a["text"],
                                             value.get("kind", "country")))
        elif kind == "theme":
            seg.themes.append(Theme(value.get("id", ""), value.get("label", ""),
                                    float(value.get("score", 0.0))))
        elif kind == "actor":
            actor = actors.setdefault(int(value.get("actor", 0)), Actor(
                value.get("name", a["text"]), value.get("type", "group"), value.get("role")))
            actor.mentions.append((s, e))
        elif kind == "event":
            trigger = value.get("trigger")
            seg.events.append(Event(
                type=value.get("type", ""), start=s, end=e, score=float(value.get("score", 0)),
                trigger=(int(trigger[0]), int(trigger[1])) if trigger else None,
                agent=value.get("agent"), target=value.get("target"), date=value.get("date"),
                country=value.get("country")))
    seg.actors = list(actors.values())
    seg.done = done
