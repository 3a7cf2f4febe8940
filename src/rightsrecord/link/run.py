"""`rightsrecord cluster`: read -> the extract path -> cluster, one {id, cluster} line each."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import IO, Any

from ..document import Document
from ..errors import Rejection
from ..extract.run import records
from ..ingest.pipeline import Options, read
from .cluster import cluster


def run(targets: Iterable[str], input_format: str, out: IO[str], err: IO[str],
        options: Options | None = None, stdin: IO[bytes] | None = None) -> tuple[int, int]:
    """Write one line per readable document, in input order, and one error line per failure
    to `err`; return (written, failed)."""
    texts: list[str | None] = []  # each input's text, in order: records yields one per input

    def inputs() -> Iterator[Document | Rejection]:
        for item in read(targets, options, input_format, stdin):
            texts.append(item.body.text if isinstance(item, Document) else None)
            yield item

    done: list[dict[str, Any]] = []
    failed = 0
    for n, result in enumerate(records(inputs())):
        if isinstance(result, Rejection):
            print(result.line(), file=err, flush=True)
            failed += 1
            continue
        done.append({**result, "text": result.get("text") or texts[n]})
    for rec, label in zip(done, cluster(done), strict=True):
        out.write(json.dumps({"id": rec["id"], "cluster": label}, ensure_ascii=False) + "\n")
    return len(done), failed
