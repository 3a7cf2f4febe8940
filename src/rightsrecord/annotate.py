"""Facts catch up with the code: re-run the stages over stored versions, fetching nothing.

Versions are read from the store in batches, their facts made anew by the current pipeline
and swapped in, one transaction per document, then linked again. A run that stops part-way
loses nothing, and the next `--stale` run starts where it stopped, since finished versions are
no longer stale. Last, every current version the current link stage has not linked is linked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TextIO

from .document import Document
from .extract.pipeline import DEFAULT_BATCH_SIZE, Pipeline
from .link.incremental import link_documents, link_pending
from .progress import counter, shown
from .store.base import Store


@dataclass
class AnnotateResult:
    versions: int = 0
    failed: int = 0
    linked: int = 0  # current versions linked that were pending
    stage_ids: list[str] = field(default_factory=list)


def annotate(store: Store, stale_only: bool = True, batch_size: int = DEFAULT_BATCH_SIZE,
             progress: bool = False, pipeline: Pipeline | None = None,
             stream: TextIO | None = None) -> AnnotateResult:
    """Re-run the stages over stored versions; with `progress`, a bar on `stream` (standard
    error by default) when it is a terminal."""
    pipeline = pipeline or Pipeline()
    ids = pipeline.ids
    result = AnnotateResult(stage_ids=ids)
    total = store.count_versions(ids if stale_only else None) if shown(progress, stream) \
        else None
    after = 0
    with counter(total, "annotate", "version", enabled=progress and total != 0,
                 file=stream) as bar:
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
            bar.update(len(batch))
            after = batch[-1].version_id
    result.linked = link_pending(store, batch_size)
    return result
