"""Measure the themes of the extract path on UPR Info's dev split (sessions 15-16).

    python -m rightsrecord.evaluation.themes [SHARED]

SHARED is the folder that holds ``eval/themes/upr_info_dev.jsonl`` (default: ``../shared``
beside the repository). Each recommendation is one input to ``extract_records`` (its text,
no title); the predicted set is the ids in its record's ``themes``, the gold set its UPR Info
labels, slugified. Micro-F1 pools all (recommendation,
theme) decisions; macro-F1 is the sklearn-style mean of per-theme F1 over every theme that
appears in the gold sets or in the predictions.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from rightsrecord.extract.themes import slugify

from . import folds
from .common import extract, f1, read_jsonl

DEV = Path("eval") / "themes" / "upr_info_dev.jsonl"
DEFAULT_SHARED = Path(__file__).resolve().parents[3].parent / "shared"


def f1_report(gold: list[set[str]], pred: list[set[str]]) -> dict:
    """Micro and macro F1 (macro over the themes present in gold or prediction)."""
    tp: dict[str, int] = {}
    fp: dict[str, int] = {}
    fn: dict[str, int] = {}
    for g, p in zip(gold, pred, strict=True):
        for t in g & p:
            tp[t] = tp.get(t, 0) + 1
        for t in p - g:
            fp[t] = fp.get(t, 0) + 1
        for t in g - p:
            fn[t] = fn.get(t, 0) + 1
    themes = sorted(set(tp) | set(fp) | set(fn))
    per = {}
    for t in themes:
        a, b, c = tp.get(t, 0), fp.get(t, 0), fn.get(t, 0)
        per[t] = 2 * a / (2 * a + b + c) if a + b + c else 0.0
    stp, sfp, sfn = sum(tp.values()), sum(fp.values()), sum(fn.values())
    precision, recall, micro = f1(stp, sfp, sfn)
    return {
        "micro_f1": micro,
        "macro_f1": sum(per.values()) / len(per) if per else 0.0,
        "micro_precision": precision,
        "micro_recall": recall,
        "n_labels_macro": len(per),
        "per_label_f1": per,
    }


def _per_label(c: dict[str, float]) -> tuple[dict[str, tuple[float, float, float]], list[float]]:
    labels: dict[str, list[float]] = {}
    for key, v in c.items():
        label, kind = key.rsplit(".", 1)
        labels.setdefault(label, [0.0, 0.0, 0.0])[["tp", "fp", "fn"].index(kind)] += v
    per = [2 * a / (2 * a + b + d) if a + b + d else 0.0 for a, b, d in labels.values()]
    return {k: tuple(v) for k, v in labels.items()}, per  # type: ignore[misc]


def micro_of(c: dict[str, float]) -> float:
    labels, _ = _per_label(c)
    return f1(*(sum(v[i] for v in labels.values()) for i in range(3)))[2]


def macro_of(c: dict[str, float]) -> float:
    _, per = _per_label(c)
    return sum(per) / len(per) if per else 0.0


def units_of(gold: list[set[str]], pred: list[set[str]]) -> list[dict[str, float]]:
    """Per recommendation, its theme decisions as `theme.tp|fp|fn` counts."""
    units = []
    for g, p in zip(gold, pred, strict=True):
        u = {f"{t}.tp": 1.0 for t in g & p}
        u.update({f"{t}.fp": 1.0 for t in p - g})
        u.update({f"{t}.fn": 1.0 for t in g - p})
        units.append(u)
    return units


def evaluate(shared: Path = DEFAULT_SHARED) -> dict:
    """Scores of the extract path on ``shared/eval/themes/upr_info_dev.jsonl``."""
    path = Path(shared) / DEV
    rows = list(read_jsonl(path))
    gold = [{slugify(t) for t in r["themes"]} for r in rows]
    done = extract([{"id": str(i), "text": r["text"]} for i, r in enumerate(rows)])
    pred = [{t["id"] for t in rec["themes"]} for rec in done.records]
    seconds = done.total_seconds
    report = f1_report(gold, pred)
    units, ids = units_of(gold, pred), [str(i) for i in range(len(rows))]
    report["micro_kfold"] = folds.summary(units, ids, micro_of)
    report["macro_kfold"] = folds.summary(units, ids, macro_of)
    report.update(
        {
            "n": len(rows),
            "failed": len(done.failures),
            "seconds": seconds,
            "docs_per_s": len(rows) / seconds if seconds else float("inf"),
            "macro_convention": "mean per-theme F1 over themes in gold or predictions",
            "data": str(path),
        }
    )
    return report


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    shared = Path(argv[0]) if argv else DEFAULT_SHARED
    if not (shared / DEV).exists():
        print(f"no dev data at {shared / DEV}", file=sys.stderr)
        return 2
    report = evaluate(shared)
    per = report.pop("per_label_f1")
    print(json.dumps(report, indent=1))
    worst = sorted(per.items(), key=lambda kv: kv[1])[:10]
    print("lowest per-theme F1:", ", ".join(f"{k} {v:.2f}" for k, v in worst))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
