"""Measures the extract path's events on IndiaPoliceEvents (sentence level) and CASE 2021.

The data is third-party and read at run time from `<shared>/eval/events/` (see
`<shared>/eval/PROVENANCE.md`); nothing of it is kept in this repository. Every text goes
through `extract_records`, what `rightsrecord extract` runs, with its own sentence splitting.

* IndiaPoliceEvents dev: each document's full text (with its `date` as `published` and its
  `url`) is one input. A gold sentence (located in the text by its `sent_text`) is predicted
  positive for ARREST, KILL, FORCE or FAIL when the record has an event of the mapped type
  (arrest, killing, use-of-force, failure-to-protect) whose evidence span overlaps it.
  P/R/F1 per class over all sentences.
* CASE 2021 task 2 dev: each snippet is one input; the prediction is the CASE type of the
  record's highest-scoring event, or `other` when there is none or its type has no CASE
  type. F1 per in-scope type, macro-averaged; every other gold SubType counts as `other`.

Run: `python -m rightsrecord.evaluation.events [SHARED_DIR]`.
"""

from __future__ import annotations

import csv
import sys
import time
from pathlib import Path
from typing import Any

from rightsrecord.extract.events import event_types

from . import folds
from .common import DEFAULT_SHARED, Extracted, MissingData, extract, f1, read_jsonl, require

IPE_CLASSES = ("ARREST", "KILL", "FORCE", "FAIL")
CASE_CLASSES = (
    "ARREST", "PEACE_PROTEST", "PROTEST_WITH_INTER", "FORCE_AGAINST_PROTEST", "VIOL_DEMONSTR",
    "MOB_VIOL", "ABDUCT_DISSAP", "SEX_VIOL", "ATTACK",
)


def _prf(tp: int, fp: int, fn: int) -> dict:
    p, r, f = f1(tp, fp, fn)
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4), "tp": tp, "fp": fp, "fn": fn,
            "support": tp + fn}


def _mapping(column: str) -> dict[str, str]:
    return {t: v[column] for t, v in event_types().items() if v[column] not in ("", "-")}


def _events_dir(shared: Path) -> Path:
    d = Path(shared) / "eval" / "events"
    if not d.is_dir():
        raise MissingData(f"{d} is absent: the events evaluation data lives there")
    return d


def _locate(text: str, sents: list[str]) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for st in sents:
        i = text.find(st, pos)
        if i < 0:
            core = st.strip()
            i = text.find(core, pos) if core else -1
            st = core
        if i < 0:
            spans.append((pos, pos))
            continue
        spans.append((i, i + len(st)))
        pos = i + len(st)
    return spans


def _ipe_units(docs: list[dict], records: list[dict[str, Any]], sents_by_doc: dict
               ) -> list[dict[str, float]]:
    """Per document, the tp/fp/fn counts of each class over its gold sentences."""
    to_ipe = _mapping("ipe")
    units = []
    for doc, rec in zip(docs, records, strict=True):
        rows = sents_by_doc.get(doc["doc_id"], [])
        spans = _locate(doc["text"], [r["sent_text"] for r in rows])
        evs = [(to_ipe[e["type"]], e["evidence"]["start"], e["evidence"]["end"])
               for e in rec["events"] if e["type"] in to_ipe]
        unit: dict[str, float] = {}
        for r, (gs, ge) in zip(rows, spans, strict=True):
            pred = {lab for lab, s, e in evs if s < ge and e > gs and ge > gs}
            gold = set(r["sent_labels"])
            for c in IPE_CLASSES:
                key = ("tp" if c in gold else "fp") if c in pred else ("fn" if c in gold else "")
                if key:
                    unit[f"{c}.{key}"] = unit.get(f"{c}.{key}", 0.0) + 1
        units.append(unit)
    return units


