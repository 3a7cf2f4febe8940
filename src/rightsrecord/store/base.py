"""The store's interface: one protocol, typed read models, cursors and scopes.

Two implementations keep to it: `SQLiteStore` (the embedded default) and `PostgresStore`.
Every list is a `Page` read with a `limit` and an opaque `cursor`; every read takes a
`scope`, the hook for private collections (today only `PUBLIC`).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

from ..document import Document

T = TypeVar("T")
MAX_LIMIT = 1000


@dataclass(frozen=True)
class Scope:
    """Whose documents a read may see. Only the public collection exists yet."""

    name: str = "public"


PUBLIC = Scope()


@dataclass
class Page(Generic[T]):
    data: list[T]
    next_cursor: str | None = None


def encode_cursor(*values: Any) -> str:
    raw = json.dumps(list(values), separators=(",", ":")).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


class BadCursor(ValueError):
    pass


def decode_cursor(cursor: str | None, arity: int,
                  types: tuple[type, ...] | None = None) -> list[Any] | None:
    """The values of a cursor this store made, or None for the first page."""
    if not cursor:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    except (ValueError, UnicodeError, RecursionError):  # nested arrays: not ours
        raise BadCursor("not a cursor this store made") from None
    if not isinstance(values, list) or len(values) != arity:
        raise BadCursor("not a cursor this store made")
    for value, kind in zip(values, types or (), strict=False):
        if not isinstance(value, kind) or isinstance(value, bool) or (
                isinstance(value, int) and not 0 <= value < 2**63):
            raise BadCursor("not a cursor this store made")
    return values


def clamp(limit: int) -> int:
    return max(1, min(int(limit), MAX_LIMIT))


@dataclass
class IngestResult:
    status: str  # stored | new-version | unchanged
    document_id: int
    version: int


@dataclass
class Counts:
    documents: int = 0
    versions: int = 0
    items: int = 0
    summaries: int = 0
    sources: int = 0


@dataclass
class CountryRow:
    code: str
    name: str
    documents: int
    items: int
    summaries: int


@dataclass
class FeedEntry:
    """One entry of a country's dated feed: a listing or feed item, or a whole document."""

    id: int  # the segment
    kind: str  # item | document
    date: str | None
    title: str | None
    text: str
    url: str | None
    document_id: int
    version: int
    position: int
    cluster_id: int | None = None
    reports: list[ReportView] = field(default_factory=list)
    outlet: str | None = None
    canonical: str | None = None


@dataclass
class SummaryEntry:
    id: int
    year: int | None
    text: str
    document_id: int
    version: int
    url: str
    source_title: str | None


@dataclass
class CountryPage:
    code: str
    name: str
    summaries: Page[SummaryEntry]
    items: Page[FeedEntry]


@dataclass
class VersionRow:
    version: int
    fetched_at: str
    content_hash: str
    is_current: bool


@dataclass
class DocumentView:
    """A stored document at one of its versions: what it is, where from, and its record."""

    id: int
    url: str
    source: str
    version: int
    is_current: bool
    fetched_at: str
    content_hash: str
    versions: list[VersionRow]
    document: Document = field(repr=False)
    canonical: str | None = None  # the version's canonical address (http(s)), if it names one
    outlet: str | None = None  # who published it (og:site_name, a feed's title, a host)


@dataclass
class DocumentRow:
    id: int
    title: str | None
    text_start: str
    url: str
    kind: str
    published: str | None
    country: str | None
    outlet: str | None = None
    canonical: str | None = None


@dataclass
class SearchHit:
    kind: str  # document | item
    id: int  # the segment
    document_id: int
    title: str | None
    date: str | None
    url: str
    country: str | None
    snippet: str  # matched words between `[` and `]`
    score: float | None = None  # relevance, higher first, where hits are in its order
    outlet: str | None = None  # who published the document (see Document.outlet)
    canonical: str | None = None  # the document's canonical address, if it names one


@dataclass
class SearchQuery:
    """What a search asks: words in the query syntax of `store/query.py`, filters, an order.

    Every filter narrows the hits; each names a facet's value (`FacetCount.value`).
    """

    text: str = ""
    country: str | None = None  # ISO alpha-2
    theme: str | None = None  # theme code
    event_type: str | None = None  # the type of an event the text tells
    actor: int | None = None  # identity id
    year: int | None = None  # of the hit's date
    source_kind: str | None = None  # the version kind: html | text | feed | pdf | listing
    date_from: str | None = None  # YYYY-MM-DD (or YYYY-MM, YYYY), inclusive, the hit's date
    date_to: str | None = None
    sort: str = "relevance"  # relevance | newest | oldest


