"""Linking: do documents that report one event share a cluster? (ECB+ dev documents.)

`eval/coref/ecbplus_dev.jsonl` gives each document its topic and its gold event; every topic
holds two similar but distinct events. The documents run once through the shipped extract
path; the records (with their input text) are then clustered by `link.cluster`. The weights
and the cut are fitted on four folds of topics (`folds.fold_of(topic)`) and the held-out
fold's documents are clustered with them, all at once (not told the topics) and, for
`topic_bcubed_f1`, within each topic; the folds' results are pooled. Units are documents:
B-cubed precision and recall are per-document quantities; pairwise counts are each
document's pairs (every pair counted from both ends, which F1 does not mind).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from . import folds
from .common import extract, read_jsonl, shared_path

DATA = "eval/coref/ecbplus_dev.jsonl"


def bcubed_f1(c: folds.Counts) -> float:
    n = c.get("n", 0.0)
    if not n:
        return 0.0
    p, r = c.get("bp", 0.0) / n, c.get("br", 0.0) / n
    return 2 * p * r / (p + r) if p + r else 0.0


def units(pred: Sequence[Any], gold: Sequence[Any]) -> list[folds.Counts]:
    """Per document: B-cubed precision and recall, and its pairs as tp/fp/fn."""
    p_a, g_a = np.asarray(pred, dtype=object), np.asarray(gold, dtype=object)
    out = []
    for p, g in zip(p_a, g_a, strict=True):
        same_p, same_g = p_a == p, g_a == g
        both = float((same_p & same_g).sum())
        out.append({"bp": both / same_p.sum(), "br": both / same_g.sum(), "n": 1.0,
                    "ptp": both - 1, "pfp": float(same_p.sum()) - both,
                    "pfn": float(same_g.sum()) - both})
    return out


def _score(recs: list[dict[str, Any]], gold: list[str], idx: list[int]) -> list[folds.Counts]:
    from ..link.cluster import cluster

    return units(cluster([recs[i] for i in idx]), [gold[i] for i in idx])


def evaluate(shared: str | Path | None = None) -> dict[str, Any]:
    from ..extract import models
    from ..link.cluster import MODEL, fit

    rows = list(read_jsonl(shared_path(shared) / DATA))
    got = extract([{"id": r["id"], "text": r["text"]} for r in rows])
    recs = [{**rec, "text": r["text"]} for rec, r in zip(got.records, rows, strict=True)]
    topics = [r["topic"] for r in rows]
    gold = [r["event"] for r in rows]
    whole: list[folds.Counts] = [{}] * len(rows)
    within: list[folds.Counts] = [{}] * len(rows)
    def fit_on(idx: list[int]) -> Any:
        by_topic: dict[Any, list[int]] = {}
        for j, i in enumerate(idx):
            by_topic.setdefault(topics[i], []).append(j)
        return fit([recs[i] for i in idx], [gold[i] for i in idx], list(by_topic.values()))

    for model, held in folds.cross_fit(topics, fit_on):
        with models.override(MODEL, model):  # what `rightsrecord cluster` would use
            for i, u in zip(held, _score(recs, gold, held), strict=True):
                whole[i] = u
            for t in sorted({topics[i] for i in held}):
                idx = [i for i in held if topics[i] == t]
                for i, u in zip(idx, _score(recs, gold, idx), strict=True):
                    within[i] = u
    return {
        "linking.bcubed_f1": folds.summary(whole, topics, bcubed_f1),
        "linking.bcubed_p": folds.summary(whole, topics, folds.ratio_of("bp", "n")),
        "linking.bcubed_r": folds.summary(whole, topics, folds.ratio_of("br", "n")),
        "linking.pairwise_f1": folds.summary(whole, topics, folds.f1_of("p")),
        "linking.topic_bcubed_f1": folds.summary(within, topics, bcubed_f1),
        "linking.documents": len(rows),
        "linking.failed": len(got.failures),
    }
