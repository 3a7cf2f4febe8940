"""The store's interface: one protocol, typed read models, cursors and scopes.

Two implementations keep to it: `SQLiteStore` (the embedded default) and `PostgresStore`.
Every list is a `Page` read with a `limit` and an opaque `cursor`; every read takes a
`scope`, the hook for private collections (today only `PUBLIC`).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable
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


@dataclass
class DocumentRow:
    id: int
    title: str | None
    text_start: str
    url: str
    kind: str
    published: str | None
    country: str | None


@dataclass
class SearchHit:
    kind: str  # document | item
    id: int  # the segment
    document_id: int
    title: str | None
    date: str | None
    url: str
    country: str | None
    snippet: str


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
    """What every store does. SQL lives only in the implementations."""

    url: str

    def close(self) -> None: ...

    def __enter__(self) -> Store: ...

    def __exit__(self, *exc: object) -> None: ...

    # writing
    def add(self, doc: Document) -> IngestResult: ...

    def add_many(self, docs: Iterable[Document]) -> list[IngestResult]: ...

    def unchanged(self, docs: Iterable[Document]) -> dict[int, tuple[int, int]]: ...

    def stale(self, stage_ids: list[str], limit: int = 100, after: int = 0
              ) -> list[StaleVersion]: ...

    def load_versions(self, version_ids: list[int], facts: bool = False) -> list[Document]: ...

    def replace_facts(self, docs: Iterable[Document]) -> None: ...

    # linking: a versioned step, one transaction per document (see link/incremental.py)
    def linking(self) -> AbstractContextManager[None]: ...

    def mark_linked(self, document_id: int, version: int, stage: str) -> None: ...

    def unlinked(self, stage: str, limit: int = 100, after: int = 0
                 ) -> list[StaleVersion]: ...

    # reading
    def counts(self, scope: Scope = PUBLIC) -> Counts: ...

    def countries(self, scope: Scope = PUBLIC) -> list[CountryRow]: ...

    def country(self, code: str, scope: Scope = PUBLIC, limit: int = 50,
                cursor: str | None = None, summaries_limit: int = 20,
                summaries_cursor: str | None = None) -> CountryPage | None: ...

    def document(self, doc_id: int, version: int | None = None, scope: Scope = PUBLIC
                 ) -> DocumentView | None: ...

    def recent_documents(self, limit: int = 20, cursor: str | None = None,
                         scope: Scope = PUBLIC) -> Page[DocumentRow]: ...

    def search(self, query: str, limit: int = 50, cursor: str | None = None,
               scope: Scope = PUBLIC) -> Page[SearchHit]: ...