SEARCH_SORTS = ("relevance", "newest", "oldest")
FACETS = ("country", "theme", "event_type", "actor", "year", "source_kind")


@dataclass
class FacetCount:
    value: str  # for the SearchQuery field of the facet's name (as int for year and actor)
    label: str
    count: int


@dataclass
class SearchResult:
    hits: Page[SearchHit]
    facets: dict[str, list[FacetCount]]  # keys: FACETS, most frequent value first
    total: int | None  # matches counted (None: more than `facet_sample`)
    # Facets count the matches when there are at most this many; else the last stored of
    # them, this many (`facets_complete` False).
    facet_sample: int | None = None
    facets_complete: bool = True


@dataclass
class ClusterRow:
    """One real-world event as linking sees it: its type, day, country, and how many
    reports tell it."""

    id: int
    type: str | None
    day: str | None
    country: str | None
    title: str | None
    reports: int


@dataclass
class ReportView:
    """One text's report of a cluster's event, with its evidence and why it was linked."""

    cluster_id: int
    segment_id: int
    document_id: int
    version: int
    kind: str  # document | item
    title: str | None
    date: str | None
    url: str
    source: str
    event_id: int | None
    event_key: str
    main: bool
    lead: bool
    type: str | None
    event_date: str | None
    date_source: str | None
    evidence: dict[str, Any] | None
    stage: str | None
    score: float
    signals: dict[str, Any]
    linked_by: str
    text_start: str = ""
    copies: list[dict[str, Any]] = field(default_factory=list)
    outlet: str | None = None
    canonical: str | None = None


@dataclass
class ClusterView:
    cluster: ClusterRow
    reports: list[ReportView]
    targets: list[dict[str, Any]]


@dataclass
class IdentityRow:
    id: int
    type: str
    key: str
    surname: str | None
    name: str
    mentions: int


@dataclass
class ActorView:
    """An actor across documents: its spellings, its roles in events, where it appears,
    and the reports that name it as target (its case)."""

    identity: IdentityRow
    aliases: list[str]
    roles: dict[str, int]
    documents: list[dict[str, Any]]
    target_of: list[ReportView]


@dataclass
class StaleVersion:
    version_id: int
    document_id: int
    stages: list[str]


