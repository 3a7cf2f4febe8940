"""End-to-end throughput of the extract path on the HRW 2024 texts: one process, inputs
`{id, title, text, url}` given to `extract_records` one after another, model loading (a
warm-up call) excluded. docs/s is the number of documents over the summed time of their
records."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .common import extract, read_jsonl, shared_path


def hrw_texts(shared: Path) -> list[dict[str, Any]]:
    return list(read_jsonl(shared / "eval/news/hrw_2024_dev.jsonl"))


def evaluate(shared: Path | None = None, repeat: int = 1) -> dict[str, Any]:
    shared = shared_path(shared)
    rows = hrw_texts(shared)
    objs = [{"id": row["url"], "title": row["title"], "text": row["text"], "url": row["url"]}
            for row in rows] * repeat
    done = extract(objs)
    seconds = done.total_seconds
    chars = sum(len(o["text"]) for o in objs)
    n = len(objs)
    return {"docs": n, "seconds": seconds, "docs_per_s": n / seconds,
            "mean_kb": chars / n / 1024, "failed": len(done.failures)}
