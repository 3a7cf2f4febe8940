"""Extraction over inputs: files, folders, URLs, standard input, or JSON lines."""

from __future__ import annotations

import hashlib
import io
import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from ..errors import RejectedInput
from ..ingest.fetch import Fetched
from ..ingest.pipeline import Options, expand, load, parse
from ..ingest.readers import read_html
from ..model import ParsedDocument
from .contract import record
from .pipeline import ExtractDoc, Pipeline, StageError


@dataclass
class Job:
    """One document to extract: the main text, with its listing items and summaries."""

    doc: ExtractDoc
    items: list[tuple[dict[str, Any], ExtractDoc]]
    summaries: list[tuple[dict[str, Any], ExtractDoc]]
    include_text: bool


def job_from_parsed(parsed: ParsedDocument, doc_id: str) -> Job:
    doc = ExtractDoc(text=parsed.text, id=doc_id, title=parsed.title,
                     published=parsed.published, url=parsed.url)
    items = [({"date": i.date, "title": i.title, "url": i.url},
              ExtractDoc(text=i.text or "", id=f"{doc_id}#item{n}", title=i.title,
                         published=i.date or parsed.published))
             for n, i in enumerate(parsed.items)]
    summaries = [({"year": s.year},
                  ExtractDoc(text=s.text, id=f"{doc_id}#summary{n}",
                             published=f"{s.year}-12-31" if s.year else parsed.published))
                 for n, s in enumerate(parsed.summaries)]
    return Job(doc, items, summaries, include_text=True)


def job_from_json(line: str, number: int) -> Job:
    """One JSON input line: `id`, `text` or `html`, optional `title`, `url`, `published`."""
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise RejectedInput(f"line {number}: not JSON ({exc.msg})") from None
    if not isinstance(obj, dict):
        raise RejectedInput(f"line {number}: not a JSON object")
    doc_id = obj.get("id", number)
    doc_id = str(doc_id) if doc_id is not None else str(number)
    meta = {k: obj.get(k) if isinstance(obj.get(k), str) else None
            for k in ("title", "url", "published")}
    if isinstance(obj.get("text"), str):
        # The text is kept exactly as given: every offset refers to this string.
        return Job(ExtractDoc(text=obj["text"], id=doc_id, **meta), [], [], include_text=False)
    if isinstance(obj.get("html"), str):
        data = obj["html"].encode("utf-8")
        parsed = read_html(data, doc_id, meta["url"], "utf-8")
        parsed.url = meta["url"] or ""
        parsed.title = meta["title"] or parsed.title
        parsed.published = meta["published"] or parsed.published
        job = job_from_parsed(parsed, doc_id)
        job.doc.url = meta["url"]
        return job
    raise RejectedInput(f"line {number}: needs a `text` or an `html` string")


def jobs(targets: Iterable[str], input_format: str, options: Options,
         stdin: IO[str] | None = None) -> Iterator[Job | tuple[str, str]]:
    """Jobs, or (input, reason) pairs for inputs that cannot be read."""
    for target in targets:
        if target == "-":
            stream = stdin or sys.stdin
            if input_format == "jsonl":
                if getattr(stream, "buffer", None) is not None:
                    stream = io.TextIOWrapper(stream.buffer, encoding="utf-8", errors="replace")
                yield from _json_lines(stream, "-")
            else:
                raw = getattr(stream, "buffer", None)
                data = raw.read() if raw is not None else stream.read().encode("utf-8")
                digest = hashlib.sha256(data).hexdigest()[:16]
                try:
                    yield job_from_parsed(parse(Fetched(data, "stdin:", "stdin"), "-"), digest)
                except RejectedInput as exc:
                    yield ("-", str(exc))
            continue
        if input_format == "jsonl":
            try:
                with open(target, encoding="utf-8", errors="replace") as fh:
                    yield from _json_lines(fh, target)
            except OSError as exc:
                yield (target, f"cannot read: {exc.strerror or exc}")
            continue
        for path in expand([target]):
            try:
                yield job_from_parsed(load(path, options), path)
            except RejectedInput as exc:
                yield (path, str(exc))


def _json_lines(stream: IO[str], label: str) -> Iterator[Job | tuple[str, str]]:
    for number, line in enumerate(stream, 1):
        if not line.strip():
            continue
        try:
            yield job_from_json(line, number)
        except RejectedInput as exc:
            yield (label, str(exc))
        except RecursionError:
            yield (label, f"line {number}: nested too deeply")


def extract(job: Job, pipeline: Pipeline) -> dict[str, Any]:
    """Run the pipeline over a job's text, items and summaries; raises StageError."""
    pipeline(job.doc)
    primary = next((c.code for c in job.doc.countries if c.primary), None)
    for _, sub in job.items + job.summaries:
        sub.fallback_country = primary
        pipeline(sub)
    return record(job.doc, job.items, job.summaries, include_text=job.include_text)


def run(targets: Iterable[str], input_format: str, out: IO[str], err: IO[str],
        options: Options | None = None, pipeline: Pipeline | None = None,
        pretty: bool = False) -> tuple[int, int]:
    """Write one JSON line per document to `out` and one error line per failure to `err`;
    return (written, failed)."""
    pipeline = pipeline or Pipeline()
    options = options or Options()
    written = failed = 0
    for job in jobs(targets, input_format, options):
        if isinstance(job, tuple):
            print(f"rejected {job[0]}: {job[1]}", file=err, flush=True)
            failed += 1
            continue
        try:
            result = extract(job, pipeline)
        except StageError as exc:
            print(f"failed {job.doc.id}: {exc}", file=err, flush=True)
            failed += 1
            continue
        out.write(json.dumps(result, ensure_ascii=False, indent=2 if pretty else None) + "\n")
        written += 1
    return written, failed
