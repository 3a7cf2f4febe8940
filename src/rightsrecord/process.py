"""One way through: read -> pipeline.pipe(docs, batch_size) -> store.add_many -> link.

The CLI's `ingest` and `demo` use it; a Dask partition runs the same function over its share
of the inputs. Outcomes come back in input order, one per input. A document already stored
as it is but not yet linked by the current link stage (a run stopped between storing and
linking it, or the rules changed since) is linked when it comes again.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any

from .document import Document
from .errors import Rejection
from .extract.pipeline import DEFAULT_BATCH_SIZE, Pipeline, StageError
from .link.incremental import link_documents, link_stored
from .store.base import Store


@dataclass
class Outcome:
    input: str
    status: str  # stored | new-version | unchanged | rejected
    reason: str = ""
    document_id: int | None = None
    version: int | None = None
    kind: str | None = None
    items: int = 0
    summaries: int = 0

    def line(self) -> str:
        if self.status == "rejected":
            return f"rejected {self.input}: {self.reason}"
        extra = f", {self.items} items" if self.items else ""
        extra += f", {self.summaries} summaries" if self.summaries else ""
        return (f"{self.status} {self.input} (document {self.document_id} version "
                f"{self.version}, {self.kind}{extra})")

    def json(self) -> str:
        obj: dict[str, str | int | None]
        if self.status == "rejected":
            obj = {"input": self.input, "status": self.status, "reason": self.reason}
        else:
            obj = {"input": self.input, "status": self.status, "document_id": self.document_id,
                   "version": self.version}
        return json.dumps(obj, ensure_ascii=False)


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


def process(inputs: Iterable[Document | Rejection], store: Store,
            pipeline: Pipeline | None = None, batch_size: int = DEFAULT_BATCH_SIZE
            ) -> Iterator[Outcome]:
    """Run the pipeline over every document not already stored as it is, and store it."""
    pipeline = pipeline or Pipeline()
    stream = iter(inputs)
    while chunk := list(islice(stream, max(1, batch_size))):
        docs = [d for d in chunk if isinstance(d, Document)]
        known = store.unchanged(docs)
        fresh = [d for d in docs if id(d) not in known]
        ran = {id(d): r for d, r in zip(fresh, pipeline.pipe(fresh, batch_size), strict=True)}
        good = [d for d in fresh if isinstance(ran[id(d)], Document)]
        results = {id(d): r for d, r in zip(good, store.add_many(good), strict=True)}
        link_documents(store, [d for d in good if results[id(d)].status != "unchanged"])
        link_stored(store, [*(doc_id for doc_id, _ in known.values()),
                            *(r.document_id for r in results.values()
                              if r.status == "unchanged")])
        for item in chunk:
            if isinstance(item, Rejection):
                yield Outcome(item.input, "rejected", reason=item.reason)
                continue
            if id(item) in known:
                doc_id, version = known[id(item)]
                yield Outcome(item.input, "unchanged", document_id=doc_id, version=version,
                              kind=item.kind, items=len(item.items),
                              summaries=len(item.summaries))
                continue
            result = ran[id(item)]
            if isinstance(result, StageError):
                yield Outcome(item.input, "rejected", reason=str(result))
                continue
            stored = results[id(item)]
            yield Outcome(item.input, stored.status, document_id=stored.document_id,
                          version=stored.version, kind=item.kind, items=len(item.items),
                          summaries=len(item.summaries))


def ingest(store: Store, targets: Iterable[str], options: Any = None,
           report: Callable[[Outcome], None] | None = None,
           batch_size: int = DEFAULT_BATCH_SIZE) -> Tally:
    """Read, extract and store every target; `report` hears each outcome. The library call
    behind `rightsrecord ingest`."""
    from .ingest.pipeline import read

    tally = Tally()
    for outcome in process(read(targets, options), store, batch_size=batch_size):
        tally.add(outcome)
        if report:
            report(outcome)
    return tally