def _classes(units: list[dict[str, float]], ids: list[str], classes: tuple[str, ...]
             ) -> dict[str, dict]:
    total: dict[str, float] = {}
    for u in units:
        folds.add(total, u)
    out = {}
    for c in classes:
        tp, fp, fn = (int(total.get(f"{c}.{k}", 0)) for k in ("tp", "fp", "fn"))
        out[c] = {**_prf(tp, fp, fn), "kfold": folds.summary(units, ids, folds.f1_of(c + "."))}
    return out


def _ipe_input(doc: dict) -> dict[str, Any]:
    obj = {"id": str(doc["doc_id"]), "text": doc["text"]}
    for src, dst in (("date", "published"), ("url", "url")):
        if isinstance(doc.get(src), str):
            obj[dst] = doc[src]
    return obj


def _ipe_data(shared: Path) -> tuple[list[dict], dict, int]:
    d = _events_dir(shared)
    docs = list(read_jsonl(d / "india_police_events_dev_docs.jsonl"))
    sents_by_doc: dict = {}
    n_sents = 0
    for r in read_jsonl(d / "india_police_events_dev_sents.jsonl"):
        sents_by_doc.setdefault(r["doc_id"], []).append(r)
        n_sents += 1
    for rows in sents_by_doc.values():
        rows.sort(key=lambda r: r["sent_id"])
    return docs, sents_by_doc, n_sents


def ipe_gold(docs: list[dict], sents_by_doc: dict) -> list[list[tuple[int, int, set[str]]]]:
    """Per document, its gold sentences as (start, end, model types)."""
    from .event_training import IPE_TYPES

    gold = []
    for doc in docs:
        rows = sents_by_doc.get(doc["doc_id"], [])
        spans = _locate(doc["text"], [r["sent_text"] for r in rows])
        gold.append([(s, e, {IPE_TYPES[x] for x in r["sent_labels"] if x in IPE_TYPES})
                     for r, (s, e) in zip(rows, spans, strict=True) if e > s])
    return gold


def ipe_sentences(shared: Path):  # noqa: ANN201 - event_training.Sentences
    """The labelled engine sentences of IndiaPoliceEvents dev, for fitting the events model."""
    from .event_training import MODEL_TYPES, labelled

    docs, sents_by_doc, _ = _ipe_data(shared)
    objs = [_ipe_input(doc) for doc in docs]
    return labelled(objs, ipe_gold(docs, sents_by_doc), frozenset(MODEL_TYPES))


def _cross_fitted(objs: list[dict[str, Any]], shared: Path) -> tuple[Extracted, int]:
    """Extract every document with an events model fitted on the other folds only."""
    from rightsrecord.extract import models
    from rightsrecord.extract.event_model import fit

    from .event_training import MODEL_TYPES

    table = ipe_sentences(shared)
    ids = [str(o["id"]) for o in objs]
    records: list[dict[str, Any] | None] = [None] * len(objs)
    out = Extracted([], [])
    for f in range(folds.K):
        train = table.take(i for i, d in enumerate(table.doc_ids) if folds.fold_of(d) != f)
        model = fit(train.rows, train.labels, MODEL_TYPES, train.known, groups=train.doc_ids)
        held = [i for i, d in enumerate(ids) if folds.fold_of(d) == f]
        with models.override("events", model):
            done = extract([objs[i] for i in held])
        for i, rec in zip(held, done.records, strict=True):
            records[i] = rec
        out.seconds += done.seconds
        out.failures += done.failures
    out.records = [r for r in records if r is not None]
    return out, len(table.rows)


