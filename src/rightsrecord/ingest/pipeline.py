"""Ingestion: inputs (files, folders, URLs) to parsed documents to the store, one at a time.

A bad input is rejected with one line naming it and the reason; the batch goes on.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import RejectedInput
from ..extract.pipeline import DEFAULT_STAGES, Pipeline, StageError
from ..model import ParsedDocument
from ..store import SQLiteStore
from .annotate import annotate
from .decode import binary_kind
from .fetch import Fetched, fetch_url, read_file
from .readers import read_feed, read_html, read_pdf, read_text
from .sniff import sniff

DEFAULT_MAX_BYTES = 20 * 1024 * 1024


def default_max_bytes() -> int:
    value = os.environ.get("RIGHTSRECORD_MAX_BYTES")
    return int(value) if value and value.isdigit() else DEFAULT_MAX_BYTES


@dataclass
class Options:
    max_bytes: int = field(default_factory=default_max_bytes)
    timeout: float = 20.0
    stages: tuple[str, ...] = DEFAULT_STAGES  # the extraction run on every stored text


@dataclass
class Outcome:
    label: str
    status: str  # stored | new-version | unchanged | rejected
    reason: str = ""
    document_id: int | None = None
    kind: str | None = None
    items: int = 0
    summaries: int = 0

    def line(self) -> str:
        if self.status == "rejected":
            return f"rejected {self.label}: {self.reason}"
        extra = f", {self.items} items" if self.items else ""
        extra += f", {self.summaries} summaries" if self.summaries else ""
        return f"{self.status} {self.label} (document {self.document_id}, {self.kind}{extra})"


@dataclass
class Tally:
    stored: int = 0
    new_version: int = 0
    unchanged: int = 0
    rejected: int = 0

    def add(self, outcome: Outcome) -> None:
        name = outcome.status.replace("-", "_")
        setattr(self, name, getattr(self, name) + 1)

    def line(self) -> str:
        return (f"{self.stored} stored, {self.new_version} new versions, "
                f"{self.unchanged} unchanged, {self.rejected} rejected")


def is_url(target: str) -> bool:
    return target.startswith(("http://", "https://"))


def expand(targets: Iterable[str]) -> Iterator[str]:
    """Files, folders (walked in name order, hidden entries skipped) and URLs, lazily."""
    for target in targets:
        if is_url(target):
            yield target
            continue
        path = Path(target)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if not name.startswith("."):
                        yield str(Path(root) / name)
        else:
            yield target


def parse(fetched: Fetched, label: str) -> ParsedDocument:
    """Bytes to a ParsedDocument (text, metadata, items, summaries); raises RejectedInput."""
    data = fetched.data
    if not data.strip():
        raise RejectedInput("empty")
    kind = sniff(data, fetched.url, fetched.media_type)
    if kind != "pdf":
        binary = binary_kind(data)
        if binary:
            raise RejectedInput(f"binary file ({binary}), not a text, HTML, feed or PDF document")
    if kind == "pdf":
        doc = read_pdf(data, label)
    elif kind == "feed":
        doc = read_feed(data, label)
    elif kind == "html":
        doc = read_html(data, label, fetched.url, fetched.charset)
    else:
        doc = read_text(data, label, fetched.charset)
    doc.url = fetched.url
    doc.source = fetched.source
    doc.content_hash = hashlib.sha256(data).hexdigest()
    return doc


def load(target: str, options: Options) -> ParsedDocument:
    if is_url(target):
        fetched = fetch_url(target, options.max_bytes, options.timeout)
    else:
        path = Path(target)
        if not path.exists():
            raise RejectedInput("no such file or folder")
        fetched = read_file(path, options.max_bytes)
    return parse(fetched, target)


def ingest(store: SQLiteStore, targets: Iterable[str], options: Options | None = None,
           report: Callable[[Outcome], None] | None = None) -> Tally:
    """Ingest every target; each stored document, with every fact extracted from it, is one
    transaction of its own."""
    options = options or Options()
    pipeline = Pipeline(options.stages)
    tally = Tally()
    for target in expand(targets):
        try:
            doc = load(target, options)
            try:
                annotate(doc, pipeline)
            except StageError as exc:
                raise RejectedInput(str(exc)) from exc
            result = store.add(doc)
            outcome = Outcome(target, result.status, document_id=result.document_id,
                              kind=doc.kind, items=len(doc.items), summaries=len(doc.summaries))
        except RejectedInput as exc:
            outcome = Outcome(target, "rejected", reason=str(exc))
        except RecursionError:
            outcome = Outcome(target, "rejected", reason="structure nested too deeply to read")
        tally.add(outcome)
        if report:
            report(outcome)
    return tally
