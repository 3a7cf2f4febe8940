"""`rightsrecord extract`: read -> pipeline.pipe -> the contract's record, one JSON line each.

The same readers and the same pipeline as ingest; only the end differs (a record printed
instead of a document stored).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import IO, Any

from ..document import Document
from ..errors import RejectedInput, Rejection
from ..ingest.pipeline import Options, object_document, read
from .contract import record
from .pipeline import DEFAULT_BATCH_SIZE, Pipeline, StageError


def records(inputs: Iterable[Document | Rejection], pipeline: Pipeline | None = None,
            batch_size: int = DEFAULT_BATCH_SIZE) -> Iterator[dict[str, Any] | Rejection]:
    """The record of every document, in input order; a Rejection for what failed."""
    pipeline = pipeline or Pipeline()
    pending: list[Document | Rejection] = []

    def flush() -> Iterator[dict[str, Any] | Rejection]:
        docs = [d for d in pending if isinstance(d, Document)]
        done = dict(zip(map(id, docs), pipeline.pipe(docs, batch_size), strict=True))
        for item in pending:
            if isinstance(item, Rejection):
                yield item
                continue
            result = done[id(item)]
            if isinstance(result, StageError):
                yield Rejection(item.input or str(item.body.id), str(result))
            else:
                # A text given as `text` is not repeated: the offsets refer to the input.
                yield record(result, include_text=not item.text_given)
        pending.clear()

    for item in inputs:
        pending.append(item)
        if len(pending) >= batch_size:
            yield from flush()
    yield from flush()


def extract_records(objs: Iterable[dict[str, Any]], pipeline: Pipeline | None = None,
                    batch_size: int = DEFAULT_BATCH_SIZE
                    ) -> Iterator[dict[str, Any] | tuple[str, str]]:
    """The `extract --input-format jsonl` path as a library call: each input object
    (`id`, `text` or `html`, optional `title`, `url`, `published`) gives its extraction record,
    or an (input, reason) pair when it cannot be read or a stage fails."""

    def docs() -> Iterator[Document | Rejection]:
        for number, obj in enumerate(objs, 1):
            try:
                doc = object_document(obj, number)
                doc.input = str(obj.get("id", number))
                yield doc
            except RejectedInput as exc:
                yield Rejection(str(obj.get("id", number)), str(exc))

    for out in records(docs(), pipeline, batch_size):
        yield (out.input, out.reason) if isinstance(out, Rejection) else out


def run(targets: Iterable[str], input_format: str, out: IO[str], err: IO[str],
        options: Options | None = None, pipeline: Pipeline | None = None,
        pretty: bool = False, stdin: IO[bytes] | None = None) -> tuple[int, int]:
    """Write one JSON line per document to `out` and one error line per failure to `err`;
    return (written, failed)."""
    written = failed = 0
    for result in records(read(targets, options, input_format, stdin), pipeline):
        if isinstance(result, Rejection):
            print(result.line(), file=err, flush=True)
            failed += 1
            continue
        out.write(json.dumps(result, ensure_ascii=False, indent=2 if pretty else None) + "\n")
        written += 1
    return written, failed
