"""argparse `type=` functions: a bad value is a usage error (exit 2) with a clear message."""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable

LIMIT_MAX = 1000


def positive_float(value: str) -> float:
    """Seconds: a finite number above zero."""
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of seconds") from None
    if not math.isfinite(number) or number <= 0:
        raise argparse.ArgumentTypeError(f"{value!r}: must be a number of seconds above 0")
    return number


def bounded_int(low: int, high: int | None = None) -> Callable[[str], int]:
    """A whole number from `low` to `high` (no upper bound when None)."""
    span = f"from {low:,} to {high:,}" if high is not None else f"of at least {low:,}"

    def parse(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
        if number < low or (high is not None and number > high):
            raise argparse.ArgumentTypeError(f"{value!r}: must be a whole number {span}")
        return number

    return parse


limit = bounded_int(1, LIMIT_MAX)
max_bytes = bounded_int(1)


def country_code(value: str) -> str:
    """An ISO 3166-1 alpha-2 code: two ASCII letters, returned in upper case."""
    if len(value) != 2 or not (value.isascii() and value.isalpha()):
        # repr() escapes what cannot be printed, such as the lone surrogates that stand for
        # command-line bytes that are not UTF-8
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a country code: use two letters (ISO 3166-1 alpha-2), e.g. KZ")
    return value.upper()


MAX_ID = 2**63 - 1  # the largest id either store can hold
record_id = bounded_int(1, MAX_ID)  # a document's, a version's or an event's number
batch_size = bounded_int(1, 10_000)
port = bounded_int(1, 65_535)


year = bounded_int(1, 9999)


def output_file(value: str) -> str:
    """-o: a file to write, in a folder that exists."""
    from pathlib import Path

    path = Path(value)
    if path.is_dir():
        raise argparse.ArgumentTypeError(f"{value!r} is a folder, not a file")
    if not path.parent.is_dir():
        raise argparse.ArgumentTypeError(f"{value!r}: no folder {str(path.parent)!r}")
    return value


def base_url(value: str) -> str:
    """A site's address: http(s)://host[/path], without a query."""
    from urllib.parse import urlsplit

    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query \
            or parts.fragment:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a site's address: use http(s)://host, e.g. https://example.org")
    return value.rstrip("/")


def store_target(value: str) -> str:
    """--db: a SQLite file's path or a postgresql:// URL. A libpq keyword string
    (`host=... dbname=...`) or a URL of another kind would otherwise be taken for a file's
    name and a new SQLite store made under it; the message shows it with its password
    starred."""
    from .errors import StoreError
    from .store import check_target

    try:
        check_target(value)
    except StoreError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return value
