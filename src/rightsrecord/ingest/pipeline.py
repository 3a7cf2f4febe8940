"""Reading inputs: files, folders, URLs, standard input and JSON lines, to Documents.

Readers yield Documents and nothing else; an input that cannot be read yields a Rejection
naming it and the reason, and the batch goes on.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from ..document import Document, text_document
from ..errors import RejectedInput, Rejection
from .decode import binary_kind
from .fetch import Fetched, fetch_url, read_file
from .readers import read_feed, read_html, read_pdf, read_text
from .sniff import sniff
from .walk import expand, is_url

DEFAULT_MAX_BYTES = 20 * 1024 * 1024


def default_max_bytes() -> int:
    value = os.environ.get("RIGHTSRECORD_MAX_BYTES")
    return int(value) if value and value.isdigit() else DEFAULT_MAX_BYTES


@dataclass
class Options:
    max_bytes: int = field(default_factory=default_max_bytes)
    timeout: float = 20.0
    allow_hosts: frozenset[str] = frozenset()  # private hosts URL ingest may fetch from


def parse(fetched: Fetched, label: str) -> Document:
    """Bytes to a Document (text, metadata, items, summaries); raises RejectedInput."""
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
    doc.adopt()
    return doc


def load(target: str, options: Options) -> Document:
    if is_url(target):
        fetched = fetch_url(target, options.max_bytes, options.timeout,
                            allow_hosts=options.allow_hosts)
    else:
        path = Path(target)
        if not path.exists():
            raise RejectedInput("no such file or folder")
        fetched = read_file(path, options.max_bytes)
    return parse(fetched, target)


def read(targets: Iterable[str], options: Options | None = None, input_format: str = "document",
         stdin: IO[bytes] | None = None) -> Iterator[Document | Rejection]:
    """Every input as a Document, or a Rejection; lazily, one input at a time.

    `input_format` "document" reads each file, folder entry, URL or `-` (standard input) as
    one document; "jsonl" reads each line of each input as `{id, text|html, title?, url?,
    published?}`.
    """
    options = options or Options()
    for target in targets:
        if target == "-":
            stream = stdin or sys.stdin.buffer
            if input_format == "jsonl":
                yield from read_jsonl(stream, "-")
            else:
                yield _guarded("-", lambda s=stream: _stdin_document(s.read()))
            continue
        if input_format == "jsonl":
            try:
                with open(target, "rb") as fh:
                    yield from read_jsonl(fh, target)
            except OSError as exc:
                yield Rejection(target, f"cannot read: {exc.strerror or exc}")
            continue
        for path in expand([target]):
            yield _guarded(path, lambda p=path: load(p, options))


def _guarded(label: str, make: Any) -> Document | Rejection:
    try:
        doc = make()
        doc.input = label
        return doc
    except RejectedInput as exc:
        return Rejection(label, str(exc))
    except RecursionError:
        return Rejection(label, "structure nested too deeply to read")


def _stdin_document(data: bytes) -> Document:
    doc = parse(Fetched(data, "stdin:", "stdin"), "-")
    doc.body.id = hashlib.sha256(data).hexdigest()[:16]
    return doc


def read_jsonl(stream: IO[bytes], label: str) -> Iterator[Document | Rejection]:
    """One Document per JSON line; a bad line is one Rejection and the lines after it go on."""
    for number, raw in enumerate(stream, 1):
        line = raw.decode("utf-8", errors="replace")
        if not line.strip():
            continue
        yield _guarded(label, lambda ln=line, n=number: json_document(ln, n))


_META = ("title", "url", "published")


def json_document(line: str, number: int) -> Document:
    """One JSON input line: `id`, `text` or `html`, optional `title`, `url`, `published`."""
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise RejectedInput(f"line {number}: not JSON ({exc.msg})") from None
    if not isinstance(obj, dict):
        raise RejectedInput(f"line {number}: not a JSON object")
    return object_document(obj, number)


def object_document(obj: dict[str, Any], number: int) -> Document:
    doc_id = obj.get("id", number)
    doc_id = str(doc_id) if doc_id is not None else str(number)
    meta = {k: obj.get(k) if isinstance(obj.get(k), str) else None for k in _META}
    for key, value in (("id", doc_id), ("text", obj.get("text")), ("html", obj.get("html")),
                       *meta.items()):
        if isinstance(value, str) and not _valid_unicode(value):
            raise RejectedInput(f"line {number}: `{key}` holds a lone surrogate, which is not "
                                "valid Unicode")
    if isinstance(obj.get("text"), str):
        # The text is kept exactly as given: every offset refers to this string.
        return text_document(obj["text"], id=doc_id, **meta)
    if isinstance(obj.get("html"), str):
        doc = read_html(obj["html"].encode("utf-8"), doc_id, meta["url"], "utf-8")
        doc.url = meta["url"] or ""
        doc.title = meta["title"] or doc.title
        doc.published = meta["published"] or doc.published
        doc.body.id = doc_id
        doc.content_hash = hashlib.sha256(obj["html"].encode("utf-8")).hexdigest()
        doc.adopt()
        return doc
    raise RejectedInput(f"line {number}: needs a `text` or an `html` string")


def _valid_unicode(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
