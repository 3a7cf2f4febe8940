"""What the living record costs on a large store: a country's whole record against the read
it adds to, on the busiest country.

    python bench/record_bench.py [--docs 100000] [--db PATH] [--runs 20] [--json OUT]

Builds (or, with `--db`, reuses) a SQLite store of N generated documents, linked, as
`bench/read_bench.py` does; gives its busiest country 129 UN recommendations (UPR Info's
Kazakhstan rows from `../shared/eval/themes` when they are there, else generated ones with
the same themes); then times, in this process, each part of the country page: the read
services' country record (the page before the living record: the baseline), the drafts
(kept, and made afresh), the trends, the recommendations with their later events, what
changed in the last month and since 2000, the record's stamp, and the whole record
(`record.country.country`). Figures are p50 and p95 in ms and the ratio of each p50 to the
baseline's, so they read the same on a slower machine.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
SHARED = HERE.parents[1] / "shared" / "eval" / "themes"


def timed(fn: Callable[[], Any], runs: int) -> dict[str, float]:
    fn()  # warm: caches, prepared statements
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return {"p50": round(statistics.median(times), 2),
            "p95": round(times[min(len(times) - 1, int(len(times) * 0.95))], 2)}


def recommendation_lines(code: str, n: int = 129) -> list[str]:
    """UPR Info's Kazakhstan rows made the busiest country's, else generated ones."""
    from rightsrecord.places import country_name

    name = country_name(code) or code
    rows: list[dict[str, Any]] = []
    for path in sorted(SHARED.glob("upr_info_*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if row["state_under_review"] == "Kazakhstan":
                rows.append({**row, "state_under_review": name})
    if not rows:
        rng = random.Random(3)
        themes = ["Freedom of the press", "Detention", "Justice", "Women's rights",
                  "Torture and other CID treatment", "Freedom of opinion and expression"]
        rows = [{"state_under_review": name, "recommending_state": "Norway",
                 "text": f"Ensure that courts review every detention and arrest {k}",
                 "response": "Accepted", "session": rng.randint(1, 40),
                 "themes": [rng.choice(themes)]} for k in range(n)]
    return [json.dumps(r) for r in rows[:n]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--db", type=Path, default=None, help="reuse this SQLite store")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()

    from rightsrecord.read import services
    from rightsrecord.record import changes, country, drafts, recommendations, trends
    from rightsrecord.store import open_store

    out: dict[str, Any] = {"docs": args.docs}
    workdir = tempfile.mkdtemp(prefix="rr-record-bench-")
    db = args.db or Path(workdir) / "store.db"
    if args.db is None:
        import read_bench

        print(f"building {args.docs} documents into {db}", flush=True)
        out["build"] = read_bench.build(str(db), args.seed, args.docs, 1000, 0)
        out["link"] = read_bench.link_events(str(db), 10, args.seed)
    with open_store(str(db)) as store:
        busiest = max(services.countries(store), key=lambda c: c.documents)
        code = busiest.code
        out["country"] = {"code": code, "documents": busiest.documents,
                          "events": busiest.events}
        lines = recommendation_lines(code)
        path = Path(workdir) / "recs.jsonl"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        report = recommendations.ingest(store, [str(path)])
        out["recommendations"] = report.stored + report.unchanged
        month = (datetime.now(UTC) - timedelta(days=30)).date().isoformat()
        cases: dict[str, Callable[[], Any]] = {
            "read services' country (baseline)": lambda: services.country(store, code),
            "record stamp": lambda: store.record_stamp(code),
            "drafts, kept": lambda: drafts.draft_summary(store, code),
            "drafts, made afresh": lambda: drafts.draft(store, code),
            "trends": lambda: trends.trends(store, code),
            "recommendations and later events": lambda: recommendations.for_country(store,
                                                                                    code),
            "what changed, last month": lambda: changes.changes(store, code, month),
            "what changed, since 2000": lambda: changes.changes(store, code, "2000-01-01"),
            "whole country record": lambda: country.country(store, code),
        }
        results = {name: timed(fn, args.runs) for name, fn in cases.items()}
    base = results["read services' country (baseline)"]["p50"]
    for r in results.values():
        r["ratio"] = round(r["p50"] / base, 2) if base else 0.0
    out["results"] = results
    print(f"busiest country {code}: {busiest.documents} documents, {busiest.events} events, "
          f"{out['recommendations']} recommendations")
    print(f"{'read':40} {'p50 ms':>8} {'p95 ms':>8} {'x baseline':>10}")
    for name, r in results.items():
        print(f"{name:40} {r['p50']:8.1f} {r['p95']:8.1f} {r['ratio']:10.2f}")
    if args.json:
        args.json.write_text(json.dumps(out, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
