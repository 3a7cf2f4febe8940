"""Measures the events stage on IndiaPoliceEvents (sentence level) and CASE 2021 task 2.

The data is third-party and read at run time from `<shared>/eval/events/` (see
`<shared>/eval/PROVENANCE.md`); nothing of it is kept in this repository.

* IndiaPoliceEvents dev: `find_events` runs on each document's full text. A gold sentence is
  predicted positive for ARREST, KILL, FORCE or FAIL when an event of the mapped type (arrest,
  killing, use-of-force, failure-to-protect) has an evidence span overlapping it. Scored twice:
  with the gold sentence spans passed as `sentences` (the headline figures) and with the stage's
  own sentence splitter (`own_splitter`).
* CASE 2021 task 2 dev: `find_events` runs on each snippet; the prediction is the CASE type of
  the highest-scoring event, or `other` when there is none or its type has no CASE type. F1 per
  in-scope type, macro-averaged; every other gold SubType counts as `other`.

Run: `python -m rightsrecord.evaluation.events [SHARED_DIR]`.
"""

from __future__ import annotations

import csv
import json
import sys
import time
from pathlib import Path

from rightsrecord.extract.events import event_types, find_events

from .common import DEFAULT_SHARED, f1

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
        raise FileNotFoundError(f"{d} is absent: the events evaluation data lives there")
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


def _score_ipe(docs, sents_by_doc, own: bool) -> tuple[dict, float]:
    to_ipe = _mapping("ipe")
    counts = {c: [0, 0, 0] for c in IPE_CLASSES}
    seconds = 0.0
    for doc in docs:
        rows = sents_by_doc.get(doc["doc_id"], [])
        text = doc["text"]
        spans = _locate(text, [r["sent_text"] for r in rows])
        t0 = time.perf_counter()
        events = find_events(text) if own else find_events(text, [s for s in spans if s[1] > s[0]])
        seconds += time.perf_counter() - t0
        evs = [(to_ipe[e.type], e.start, e.end) for e in events if e.type in to_ipe]
        for r, (gs, ge) in zip(rows, spans, strict=True):
            pred = {lab for lab, s, e in evs if s < ge and e > gs and ge > gs}
            gold = set(r["sent_labels"])
            for c in IPE_CLASSES:
                if c in pred and c in gold:
                    counts[c][0] += 1
                elif c in pred:
                    counts[c][1] += 1
                elif c in gold:
                    counts[c][2] += 1
    classes = {c: _prf(*counts[c]) for c in IPE_CLASSES}
    macro = sum(v["f1"] for v in classes.values()) / len(classes)
    return {"classes": classes, "macro_f1": round(macro, 4)}, seconds


def evaluate_ipe(shared: Path) -> dict:
    """Sentence-level P/R/F1 for ARREST, KILL, FORCE, FAIL on IndiaPoliceEvents dev."""
    d = _events_dir(shared)
    docs = [json.loads(line) for line in (d / "india_police_events_dev_docs.jsonl").open()]
    sents_by_doc: dict = {}
    n_sents = 0
    for line in (d / "india_police_events_dev_sents.jsonl").open():
        r = json.loads(line)
        sents_by_doc.setdefault(r["doc_id"], []).append(r)
        n_sents += 1
    for rows in sents_by_doc.values():
        rows.sort(key=lambda r: r["sent_id"])
    t0 = time.perf_counter()
    gold, stage_s = _score_ipe(docs, sents_by_doc, own=False)
    own, own_stage_s = _score_ipe(docs, sents_by_doc, own=True)
    chars = sum(len(doc["text"]) for doc in docs)
    return {
        "dataset": "IndiaPoliceEvents dev",
        "docs": len(docs),
        "sentences": n_sents,
        "sentences_given": "gold sentence spans passed as `sentences`",
        **gold,
        "own_splitter": own,
        "stage_seconds": round(stage_s, 3),
        "ms_per_10kb": round(1000 * stage_s / (chars / 10_000), 3) if chars else 0.0,
        "seconds": round(time.perf_counter() - t0, 3),
    }


def predict_case(snippet: str) -> str:
    """The CASE type of a snippet's highest-scoring event, else "other"."""
    to_case = _mapping("case")
    events = find_events(snippet)
    if not events:
        return "other"
    best = max(events, key=lambda e: e.score)
    return to_case.get(best.type, "other")


def evaluate_case(shared: Path) -> dict:
    """Per-type and macro F1 on CASE 2021 task 2 dev (in-scope types; the rest is `other`)."""
    d = _events_dir(shared)
    with (d / "case2021_task2_dev.tsv").open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        rows = list(reader)
        snippet = (reader.fieldnames or ["", ""])[1]  # columns: id, snippet text, subtype
    t0 = time.perf_counter()
    counts = {c: [0, 0, 0] for c in CASE_CLASSES}
    confusion: dict[str, dict[str, int]] = {}
    correct = 0
    for r in rows:
        gold = r["SubType"] if r["SubType"] in CASE_CLASSES else "other"
        pred = predict_case(r[snippet])
        confusion.setdefault(gold, {}).setdefault(pred, 0)
        confusion[gold][pred] += 1
        correct += pred == gold
        for c in CASE_CLASSES:
            if pred == c and gold == c:
                counts[c][0] += 1
            elif pred == c:
                counts[c][1] += 1
            elif gold == c:
                counts[c][2] += 1
    classes = {c: _prf(*counts[c]) for c in CASE_CLASSES}
    macro = sum(v["f1"] for v in classes.values()) / len(classes)
    return {
        "dataset": "CASE 2021 task 2 dev",
        "snippets": len(rows),
        "classes": classes,
        "macro_f1": round(macro, 4),
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
    print(_table("IndiaPoliceEvents dev, gold sentence spans", ipe))
    print(_table("IndiaPoliceEvents dev, own sentence splitter", ipe["own_splitter"]))
    print(f"stage time {ipe['stage_seconds']}s, {ipe['ms_per_10kb']} ms per 10 KB\n")
    case = evaluate_case(shared)
    print(_table("CASE 2021 task 2 dev", case))
    print(f"accuracy {case['accuracy']}, {case['seconds']}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
