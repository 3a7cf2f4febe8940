"""Ingest throughput, CPU and peak memory: N generated documents through `process`, against
the code of a baseline revision ingesting the same files in the same run.

    python bench/ingest_bench.py [--docs 10000] [--stores sqlite,postgresql]
                                 [--baseline-rev 2b6bb32] [--no-baseline] [--json OUT]

The corpus is written once as files in a temporary folder (70% plain text, 20% HTML pages,
10% listing pages of 5-20 dated items; 2-6 KB each). Every run is a fresh child process
timed the same way from here (wall clock from start to exit, CPU and peak resident memory
from `os.wait4`), so imports and start-up count alike for all of them:

* `baseline`: the baseline revision's CLI, `python -m rightsrecord --db PATH ingest FOLDER`,
  from a git worktree of it (`/tmp/rr-baseline`, made with `git worktree add` if missing),
  with `PYTHONPATH=<worktree>/src` and this same interpreter; SQLite only (it has no other
  store).
* `sqlite`, `postgresql`: this tree's `process(read([FOLDER]), store, Pipeline(), batch)`.
  PostgreSQL is `$RIGHTSRECORD_BENCH_PG` (a server URL; a database is created on it) or
  else a throwaway server from `tests/pg_server.py`. Its server's CPU is not in the
  client's CPU figure; the CPU of the one server backend that did the writes is reported
  apart where /proc lets us read it.

`ratio` is the run's documents/s over the baseline's (above 1 is faster); the target is
no slower than the baseline on SQLite.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_REV = "2b6bb32"
DEFAULT_WORKTREE = Path("/tmp/rr-baseline")

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


# -- the child: this tree's process path --------------------------------------------------------


def _proc_cpu(pid: int) -> float | None:
    """utime + stime of a process, in seconds, from /proc (None where unreadable)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def child(folder: str, db: str, batch_size: int) -> dict:
    """Ingest `folder` into `db` through `process`; print one JSON line with what it saw."""
    started = time.perf_counter()
    cpu0 = time.process_time()
    from rightsrecord.extract.pipeline import Pipeline
    from rightsrecord.ingest.pipeline import read
    from rightsrecord.process import Tally, process
    from rightsrecord.store import open_store

    pipeline = Pipeline()
    tally = Tally()
    with open_store(db) as store:
        backend = server_cpu0 = None
        if getattr(store, "dialect", "") == "postgresql":
            backend = int(store.db.execute("SELECT pg_backend_pid() AS p").fetchone()["p"])
            server_cpu0 = _proc_cpu(backend)
        t_ingest, c_ingest = time.perf_counter(), time.process_time()
        for outcome in process(read([folder]), store, pipeline, batch_size):
            tally.add(outcome)
        ingest_s = time.perf_counter() - t_ingest
        ingest_cpu = time.process_time() - c_ingest
        server_cpu = None
        if backend is not None and server_cpu0 is not None:
            end = _proc_cpu(backend)
            server_cpu = None if end is None else round(end - server_cpu0, 2)
        counts = store.counts()
    return {"stored": tally.stored, "rejected": tally.rejected, "unchanged": tally.unchanged,
            "ingest_s": round(ingest_s, 2), "ingest_cpu_s": round(ingest_cpu, 2),
            "startup_s": round(t_ingest - started, 2),
            "process_cpu_s": round(time.process_time() - cpu0, 2),
            "server_backend_cpu_s": server_cpu, "documents": counts.documents,
            "items": counts.items}


# -- the parent ---------------------------------------------------------------------------------


