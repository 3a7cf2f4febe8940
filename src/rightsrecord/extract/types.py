"""The fact records, for the extractor modules: they live in `rightsrecord.facts`."""

from ..facts import Actor, CountryMention, Event, Theme, Timex, date_precision

__all__ = ["Actor", "CountryMention", "Event", "Theme", "Timex", "date_precision"]
