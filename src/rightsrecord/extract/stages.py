"""The built-in stages. Each wraps one extractor module; heavy modules load on first use."""

from __future__ import annotations

from .. import places
from .pipeline import CountryScore, ExtractDoc, stage
from .sentences import sentence_spans

MAX_COUNTRIES = 8


@stage("sentences", 1, assigns=("sentences",))
def sentences(doc: ExtractDoc) -> None:
    """Sentence spans; lower-cased or mis-decoded text ("â€™") takes the slower splitter that
    repairs a copy of the text first."""
    if places.is_lower_cased(doc.text) or "â€" in doc.text:
        from .events_text import split_sentences

        doc.sentences = split_sentences(doc.text)
    else:
        doc.sentences = sentence_spans(doc.text)


@stage("dates", 1, assigns=("dates",))
def dates(doc: ExtractDoc) -> None:
    from .dates import find_timexes

    doc.dates = find_timexes(doc.text, doc.published)


@stage("places", 2, assigns=("places", "countries"))
def place(doc: ExtractDoc) -> None:
    doc.places = places.find_countries(doc.text)
    ranked = places.rank_countries(doc.text, doc.title, doc.fallback_country, doc.places)
    total = sum(score for _, score in ranked) or 1.0
    doc.countries = [
        CountryScore(code, places.country_name(code) or code, round(score / total, 4), i == 0)
        for i, (code, score) in enumerate(ranked[:MAX_COUNTRIES])
    ]


@stage("themes", 3, assigns=("themes",))
def themes(doc: ExtractDoc) -> None:
    from .themes import ThemeModel

    text = f"{doc.title}\n{doc.text}" if doc.title else doc.text
    doc.themes = ThemeModel.load().predict(text)


@stage("actors", 1, assigns=("actors",))
def actors(doc: ExtractDoc) -> None:
    from .actors import find_actors

    doc.actors = find_actors(doc.text)


@stage("events", 1, requires=("sentences", "dates", "places", "countries"),
       assigns=("events",))
def events(doc: ExtractDoc) -> None:
    """Typed events; each takes the date and the country its evidence sentence gives, else
    the document's date and primary country."""
    from .events import find_events

    found = find_events(doc.text, doc.sentences)
    primary = next((c.code for c in doc.countries if c.primary), None)
    for event in found:
        if event.date is None:
            event.date = _date_within(doc, event.start, event.end) or doc.published
        if event.country is None:
            event.country = next((m.code for m in doc.places
                                  if event.start <= m.start < event.end and m.kind != "region"),
                                 primary)
    doc.events = found


def _date_within(doc: ExtractDoc, start: int, end: int) -> str | None:
    for timex in doc.dates:
        if start <= timex.start < end and timex.type == "DATE" and timex.value[:4].isdigit():
            return timex.value
    return None
