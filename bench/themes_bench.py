"""What the themes stage's encoder costs and gives: the blended model against the linear model
alone, on the UPR Info dev recommendations, in one process.

    python bench/themes_bench.py [--shared ../shared] [--limit N]

Both runs classify the same recommendations with the same shipped artefact; the baseline turns
the encoder off (the path every text longer than the encoder's limit takes). Times are wall time
for the whole batch, the artefact already loaded and warmed up once.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from rightsrecord.evaluation.themes import f1_report  # noqa: E402
from rightsrecord.extract.themes import ThemeModel, slugify  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--limit", type=int, default=0, help="first N recommendations only")
    args = ap.parse_args(argv)
    path = args.shared / "eval" / "themes" / "upr_info_dev.jsonl"
    rows = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x]
    rows = rows[: args.limit] if args.limit else rows
    texts = [r["text"] for r in rows]
    gold = [{slugify(t) for t in r["themes"]} for r in rows]

    blended = ThemeModel.load()
    linear = ThemeModel(use_encoder=False)  # the baseline: the same linear model alone
    out = {}
    for name, model in (("linear alone", linear), ("linear + encoder", blended)):
        model.predict_many(texts[:64])  # warm up (loads the encoder once)
        t = time.perf_counter()
        pred = model.predict_many(texts)
        secs = time.perf_counter() - t
        rep = f1_report(gold, [{x.id for x in p} for p in pred])
        out[name] = {"micro_f1": round(rep["micro_f1"], 4), "macro_f1": round(rep["macro_f1"], 4),
                     "ms_per_text": round(1000 * secs / len(texts), 3)}
    base, ours = out["linear alone"], out["linear + encoder"]
    print(f"{len(texts)} recommendations")
    print("| model | micro F1 | macro F1 | ms per recommendation |\n|---|---|---|---|")
    for name, r in out.items():
        print(f"| {name} | {r['micro_f1']:.3f} | {r['macro_f1']:.3f} | {r['ms_per_text']} |")
    print(f"the encoder costs {ours['ms_per_text'] / base['ms_per_text']:.0f}x the linear model's "
          f"time and adds {ours['micro_f1'] - base['micro_f1']:+.3f} micro / "
          f"{ours['macro_f1'] - base['macro_f1']:+.3f} macro F1")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
