"""Run the extraction pipeline over a parsed document and keep every fact as a cited span."""

from __future__ import annotations

from ..extract.pipeline import REGISTRY, ExtractDoc, Pipeline
from ..model import ParsedDocument, Span


def annotate(doc: ParsedDocument, pipeline: Pipeline) -> None:
    """Fill the document's, each summary's and each item's country and spans."""
    main = pipeline(ExtractDoc(text=doc.text, title=doc.title, published=doc.published,
                               url=doc.url))
    doc.country = _primary(main)
    if doc.country is None and doc.summaries:
        joined = pipeline(ExtractDoc(text=" ".join(s.text for s in doc.summaries)))
        doc.country = _primary(joined)
    doc.spans = spans(main)
    for block in doc.summaries:
        sub = pipeline(ExtractDoc(text=block.text, fallback_country=doc.country,
                                  published=f"{block.year}-12-31" if block.year else None))
        block.country, block.spans = _primary(sub) or doc.country, spans(sub)
    for item in doc.items:
        sub = pipeline(ExtractDoc(text=item.text or "", title=item.title, published=item.date,
                                  fallback_country=doc.country))
        item.country, item.spans = _primary(sub) or doc.country, spans(sub)


def _primary(doc: ExtractDoc) -> str | None:
    return next((c.code for c in doc.countries if c.primary), None)


def _stage_id(name: str) -> str:
    return REGISTRY[name].id


def spans(doc: ExtractDoc) -> list[Span]:
    """Every fact of an extracted text as a Span with the stage (and version) that made it."""
    out: list[Span] = []
    if "places" in REGISTRY and doc.places:
        stage = _stage_id("places")
        out += [Span("place", m.start, m.end, m.text, stage, {"country": m.code, "kind": m.kind})
                for m in doc.places]
    if doc.dates:
        stage = _stage_id("dates")
        out += [Span("date", t.start, t.end, t.text, stage, {"type": t.type, "value": t.value})
                for t in doc.dates]
    if doc.themes:
        stage = _stage_id("themes")
        # A theme is asserted of the whole text: its span is the text.
        out += [Span("theme", 0, len(doc.text), "", stage,
                     {"id": t.id, "label": t.label, "score": round(t.score, 4)})
                for t in doc.themes]
    if doc.actors:
        stage = _stage_id("actors")
        for n, actor in enumerate(doc.actors):
            out += [Span("actor", s, e, doc.text[s:e], stage,
                         {"actor": n, "name": actor.name, "type": actor.type, "role": actor.role})
                    for s, e in actor.mentions]
    if doc.events:
        stage = _stage_id("events")
        out += [Span("event", e.start, e.end, doc.text[e.start:e.end], stage,
                     {"type": e.type, "date": e.date, "country": e.country, "agent": e.agent,
                      "target": e.target, "score": round(e.score, 4),
                      "trigger": list(e.trigger) if e.trigger else None})
                for e in doc.events]
    return out
