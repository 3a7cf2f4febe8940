"""Adding one document to a linked store: time per document as the store grows, against
linking the whole store again from scratch (`link all`).

Synthetic reports (an arrest, a sentence or a ban against one of many people, in one of ten
countries, over five years, a quarter of them second reports of an earlier event) are
stored with their facts and linked one by one, as `ingest` does; then the time to add and
link each of `--probe` more documents is measured at that size. The extract stages are not
run: this measures the store and the linker, not extraction.

    .venv/bin/python bench/link_bench.py --docs 100000            # SQLite (the 100k run)
    .venv/bin/python bench/link_bench.py --docs 100000 --pg auto    # a throwaway PostgreSQL
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from rightsrecord.document import CountryScore, Document, Segment
from rightsrecord.facts import Actor, Event, Timex
from rightsrecord.link.incremental import link_documents, relink
from rightsrecord.store import open_store

COUNTRIES = [("KZ", "Kazakhstan", "Almaty"), ("KG", "Kyrgyzstan", "Bishkek"),
             ("TJ", "Tajikistan", "Dushanbe"), ("UZ", "Uzbekistan", "Tashkent"),
             ("AZ", "Azerbaijan", "Baku"), ("BY", "Belarus", "Minsk"), ("GE", "Georgia", "Tbilisi"),
             ("AM", "Armenia", "Yerevan"), ("TR", "Turkey", "Ankara"), ("EG", "Egypt", "Cairo")]
ACTS = [("arrest", "detained"), ("conviction-sentence", "sentenced"),
        ("ban-restriction", "banned from travel")]
GIVEN = ["Aigerim", "Bakyt", "Dana", "Erlan", "Farida", "Gulnara", "Ilyas", "Kanat", "Leyla",
         "Marat", "Nurlan", "Olga", "Rustam", "Saule", "Timur", "Umid", "Yulia", "Zarina"]
FILLER = ("rights", "group", "lawyer", "statement", "court", "hearing", "police", "station",
          "charges", "activist", "journalist", "blogger", "protest", "detention", "appeal",
          "family", "relatives", "prosecutor", "case", "ministry", "spokesperson", "said",
          "reported", "according", "to", "local", "media", "outlet", "independent",
          "observers", "called", "for", "release", "international", "organisations", "concern")


def make_doc(rng: random.Random, n: int, earlier: list[tuple]) -> tuple[Document, tuple]:
    if earlier and rng.random() < 0.25:
        code, cname, city, act, verb, name, day = rng.choice(earlier)  # another report
    else:
        code, cname, city = rng.choice(COUNTRIES)
        act, verb = rng.choice(ACTS)
        name = f"{rng.choice(GIVEN)} Person{rng.randrange(20000)}ov"
        day = date(2019, 1, 1) + timedelta(days=rng.randrange(5 * 365))
    said = day.strftime("%B %d, %Y").replace(" 0", " ")
    head = f"Authorities in {city} {verb} {name}"
    lead = f"Authorities in {city} {verb} {name} on {said}. "
    body = lead + " ".join(rng.choice(FILLER) for _ in range(rng.randint(60, 120))) + "."
    text = head + "\n" + body
    s_name = text.index(name, len(head) + 1)
    s_date = text.index(said)
    seg = Segment(text=text, published=(day + timedelta(days=rng.randint(0, 3))).isoformat())
    seg.dates = [Timex(s_date, s_date + len(said), said, "DATE", day.isoformat())]
    seg.actors = [Actor(name, "person", None, [(s_name, s_name + len(name))])]
    seg.countries = [CountryScore(code, cname, 1.0, True)]
    seg.events = [Event(act, len(head) + 1, len(head) + len(lead), 0.9, None, None, name,
                        day.isoformat(), code, "text", None, (s_name, s_name + len(name)))]
    seg.done = ["dates.v1", "places.v1", "actors.v1", "events.v1"]
    doc = Document(url=f"https://bench.invalid/{n}", kind="text", body=seg, title=head,
                   published=seg.published, content_hash=f"h{n}")
    return doc, (code, cname, city, act, verb, name, day)


def add(store, docs: list[Document]) -> None:
    store.add_many(docs)
    link_documents(store, docs)


def run(db: str, n: int, probe: int, relink_all: bool = True, seed: int = 7
        ) -> dict[str, float]:
    rng = random.Random(seed)
    events: list[tuple] = []
    out: dict[str, float] = {}
    with open_store(db) as store:
        i = 0
        t0 = time.perf_counter()
        while i < n:
            batch = []
            for _ in range(min(500, n - i)):
                doc, ev = make_doc(rng, i, events)
                events.append(ev)
                batch.append(doc)
                i += 1
            add(store, batch)
        out["fill_s"] = time.perf_counter() - t0
        times = []
        for k in range(probe):
            doc, ev = make_doc(rng, n + k, events)
            t = time.perf_counter()
            add(store, [doc])
            times.append(time.perf_counter() - t)
        out["add_p50_ms"] = float(np.percentile(times, 50) * 1000)
        out["add_p95_ms"] = float(np.percentile(times, 95) * 1000)
        if relink_all:
            t = time.perf_counter()
            relink(store)
            out["relink_s"] = time.perf_counter() - t
            out["relink_over_add"] = out["relink_s"] / (out["add_p50_ms"] / 1000)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, nargs="+", default=[1000, 4000])
    ap.add_argument("--probe", type=int, default=50)
    ap.add_argument("--relink-max", type=int, default=10**9,
                    help="link everything again only in stores up to this size")
    ap.add_argument("--pg", default=None, help="a PostgreSQL database URL (emptied first), or "
                                               "`auto` for a throwaway server")
    args = ap.parse_args()
    server = None
    if args.pg == "auto":
        import sys

        sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
        from tests.pg_server import start_server

        server = start_server(Path(tempfile.mkdtemp()))
        args.pg = server.create_database("link_bench")
    for n in args.docs:
        if args.pg:
            import psycopg

            with psycopg.connect(args.pg, autocommit=True) as conn:
                conn.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
            db, kind = args.pg, "postgresql"
        else:
            tmp = tempfile.mkdtemp()
            db, kind = str(Path(tmp) / "bench.db"), "sqlite"
        r = run(db, n, args.probe, n <= args.relink_max)
        again = (f"; relink all {r['relink_s']:.1f} s (= {r['relink_over_add']:.0f} additions)"
                 if "relink_s" in r else "")
        print(f"{kind} {n:>7} docs: add one p50 {r['add_p50_ms']:.1f} ms, p95 "
              f"{r['add_p95_ms']:.1f} ms{again}; fill {r['fill_s']:.0f} s", flush=True)
    if server is not None:
        server.stop()


if __name__ == "__main__":
    main()
