"""Helpers shared by the evaluations: locating ../shared, reading JSON lines, F1, and running
the shipped extract path (`extract_records`, what `rightsrecord extract` runs) over inputs."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_SHARED = Path(__file__).resolve().parents[3].parent / "shared"

# One short text that touches every stage, so the models load before anything is timed.
WARM_UP = {"id": "warm-up", "title": "Kazakhstan",
           "text": "On 3 March 2015 police arrested a journalist in Almaty, Kazakhstan."}


class MissingData(Exception):
    """An evaluation set is not where it should be."""


def shared_path(path: str | Path | None = None) -> Path:
    """`path`, else ../shared beside the repository, else ./../shared."""
    for candidate in (path, DEFAULT_SHARED, Path.cwd().parent / "shared"):
        if candidate and (Path(candidate) / "eval").is_dir():
            return Path(candidate)
    raise MissingData("the evaluation data (../shared/eval) is not beside the repository")


def require(path: Path) -> Path:
    if not path.exists():
        raise MissingData(f"missing evaluation data: {path}")
    return path


def read_jsonl(path: Path) -> Iterator[dict]:
    with require(path).open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def f1(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


@dataclass
class Extracted:
    """The extract path's output for a list of inputs, in input order."""

    records: list[dict[str, Any]]  # an empty record where extraction failed
    seconds: list[float]  # time to yield each record (a batch's cost lands on its first)
    failures: list[tuple[str, str]] = field(default_factory=list)

    @property
    def total_seconds(self) -> float:
        return sum(self.seconds)


EMPTY = {"countries": [], "themes": [], "dates": [], "actors": [], "events": [], "items": [],
         "summaries": []}


def extract(objs: Sequence[dict[str, Any]]) -> Extracted:
    """Run `extract_records` (the `extract --input-format jsonl` path) over `objs`.

    A warm-up call loads the models first; the times sum to what producing the records took.
    A failed input (an (id, reason) pair) predicts nothing and is listed in `failures`.
    """
    from rightsrecord.extract.run import extract_records

    list(extract_records([WARM_UP]))
    out = Extracted([], [])
    stream = extract_records(objs)
    while True:
        t0 = time.perf_counter()
        try:
            rec = next(stream)
        except StopIteration:
            break
        out.seconds.append(time.perf_counter() - t0)
        if isinstance(rec, tuple):
            out.failures.append(rec)
            rec = {"id": rec[0], **EMPTY}
        out.records.append(rec)
    if len(out.records) != len(objs):
        raise RuntimeError(f"extract gave {len(out.records)} records for {len(objs)} inputs")
    return out
