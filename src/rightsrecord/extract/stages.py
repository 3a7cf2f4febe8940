"""The built-in stages: one table of names and versions, each wrapping one extractor module.

A stage's version is declared here and nowhere else; a stored fact carries `name.vN` from
this table. Heavy modules load on first use.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from .. import places
from ..document import CountryScore, Segment
from ..facts import Event
from .pipeline import Stage

MAX_COUNTRIES = 8


def sentences(doc: Segment) -> None:
    """Sentence spans; lower-cased or mis-decoded text ("â€™") takes the slower splitter that
    repairs a copy of the text first."""
    from .sentences import sentence_spans

    if places.is_lower_cased(doc.text) or "â€" in doc.text:
        from .events_text import split_sentences

        doc.sentences = split_sentences(doc.text)
    else:
        doc.sentences = sentence_spans(doc.text)


def dates(doc: Segment) -> None:
    from .dates import find_timexes

    doc.dates = find_timexes(doc.text, doc.published)


def place(doc: Segment) -> None:
    """Country mentions and the ranked countries. A listing whose own text names no country
    takes the one its summary blocks are about."""
    doc.places = places.find_countries(doc.text)
    ranked = places.rank_countries(doc.text, doc.title, doc.fallback_country, doc.places)
    if not ranked and doc.kind == "body" and doc.parent is not None and doc.parent.summaries:
        joined = " ".join(s.text for s in doc.parent.summaries)
        ranked = places.rank_countries(joined, None, None, places.find_countries(joined))
    total = sum(score for _, score in ranked) or 1.0
    doc.countries = [
        CountryScore(code, places.country_name(code) or code, round(score / total, 4), i == 0)
        for i, (code, score) in enumerate(ranked[:MAX_COUNTRIES])
    ]


def _theme_text(doc: Segment) -> str:
    return f"{doc.title}\n{doc.text}" if doc.title else doc.text


def themes(doc: Segment) -> None:
    from .themes import ThemeModel

    doc.themes = ThemeModel.load().predict(_theme_text(doc))


def themes_batch(docs: list[Segment]) -> None:
    from .themes import ThemeModel

    for doc, found in zip(docs, ThemeModel.load().predict_many([_theme_text(d) for d in docs]),
                          strict=True):
        doc.themes = found


def actors(doc: Segment) -> None:
    from .actors import find_actors

    doc.actors = find_actors(doc.text)


def events(doc: Segment) -> None:
    """Typed events; each takes the date and the country its evidence sentence gives, else
    the segment's date (marked `date_source: published`) and primary country; its agent and
    target point at words of the text, an actor's mention where one covers them. Each look-up
    is a bisection over spans sorted once, so the stage stays linear in its events."""
    from .events import find_events

    found = find_events(doc.text, doc.sentences)
    if not found:
        doc.events = []
        return
    primary = doc.country
    dates = _FirstWithin([(t.start, i, t.value) for i, t in enumerate(doc.dates)
                          if t.type == "DATE" and t.value[:4].isdigit()])
    places_ = _FirstWithin([(m.start, i, m.code) for i, m in enumerate(doc.places)
                            if m.kind != "region"])
    mentions = _Mentions(doc)
    for event in found:
        if event.date is None:
            event.date = dates.first(event.start, event.end)
            event.date_source = "text" if event.date else None
            if event.date is None and doc.published:
                event.date, event.date_source = doc.published, "published"
        else:
            event.date_source = "text"
        if event.country is None:
            event.country = places_.first(event.start, event.end) or primary
        event.agent_span = _role_span(doc, event, event.agent, mentions)
        event.target_span = _role_span(doc, event, event.target, mentions)
    doc.events = found


class _FirstWithin:
    """Of (start, order, value) entries, the value of the earliest in order whose start lies
    in [start, end)."""

    def __init__(self, entries: list[tuple[int, int, str]]) -> None:
        self.entries = sorted(entries)
        self.starts = [e[0] for e in self.entries]

    def first(self, start: int, end: int) -> str | None:
        lo, hi = bisect_left(self.starts, start), bisect_left(self.starts, end)
        if lo >= hi:
            return None
        return min(self.entries[lo:hi], key=lambda e: e[1])[2] if hi - lo > 1 \
            else self.entries[lo][2]


class _Mentions:
    """Every actor mention of a text, sorted by start, for the overlap look-up."""

    def __init__(self, doc: Segment) -> None:
        spans = [(ms, me, order) for order, (ms, me) in enumerate(
            m for actor in doc.actors for m in actor.mentions)]
        spans.sort()
        self.spans = spans
        self.starts = [s[0] for s in spans]
        self.longest = max((me - ms for ms, me, _ in spans), default=0)

    def overlapping(self, s: int, e: int) -> tuple[int, int] | None:
        """The first mention, in the actors' order, that overlaps [s, e)."""
        lo = bisect_left(self.starts, s - self.longest)
        hi = bisect_left(self.starts, e)
        hits = [sp for sp in self.spans[lo:hi] if sp[0] < e and s < sp[1]]
        if not hits:
            return None
        ms, me, _ = min(hits, key=lambda sp: sp[2])
        return (ms, me)


def _role_span(doc: Segment, event: Event, words: str | None, mentions: _Mentions
               ) -> tuple[int, int] | None:
    """Where the role's words stand in the evidence (the occurrence nearest the trigger),
    widened to the actor mention that overlaps them, if any."""
    if not words:
        return None
    pattern = r"\s+".join(re.escape(w) for w in words.split())
    found = [(m.start(), m.end()) for m in re.finditer(pattern, doc.text[event.start:event.end])]
    if not found:
        return None
    anchor = event.trigger[0] - event.start if event.trigger else 0
    s, e = min(found, key=lambda span: abs(span[0] - anchor))
    s, e = s + event.start, e + event.start
    return mentions.overlapping(s, e) or (s, e)


BUILTIN: dict[str, Stage] = {s.name: s for s in (
    Stage("sentences", 1, (), ("sentences",), sentences),
    Stage("dates", 1, (), ("dates",), dates),
    Stage("places", 2, (), ("places", "countries"), place),
    Stage("themes", 3, (), ("themes",), themes, themes_batch),
    Stage("actors", 1, (), ("actors",), actors),
    Stage("events", 2, ("sentences", "dates", "places", "countries"), ("events",), events),
)}
