"""The data model: what ingestion produces and the store keeps.

See docs/model.md for the full description of each record and its columns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Document kinds, as stored in documents.kind.
KINDS = ("html", "text", "feed", "pdf", "listing")


@dataclass
class Span:
    """A fact read out of a text, pointing back at the exact characters it came from.

    `start`/`end` are character offsets into the owning text (document, item or summary),
    `stage` names the pipeline stage that produced it, with its version (`dates.v1`).
    """

    kind: str  # date | place | theme | actor | event
    start: int
    end: int
    text: str
    stage: str
    value: dict[str, Any] = field(default_factory=dict)


@dataclass
class Item:
    """A dated entry of a listing page or feed; `text` (the teaser) may be missing."""

    date: str | None  # ISO date, YYYY-MM-DD
    title: str | None = None
    text: str | None = None
    url: str | None = None
    position: int = 0
    country: str | None = None  # ISO 3166-1 alpha-2
    spans: list[Span] = field(default_factory=list)


@dataclass
class SummaryBlock:
    """A country summary paragraph of a listing page, with the year it covers."""

    text: str
    year: int | None = None
    position: int = 0
    country: str | None = None
    spans: list[Span] = field(default_factory=list)


@dataclass
class ParsedDocument:
    """One input after reading and parsing, before it is stored."""

    url: str
    kind: str
    text: str
    content_hash: str
    title: str | None = None
    published: str | None = None  # ISO date of publication, kept apart from event dates
    source: str = ""  # the Source name: a web host or a local folder
    country: str | None = None
    items: list[Item] = field(default_factory=list)
    summaries: list[SummaryBlock] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)


@dataclass
class IngestResult:
    """What the store did with one ParsedDocument."""

    status: str  # stored | unchanged | new-version
    document_id: int
    version: int
