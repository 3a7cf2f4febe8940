"""Helpers shared by the evaluations: locating ../shared, reading JSON lines, F1."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

DEFAULT_SHARED = Path(__file__).resolve().parents[3].parent / "shared"


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
