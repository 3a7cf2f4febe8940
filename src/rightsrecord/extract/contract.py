"""The extraction contract: one JSON object per document (see docs/extract.md)."""

from __future__ import annotations

from typing import Any

from .pipeline import ExtractDoc


def facts(doc: ExtractDoc) -> dict[str, Any]:
    """The extracted fields of one text; every offset refers to `doc.text`."""
    return {
        "countries": [{"code": c.code, "name": c.name, "primary": c.primary, "score": c.score}
                      for c in doc.countries],
        "themes": [{"id": t.id, "label": t.label, "score": round(t.score, 4)}
                   for t in doc.themes],
        "dates": [{"text": d.text, "start": d.start, "end": d.end, "type": d.type,
                   "value": d.value} for d in doc.dates],
        "actors": [{"name": a.name, "type": a.type, "role": a.role,
                    "mentions": [[s, e] for s, e in a.mentions]} for a in doc.actors],
        "events": [{"type": e.type, "date": e.date, "country": e.country, "agent": e.agent,
                    "target": e.target, "score": round(e.score, 4),
                    "evidence": {"start": e.start, "end": e.end,
                                 "text": doc.text[e.start:e.end]}} for e in doc.events],
    }


def record(doc: ExtractDoc, items: list[tuple[dict[str, Any], ExtractDoc]] | None = None,
           summaries: list[tuple[dict[str, Any], ExtractDoc]] | None = None,
           include_text: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {"id": doc.id, "title": doc.title, "published": doc.published}
    if doc.url:
        out["url"] = doc.url
    if include_text:
        out["text"] = doc.text
    out.update(facts(doc))
    out["items"] = [{**meta, "text": sub.text, **facts(sub)} for meta, sub in items or []]
    out["summaries"] = [{**meta, "text": sub.text, **facts(sub)} for meta, sub in summaries or []]
    out["stages"] = list(doc.done)
    return out
