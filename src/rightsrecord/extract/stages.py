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
from . import country_rank
from .pipeline import Stage

MAX_COUNTRIES = 8


def sentences(doc: Segment) -> None:
    """Sentence spans by the one segmenter, which reads lower-cased and mis-decoded ("â€™")
    text itself."""
    from .sentences import sentence_spans

    doc.sentences = sentence_spans(doc.text)


def dates(doc: Segment) -> None:
    from .dates import find_timexes

    doc.dates = find_timexes(doc.text, doc.published)


def place(doc: Segment) -> None:
    """Country mentions and the countries ranked by the learned ranker (`country_rank`).

    A listing whose own text names no country takes the one its summary blocks are about; a
    listing whose entries are about varied countries has no primary country. An entry or
    summary of a page with a country keeps it unless its own evidence clears the ranker's
    margin and its title does not name the page's country (`country_rank.keep_page`). An
    entry or summary reads its body's countries, which this stage assigns first."""
    doc.places = places.find_countries(doc.text)
    model = country_rank.current()
    ranked = model.rank(country_rank.features(doc.text, doc.title, doc.places))
    has_primary = True
    owner = doc.parent
    if doc.kind == "body" and owner is not None and owner.segments:
        if not ranked and owner.summaries:
            joined = " ".join(s.text for s in owner.summaries)
            ranked = model.rank(country_rank.features(joined, None, places.find_countries(joined)))
        has_primary = not country_rank.varied(owner.items, model)
    elif doc.kind != "body" and ranked and doc.fallback_country:
        in_title = places.find_countries(doc.title) if doc.title else []
        ranked = country_rank.keep_page(ranked, doc.fallback_country, doc.places + in_title,
                                        model, in_title)
    doc.countries = [
        CountryScore(code, places.country_name(code) or code, round(share, 4),
                     has_primary and i == 0)
        for i, (code, share) in enumerate(country_rank.probabilities(ranked)[:MAX_COUNTRIES])
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
    """Typed events; each takes the date its clause or sentence gives, or the one the sentence
    before gave the event it goes on telling (`event_dates`), else the segment's date (marked
    `date_source: published`), and the
    country its evidence gives, else the primary one; its agent and target come from the parse
    of its trigger sentence (`roles`), else from the trigger rules, and point at words of the
    text, an actor's mention where one covers them."""
    from .event_model import classify
    from .events import find_events
    from .factuality import asserted

    found = asserted(doc.text, classify(doc.text, doc.sentences,
                                        find_events(doc.text, doc.sentences)))
    if not found:
        doc.events = []
        return
    from .event_dates import date_events
    from .roles import assign_roles

    primary = doc.country
    places_ = _FirstWithin([(m.start, i, m.code) for i, m in enumerate(doc.places)
                            if m.kind != "region"])
    mentions = _Mentions(doc)
    parsed = assign_roles(doc, found, mentions.overlapping)  # the roles the parse gives
    date_events(doc, found, parsed)
    for event in found:
        if event.country is None:
            event.country = places_.first(event.start, event.end) or primary
        if event.agent_span is None:
            event.agent_span = _role_span(doc, event, event.agent, mentions)
        if event.target_span is None:
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
    Stage("sentences", 2, (), ("sentences",), sentences),
    Stage("dates", 1, (), ("dates",), dates),
    Stage("places", 4, (), ("places", "countries"), place),
    Stage("themes", 3, (), ("themes",), themes, themes_batch),
    Stage("actors", 2, (), ("actors",), actors),
    Stage("events", 5, ("sentences", "dates", "places", "countries", "actors"), ("events",),
          events),
)}
