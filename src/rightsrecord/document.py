"""The one model from ingest to page: a Document and its Segments, each with its facts.

A reader yields a Document; the stages add facts to each of its segments (the body, the
listing items, the summary blocks); the store keeps it; a read from the store gives back the
same Document; `contract.record()` projects it into the extract record. Every fact keeps its
character span into its segment's `text` and the id (`name.vN`) of the stage that made it.
See docs/model.md.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from .facts import Actor, Event, Theme, Timex

# Document kinds, as stored.
KINDS = ("html", "text", "feed", "pdf", "listing")
# Segment kinds: the document's own text, a dated entry of a listing or feed, a summary block.
SEGMENT_KINDS = ("body", "item", "summary")


@dataclass
class CountryScore:
    """A country the text is about, with its share of the evidence; one is primary."""

    code: str
    name: str
    score: float
    primary: bool = False


@dataclass(eq=False)
class Segment:
    """One text of a document and every fact read out of it.

    `published` is the date relative expressions resolve against: the document's date for
    its body, the entry's date for an item, the end of the covered year for a summary.
    """

    text: str
    kind: str = "body"
    position: int = 0
    title: str | None = None
    date: str | None = None  # an item's entry date (ISO)
    year: int | None = None  # the year a summary covers
    url: str | None = None  # an item's own link
    published: str | None = None
    id: str | None = None  # a caller's id for a bare text (extract --input-format jsonl)
    # Facts, each list filled by one stage.
    sentences: list[tuple[int, int]] = field(default_factory=list)
    dates: list[Timex] = field(default_factory=list)
    places: list[Any] = field(default_factory=list)  # places.CountryMention
    countries: list[CountryScore] = field(default_factory=list)
    themes: list[Theme] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    done: list[str] = field(default_factory=list)  # the ids of the stages that ran, in order
    parent: Document | None = field(default=None, repr=False)
    # The store's row id, once stored.
    segment_id: int | None = None

    @property
    def country(self) -> str | None:
        """The primary country: the segment's own, else its document's."""
        own = next((c.code for c in self.countries if c.primary), None)
        return own or self.fallback_country

    @property
    def fallback_country(self) -> str | None:
        """For an item or summary, the country of the document it belongs to."""
        if self.parent is None or self.kind == "body":
            return None
        return self.parent.body.country

    def clear_facts(self) -> None:
        self.sentences, self.dates, self.places, self.countries = [], [], [], []
        self.themes, self.actors, self.events, self.done = [], [], [], []


@dataclass(eq=False)
class Document:
    """One input: where it came from, its body and its segments."""

    url: str
    kind: str
    body: Segment
    segments: list[Segment] = field(default_factory=list)
    content_hash: str = ""
    title: str | None = None
    published: str | None = None  # the document's own date, kept apart from event dates
    source: str = ""  # the web host it was fetched from (read back: its `sources` name)
    fetched_at: str | None = None
    input: str = ""  # the input as it was named: a path, a URL, "-"
    text_given: bool = False  # the body is a caller's text, kept exactly as given
    notes: list[str] = field(default_factory=list)  # what a reading limit cut off
    # Where the document says it lives, read from its content: an HTML page's rel=canonical
    # or og:url, a feed's own (rel=self) link; an http(s) address or None, never a path.
    canonical: str | None = None
    # Who published it: og:site_name, else a feed's title, else the host of its canonical
    # (or fetched) address; None for a local file that names no address.
    outlet: str | None = None
    # Set by the store.
    id: int | None = None
    version: int | None = None

    def __post_init__(self) -> None:
        self.body.kind = "body"
        self.adopt()

    def adopt(self) -> None:
        """Point every segment at this document and give it its resolution date."""
        self.body.parent = self
        # A feed's own title names the feed, not a report: its body is read without it.
        self.body.title = self.title if self.kind != "feed" else None
        self.body.published = self.published
        counters: dict[str, int] = {}
        for segment in self.segments:
            segment.parent = self
            segment.position = counters.get(segment.kind, 0)  # page order, per kind
            counters[segment.kind] = segment.position + 1
            if segment.published is None:
                if segment.kind == "item":
                    segment.published = segment.date or self.published
                elif segment.kind == "summary":
                    segment.published = (f"{segment.year}-12-31" if segment.year
                                         else self.published)

    @property
    def text(self) -> str:
        return self.body.text

    @property
    def country(self) -> str | None:
        return self.body.country

    @property
    def items(self) -> list[Segment]:
        return [s for s in self.segments if s.kind == "item"]

    @property
    def summaries(self) -> list[Segment]:
        return [s for s in self.segments if s.kind == "summary"]

    def units(self) -> list[Segment]:
        """Every text the stages run over: the body first, then the segments in order."""
        return [self.body, *self.segments]

    @property
    def stages(self) -> list[str]:
        return list(self.body.done)


def display_title(title: str | None, text: str, limit: int = 90) -> str:
    """A title to show: the document's own, else the opening words of its text."""
    if title and title.strip() and title != "None":
        return title
    words = " ".join(text.split()[:24])
    if not words:
        return "Untitled document"
    if len(words) <= limit:
        return words
    cut = words.rfind(" ", 0, limit)
    return words[: cut if cut > 0 else limit] + " …"


def text_document(text: str, *, id: str | None = None, title: str | None = None,
                  url: str | None = None, published: str | None = None) -> Document:
    """A bare text as a Document, with every offset referring to `text` exactly; its content
    hash is the text's, so two different texts never read as one unchanged document."""
    body = Segment(text=text, id=id, title=title, published=published)
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    return Document(url=url or "", kind="text", body=body, title=title, published=published,
                    content_hash=digest, text_given=True)
