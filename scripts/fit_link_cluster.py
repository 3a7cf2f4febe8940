"""Fit the shipped linking weights (data/link/cluster.json) on all ECB+ dev documents.

`rightsrecord eval --only linking` scores the same fit cross-fitted over topic folds.
Run: .venv/bin/python scripts/fit_link_cluster.py [SHARED]
"""

from __future__ import annotations

import json
import sys

from rightsrecord.evaluation.common import extract, read_jsonl, shared_path
from rightsrecord.evaluation.linking import DATA
from rightsrecord.link.cluster import WEIGHTS, fit


def main(shared: str | None = None) -> None:
    rows = list(read_jsonl(shared_path(shared) / DATA))
    got = extract([{"id": r["id"], "text": r["text"]} for r in rows])
    recs = [{**rec, "text": r["text"]} for rec, r in zip(got.records, rows, strict=True)]
    by_topic: dict[object, list[int]] = {}
    for i, r in enumerate(rows):
        by_topic.setdefault(r["topic"], []).append(i)
    model = fit(recs, [r["event"] for r in rows], list(by_topic.values()))
    WEIGHTS.write_text(json.dumps(model.to_json()) + "\n", encoding="utf-8")
    print(json.dumps(model.to_json()))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else None)
