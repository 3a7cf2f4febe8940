"""Facts catch up with the code: re-run the stages over stored versions, fetching nothing.

Versions are read from the store in batches, their facts made anew by the current pipeline
and swapped in, one transaction per document, then linked again. A run that stops part-way
loses nothing, and the next `--stale` run starts where it stopped, since finished versions are
no longer stale. Last, every current version the current link stage has not linked is linked.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import TextIO

from .document import Document
from .extract.pipeline import DEFAULT_BATCH_SIZE, Pipeline
from .link.incremental import link_documents, link_pending
from .store.sql import SQLStore


@dataclass
class AnnotateResult:
    versions: int = 0
    failed: int = 0
    linked: int = 0  # current versions linked that were pending
    stage_ids: list[str] = field(default_factory=list)


class Progress:
    """A one-line progress bar on a terminal; a line every tenth of the way elsewhere."""

    def __init__(self, total: int, stream: TextIO, enabled: bool) -> None:
        self.total, self.stream, self.enabled = total, stream, enabled and total > 0
        self.done = 0
        self.tty = enabled and stream.isatty()
        self._last_tenth = -1

    def advance(self, n: int) -> None:
        self.done += n
        if not self.enabled:
            return
        share = self.done / self.total
        if self.tty:
            bar = "#" * int(share * 30)
            self.stream.write(f"\rannotate [{bar:<30}] {self.done}/{self.total}")
            self.stream.flush()
        elif int(share * 10) != self._last_tenth:
            self._last_tenth = int(share * 10)
            print(f"annotate: {self.done}/{self.total} versions", file=self.stream, flush=True)

    def close(self) -> None:
        if self.enabled and self.tty:
            self.stream.write("\n")


def annotate(store: SQLStore, stale_only: bool = True, batch_size: int = DEFAULT_BATCH_SIZE,
             progress: bool = False, pipeline: Pipeline | None = None,
             stream: TextIO | None = None) -> AnnotateResult:
    pipeline = pipeline or Pipeline()
    ids = pipeline.ids
    result = AnnotateResult(stage_ids=ids)
    bar = Progress(store.count_versions(ids if stale_only else None), stream or sys.stderr,
                   progress)
    after = 0
    while True:
        batch = (store.stale(ids, batch_size, after) if stale_only
                 else store.all_versions(batch_size, after))
        if not batch:
            break
        docs = store.load_versions([v.version_id for v in batch])
        for doc in docs:
            for unit in doc.units():
                unit.clear_facts()
        ok = [d for d in pipeline.pipe(docs, batch_size) if isinstance(d, Document)]
        store.replace_facts(ok)
        link_documents(store, ok)  # the current versions' links follow their new facts
        result.versions += len(ok)
        result.failed += len(docs) - len(ok)
        bar.advance(len(batch))
        after = batch[-1].version_id
    bar.close()
    result.linked = link_pending(store, batch_size)
    return result
