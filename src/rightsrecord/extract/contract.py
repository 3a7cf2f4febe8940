"""The extraction contract: the one projection of a Document into its JSON record.

`extract`, `show document`, the store's read model and the JSON twins all give this record
(see docs/extract.md and schema.json).
"""

from __future__ import annotations

from typing import Any

from ..document import Document, Segment
from ..facts import date_precision


def _role(seg: Segment, span: tuple[int, int] | None, keys: dict[tuple[int, int], str]
          ) -> dict[str, Any] | None:
    if span is None:
        return None
    s, e = span
    return {"start": s, "end": e, "text": seg.text[s:e], "actor": keys.get((s, e))}


def _mention_keys(seg: Segment) -> dict[tuple[int, int], str]:
    """Each actor mention's span -> the key of its actor (the first actor, if two share it)."""
    keys: dict[tuple[int, int], str] = {}
    for actor in seg.actors:
        for span in actor.mentions:
            keys.setdefault(tuple(span), actor.key)  # type: ignore[arg-type]
    return keys


def facts(seg: Segment) -> dict[str, Any]:
    """The extracted fields of one text; every offset refers to `seg.text`."""
    keys = _mention_keys(seg) if seg.events else {}
    return {
        "country": seg.country,
        "countries": [{"code": c.code, "name": c.name, "primary": c.primary, "score": c.score}
                      for c in seg.countries],
        "themes": [{"id": t.id, "label": t.label, "score": round(t.score, 4)}
                   for t in seg.themes],
        "dates": [{"text": d.text, "start": d.start, "end": d.end, "type": d.type,
                   "value": d.value} for d in seg.dates],
        "places": [{"text": p.text, "start": p.start, "end": p.end, "code": p.code,
                    "kind": p.kind} for p in seg.places],
        "actors": [{"key": a.key, "name": a.name, "type": a.type, "role": a.role,
                    "mentions": [[s, e] for s, e in a.mentions]} for a in seg.actors],
        "events": [{"type": e.type, "date": e.date, "date_precision": date_precision(e.date),
                    "date_source": e.date_source, "country": e.country, "agent": e.agent,
                    "target": e.target, "score": round(e.score, 4),
                    "evidence": {"start": e.start, "end": e.end,
                                 "text": seg.text[e.start:e.end]},
                    "trigger": ({"start": e.trigger[0], "end": e.trigger[1],
                                 "text": seg.text[e.trigger[0]:e.trigger[1]]}
                                if e.trigger else None),
                    "roles": {"agent": _role(seg, e.agent_span, keys),
                              "target": _role(seg, e.target_span, keys)}}
                   for e in seg.events],
    }


def record(doc: Document, include_text: bool = True) -> dict[str, Any]:
    body = doc.body
    out: dict[str, Any] = {"id": body.id if doc.id is None else doc.id, "title": doc.title,
                           "published": doc.published}
    if doc.url:
        out["url"] = doc.url
    out["kind"] = doc.kind
    if doc.version is not None:
        out["version"] = doc.version
    if include_text:
        out["text"] = body.text
    out.update(facts(body))
    out["items"] = [{"date": s.date, "title": s.title, "url": s.url, "text": s.text,
                     **facts(s)} for s in doc.items]
    out["summaries"] = [{"year": s.year, "text": s.text, **facts(s)} for s in doc.summaries]
    out["stages"] = list(body.done)
    if doc.notes:  # what the reader or the stages' budget left out, in words
        out["notes"] = list(doc.notes)
    return out