def evaluate_ipe(shared: Path) -> dict:
    """Sentence-level P/R/F1 for ARREST, KILL, FORCE, FAIL on IndiaPoliceEvents dev, each
    document extracted with an events model fitted on the other four folds."""
    docs, sents_by_doc, n_sents = _ipe_data(shared)
    t0 = time.perf_counter()
    objs = [_ipe_input(doc) for doc in docs]
    done, n_rows = _cross_fitted(objs, shared)
    ids = [str(doc["doc_id"]) for doc in docs]
    units = _ipe_units(docs, done.records, sents_by_doc)
    classes = _classes(units, ids, IPE_CLASSES)
    chars = sum(len(doc["text"]) for doc in docs)
    return {
        "dataset": "IndiaPoliceEvents dev",
        "docs": len(docs),
        "sentences": n_sents,
        "engine_sentences": n_rows,
        "failed": len(done.failures),
        "classes": classes,
        "macro_f1": round(sum(v["f1"] for v in classes.values()) / len(classes), 4),
        "extract_seconds": round(done.total_seconds, 3),
        "ms_per_10kb": round(1000 * done.total_seconds / (chars / 10_000), 3) if chars else 0.0,
        "seconds": round(time.perf_counter() - t0, 3),
    }


def predict_case(record: dict[str, Any]) -> str:
    """The CASE type of a record's highest-scoring event, else "other"."""
    to_case = _mapping("case")
    events = record["events"]
    if not events:
        return "other"
    best = max(events, key=lambda e: e["score"])
    return to_case.get(best["type"], "other")


def evaluate_case(shared: Path) -> dict:
    """Per-type and macro F1 on CASE 2021 task 2 dev (in-scope types; the rest is `other`)."""
    d = _events_dir(shared)
    with require(d / "case2021_task2_dev.tsv").open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        rows = list(reader)
        snippet = (reader.fieldnames or ["", ""])[1]  # columns: id, snippet text, subtype
    t0 = time.perf_counter()
    done = extract([{"id": r["id"], "text": r[snippet]} for r in rows])
    confusion: dict[str, dict[str, int]] = {}
    correct = 0
    units = []
    for r, rec in zip(rows, done.records, strict=True):
        gold = r["SubType"] if r["SubType"] in CASE_CLASSES else "other"
        pred = predict_case(rec)
        confusion.setdefault(gold, {}).setdefault(pred, 0)
        confusion[gold][pred] += 1
        correct += pred == gold
        unit = {}
        if pred in CASE_CLASSES:
            unit[f"{pred}.{'tp' if pred == gold else 'fp'}"] = 1.0
        if gold in CASE_CLASSES and pred != gold:
            unit[f"{gold}.fn"] = 1.0
        units.append(unit)
    ids = [r["id"] for r in rows]
    classes = _classes(units, ids, CASE_CLASSES)
    macro = sum(v["f1"] for v in classes.values()) / len(classes)
    macro_kfold = folds.summary(units, ids, folds.mean_of([folds.f1_of(c + ".")
                                                            for c in CASE_CLASSES]))
    return {
        "dataset": "CASE 2021 task 2 dev",
        "snippets": len(rows),
        "failed": len(done.failures),
        "classes": classes,
        "macro_f1": round(macro, 4),
        "macro_kfold": macro_kfold,
        "accuracy": round(correct / len(rows), 4) if rows else 0.0,
        "confusion": confusion,
        "seconds": round(time.perf_counter() - t0, 3),
    }


def _table(name: str, res: dict) -> str:
    lines = [f"{name}", f"{'class':24} {'P':>6} {'R':>6} {'F1':>6} {'TP':>5} {'FP':>5} {'FN':>5}"]
    for c, v in res["classes"].items():
        lines.append(f"{c:24} {v['p']:6.3f} {v['r']:6.3f} {v['f1']:6.3f} {v['tp']:5d} "
                     f"{v['fp']:5d} {v['fn']:5d}")
    lines.append(f"{'macro F1':24} {res['macro_f1']:20.3f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    shared = Path(argv[0]) if argv else DEFAULT_SHARED
    ipe = evaluate_ipe(shared)
    print(_table("IndiaPoliceEvents dev (extract path)", ipe))
    print(f"extract time {ipe['extract_seconds']}s, {ipe['ms_per_10kb']} ms per 10 KB\n")
    case = evaluate_case(shared)
    print(_table("CASE 2021 task 2 dev (extract path)", case))
    print(f"accuracy {case['accuracy']}, {case['seconds']}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
