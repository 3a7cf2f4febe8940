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
