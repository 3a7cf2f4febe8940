"""Ingestion throughput and peak memory: the demo corpus and N generated documents.

    python bench/ingest_bench.py [--docs 10000] [--json bench/out/ingest.json]

Each phase runs in a fresh child process, so its peak resident memory is its own. The
baseline phase stores the same generated files with no parsing at all (read, hash, insert
into SQLite in one transaction each), so `ratio` says what parsing and indexing cost on
this machine today, whatever its absolute speed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COUNTRIES = ["Kazakhstan", "Kyrgyzstan", "Tajikistan", "Uzbekistan", "Turkmenistan"]
CITIES = ["Almaty", "Astana", "Bishkek", "Dushanbe", "Tashkent", "Ashgabat", "Osh", "Khujand"]
VERBS = ["detained", "fined", "sentenced", "released", "questioned", "charged"]
WHO = ["a journalist", "an activist", "two lawyers", "a blogger", "protesters", "an imam"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def sentence(rng: random.Random) -> str:
    return (f"Authorities in {rng.choice(CITIES)} {rng.choice(VERBS)} {rng.choice(WHO)} in "
            f"{rng.choice(COUNTRIES)} on {rng.choice(MONTHS)} {rng.randint(1, 28)}, "
            f"{rng.randint(2005, 2024)}, case {rng.randint(1, 10**9)}.")


def generate(folder: Path, count: int, seed: int = 7) -> None:
    """Mixed kinds: 70% plain text, 20% HTML pages, 10% listing pages; 2-6 KB each."""
    rng = random.Random(seed)
    for n in range(count):
        body = " ".join(sentence(rng) for _ in range(rng.randint(15, 45)))
        pick = n % 10
        if pick < 7:
            path = folder / f"{n:06d}.txt"
            data = f"Report {n}\n2024-0{1 + n % 9}-1{n % 9}\n\n{body}"
        elif pick < 9:
            paragraphs = "".join(f"<p>{p}.</p>" for p in body.split(". "))
            data = (f"<html><head><title>Report {n}</title><meta name='date' "
                    f"content='2024-03-0{1 + n % 9}'><script>t()</script></head><body><nav>"
                    f"<a href='/'>Home</a></nav><article><h1>Report {n}</h1>{paragraphs}"
                    f"</article><footer>Footer</footer></body></html>")
            path = folder / f"{n:06d}.html"
        else:
            entries = "\n".join(f"  • {rng.choice(MONTHS)} {rng.randint(1, 28)}, "
                                f"{rng.randint(2010, 2024)}\n    {sentence(rng)}"
                                for _ in range(rng.randint(5, 20)))
            data = f"• In 2023, {body[:600]}\n\n{entries}\n"
            path = folder / f"{n:06d}.txt"
        path.write_text(data, encoding="utf-8")


def phase(name: str, folder: str, db: str) -> dict[str, float]:
    """Run inside a child process; print one JSON line."""
    started = time.perf_counter()
    if name == "baseline":
        con = sqlite3.connect(db, isolation_level=None)
        con.execute("PRAGMA journal_mode = WAL")
        con.execute("CREATE TABLE d (url TEXT, hash TEXT, body BLOB)")
        count = 0
        for path in sorted(Path(folder).iterdir()):
            data = path.read_bytes()
            con.execute("BEGIN IMMEDIATE")
            con.execute("INSERT INTO d VALUES (?,?,?)",
                        (path.as_uri(), hashlib.sha256(data).hexdigest(), data))
            con.execute("COMMIT")
            count += 1
        stored = count
    else:
        from rightsrecord.demo import corpus_files
        from rightsrecord.ingest.pipeline import ingest
        from rightsrecord.store import SQLiteStore

        targets = list(corpus_files()) if name == "demo" else [folder]
        with SQLiteStore(db) as store:
            tally = ingest(store, targets)
        stored, count = tally.stored, tally.stored + tally.rejected
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"phase": name, "inputs": count, "stored": stored, "seconds": round(seconds, 2),
            "docs_per_s": round(count / seconds, 1), "peak_rss_mb": round(peak_mb, 1)}


def run_child(name: str, folder: str, db: str) -> dict[str, float]:
    out = subprocess.run([sys.executable, __file__, "--phase", name, "--folder", folder,
                          "--db", db], check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        print(json.dumps(phase(args.phase, args.folder, args.db)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "docs"
        folder.mkdir()
        generate(folder, args.docs)
        size_mb = sum(p.stat().st_size for p in folder.iterdir()) / 2**20
        results = [run_child("demo", str(folder), f"{tmp}/demo.db"),
                   run_child("baseline", str(folder), f"{tmp}/base.db"),
                   run_child("generated", str(folder), f"{tmp}/gen.db")]
    base, gen = results[1], results[2]
    print(f"generated corpus: {args.docs} documents, {size_mb:.1f} MB")
    print(f"{'phase':<10} {'inputs':>7} {'stored':>7} {'seconds':>8} {'docs/s':>8} {'peak MB':>8}")
    for r in results:
        print(f"{r['phase']:<10} {r['inputs']:>7} {r['stored']:>7} {r['seconds']:>8} "
              f"{r['docs_per_s']:>8} {r['peak_rss_mb']:>8}")
    ratio = gen["seconds"] / base["seconds"]
    print(f"ingest / baseline time ratio on the generated corpus: {ratio:.1f}x")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"results": results, "ratio": ratio}, indent=2))


if __name__ == "__main__":
    main()
