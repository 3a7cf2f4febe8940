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


# -- the living record -----------------------------------------------------------------

Direction = Literal["worse", "better", "no clear change", "too few to say"]


class DraftSource(Model):
    """A source a draft sentence cites, with the exact words it rests on."""

    document_id: int
    url: str | None = Field(None, description="The source's public address; null for a "
                            "text with none.")
    evidence: str = Field(description="The quoted words of the source the sentence rests "
                          "on; every name, number, place and date of the sentence is in them.")
    source: Source
    segment_id: int
    start: int
    end: int
    stage: str | None = None


class DraftSentence(Model):
    text: str
    event_id: int | None = Field(None, description="The event the sentence is about.")
    sources: list[DraftSource]


class DraftYear(Model):
    """A drafted summary of one year, marked as a draft: a few sentences, one per event at
    most, each cited."""

    year: int
    sentences: list[DraftSentence]
    events: int = Field(0, description="The year's dated events the draft chose from.")
    draft: Literal[True] = True
    stage: str = Field(description="The stage (name.vN) that drafted it.")


class TrendRow(Model):
    """Distinct events of one theme (or event type) in a country in one year, beside the
    documents the record holds about that country that year."""

    theme: str | None = Field(None, description="A theme code; null on event-type rows and "
                              "on the row of all events.")
    label: str
    event_type: str | None = None
    year: int
    events: int = Field(description="Distinct events (clusters) dated to that year by a "
                        "source, however many reports each has.")
    documents: int = Field(description="Texts the record holds about the country dated to "
                           "that year: each article once, and each listing or feed item once "
                           "(not the listing or feed page itself).")
    rate: float | None = Field(None, description="Events per 100 documents; null without "
                               "documents.")
    compared: int | None = Field(None, description="The events the direction compares: of "
                                 "abuse polarity on theme rows and the row of all events; all "
                                 "the row's events on an event type's row. Null where no "
                                 "direction is drawn (a type neither abuse nor remedy).")
    direction: Direction | None = Field(None, description="Against the year before, by the "
                                        "stated test (`trend_test`); null for the first year "
                                        "of a series, after a year the record holds nothing "
                                        "about, and for a type neither abuse nor remedy.")
    p_value: float | None = Field(None, description="The test's two-sided p-value; null where "
                                  "it was not run.")


class LaterEvent(Model):
    event_id: int
    date: str | None = Field(description="The date a source states for it.")
    type: str | None
    title: str
    href: str = Field(description="The event's path in the record.")


class Recommendation(Model):
    id: int
    body: str = Field(description="'UPR', or the treaty body that made it.")
    text: str
    recommending_state: str | None = Field(None, description="The recommending state's ISO "
                                           "3166-1 alpha-2 code; null where none is named.")
    response: str | None = Field(None, description="'supported' or 'noted' (UPR Info's "
                                 "'Accepted' and 'Noted'), else as the file gives it.")
    session: int | None = None
    cycle: int | None = None
    date: str | None = None
    date_basis: Literal["given", "session"] | None = None
    themes: list[str] = Field(default_factory=list)
    theme_basis: str | None = Field(None, description="'given' when the file themed it, "
                                    "else the stage (name.vN) that did.")
    later_events: list[LaterEvent] = Field(default_factory=list)
    followed_by: str = Field("", description="What followed, in words: the response and "
                             "year, then the later events of its themes by type.")


class Change(Model):
    """Something that entered or was corrected in a country's record."""

    kind: Literal["document", "version", "event", "report", "correction"]
    at: str = Field(description="When it entered the record (UTC).")
    title: str
    detail: str = ""
    document_id: int | None = None
    event_id: int | None = None
    when: When | None = None
    source: Source | None = None


class Changes(Model):
    country: str
    since: str
    changes: list[Change]
    next_cursor: str | None = None


class Watchlist(Model):
    """A saved query: it alerts on what is stored after it was made and matches every
    filter it has."""

    id: int
    name: str
    country: str | None = None
    theme: str | None = None
    actor: int | None = Field(None, description="An actor's (identity's) id.")
    event_type: str | None = None
    text: str | None = Field(None, description="Words, in the search syntax.")
    webhook_url: str | None = Field(None, description="Where its alerts are sent; a public "
                                    "list shows the address's origin alone.")
    active: bool = True
    created_at: str = Field(description="When it was made (UTC): it matches what was stored "
                            "from then on.")
    alerts: int = Field(0, description="Alerts it has raised.")


class Alert(Model):
    """Something new a watchlist matched: one report of an event."""

    id: int
    watchlist_id: int
    created_at: str
    event_id: int | None = Field(description="The event the report belongs to now; null "
                                 "when it is no longer linked.")
    document_id: int
    payload: dict[str, Any] = Field(description="The JSON its webhook is sent, as it was "
                                    "made.")
    delivery: str | None = Field(None, description="pending, delivered or failed; null "
                                 "without a webhook.")


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
    draft_summary: list[DraftYear] = Field(default_factory=list, description="Yearly "
                                           "summaries drafted from the record, newest first: "
                                           "drafts, every sentence cited.")
    trends: list[TrendRow] = Field(default_factory=list)
    trend_test: str = ""
    recommendations: list[Recommendation] = Field(default_factory=list)


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
