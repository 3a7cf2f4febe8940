"""End-to-end extraction throughput on the HRW 2024 texts, single process, start-up excluded."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from ..extract.pipeline import ExtractDoc, Pipeline
from .common import read_jsonl, shared_path


def hrw_texts(shared: Path) -> list[dict[str, Any]]:
    return list(read_jsonl(shared / "eval/news/hrw_2024_dev.jsonl"))


def evaluate(shared: Path | None = None, repeat: int = 1) -> dict[str, Any]:
    shared = shared_path(shared)
    rows = hrw_texts(shared)
    pipeline = Pipeline()
    pipeline(ExtractDoc(text=rows[0]["text"], title=rows[0]["title"]))  # warm up: load models
    started = time.perf_counter()
    chars = 0
    for _ in range(repeat):
        for row in rows:
            doc = pipeline(ExtractDoc(text=row["text"], title=row["title"]))
            json.dumps(len(doc.events))
            chars += len(row["text"])
    seconds = time.perf_counter() - started
    n = len(rows) * repeat
    return {"docs": n, "seconds": seconds, "docs_per_s": n / seconds,
            "mean_kb": chars / n / 1024}