class Store(Protocol):
    """What every store does, as every caller outside the store sees it. SQL lives only in
    the implementations, `SQLiteStore` and `PostgresStore` (mypy checks that both keep to
    it: tests/store/test_protocol.py)."""

    url: str

    def close(self) -> None: ...

    def __enter__(self) -> Store: ...

    def __exit__(self, *exc: object) -> None: ...

    # -- writing: documents in, and facts catching up with the stages ---------------------

    def add(self, doc: Document) -> IngestResult: ...

    def add_many(self, docs: Iterable[Document]) -> list[IngestResult]: ...

    def unchanged(self, docs: Iterable[Document]) -> dict[int, tuple[int, int]]: ...

    def stale(self, stage_ids: list[str], limit: int = 100, after: int = 0
              ) -> list[StaleVersion]: ...

    def count_versions(self, stale_for: list[str] | None = None) -> int: ...

    def all_versions(self, limit: int = 100, after: int = 0) -> list[StaleVersion]: ...

    def load_versions(self, version_ids: list[int], facts: bool = False) -> list[Document]: ...

    def replace_facts(self, docs: Iterable[Document]) -> None: ...

    def iter_documents(self, batch: int = 500) -> Iterator[int]: ...

    # -- linking: a versioned step, one transaction per document (see link/incremental.py) --

    def linking(self) -> AbstractContextManager[None]: ...

    def mark_linked(self, document_id: int, version: int, stage: str) -> None: ...

    def unlinked(self, stage: str, limit: int = 100, after: int = 0
                 ) -> list[StaleVersion]: ...

    def unlinked_documents(self, document_ids: Iterable[int], stage: str) -> list[int]: ...

    def current_version(self, document_id: int) -> int | None: ...

    def old_bodies(self, document_id: int, current_segment: int | None) -> list[int]: ...

    def clear_links(self) -> None: ...

    # units, their words and copies
    def put_unit(self, segment_id: int, document_id: int, record: dict[str, Any],
                 signature: str | None) -> None: ...

    def unit_records(self, segment_ids: Iterable[int]) -> dict[int, dict[str, Any]]: ...

    def unlink_segment(self, segment_id: int) -> None: ...

    def count_terms(self, terms: Iterable[str]) -> None: ...

    def uncount_terms(self, terms: Iterable[str]) -> None: ...

    def term_counts(self, terms: Iterable[str]) -> dict[str, int]: ...

    def copy_candidates(self, bands: list[str], document_id: int) -> list[tuple[int, str]]: ...

    def put_bands(self, document_id: int, bands: list[str]) -> None: ...

    def mark_copy(self, document_id: int, copy_of: int, similarity: float, stage: str
                  ) -> None: ...

    def copy_of(self, document_id: int) -> int | None: ...

    # clusters and reports
    def cluster_candidates(self, country: str | None, lo: str, hi: str, limit: int = 30
                           ) -> list[ClusterRow]: ...

    def target_candidates(self, identity_id: int, types: list[str]) -> list[dict[str, Any]]: ...

    def cluster_units(self, cluster_ids: list[int], per: int = 3) -> dict[int, list[int]]: ...

    def cluster_targets(self, cluster_ids: list[int]) -> dict[int, set[int]]: ...

    def cluster_keys(self, cluster_id: int) -> list[str]: ...

    def cluster_of_key(self, key: str) -> int | None: ...

    def new_cluster(self, type_: str | None, day: str | None, country: str | None,
                    title: str | None) -> int: ...

    def add_report(self, cluster_id: int, *, segment_id: int, document_id: int,
                   event_id: int | None, event_key: str, main: bool, type_: str | None,
                   day: str | None, target_identity: int | None, sort_key: str,
                   score: float, signals: dict[str, Any], linked_by: str) -> None: ...

    def move_reports(self, keys: list[str], cluster_id: int, linked_by: str) -> None: ...

    # people's corrections
    def add_correction(self, kind: str, a: str, b: str, note: str | None = None) -> None: ...

    def corrections_for(self, keys: Iterable[str]) -> list[tuple[str, str, str]]: ...

    # actors' identities
    def segment_actors(self, segment_id: int) -> list[dict[str, Any]]: ...

    def segment_events(self, segment_id: int) -> list[dict[str, Any]]: ...

    def identity_by_key(self, type_: str, key: str) -> IdentityRow | None: ...

    def identities_by_surname(self, type_: str, surname: str) -> list[IdentityRow]: ...

    def new_identity(self, type_: str, key: str, surname: str | None, name: str) -> int: ...

    def attach_actor(self, actor_id: int, identity_id: int, score: float,
                     aliases: Iterable[tuple[str, str]], name: str, cited: bool = False
                     ) -> None: ...

    # -- reading ----------------------------------------------------------------------------

    def counts(self, scope: Scope = PUBLIC) -> Counts: ...

    def countries(self, scope: Scope = PUBLIC) -> list[CountryRow]: ...

    def country(self, code: str, scope: Scope = PUBLIC, limit: int = 50,
                cursor: str | None = None, summaries_limit: int = 20,
                summaries_cursor: str | None = None, theme: str | None = None,
                year: int | None = None, event_type: str | None = None
                ) -> CountryPage | None: ...

    def document(self, doc_id: int, version: int | None = None, scope: Scope = PUBLIC
                 ) -> DocumentView | None: ...

    def recent_documents(self, limit: int = 20, cursor: str | None = None,
                         scope: Scope = PUBLIC) -> Page[DocumentRow]: ...

    def search(self, query: str | SearchQuery, limit: int = 50, cursor: str | None = None,
               scope: Scope = PUBLIC) -> Page[SearchHit]: ...

    def find(self, query: str | SearchQuery, limit: int = 50, cursor: str | None = None,
             scope: Scope = PUBLIC) -> SearchResult: ...

    def cluster(self, cluster_id: int) -> ClusterView | None: ...

    def identity(self, identity_id: int) -> ActorView | None: ...

    def identities_named(self, name: str, folded: str, limit: int = 20
                         ) -> list[IdentityRow]: ...

    def document_clusters(self, document_id: int) -> list[dict[str, Any]]: ...

    def document_identities(self, document_id: int) -> list[dict[str, Any]]: ...

    def copies_of(self, document_ids: Iterable[int]) -> dict[int, list[dict[str, Any]]]: ...

    def clusters_of_documents(self, document_ids: Iterable[int]) -> dict[int, int]: ...

    # lists and counts behind the pages and the API (store/reads.py)
    def event_rows(self, *, country: str | None = None, type_: str | None = None,
                   year: int | None = None, theme: str | None = None, limit: int = 50,
                   cursor: str | None = None) -> Page[ClusterRow]: ...

    def event_dates(self, cluster_ids: list[int]) -> dict[int, list[dict[str, Any]]]: ...

    def event_sources(self, cluster_ids: list[int]) -> dict[int, int]: ...

    def theme_year_counts(self, country: str) -> list[dict[str, Any]]: ...

    def country_options(self, country: str) -> dict[str, list[dict[str, Any]]]: ...

    def document_rows(self, *, country: str | None = None, kind: str | None = None,
                      year: int | None = None, limit: int = 50, cursor: str | None = None
                      ) -> Page[DocumentRow]: ...

    def identity_rows(self, *, type_: str | None = None, limit: int = 50,
                      cursor: str | None = None) -> Page[IdentityRow]: ...

    def event_counts(self) -> dict[str, int]: ...

    def outlet_count(self) -> int: ...

    # -- drafts (drafts_sql.py) ----------------------------------------------------------

    def draft_candidates(self, country: str) -> list[dict[str, Any]]:
        """A country's events with a date a text states: id, type, independent, targets."""
        ...

    def record_stamp(self, country: str) -> str:
        """A cheap mark of a country's record that moves whenever its events may have."""
        ...

    def living_stamp(self, country: str) -> str:
        """`record_stamp`, moved also by a recommendation to the country or a document or
        item about it."""
        ...

    def derived(self, country: str, kind: str) -> dict[str, Any] | None:
        """What was derived from a country's record: stamp, stage, body, made_at; or None."""
        ...

    def put_derived(self, country: str, kind: str, stamp: str, stage: str, body: str
                    ) -> None:
        """Keep what was derived from a country's record, replacing the one before."""
        ...

    # -- trends and what changed (trends_sql.py) -----------------------------------------

    def trend_event_dates(self, country: str) -> list[dict[str, Any]]: ...

    def trend_themes(self, country: str) -> dict[int, dict[str, str]]: ...

    def trend_documents(self, country: str) -> dict[str, int]: ...

    def new_documents(self, country: str, since: str, limit: int,
                      after: tuple[str, int, int] | None, rank: int) -> list[dict[str, Any]]: ...

    def new_versions(self, country: str, since: str, limit: int,
                     after: tuple[str, int, int] | None, rank: int) -> list[dict[str, Any]]: ...

    def new_reports(self, country: str, since: str, limit: int,
                    after: tuple[str, int, int] | None, rank: int) -> list[dict[str, Any]]: ...

    def first_reports(self, cluster_ids: list[int]) -> dict[int, tuple[str, int]]: ...

    def new_corrections(self, country: str, since: str) -> list[dict[str, Any]]: ...

    # -- recommendations (recommendations_sql.py) ----------------------------------------

    def recommendation_keys(self, keys: Iterable[str]) -> set[str]: ...

    def add_recommendations(self, rows: list[dict[str, Any]]) -> list[str]: ...

    def recommendations_of(self, country: str, limit: int = 5000) -> list[dict[str, Any]]: ...

    def later_events(self, country: str, themes: list[str], after: str, limit: int = 1000
                     ) -> list[dict[str, Any]]: ...

    # -- watchlists (watch_sql.py) -------------------------------------------------------

    def add_watchlist(self, name: str, *, country: str | None = None,
                      theme: str | None = None, actor: int | None = None,
                      event_type: str | None = None, text: str | None = None,
                      webhook_url: str | None = None, secret: str | None = None) -> int: ...

    def watchlist_rows(self, limit: int = 50, cursor: str | None = None
                       ) -> Page[dict[str, Any]]: ...

    def watchlist_row(self, watchlist_id: int) -> dict[str, Any] | None: ...

    def remove_watchlist(self, watchlist_id: int) -> bool: ...

    def watching(self) -> AbstractContextManager[None]: ...

    def watch_matches(self, watchlist_id: int, limit: int = 200
                      ) -> tuple[list[ReportView], int, bool]: ...

    def alerted(self, watchlist_id: int, event_keys: Iterable[str]) -> set[str]: ...

    def add_alert(self, watchlist_id: int, *, event_key: str, cluster_id: int | None,
                  document_id: int, payload: str, created_at: str, deliver_at: str | None
                  ) -> int: ...

    def set_alert_payload(self, alert_id: int, payload: str) -> None: ...

    def set_watermark(self, watchlist_id: int, report_id: int) -> None: ...

    def alert_rows(self, watchlist_id: int, limit: int = 50, cursor: str | None = None
                   ) -> Page[dict[str, Any]]: ...

    def due_deliveries(self, now: str, limit: int = 100,
                       alert_ids: Iterable[int] | None = None) -> list[dict[str, Any]]: ...

    def claim_delivery(self, alert_id: int, due: str, until: str) -> bool: ...

    def record_attempt(self, alert_id: int, *, attempted_at: str, status_code: int | None,
                       error: str | None, elapsed_ms: int, status: str,
                       next_attempt_at: str) -> None: ...

    def requeue_deliveries(self, watchlist_id: int, alert_id: int | None, now: str
                           ) -> list[int]: ...

    def delivery_attempts(self, watchlist_id: int, alert_id: int | None = None,
                          limit: int = 200) -> list[dict[str, Any]]: ...

    def next_delivery_at(self) -> str | None: ...
