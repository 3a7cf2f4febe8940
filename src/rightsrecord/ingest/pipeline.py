"""Reading inputs: files, folders, URLs, standard input and JSON lines, to Documents.

Readers yield Documents and nothing else; an input that cannot be read yields a Rejection
naming it and the reason, and the batch goes on.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from ..document import Document, text_document
from ..errors import RejectedInput, Rejection
from .address import MAX_ADDRESS_BYTES, settle_address
from .decode import binary_kind
from .fetch import Fetched, fetch_url, read_file
from .readers import read_feed, read_html, read_pdf, read_text
from .sanitize import clean_line, clean_text, has_markup_hazard
from .sniff import not_a_document, sniff
from .walk import entries, is_url

DEFAULT_MAX_BYTES = 20 * 1024 * 1024


def default_max_bytes() -> int:
    value = os.environ.get("RIGHTSRECORD_MAX_BYTES")
    return int(value) if value and value.isdigit() else DEFAULT_MAX_BYTES


@dataclass
class Options:
    max_bytes: int = field(default_factory=default_max_bytes)
    timeout: float = 20.0
    allow_hosts: frozenset[str] = frozenset()  # private hosts URL ingest may fetch from
    # Hears each file of a folder that is no document, with why (e.g. "Markdown text");
    # None prints `skipped NAME: WHY` on standard error.
    on_skip: Callable[[str, str], None] | None = None


def print_skip(name: str, why: str) -> None:
    print(f"skipped {name}: {why}", file=sys.stderr, flush=True)


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


def fetch(target: str, options: Options) -> Fetched:
    """The bytes of a file or URL; raises RejectedInput."""
    if is_url(target):
        return fetch_url(target, options.max_bytes, options.timeout,
                         allow_hosts=options.allow_hosts)
    path = Path(target)
    if not path.exists():
        raise RejectedInput("no such file or folder")
    return read_file(path, options.max_bytes)


def load(target: str, options: Options) -> Document:
    return parse(fetch(target, options), target)


def _folder_entry(name: str, options: Options) -> Document | Rejection | None:
    """A file found in a folder: its Document or Rejection, or None (said through
    `options.on_skip`) when it is no document: a README, a table, code, settings."""
    try:
        fetched = fetch(name, options)
    except RejectedInput as exc:
        return Rejection(name, str(exc))
    why = not_a_document(fetched.data, name)
    if why:
        (options.on_skip or print_skip)(name, why)
        return None
    return _guarded(name, lambda: parse(fetched, name))


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
                yield _guarded("-", lambda s=stream: _stdin_document(s, options.max_bytes))
            continue
        if input_format == "jsonl":
            try:
                with open(target, "rb") as fh:
                    yield from read_jsonl(fh, target)
            except OSError as exc:
                yield Rejection(target, f"cannot read: {exc.strerror or exc}")
            continue
        for path, walked in entries([target]):
            if not walked:
                yield _guarded(path, lambda p=path: load(p, options))
            elif (entry := _folder_entry(path, options)) is not None:
                yield entry


def _guarded(label: str, make: Any) -> Document | Rejection:
    try:
        doc = settle(make())
        doc.input = doc.input or label
        return doc
    except RejectedInput as exc:
        return Rejection(label, str(exc))
    except RecursionError:
        return Rejection(label, "structure nested too deeply to read")


# No C0 control but tab, newline and carriage return (nor DEL) is kept: PostgreSQL refuses NUL
# where SQLite takes it, so both stores keep the same text only without them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _plain(value: str | None) -> str | None:
    return _CONTROL.sub("", value) if value else value


def settle(doc: Document) -> Document:
    """The same fields for every input kind and both stores: no control characters, and an
    address short enough to key the document by. Raises RejectedInput."""
    doc.url = _CONTROL.sub("", doc.url)
    size = len(doc.url.encode("utf-8"))
    if size > MAX_ADDRESS_BYTES:
        raise RejectedInput(f"address too long: {size:,} bytes, over the "
                            f"{MAX_ADDRESS_BYTES:,}-byte limit")
    doc.title, doc.published = _plain(doc.title), _plain(doc.published)
    doc.source = _CONTROL.sub("", doc.source)
    settle_address(doc)
    doc.outlet = _plain(doc.outlet)
    for seg in doc.units():
        text = _CONTROL.sub("", seg.text)
        if text != seg.text:
            seg.text, doc.text_given = text, False  # offsets now refer to the stored text
        seg.title, seg.url, seg.date = _plain(seg.title), _plain(seg.url), _plain(seg.date)
        seg.id = _plain(seg.id)
    doc.adopt()
    return doc


def _stdin_document(stream: IO[bytes], max_bytes: int) -> Document:
    """Standard input is known by its content: each different text is a document of its own."""
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise RejectedInput(f"too large: over the {max_bytes:,}-byte limit")
    doc = parse(Fetched(data, "stdin:", "stdin"), "-")
    doc.url = f"stdin:sha256:{doc.content_hash}"
    doc.body.id = doc.content_hash[:16]
    return doc


def read_jsonl(stream: IO[bytes], label: str) -> Iterator[Document | Rejection]:
    """One Document per JSON line; a bad line is one Rejection and the lines after it go on.
    Blank lines are skipped; every other line gives one Document or one Rejection."""
    for number, raw in enumerate(stream, 1):
        if not raw.strip():
            continue
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]  # a byte-order mark, as some editors write
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield Rejection(label, f"line {number}: not valid UTF-8 at byte {exc.start}")
            continue
        doc = _guarded(label, lambda ln=line, n=number: json_document(ln, n))
        if isinstance(doc, Document):
            doc.input = f"{label}:{number}"
        elif not doc.reason.startswith(f"line {number}:"):
            doc.reason = f"line {number}: {doc.reason}"
        yield doc


_META = ("title", "url", "published")
# Characters an identity address spells as %XX: it is shown as text and served as JSON, and
# never holds markup or spaces.
_ADDRESS_ESCAPE = re.compile(r"[%<>\"'`&\s]")


def json_document(line: str, number: int) -> Document:
    """One JSON input line: `id`, `text` or `html`, optional `title`, `url`, `published`."""
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise RejectedInput(f"line {number}: not JSON ({exc.msg})") from None
    except RecursionError:
        raise RejectedInput(f"line {number}: JSON nested too deeply to read") from None
    if not isinstance(obj, dict):
        raise RejectedInput(f"line {number}: not a JSON object")
    return object_document(obj, number)


def object_document(obj: dict[str, Any], number: int) -> Document:
    """A JSON object as a Document known by its address: its `url` when it has one, else
    `jsonl:<id>`, else `jsonl:sha256:<hash of its text>`. Text and title are cleaned as every
    reader cleans them; a plain text is kept exactly, so offsets refer to the caller's string.
    """
    given_id = obj.get("id")
    doc_id = str(given_id) if given_id is not None else str(number)
    meta = {k: obj.get(k) if isinstance(obj.get(k), str) else None for k in _META}
    for key, value in (("id", doc_id), ("text", obj.get("text")), ("html", obj.get("html")),
                       *meta.items()):
        if isinstance(value, str) and not _valid_unicode(value):
            raise RejectedInput(f"line {number}: `{key}` holds a lone surrogate, which is not "
                                "valid Unicode")
    doc_id = _CONTROL.sub("", doc_id)
    title, published = clean_line(meta["title"]), clean_line(meta["published"])
    url = _CONTROL.sub("", meta["url"] or "").strip()
    if has_markup_hazard(url):
        raise RejectedInput(f"line {number}: `url` holds script or markup, not an address")
    if isinstance(obj.get("text"), str):
        source = _CONTROL.sub("", obj["text"])
        text = stored_text(source)
        if source.strip() and not text:
            raise RejectedInput(f"line {number}: no readable text once scripts were removed")
        doc = text_document(text, id=doc_id, title=title, published=published)
        doc.text_given = text == obj["text"]
    elif isinstance(obj.get("html"), str):
        source = _CONTROL.sub("", obj["html"])
        doc = read_html(source.encode("utf-8"), doc_id, url or None, "utf-8")
        doc.title = title or doc.title
        doc.published = published or doc.published
        doc.body.id = doc_id
    else:
        raise RejectedInput(f"line {number}: needs a `text` or an `html` string")
    kind = "text" if isinstance(obj.get("text"), str) else "html"
    doc.content_hash = _digest(json.dumps({kind: source, "title": title, "published": published},
                                          ensure_ascii=False, sort_keys=True))
    if url:
        doc.url = url
    elif given_id is not None and doc_id.strip():
        doc.url = "jsonl:" + _ADDRESS_ESCAPE.sub(_escaped, doc_id)
    else:
        doc.url = f"jsonl:sha256:{_digest(source)}"
    doc.adopt()
    return doc


def stored_text(text: str) -> str:
    """A caller's text as it is stored: when it holds markup (tags, scripts, event handlers,
    escaped script), cleaned as every reader cleans text; otherwise exactly as given."""
    if (_TAG.search(text) or has_markup_hazard(text)
            or ("&" in text and has_markup_hazard(html.unescape(text)))):
        return clean_text(_unclosed_blocks_out(text))
    return text


_TAG = re.compile(r"</?[a-zA-Z][^<>]*>")
_BLOCK_OPEN = re.compile(r"<\s*(script|style)\b[^<>]*>?", re.IGNORECASE)
_BLOCK_CLOSE = re.compile(r"<\s*/\s*(script|style)\s*>", re.IGNORECASE)


def _unclosed_blocks_out(text: str) -> str:
    """A script or style tag that nothing closes loses the tag alone, not the words after it:
    in a text (unlike a page) it is a mention, not an element. Two linear scans."""
    last_close: dict[str, int] = {}
    for closer in _BLOCK_CLOSE.finditer(text):
        last_close[closer[1].lower()] = closer.start()
    return _BLOCK_OPEN.sub(
        lambda m: m[0] if m.end() <= last_close.get(m[1].lower(), -1) else " ", text)


def _escaped(match: re.Match[str]) -> str:
    return "".join(f"%{b:02X}" for b in match[0].encode("utf-8"))


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _valid_unicode(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
