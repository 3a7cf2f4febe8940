"""Targets to inputs: files, folders (walked), URLs; every name yielded can be printed."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from .fetch import redact_url


def is_url(target: str) -> bool:
    """http(s) URLs, and file:// URIs (how a local file whose name is not UTF-8 is named)."""
    return target[:8].lower().startswith(("http://", "https://", "file://"))


def printable(name: str) -> bool:
    """False for a name holding bytes that are not UTF-8 (os.fsdecode keeps them as lone
    surrogates, which no UTF-8 stream, database or JSON encoder accepts)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def display_name(name: str) -> str:
    """A file name fit to print: bytes that are not UTF-8 shown as \\xNN escapes."""
    return os.fsencode(name).decode("utf-8", "backslashreplace")


def _named(path: str) -> str:
    """The path itself, or its file:// URI (percent-encoded bytes) when the path cannot be
    printed: the URI names the same file, in ASCII, and reads it (see fetch.fetch_url)."""
    return path if printable(path) else Path(os.path.abspath(path)).as_uri()


def expand(targets: Iterable[str]) -> Iterator[str]:
    """Files, folders (walked in name order, hidden entries skipped) and URLs, lazily. A URL
    comes without its credentials: it is printed as it is fetched, so they are never used."""
    for name, _ in entries(targets):
        yield name


def entries(targets: Iterable[str]) -> Iterator[tuple[str, bool]]:
    """(name, found in a folder) for each input `expand` yields: a file named on the command
    line is read as asked, while one found by walking a folder is read only if it is a
    document (see sniff.not_a_document)."""
    for target in targets:
        if is_url(target):
            yield redact_url(target), False
            continue
        path = Path(target)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if not name.startswith("."):
                        yield _named(str(Path(root) / name)), True
        else:
            yield _named(target), False
