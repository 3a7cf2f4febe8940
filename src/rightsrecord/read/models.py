"""The public read models: what every output (pages, `/api/v1`, feeds, exports, the CLI)
renders. Typed, without links: a renderer adds its own addresses.

Provenance rides with every fact. A date is a `When`: the date a source states for the event,
or, where none does, only the date it was reported (`basis: reported`), which renderers show
as "reported on DATE", never as when it happened. A source is a `Source`: its public address
(the canonical one where the page names it) and outlet, never a path on the server.
"""

from __future__ import annotations

from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Paged(Model, Generic[T]):
    """One page of a list; `next_cursor` (opaque) reads the next, None on the last."""

    data: list[T]
    next_cursor: str | None = None


class When(Model):
    """When something happened, as far as the sources say."""

    date: str | None = Field(None, description="The date a source states for it (YYYY, "
                             "YYYY-MM or YYYY-MM-DD); null when no source states one.")
    reported: str | None = Field(None, description="The date the earliest report of it was "
                                 "published: when it was reported, not when it happened.")
    basis: Literal["stated", "reported", "unknown"] = Field(
        "unknown", description="stated: a source gives the date; reported: only the report's "
        "date is known; unknown: neither.")
    stage: str | None = Field(None, description="The stage (name.vN) that read the date.")


class Source(Model):
    """A text the record cites: a stored document, at one version."""

    document_id: int
    version: int
    title: str | None = None
    name: str = Field(description="What to call the source: its outlet, its web host, or a "
                      "file's own name; never a path.")
    outlet: str | None = None
    url: str | None = Field(None, description="Its public web address (the canonical one the "
                            "page names); null for a text with none, such as a local file.")
    kind: str | None = None
    published: str | None = None


class Evidence(Model):
    """The exact words a fact was read from: a span of one stored text."""

    text: str
    start: int
    end: int
    segment_id: int
    stage: str | None = None


class LinkReason(Model):
    """Why a report was joined to an event: the analyst's view."""

    linked_by: str
    score: float
    rule: str | None = None
    signals: dict[str, Any] = Field(default_factory=dict)
    first: bool = False


class ActorRef(Model):
    id: int
    name: str
    type: str


class Agent(Model):
    """Who did it, in a text's own words: an event's agent, where a report names one."""

    name: str
    evidence: Evidence = Field(description="The agent's words (or, where the text's parse "
                               "gave no span, the sentence naming it), with span and stage.")


class Report(Model):
    """One text's report of an event: where, what it says (quoted), and why it was linked."""

    segment_id: int
    kind: Literal["document", "item"]
    title: str | None
    source: Source
    published: str | None = Field(None, description="When this report was published.")
    event_type: str | None = None
    when: When
    evidence: Evidence | None = None
    main: bool
    link: LinkReason
    republished: list[Source] = Field(default_factory=list)


class EventSummary(Model):
    """One real-world event (a cluster of reports)."""

    id: int
    type: str | None
    title: str
    when: When
    country: str | None
    reports: int
    sources: int


class EventDetail(EventSummary):
    targets: list[ActorRef] = Field(default_factory=list)
    report_list: list[Report] = Field(default_factory=list)


class CaseStep(Model):
    event_id: int
    step: str
    type: str | None
    when: When
    reports: list[Report]


class DocumentSummary(Model):
    id: int
    title: str
    teaser: str
    source: Source
    country: str | None
    published: str | None


class ActorSummary(Model):
    id: int
    name: str
    type: str
    mentions: int


class ActorDetail(ActorSummary):
    aliases: list[str]
    roles: dict[str, int]
    documents: list[DocumentSummary]
    case: list[CaseStep]


class VersionInfo(Model):
    version: int
    fetched_at: str
    content_hash: str
    is_current: bool


class DocumentDetail(Model):
    id: int
    title: str
    source: Source
    version: int
    is_current: bool
    fetched_at: str
    content_hash: str
    versions: list[VersionInfo]
    country: str | None
    country_name: str | None
    text: str
    notes: list[str]
    events: list[EventSummary]
    actors: list[ActorRef]
    copy_of: int | None
    republished: list[Source]
    record: dict[str, Any] = Field(description="The full extract record: every fact with its "
                                   "span and the stage that made it.")


class CountryRow(Model):
    code: str
    name: str
    documents: int
    items: int
    summaries: int
    events: int = Field(0, description="Real-world events in the country (each counted once, "
                        "however many reports).")


class SummaryBlock(Model):
    """A yearly summary a source published (not one rightsrecord wrote)."""

    id: int
    year: int | None
    text: str
    source: Source


class Development(Model):
    """One entry of a country's dated feed: a listing or feed entry, or a whole document."""

    id: int
    kind: Literal["document", "item"]
    title: str | None
    teaser: str
    published: str | None = Field(None, description="When the entry was published.")
    source: Source
    event: EventSummary | None = None
    reports: list[Report] = Field(default_factory=list)


class ChartCell(Model):
    theme: str
    label: str
    year: int
    events: int


class CountryFilters(Model):
    theme: str | None = None
    year: int | None = None
    event_type: str | None = None


class Option(Model):
    """A value a filter takes; `count` is how many entries have it, where it was counted."""

    value: str
    label: str
    count: int | None = None


class CountryRecord(Model):
    code: str
    name: str
    filters: CountryFilters
    summaries: Paged[SummaryBlock]
    feed: Paged[Development]
    themes: list[Option] = Field(default_factory=list)
    years: list[Option] = Field(default_factory=list)
    event_types: list[Option] = Field(default_factory=list)
    chart: list[ChartCell] = Field(default_factory=list, description="Distinct events per "
                                   "theme per year (events with a stated date only).")
    timeline: list[EventSummary] = Field(default_factory=list)


class Overview(Model):
    documents: int
    versions: int
    items: int
    summaries: int
    outlets: int
    countries: list[CountryRow]
    recent: list[DocumentSummary]


class SearchHit(Model):
    kind: Literal["document", "item"]
    segment_id: int
    document_id: int
    title: str | None
    published: str | None
    country: str | None
    source: Source
    snippet: str = Field(description="Words around the matches; each match between [ and ].")
    score: float | None = None


class Facet(Model):
    value: str
    label: str
    count: int


class SearchQuery(Model):
    q: str = ""
    country: str | None = None
    theme: str | None = None
    event_type: str | None = None
    actor: int | None = None
    year: int | None = None
    source_kind: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    sort: Literal["relevance", "newest", "oldest"] = "relevance"


class SearchResults(Model):
    query: SearchQuery
    hits: Paged[SearchHit]
    facets: dict[str, list[Facet]] = Field(default_factory=dict)
    total: int | None = Field(None, description="How many texts match; null when more than "
                              "`counted_up_to`.")
    counted_up_to: int | None = Field(None, description="Totals and facets count at most this "
                                      "many matches (the last stored).")
    facets_complete: bool = Field(True, description="False when the facets count only the "
                                  "last `counted_up_to` matches.")
