"""Near misses in event linking: the hand-written set of `data/nearmiss/nearmiss.jsonl`.

Each group holds two or three documents that a linker could easily confuse: distinct events
of one type, city and month, or one event told by different outlets. A prediction gives each
document the cluster of its main event. Within a group, every pair of documents is a link
decision: `tp` same gold event and same cluster, `fp` same cluster but different events, `fn`
same event but different clusters. Pairs across groups are not near misses and stay out of
precision and recall, but a linked cross-group pair is an error too: `xfp` counts them (each
pair adds half to each of its two groups). Units are groups, so folds and the bootstrap
resample groups (`folds.fold_of(group)`). Half 2 is kept unseen while the linker is tuned.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from itertools import combinations
from pathlib import Path
from typing import Any

from . import folds

DATA = Path(__file__).parent / "data" / "nearmiss" / "nearmiss.jsonl"


def load(half: int | None = None) -> list[dict[str, Any]]:
    """The documents (all, or those of half 1 or 2), in file order."""
    with DATA.open(encoding="utf-8") as fh:
        docs = [json.loads(line) for line in fh if line.strip()]
    return [d for d in docs if half is None or d["half"] == half]


def _groups(docs: Sequence[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for d in docs:
        out.setdefault(d["group"], []).append(d)
    return out


def units(docs: Sequence[dict[str, Any]], pred: dict[str, str]) -> list[dict[str, Any]]:
    """One counts dict per group (in first-seen order), with its `group` id.

    A document missing from `pred` is a cluster of its own.
    """
    label = {d["id"]: pred.get(d["id"], ("unlinked", d["id"])) for d in docs}
    by_label = Counter(label.values())
    out = []
    for group, members in _groups(docs).items():
        c = {"tp": 0.0, "fp": 0.0, "fn": 0.0}
        for a, b in combinations(members, 2):
            same_gold, same_pred = a["event"] == b["event"], label[a["id"]] == label[b["id"]]
            if same_gold and same_pred:
                c["tp"] += 1
            elif same_pred:
                c["fp"] += 1
            elif same_gold:
                c["fn"] += 1
        inside = Counter(label[d["id"]] for d in members)
        cross = sum(n * (by_label[lab] - n) for lab, n in inside.items())
        out.append({"group": group, **c, "xfp": cross / 2,
                    "pred_pairs": c["tp"] + c["fp"], "gold_pairs": c["tp"] + c["fn"]})
    return out


def score(docs: Sequence[dict[str, Any]], pred: dict[str, str]) -> dict[str, Any]:
    """Pairwise link precision, recall and F1 within groups; cross-group links; groups."""
    us = units(docs, pred)
    counts = [{k: v for k, v in u.items() if k != "group"} for u in us]
    ids = [u["group"] for u in us]
    return {
        "nearmiss.link_p": folds.summary(counts, ids, folds.ratio_of("tp", "pred_pairs")),
        "nearmiss.link_r": folds.summary(counts, ids, folds.ratio_of("tp", "gold_pairs")),
        "nearmiss.link_f1": folds.summary(counts, ids, folds.f1_of("")),
        "nearmiss.cross_group_links": sum(u["xfp"] for u in us),
        "nearmiss.groups": len(us),
    }


def evaluate(half: int = 1) -> dict[str, Any]:
    """Score the shipped extract path and linker (`link.cluster`) on one half of the set.

    All documents of the half are clustered at once, not told the groups.
    """
    from ..link.cluster import cluster
    from .common import extract

    docs = load(half)
    objs = [{k: d[k] for k in ("id", "title", "published", "text")} for d in docs]
    got = extract(objs)
    recs = [{**rec, "title": d["title"], "text": d["text"]}
            for rec, d in zip(got.records, docs, strict=True)]
    pred = dict(zip((d["id"] for d in docs), cluster(recs), strict=True))
    return {**score(docs, pred), "nearmiss.failed": len(got.failures)}


def store_clusters(docs: Sequence[dict[str, Any]], store: Any = None) -> dict[str, str]:
    """What a user's store does with the documents: each is ingested, in order, through the
    shipped extract path and linked incrementally (`link.incremental`); the prediction is
    the cluster of each document's main report. A throwaway SQLite store unless given."""
    import tempfile

    from ..ingest.pipeline import object_document
    from ..process import process
    from ..store import open_store

    with tempfile.TemporaryDirectory() as tmp:
        own = store is None
        db = store or open_store(Path(tmp) / "nearmiss.db")
        try:
            objs = [{"id": d["id"], "title": d.get("title"), "published": d.get("published"),
                     "text": d["text"], "url": f"https://nearmiss.invalid/{d['id']}"}
                    for d in docs]
            outcomes = list(process((object_document(o, n) for n, o in enumerate(objs, 1)),
                                    db))
            by_doc = db.clusters_of_documents(o.document_id for o in outcomes
                                              if o.document_id is not None)
            return {d["id"]: f"c{by_doc.get(o.document_id or -1, 'none-' + d['id'])}"
                    for d, o in zip(docs, outcomes, strict=True)}
        finally:
            if own:
                db.close()


def evaluate_store(half: int | None = None) -> dict[str, Any]:
    """Score incremental linking in a store on one half (or all) of the set."""
    docs = load(half)
    return score(docs, store_clusters(docs))