def timed(cmd: list[str], env: dict[str, str] | None = None) -> tuple[dict, str]:
    """Run `cmd`; its wall seconds, CPU seconds and peak RSS (from wait4), and its stdout."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env=env, cwd=ROOT)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
    if proc.returncode not in (0, 1):  # 1: some inputs rejected, still a run
        raise SystemExit(f"{' '.join(cmd[:4])} ... failed ({proc.returncode}):\n"
                         f"{stderr[-3000:]}")
    return ({"seconds": seconds, "cpu_s": usage.ru_utime + usage.ru_stime,
             "peak_mb": usage.ru_maxrss / 1024, "rc": proc.returncode,
             "stderr_tail": stderr[-500:] if proc.returncode else ""}, stdout)


def ensure_worktree(rev: str, path: Path) -> Path:
    if not (path / "src" / "rightsrecord").is_dir():
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(path), rev],
                       check=True, capture_output=True, text=True)
    have = subprocess.run(["git", "-C", str(path), "rev-parse", "HEAD"], check=True,
                          capture_output=True, text=True).stdout.strip()
    want = subprocess.run(["git", "-C", str(ROOT), "rev-parse", rev], check=True,
                          capture_output=True, text=True).stdout.strip()
    if have != want:
        raise SystemExit(f"{path} is at {have[:10]}, not {rev} ({want[:10]}): remove it or "
                         f"pass --baseline-worktree")
    return path


BLAS_VARS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
EXTRA_ENV: dict[str, str] = {}


def run_baseline(worktree: Path, folder: Path, db: str, docs: int) -> dict:
    env = {**os.environ, **EXTRA_ENV, "PYTHONPATH": str(worktree / "src")}
    env.pop("RIGHTSRECORD_DB", None)
    m, stdout = timed([sys.executable, "-m", "rightsrecord", "--db", db, "ingest",
                       str(folder)], env)
    tally = stdout.strip().splitlines()[-1] if stdout.strip() else ""
    stored = int(tally.split()[0]) if tally[:1].isdigit() else None
    return row("baseline", docs, m, stored=stored, note=f"{tally}")


def run_new(name: str, folder: Path, db: str, docs: int, batch: int) -> dict:
    env = {**os.environ, **EXTRA_ENV, "PYTHONPATH": str(ROOT / "src")}
    m, stdout = timed([sys.executable, __file__, "--child", str(folder), "--db", db,
                       "--batch-size", str(batch)], env)
    inner = json.loads(stdout.strip().splitlines()[-1])
    return row(name, docs, m, stored=inner["stored"], inner=inner)


def row(name: str, docs: int, m: dict, **extra: object) -> dict:
    return {"run": name, "docs": docs, "load_after": [round(x, 2) for x in os.getloadavg()],
            "seconds": round(m["seconds"], 2),
            "docs_per_s": round(docs / m["seconds"], 1),
            "cpu_s": round(m["cpu_s"], 2),
            "docs_per_cpu_s": round(docs / m["cpu_s"], 1) if m["cpu_s"] else None,
            "peak_mb": round(m["peak_mb"], 1), **extra}


class Postgres:
    """A database to ingest into: on $RIGHTSRECORD_BENCH_PG, else on a throwaway server."""

    def __init__(self, tmp: Path) -> None:
        sys.path.insert(0, str(ROOT))
        from tests.pg_server import PgCluster, start_server

        given = os.environ.get("RIGHTSRECORD_BENCH_PG")
        self.server = None
        self.cluster = PgCluster(given) if given else None
        if self.cluster is None:
            self.server = self.cluster = start_server(tmp)
        self.name = f"rr_ingest_bench_{os.getpid()}"
        self.url = self.cluster.create_database(self.name)

    def close(self) -> None:
        try:
            self.cluster.drop_database(self.name)
        finally:
            if self.server is not None:
                self.server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--stores", default="sqlite,postgresql",
                        help="comma-separated: sqlite, postgresql")
    parser.add_argument("--baseline-rev", default=DEFAULT_REV)
    parser.add_argument("--baseline-worktree", type=Path, default=DEFAULT_WORKTREE)
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--blas-threads", type=int, default=None,
                        help="OPENBLAS/OMP_NUM_THREADS for every run (default: the library's"
                             " own choice); 1 keeps CPU-s honest on a crowded machine, where"
                             " OpenBLAS threads spin")
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.db, args.batch_size)))
        return
    stores = [s.strip() for s in args.stores.split(",") if s.strip()]
    unknown = set(stores) - {"sqlite", "postgresql"}
    if unknown:
        parser.error(f"unknown store(s): {', '.join(sorted(unknown))}")
    if args.blas_threads:
        EXTRA_ENV.update({k: str(args.blas_threads) for k in BLAS_VARS})
    skipped: list[str] = []
    worktree = None
    if not args.no_baseline:
        try:
            worktree = ensure_worktree(args.baseline_rev, args.baseline_worktree)
        except (OSError, subprocess.CalledProcessError) as exc:
            detail = getattr(exc, "stderr", "") or exc
            skipped.append(f"baseline skipped: no worktree of {args.baseline_rev} ({detail})"
                           .strip())
            print(skipped[-1], flush=True)
    results: list[dict] = []
    tmp = Path(tempfile.mkdtemp(prefix="rr-ingest-bench-"))
    try:
        folder = tmp / "docs"
        folder.mkdir()
        generate(folder, args.docs)
        size_mb = sum(p.stat().st_size for p in folder.iterdir()) / 2**20
        print(f"generated corpus: {args.docs} documents, {size_mb:.1f} MB in {folder}",
              flush=True)
        if worktree is not None:
            results.append(run_baseline(worktree, folder, str(tmp / "baseline.db"), args.docs))
            print(f"  baseline done in {results[-1]['seconds']} s", flush=True)
        for name in stores:
            if name == "sqlite":
                results.append(run_new("sqlite", folder, str(tmp / "new.db"), args.docs,
                                       args.batch_size))
            else:
                try:
                    pg = Postgres(tmp)
                except Exception as exc:  # no server here: say so, go on
                    skipped.append(f"postgresql skipped: {exc}".splitlines()[0])
                    print(f"  {skipped[-1]}", flush=True)
                    continue
                try:
                    results.append(run_new("postgresql", folder, pg.url, args.docs,
                                           args.batch_size))
                finally:
                    pg.close()
            print(f"  {name} done in {results[-1]['seconds']} s", flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    base = next((r for r in results if r["run"] == "baseline"), None)
    for r in results:
        r["ratio"] = round(r["docs_per_s"] / base["docs_per_s"], 2) if base else None
    report(results, args, size_mb, base is not None)
    for line in skipped:
        print(line)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"docs": args.docs, "corpus_mb": round(size_mb, 1),
                                         "baseline_rev": args.baseline_rev if base else None,
                                         "blas_threads": args.blas_threads,
                                         "skipped": skipped, "results": results}, indent=2))


def report(results: list[dict], args: argparse.Namespace, size_mb: float,
           baseline: bool) -> None:
    print(f"\ningest of {args.docs} generated documents ({size_mb:.1f} MB); baseline ="
          f" {args.baseline_rev if baseline else 'none'}; BLAS threads:"
          f" {args.blas_threads or 'library default'}")
    head = (f"{'run':<11} {'docs':>6} {'seconds':>8} {'docs/s':>8} {'docs/CPU-s':>10} "
            f"{'peak MB':>8} {'ratio':>6}")
    print(head)
    print("-" * len(head))
    for r in results:
        ratio = f"{r['ratio']:.2f}" if r["ratio"] is not None else "-"
        print(f"{r['run']:<11} {r['docs']:>6} {r['seconds']:>8.1f} {r['docs_per_s']:>8.1f} "
              f"{r['docs_per_cpu_s'] or 0:>10.1f} {r['peak_mb']:>8.1f} {ratio:>6}")
    print("ratio: docs/s over the baseline's (>1 faster). Each run is a whole process,"
          " start-up included.")
    for r in results:
        inner = r.get("inner")
        if inner:
            extra = (f"; server backend CPU {inner['server_backend_cpu_s']} s (not in"
                     " docs/CPU-s)" if r["run"] == "postgresql" else "")
            print(f"  {r['run']}: start-up {inner['startup_s']} s, ingest loop"
                  f" {inner['ingest_s']} s ({inner['ingest_cpu_s']} CPU-s), stored"
                  f" {inner['stored']}, rejected {inner['rejected']}{extra}")
        elif r["run"] == "baseline":
            print(f"  baseline: {r.get('note', '')}")
    print("  load average (1/5/15 min) after each run: "
          + "; ".join(f"{r['run']} {r['load_after']}" for r in results)
          + f" on {os.cpu_count()} cores")
    if any(r["run"] == "postgresql" for r in results):
        print("  postgresql: the client's CPU only; the server's own CPU is not counted in"
              " docs/CPU-s.")


if __name__ == "__main__":
    main()
