"""The values a filter may take: theme codes, event types, years, countries. A value outside
them is the caller's error (422), never silently ignored."""

from __future__ import annotations

import csv
import json
from datetime import date
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data"
FIRST_YEAR = 1800


@cache
def themes() -> dict[str, str]:
    """Theme code → label."""
    labels = json.loads((DATA / "themes" / "labels.json").read_text(encoding="utf-8"))["labels"]
    return {t["id"]: t["label"] for t in labels}


@cache
def event_types() -> tuple[str, ...]:
    with (DATA / "events" / "types.tsv").open(encoding="utf-8") as fh:
        rows = csv.reader((ln for ln in fh if ln.strip() and not ln.startswith("#")),
                          delimiter="\t")
        return tuple(row[0] for row in rows if row)


def last_year() -> int:
    return date.today().year + 1


def plausible_year(year: int) -> bool:
    return FIRST_YEAR <= year <= last_year()


def country_code(code: str) -> str | None:
    """An ISO 3166-1 alpha-2 code, upper-cased, or None."""
    code = code.strip().upper()
    return code if len(code) == 2 and code.isascii() and code.isalpha() else None
