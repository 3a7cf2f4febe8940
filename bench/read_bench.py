"""Reads that must not grow with the store: page, feed, export and read latency on a large store.

    python bench/read_bench.py [--docs 100000] [--stores sqlite,postgresql]
                               [--requests 200] [--clients 20] [--link-every 10]
                               [--export-cap 60] [--profile] [--json OUT]

For each store it

1. builds a store of N generated documents through `store.add_many` in chunks (no pipeline
   run): bodies of 150-450 words drawn from a Zipf vocabulary, with common words ("court",
   "police", "rights", ...) in most documents and one planted rare word in 1 of 5,000;
   a title; published dates over 2005-2024; 40 countries, the busiest with ~20% of the
   documents; listing and feed documents with 3-12 dated items, some with a yearly summary;
   and on every text a primary CountryScore (sometimes a second one), a place mention, one
   or two Timex dates and a theme; on every body also a named person (an Actor) and an
   Event whose target they are, dated as the text states. The build is timed (documents/s
   of `add_many`);
2. links one body in `--link-every` through the store's linking interface (`linking`,
   `new_identity`, `attach_actor`, `new_cluster`, `add_report`): events of 1-3 reports of
   one country, their targets resolved to a pool of people, so the events, actors and
   exports have something to list;
3. times the reads behind each page alone, in this process (the read services, every store
   call a page makes, without rendering), and `open_store` + `close`;
4. serves `rightsrecord.web.app.create_app(db)` with uvicorn on 127.0.0.1 (a free port) in
   a child process and times each page with httpx: `--requests` requests with one client
   (sync), then the same number shared by `--clients` concurrent clients (asyncio), on
   loopback only, each within `--budget` seconds. Pages: search (faceted: a common word;
   with a country filter and sorted by date; two common words; the rare word), the busiest
   country (first, second and a deep page; filtered by year and by theme), home, a
   document, an event, an actor, the lists, their JSON and `/api/v1` twins, the Atom feeds.
   A page that answers 404 is reported as missing, not measured;
5. streams the large exports once each (a search's every hit, the busiest country's
   events) and reports rows/s, time to the first byte and the server process's resident
   memory before and at its peak while streaming (sampled every 20 ms), stopping after
   `--export-cap` seconds.

Targets: p95 < 50 ms with one client, p95 < 300 ms with 20 concurrent clients; exports at
least 5,000 rows/s in bounded memory.
`--profile` adds, for every SQL statement behind each read, its median time and its
plan (EXPLAIN QUERY PLAN on SQLite, EXPLAIN (ANALYZE, BUFFERS) on PostgreSQL).

PostgreSQL is `$RIGHTSRECORD_BENCH_PG` (a server URL; a database is created on it) or a
throwaway server from `tests/pg_server.py`. Its server CPU is not in this process's figures.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

TARGET_1 = 50.0  # p95 ms, one client
TARGET_N = 300.0  # p95 ms, 20 concurrent clients
TARGET_ROWS = 5000.0  # rows/s of a streamed export

# -- the generated corpus -------------------------------------------------------------------------

COUNTRIES = [
    ("IN", "India"), ("RU", "Russia"), ("CN", "China"), ("TR", "Turkey"), ("BR", "Brazil"),
    ("MX", "Mexico"), ("NG", "Nigeria"), ("EG", "Egypt"), ("PK", "Pakistan"),
    ("IR", "Iran"), ("PH", "Philippines"), ("CO", "Colombia"), ("BD", "Bangladesh"),
    ("ET", "Ethiopia"), ("MM", "Myanmar"), ("VE", "Venezuela"), ("SA", "Saudi Arabia"),
    ("KZ", "Kazakhstan"), ("UZ", "Uzbekistan"), ("BY", "Belarus"), ("UA", "Ukraine"),
    ("SY", "Syria"), ("IQ", "Iraq"), ("AF", "Afghanistan"), ("SD", "Sudan"),
    ("CD", "Congo (the Democratic Republic of the)"), ("KE", "Kenya"), ("ZW", "Zimbabwe"),
    ("UG", "Uganda"), ("TH", "Thailand"), ("VN", "Viet Nam"), ("KH", "Cambodia"),
    ("ID", "Indonesia"), ("LK", "Sri Lanka"), ("NP", "Nepal"), ("TJ", "Tajikistan"),
    ("KG", "Kyrgyzstan"), ("AZ", "Azerbaijan"), ("GT", "Guatemala"), ("HN", "Honduras"),
]
# The first country gets ~20% of the documents; the others a Zipf-like share of the rest.
_TAIL = [1 / (r + 2) ** 0.9 for r in range(len(COUNTRIES) - 1)]
COUNTRY_WEIGHTS = [0.2] + [0.8 * w / sum(_TAIL) for w in _TAIL]

# Theme codes of the themes vocabulary (a filter outside it is refused).
THEMES = [
    ("torture-and-other-cid-treatment", "Torture and other CID treatment"),
    ("enforced-disappearances", "Enforced disappearances"),
    ("freedom-of-opinion-and-expression", "Freedom of opinion and expression"),
    ("freedom-of-association-and-peaceful-assembly",
     "Freedom of association and peaceful assembly"),
    ("justice", "Justice"), ("detention", "Detention"), ("death-penalty", "Death penalty"),
    ("women-s-rights", "Women's rights"), ("rights-of-the-child", "Rights of the child"),
    ("minorities", "Minorities"), ("human-rights-defenders", "Human rights defenders"),
    ("freedom-of-the-press", "Freedom of the press"),
]
EVENT_TYPES = ["arrest", "prosecution", "conviction-sentence", "killing",
               "torture-ill-treatment", "release", "court-ruling", "protest",
               "abduction-disappearance", "ban-restriction"]
PEOPLE = 400  # distinct people named across the bodies
# Words in most documents (probability a body has them) and the words searched for.
COMMON = {"court": 0.85, "police": 0.75, "rights": 0.9, "human": 0.8, "government": 0.7,
          "authorities": 0.65, "detained": 0.45, "report": 0.6, "security": 0.5, "law": 0.7}
RARE = "zhanaozen"  # planted in 1 document of 5,000
RARE_EVERY = 5000
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
HOSTS = [f"news{k}.example.org" for k in range(24)] + ["www.hrw.example", "www.amnesty.example"]
SYLLABLES = ["ka", "ri", "to", "mel", "san", "dor", "vi", "lu", "pre", "mon", "tar", "is",
             "zo", "ber", "an", "qu", "el", "ni", "sto", "ram", "ge", "fu", "hal", "ob"]


def _vocabulary(size: int = 20_000, seed: int = 1) -> list[str]:
    rng = random.Random(seed)
    words: set[str] = set()
    while len(words) < size:
        w = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
        if w not in COMMON and w != RARE:
            words.add(w)
    return sorted(words)


VOCAB = _vocabulary()


def _people(n: int = PEOPLE, seed: int = 3) -> list[str]:
    """Person names: a given name and a surname made of the syllables."""
    rng = random.Random(seed)
    names: set[str] = set()
    while len(names) < n:
        given = "".join(rng.choice(SYLLABLES) for _ in range(2)).capitalize()
        surname = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3)))
        names.add(f"{given} {surname.capitalize()}ov")
    return sorted(names)


NAMES = _people()
_RANKED = random.Random(2).sample(VOCAB, len(VOCAB))
CUM: list[float] = []
_acc = 0.0
for _r in range(len(_RANKED)):
    _acc += 1 / (_r + 10) ** 1.05
    CUM.append(_acc)


def stage_ids() -> list[str]:
    try:
        from rightsrecord.extract.pipeline import current_ids

        return list(current_ids())
    except Exception:  # any tree: a plausible list is enough for reads
        return ["sentences.v1", "dates.v1", "places.v2", "themes.v3", "actors.v1", "events.v2"]


class Corpus:
    """Documents n = 0, 1, ... with the shapes of the module doc, the same for a seed."""

    def __init__(self, seed: int = 11) -> None:
        from rightsrecord import document, facts

        self.m, self.f = document, facts
        self.seed = seed
        self.stages = stage_ids()
        self.start = date(2005, 1, 1)
        self.days = (date(2024, 12, 31) - self.start).days

    def words(self, rng: random.Random, n: int, common_p: float, extra: list[str]) -> list[str]:
        words = rng.choices(_RANKED, cum_weights=CUM, k=n)
        for w, p in COMMON.items():
            if rng.random() < p * common_p:
                for _ in range(rng.randint(1, 3)):
                    words.insert(rng.randrange(len(words) + 1), w)
        for w in extra:
            words.insert(rng.randrange(len(words) + 1), w)
        return words

    @staticmethod
    def sentences(rng: random.Random, words: list[str]) -> str:
        out, i = [], 0
        while i < len(words):
            k = rng.randint(8, 20)
            out.append(" ".join(words[i:i + k]).capitalize() + ".")
            i += k
        return " ".join(out)

    def day(self, rng: random.Random) -> date:
        return self.start + timedelta(days=rng.randrange(self.days + 1))

    def text(self, rng: random.Random, n_words: int, country: tuple[str, str], when: date,
             common_p: float = 1.0, extra: list[str] | None = None, person: str = ""
             ) -> tuple[str, list, list]:
        """A text opening with its country, a person if given, and a date; (text, timexes,
        place mentions)."""
        f = self.f
        head = f"Reports from {country[1]}. " + (f"{person}. " if person else "")
        place = f.CountryMention(country[0], len("Reports from "),
                                 len("Reports from ") + len(country[1]), country[1], "country")
        phrase = f"{when.day} {MONTHS[when.month - 1]} {when.year}"
        lead = head + "On "
        body = self.sentences(rng, self.words(rng, n_words, common_p, extra or []))
        text = f"{lead}{phrase}, {body}"
        dates = [f.Timex(len(lead), len(lead) + len(phrase), phrase, "DATE", when.isoformat())]
        if rng.random() < 0.5:
            year = str(rng.randint(2000, when.year))
            tail = f" The case goes back to {year}."
            dates.append(f.Timex(len(text) + len(" The case goes back to "),
                                 len(text) + len(tail) - 1, year, "DATE", year))
            text += tail
        return text, dates, [place]

    def facts(self, seg: Any, rng: random.Random, country: tuple[str, str], dates: list,
              places: list) -> None:
        f, m = self.f, self.m
        seg.dates, seg.places = dates, places
        seg.countries = [m.CountryScore(country[0], country[1], round(rng.uniform(0.5, 1), 3),
                                        True)]
        if rng.random() < 0.3:
            other = COUNTRIES[rng.randrange(len(COUNTRIES))]
            if other != country:
                seg.countries.append(m.CountryScore(other[0], other[1],
                                                    round(rng.uniform(0.05, 0.4), 3)))
        theme = THEMES[rng.randrange(len(THEMES))]
        seg.themes = [f.Theme(theme[0], theme[1], round(rng.uniform(0.3, 0.95), 3))]
        seg.done = list(self.stages)

    def document(self, n: int) -> Any:
        m = self.m
        rng = random.Random(self.seed * 1_000_003 + n)
        country = rng.choices(COUNTRIES, weights=COUNTRY_WEIGHTS)[0]
        when = self.day(rng)
        pick = n % 20
        kind = ("html" if pick < 11 else "text" if pick < 14 else "pdf" if pick < 16
                else "listing" if pick < 19 else "feed")
        listing = kind in ("listing", "feed")
        extra = [RARE] if n % RARE_EVERY == 17 else []
        # The named person and the event type: drawn apart, so the rest is as it was.
        side = random.Random(self.seed * 7_000_003 + n)
        person, event_type = side.choice(NAMES), side.choice(EVENT_TYPES)
        text, dates, places = self.text(rng, rng.randint(60, 150) if listing
                                        else rng.randint(150, 450), country, when, 1.0, extra,
                                        person)
        host = HOSTS[rng.randrange(len(HOSTS))]
        url = f"https://{host}/{country[0].lower()}/{when.year}/{n}"
        title_words = rng.choices(_RANKED, cum_weights=CUM, k=rng.randint(3, 7))
        if rng.random() < 0.5:
            title_words.insert(0, rng.choice(list(COMMON)))
        title = f"{country[1]}: " + " ".join(title_words).capitalize()
        segments = []
        if listing:
            for k in range(rng.randint(3, 12)):
                own = country if rng.random() < 0.8 else \
                    rng.choices(COUNTRIES, weights=COUNTRY_WEIGHTS)[0]
                d = self.day(rng)
                t, tdates, tplaces = self.text(rng, rng.randint(15, 40), own, d, 0.3)
                seg = m.Segment(text=t, kind="item", title=" ".join(
                    rng.choices(_RANKED, cum_weights=CUM, k=rng.randint(4, 8))).capitalize(),
                    date=d.isoformat(), url=f"{url}#item-{k}")
                self.facts(seg, rng, own, tdates, tplaces)
                segments.append(seg)
            if rng.random() < 0.2:
                year = rng.randint(2005, 2024)
                t, tdates, tplaces = self.text(rng, rng.randint(60, 120), country,
                                               date(year, 12, 31), 1.0)
                seg = m.Segment(text=t, kind="summary", year=year)
                self.facts(seg, rng, country, tdates, tplaces)
                segments.append(seg)
        body = m.Segment(text=text)
        doc = m.Document(url=url, kind=kind, body=body, segments=segments,
                         content_hash=hashlib.sha256(f"{url}\n{text}".encode()).hexdigest(),
                         title=title, published=when.isoformat(), source=host,
                         fetched_at="2025-01-15T10:00:00+00:00", input=url)
        self.facts(body, rng, country, dates, places)
        self.event(body, country, when, person, event_type)
        return doc

    def event(self, body: Any, country: tuple[str, str], when: date, person: str,
              type_: str) -> None:
        """The body's person as an Actor, and an Event (its evidence the sentence after the
        name, its date the one that sentence states) with the person as target."""
        f = self.f
        start = len(f"Reports from {country[1]}. ")
        name = (start, start + len(person))
        evidence = name[1] + 2
        end = body.text.find(".", evidence) + 1 or len(body.text)
        body.actors = [f.Actor(person, "person", "target", [name])]
        body.events = [f.Event(type_, evidence, end, 0.8, date=when.isoformat(),
                               country=country[0], date_source="text", target=person,
                               target_span=name)]

    def chunks(self, total: int, size: int) -> Iterator[list[Any]]:
        for lo in range(0, total, size):
            yield [self.document(n) for n in range(lo, min(total, lo + size))]


# -- measuring ------------------------------------------------------------------------------------


def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    if not s:
        return float("nan")
    k = min(len(s) - 1, max(0, int(round(q / 100 * len(s) + 0.5)) - 1))
    return s[k]


def summary(ms: list[float]) -> dict[str, float]:
    return {"n": len(ms), "p50": round(pct(ms, 50), 2), "p95": round(pct(ms, 95), 2),
            "p99": round(pct(ms, 99), 2), "max": round(max(ms), 2) if ms else None}


def time_calls(fn: Callable[[], Any], n: int, budget_s: float = 30.0) -> dict[str, float]:
    fn()  # warm
    ms: list[float] = []
    deadline = time.perf_counter() + budget_s
    while len(ms) < n and time.perf_counter() < deadline:
        t = time.perf_counter()
        fn()
        ms.append((time.perf_counter() - t) * 1000)
    return summary(ms)


def load() -> list[float]:
    """The 1, 5 and 15 minute load averages: how busy the (shared) machine was."""
    return [round(x, 2) for x in os.getloadavg()]


def proc_cpu(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return float("nan")


class Recorder:
    """Wraps a store's connection to catch the SQL a call runs (for --profile)."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn
        self.seen: list[tuple[str, Any]] = []

    def execute(self, sql: str, params: Any = ()) -> Any:
        self.seen.append((sql, params))
        return self.conn.execute(sql, params)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.conn, name)


# -- the stores -----------------------------------------------------------------------------------


class PgUnavailable(RuntimeError):
    """No PostgreSQL server to run against."""


class Target:
    """A store to build and read: a SQLite file, or a PostgreSQL database."""

    def __init__(self, kind: str, tmp: Path) -> None:
        self.kind, self.pg = kind, None
        if kind == "sqlite":
            self.url = str(tmp / "read_bench.db")
        else:
            from ingest_bench import Postgres

            try:
                self.pg = Postgres(tmp)
            except Exception as exc:  # no server here
                raise PgUnavailable(str(exc)) from exc
            self.url = self.pg.url

    def size_mb(self, store: Any) -> float:
        if self.kind == "sqlite":
            return sum(p.stat().st_size for p in Path(self.url).parent.glob(
                Path(self.url).name + "*")) / 2**20
        row = store.db.execute("SELECT pg_database_size(current_database()) AS n").fetchone()
        return int(row["n"]) / 2**20

    def close(self) -> None:
        if self.pg is not None:
            self.pg.close()


def build_part(url: str, seed: int, docs: int, chunk: int, part: int, parts: int,
               progress: bool) -> tuple[float, float, int]:
    """Add chunks part, part + parts, ... of the corpus; (generate s, add_many s, docs)."""
    from rightsrecord.store import open_store

    corpus = Corpus(seed)
    gen_s = add_s = 0.0
    done = 0
    with open_store(url) as store:
        for k, lo in enumerate(range(0, docs, chunk)):
            if k % parts != part:
                continue
            t = time.perf_counter()
            batch = [corpus.document(n) for n in range(lo, min(docs, lo + chunk))]
            t2 = time.perf_counter()
            store.add_many(batch)
            gen_s += t2 - t
            add_s += time.perf_counter() - t2
            done += len(batch)
            if progress and (done * parts) % max(chunk, docs // 10) < chunk * parts:
                rate = done * parts / (gen_s + add_s)
                print(f"    built ~{min(docs, done * parts)}/{docs} ({rate:.0f} docs/s)",
                      flush=True)
    return gen_s, add_s, done


def _build_part(a: tuple) -> tuple[float, float, int]:
    return build_part(*a)


def build(url: str, seed: int, docs: int, chunk: int, workers: int) -> dict[str, Any]:
    """The store of `docs` generated documents, by `workers` writer processes (one: here)."""
    started = time.perf_counter()
    if workers <= 1:
        parts = [build_part(url, seed, docs, chunk, 0, 1, True)]
    else:
        import multiprocessing

        jobs = [(url, seed, docs, chunk, k, workers, k == 0) for k in range(workers)]
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            parts = pool.map(_build_part, jobs)
    seconds = time.perf_counter() - started
    gen_s = sum(p[0] for p in parts)
    add_s = sum(p[1] for p in parts)
    return {"docs": docs, "writers": max(1, workers), "seconds": round(seconds, 1),
            "docs_per_s": round(docs / seconds, 1), "generate_s": round(gen_s, 1),
            "add_many_s": round(add_s, 1),
            "add_many_docs_per_s_per_writer": round(docs / add_s, 1)}


def link_events(url: str, every: int, seed: int, batch: int = 500) -> dict[str, Any]:
    """Link one body in `every` as linking would, through the store's interface: each
    body's event joins an open event of its country (1-3 reports each) or starts one, its
    target resolved to one identity per person. One transaction per batch of versions."""
    from rightsrecord.names import fold
    from rightsrecord.store import open_store

    started = time.perf_counter()
    rng = random.Random(seed)
    identities: dict[str, int] = {}
    open_events: dict[str, tuple[int, int]] = {}  # country -> (cluster, reports left)
    linked = events = 0
    with open_store(url) as store:
        after = 0
        while True:
            versions = store.all_versions(limit=batch, after=after)
            if not versions:
                break
            after = versions[-1].version_id
            picked = [v.version_id for v in versions if v.version_id % every == 0]
            with store.linking():
                for doc in store.load_versions(picked):
                    seg = doc.body.segment_id
                    rows = store.segment_events(seg) if seg is not None else []
                    if not rows or doc.id is None:
                        continue
                    row = rows[0]
                    actor = next((a for a in store.segment_actors(seg)
                                  if a["id"] == row["target_actor"]), None)
                    target = None
                    if actor is not None:
                        target = identities.get(actor["name"])
                        if target is None:
                            found = store.identity_by_key("person", fold(actor["name"]))
                            target = found.id if found else store.new_identity(
                                "person", fold(actor["name"]), actor["name"].split()[-1],
                                actor["name"])
                            identities[actor["name"]] = target
                        store.attach_actor(int(actor["id"]), target, 0.9,
                                           [(actor["name"], fold(actor["name"]))],
                                           actor["name"])
                    country = row["country"] or ""
                    cluster, left = open_events.get(country, (0, 0))
                    if left <= 0:
                        cluster = store.new_cluster(row["type"], row["date"], country or None,
                                                    None)
                        left = rng.randint(1, 3)
                        events += 1
                    open_events[country] = (cluster, left - 1)
                    store.add_report(
                        cluster, segment_id=seg, document_id=doc.id, event_id=int(row["id"]),
                        event_key=f"bench:{seg}:0", main=True, type_=row["type"],
                        day=row["date"], target_identity=target,
                        sort_key=f"{doc.published or '0000-00-00'}|{doc.id:012d}|999999",
                        score=1.0, signals={"bench": True}, linked_by="bench")
                    linked += 1
    seconds = time.perf_counter() - started
    return {"reports": linked, "events": events, "people": len(identities),
            "seconds": round(seconds, 1), "reports_per_s": round(linked / seconds, 1)
            if seconds else None}


def event_counts(store: Any) -> dict[str, int]:
    """Events per country: the store's count, or the events listed page by page."""
    if hasattr(store, "event_counts"):
        return dict(store.event_counts())
    out: dict[str, int] = {}
    cursor = None
    while True:
        page = store.event_rows(limit=1000, cursor=cursor)
        for e in page.data:
            out[e.country or ""] = out.get(e.country or "", 0) + 1
        if not page.next_cursor:
            return out
        cursor = page.next_cursor


YEAR = 2014  # the year a filtered country page asks for
WORD = "court"  # the common word searched for, in feeds and exports too


def cases(store: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, Any]]:
    """The pages to time, each with the reads it makes (None: those of the page it is the
    twin of, or unknown here); the exports to stream; and facts about the built store."""
    from rightsrecord.read import services
    from rightsrecord.read.models import CountryFilters, SearchQuery
    from rightsrecord.store import open_store
    from rightsrecord.web import urls, views

    busiest = max(store.countries(), key=lambda c: c.documents)
    code = busiest.code
    first = store.country(code, limit=50, summaries_limit=20)
    cursor = first.items.next_cursor
    # A cursor halfway down the busiest country's feed: a keyset page must cost no more.
    cursors, after = [], None
    while True:
        page = store.country(code, limit=1000, cursor=after, summaries_limit=1).items
        if not page.next_cursor:
            break
        after = page.next_cursor
        cursors.append(after)
    deep = cursors[len(cursors) // 2] if cursors else cursor
    deep_offset = 1000 * (len(cursors) // 2 + 1) if cursors else 50
    listing_doc = next((e.document_id for e in first.items.data if e.kind == "item"), None)
    doc_id = listing_doc or first.items.data[0].document_id
    event_page = store.event_rows(country=code, limit=1).data
    event_id = event_page[0].id if event_page else 1
    people = store.identity_rows(limit=1).data
    actor_id = people[0].id if people else 1
    common = services.search(store, SearchQuery(q=WORD), limit=1)
    filtered = services.search(store, SearchQuery(q=WORD, country=code, sort="newest"), limit=1)
    rare_hits = len(store.search(RARE, limit=1000).data)
    url = store.url
    theme = THEMES[0][0]
    events = event_counts(store)
    info = {"busiest": code, "busiest_documents": busiest.documents,
            "busiest_items": busiest.items, "feed_entries": 1000 * len(cursors) + len(page.data),
            "deep_offset": deep_offset, "document_id": doc_id, "event_id": event_id,
            "actor_id": actor_id, "common_total": common.total,
            "common_in_busiest_total": filtered.total, "rare_hits": rare_hits,
            "events": sum(events.values()), "busiest_events": events.get(code, 0)}

    def search(q: str, fmt: str = "html", **filters: Any) -> dict[str, Any]:
        query = SearchQuery(q=q, **filters)
        return {"path": urls.search(q, fmt, **filters),
                "call": lambda: services.search(store, query, limit=views.SEARCH_LIMIT)}

    def country(fmt: str = "html", **opts: Any) -> dict[str, Any]:
        filters = CountryFilters(**{k: v for k, v in opts.items() if k != "cursor"})
        return {"path": urls.country(code, fmt, **opts),
                "call": lambda: services.country(
                    store, code, filters=filters, limit=views.FEED_LIMIT,
                    cursor=opts.get("cursor"), summaries_limit=views.SUMMARIES_LIMIT)}

    api = "/api/v1"
    q_filtered = f"q={WORD}&country={code}&sort=newest"
    out = [
        {"case": "search common", **search(WORD)},
        {"case": "search common .json", "path": urls.search(WORD, "json"), "call": None},
        {"case": "search common api", "path": f"{api}/search?q={WORD}", "call": None},
        {"case": "search country+newest", **search(WORD, country=code, sort="newest")},
        {"case": "search cty+new api", "path": f"{api}/search?{q_filtered}", "call": None},
        {"case": "search 2 common", **search("police rights")},
        {"case": "search rare", **search(RARE)},
        {"case": "search rare .json", "path": urls.search(RARE, "json"), "call": None},
        {"case": "country", **country()},
        {"case": "country .json", "path": urls.country(code, "json"), "call": None},
        {"case": "country api", "path": f"{api}/countries/{code}", "call": None},
        {"case": "country page 2", **country(cursor=cursor)},
        {"case": "country deep page", **country(cursor=deep)},
        {"case": "country year", **country(year=YEAR)},
        {"case": "country year api", "path": f"{api}/countries/{code}?year={YEAR}",
         "call": None},
        {"case": "country theme", **country(theme=theme)},
        {"case": "country feed .atom", "path": f"/feeds/countries/{code}.atom", "call": None},
        {"case": "search feed .atom", "path": f"/feeds/search.atom?q={WORD}", "call": None},
        {"case": "home", "path": urls.home(),
         "call": lambda: services.overview(store, recent=views.RECENT)},
        {"case": "document", "path": urls.document(doc_id),
         "call": lambda: services.document(store, doc_id)},
        {"case": "event", "path": urls.event(event_id),
         "call": lambda: services.event(store, event_id)},
        {"case": "actor", "path": urls.actor(actor_id),
         "call": lambda: services.actor(store, actor_id)},
        {"case": "countries", "path": urls.countries(),
         "call": lambda: services.countries(store)},
        {"case": "countries api", "path": f"{api}/countries", "call": None},
        {"case": "documents", "path": urls.documents(),
         "call": lambda: (services.documents(store, limit=views.LIST_LIMIT),
                          services.countries(store, events=False))},
        {"case": "documents api", "path": f"{api}/documents", "call": None},
        {"case": "events", "path": urls.events(),
         "call": lambda: (services.events(store, limit=views.LIST_LIMIT),
                          services.countries(store, events=False))},
        {"case": "events api", "path": f"{api}/events", "call": None},
        {"case": "actors", "path": urls.actors(),
         "call": lambda: services.actors(store, limit=views.LIST_LIMIT)},
        {"case": "actors api", "path": f"{api}/actors", "call": None},
        {"case": "open_store+close", "path": None, "call": lambda: open_store(url).close()},
    ]
    # The common word's matches, where the store counts them (it may say only "more than").
    exports = [
        {"case": "search csv", "path": f"/exports/search.csv?q={WORD}",
         "rows": common.total, "format": "csv"},
        {"case": "search jsonl", "path": f"/exports/search.jsonl?q={WORD}",
         "rows": common.total, "format": "jsonl"},
        {"case": "country events csv", "path": f"/exports/countries/{code}.csv",
         "rows": info["busiest_events"], "format": "csv"},
        {"case": "country events jsonl", "path": f"/exports/countries/{code}.jsonl",
         "rows": info["busiest_events"], "format": "jsonl"},
        {"case": "events csv ?country", "path": f"/exports/events.csv?country={code}",
         "rows": info["busiest_events"], "format": "csv"},
    ]
    return out, exports, info


def explain(store: Any, kind: str, sql: str, params: Any) -> list[str]:
    if kind == "sqlite":
        rows = store.db.execute("EXPLAIN QUERY PLAN " + sql, params).fetchall()
        depth: dict[int, int] = {0: 0}
        lines = []
        for r in rows:
            d = depth.get(r[1], 0) + 1
            depth[r[0]] = d
            lines.append("  " * (d - 1) + str(r[3]))
        return lines
    rows = store.db.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params,
                            prepare=False).fetchall()
    return [next(iter(r.values())) for r in rows]


def _timed(run: Callable[[], Any], n: int = 10) -> float:
    ms = []
    for _ in range(n):
        t = time.perf_counter()
        run()
        ms.append((time.perf_counter() - t) * 1000)
    return round(pct(ms, 50), 2)


def generic(store: Any, sql: str, params: Any) -> tuple[float, list[str]]:
    """PostgreSQL's generic plan of a statement (the one a prepared statement settles on
    after five runs, which psycopg prepares on a long-lived connection): its median time
    and EXPLAIN ANALYZE."""
    from psycopg import sql as pgsql

    numbered = sql
    for k in range(1, len(params) + 1):
        numbered = numbered.replace("%s", f"${k}", 1)
    args = ", ".join(pgsql.Literal(p).as_string(store.db) for p in params)
    db = store.db
    db.execute("PREPARE rr_bench_generic AS " + numbered, prepare=False)
    try:
        db.execute("SET plan_cache_mode = force_generic_plan", prepare=False)
        run = f"EXECUTE rr_bench_generic({args})"
        ms = _timed(lambda: db.execute(run, prepare=False).fetchall())
        plan = [next(iter(r.values())) for r in
                db.execute(f"EXPLAIN (ANALYZE, BUFFERS) {run}", prepare=False).fetchall()]
    finally:
        db.execute("RESET plan_cache_mode", prepare=False)
        db.execute("DEALLOCATE rr_bench_generic", prepare=False)
    return ms, plan


def profile(store: Any, kind: str, case: dict[str, Any]) -> list[dict[str, Any]]:
    """Every query (SELECT, WITH) behind one read: its median time over 10 runs and its plan; on
    PostgreSQL the custom plan (planned for these values, as a fresh connection runs it)
    and the generic one (as a long-lived connection ends up running it)."""
    real = store.db
    rec = store.db = Recorder(real)
    try:
        case["call"]()
    finally:
        store.db = real
    out = []
    for sql, params in rec.seen:
        if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
            continue
        entry: dict[str, Any] = {"sql": " ".join(sql.split()),
                                 "params": [str(p)[:60] for p in params]}
        if kind == "sqlite":
            entry["median_ms"] = _timed(lambda s=sql, p=params: real.execute(s, p).fetchall())
        else:
            entry["median_ms"] = _timed(
                lambda s=sql, p=params: real.execute(s, p, prepare=False).fetchall())
        entry["plan"] = explain(store, kind, sql, params)
        if kind == "postgresql" and params:
            entry["generic_ms"], entry["generic_plan"] = generic(store, sql, params)
        out.append(entry)
    return out


OWN_CODE = r"rightsrecord/|jinja2/environment|psycopg/connection|fastapi/routing.py.*\(app\)"
SITE = sysconfig.get_paths()["purelib"] + "/"


def web_profile(db: str, paths: list[tuple[str, str]], n: int = 30, top: int = 18
                ) -> dict[str, list[str]]:
    """Where a request's time goes in the app itself: each page requested `n` times
    in-process through httpx's ASGI transport with the threadpool hops made inline (so
    cProfile sees the endpoint), the top functions by cumulative time."""
    import cProfile
    import io
    import pstats

    import anyio.to_thread
    import httpx

    from rightsrecord.web.app import create_app

    async def inline(func: Callable[..., Any], *args: Any, **_: Any) -> Any:
        return func(*args)

    real = anyio.to_thread.run_sync
    anyio.to_thread.run_sync = inline  # type: ignore[assignment]
    out: dict[str, list[str]] = {}
    try:
        app = create_app(db)

        async def go(path: str, prof: cProfile.Profile) -> None:
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://bench") as c:
                await c.get(path)
                prof.enable()
                for _ in range(n):
                    await c.get(path)
                prof.disable()

        for name, path in paths:
            prof = cProfile.Profile()
            asyncio.run(go(path, prof))
            lines = [f"{n} requests of {path}"]
            for order, pattern in (("cumulative", OWN_CODE), ("tottime", "")):
                buf = io.StringIO()
                stats = pstats.Stats(prof, stream=buf)
                stats.sort_stats(order).print_stats(*([pattern] if pattern else []), top)
                got = [ln for ln in buf.getvalue().splitlines() if ln.strip()]
                start = next((i for i, ln in enumerate(got) if "ncalls" in ln), 0)
                lines += [f"-- by {order}" + (f", matching {pattern!r}" if pattern else "")]
                lines += [ln.replace(str(ROOT) + "/", "").replace(SITE, "")
                          for ln in got[start:]]
            out[name] = lines
    finally:
        anyio.to_thread.run_sync = real  # type: ignore[assignment]
    return out


# -- the web app ----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(db: str, port: int) -> None:
    """The child: the app on 127.0.0.1:port, as `rightsrecord serve` runs it."""
    import uvicorn

    from rightsrecord.web.app import create_app

    uvicorn.run(create_app(db), host="127.0.0.1", port=port, log_level="warning",
                access_log=False)


class Server:
    def __init__(self, db: str, log: Path) -> None:
        import httpx

        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log.open("wb")
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
        self.proc = subprocess.Popen([sys.executable, __file__, "--serve", db, "--port",
                                      str(self.port)], stdout=self.log,
                                     stderr=subprocess.STDOUT, env=env, cwd=ROOT)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"the app exited ({self.proc.returncode}):\n"
                                 f"{log.read_text(errors='replace')[-3000:]}")
            try:
                httpx.get(self.base + "/static/does-not-exist", timeout=2)
                return
            except httpx.HTTPError:
                time.sleep(0.2)
        self.stop()
        raise SystemExit("the app did not start in 90 s")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


def http_one(base: str, path: str, n: int, budget_s: float = 30.0) -> dict[str, Any]:
    import httpx

    statuses: dict[int, int] = {}
    ms: list[float] = []
    size = 0
    with httpx.Client(base_url=base, timeout=60) as client:
        for _ in range(3):
            r = client.get(path)
        if r.status_code == 404:
            return {"status": 404, "missing": True}
        size = len(r.content)
        deadline = time.perf_counter() + budget_s
        while len(ms) < n and time.perf_counter() < deadline:
            t = time.perf_counter()
            r = client.get(path)
            r.read()
            ms.append((time.perf_counter() - t) * 1000)
            statuses[r.status_code] = statuses.get(r.status_code, 0) + 1
    return {**summary(ms), "statuses": statuses, "bytes": size}


def http_many(base: str, path: str, n: int, clients: int, budget_s: float = 30.0
              ) -> dict[str, Any]:
    import httpx

    async def run() -> tuple[list[float], dict[int, int]]:
        limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
        statuses: dict[int, int] = {}
        ms: list[float] = []
        left = [n]
        async with httpx.AsyncClient(base_url=base, timeout=120, limits=limits) as client:
            # Open the connections with a request that costs the app nothing (the page is
            # warm from the one client).
            await asyncio.gather(*(client.get("/static/does-not-exist")
                                   for _ in range(clients)))

            async def worker() -> None:
                while left[0] > 0 and time.perf_counter() < deadline:
                    left[0] -= 1
                    t = time.perf_counter()
                    r = await client.get(path)
                    ms.append((time.perf_counter() - t) * 1000)
                    statuses[r.status_code] = statuses.get(r.status_code, 0) + 1

            started = time.perf_counter()
            deadline = started + budget_s
            await asyncio.gather(*(worker() for _ in range(clients)))
            wall[0] = time.perf_counter() - started
        return ms, statuses

    wall = [0.0]
    ms, statuses = asyncio.run(run())
    return {**summary(ms), "statuses": statuses, "req_per_s": round(len(ms) / wall[0], 1)}


def rss_mb(pid: int, field: str = "VmRSS") -> float | None:
    """A process's resident memory (or its peak, `VmHWM`), in MB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return round(int(line.split()[1]) / 1024, 1)
    except (OSError, ValueError):
        pass
    return None


def csv_records(chunks: Iterator[str]) -> Iterator[list[str]]:
    """CSV records from text arriving in chunks (a quoted field may hold line breaks)."""
    import csv

    def lines() -> Iterator[str]:
        rest = ""
        for chunk in chunks:
            rest += chunk
            *whole, rest = rest.split("\n")
            for line in whole:
                yield line + "\n"
        if rest:
            yield rest

    return csv.reader(lines())


def http_export(base: str, path: str, fmt: str, pid: int, cap_s: float) -> dict[str, Any]:
    """Stream one export once: rows, rows/s, time to the first byte, and the server
    process's resident memory before and at its peak (sampled every 20 ms; and the kernel's
    peak where it can be reset first), stopping after `cap_s` seconds."""
    import threading

    import httpx

    before = rss_mb(pid)
    try:  # reset the kernel's peak (VmHWM) to the current resident size
        Path(f"/proc/{pid}/clear_refs").write_text("5")
        hwm_reset = True
    except OSError:
        hwm_reset = False
    peak = [before or 0.0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.02):
            now = rss_mb(pid)
            if now is not None and now > peak[0]:
                peak[0] = now

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    rows = size = 0
    first_ms = None
    complete = True
    status = None
    started = time.perf_counter()
    try:
        with httpx.Client(base_url=base, timeout=120) as client, \
                client.stream("GET", path) as r:
            status = r.status_code
            if status == 404:
                return {"status": 404, "missing": True}

            def chunks() -> Iterator[str]:
                nonlocal size, first_ms, complete
                for chunk in r.iter_text():
                    if first_ms is None:
                        first_ms = (time.perf_counter() - started) * 1000
                    size += len(chunk)
                    yield chunk
                    if time.perf_counter() - started > cap_s:
                        complete = False
                        return

            if fmt == "csv":
                rows = max(0, sum(1 for _ in csv_records(chunks())) - 1)  # less the header
            else:
                rows = sum(chunk.count("\n") for chunk in chunks())
    finally:
        seconds = time.perf_counter() - started
        done.set()
        sampler.join()
    out = {"status": status, "rows": rows, "chars": size, "seconds": round(seconds, 2),
           "rows_per_s": round(rows / seconds, 1) if seconds else None,
           "first_byte_ms": round(first_ms, 1) if first_ms is not None else None,
           "complete": complete, "rss_before_mb": before, "rss_peak_mb": peak[0]}
    if hwm_reset:
        out["rss_hwm_mb"] = rss_mb(pid, "VmHWM")
    return out


# -- one store ------------------------------------------------------------------------------------


def bench_store(kind: str, args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    from rightsrecord.store import open_store

    print(f"\n== {kind}: building {args.docs} documents", flush=True)
    target = Target(kind, tmp)
    result: dict[str, Any] = {"store": kind, "load_before": load()}
    try:
        workers = args.build_workers or (1 if kind == "sqlite" else 3)
        result["build"] = build(target.url, args.seed, args.docs, args.chunk, workers)
        if args.link_every:
            print(f"    linking one body in {args.link_every} ...", flush=True)
            result["link"] = link_events(target.url, args.link_every, args.seed)
            print(f"    linked: {result['link']}", flush=True)
        with open_store(target.url) as store:
            counts = store.counts()
            result["build"].update(documents=counts.documents, items=counts.items,
                                   summaries=counts.summaries)
            if args.analyze or kind == "postgresql" and not args.no_pg_analyze:
                t = time.perf_counter()
                store.db.execute("ANALYZE")
                result["build"]["analyze_s"] = round(time.perf_counter() - t, 1)
            result["build"]["size_mb"] = round(target.size_mb(store), 1)
            print(f"    build: {result['build']}", flush=True)
            todo, exports, info = cases(store)
            result["info"] = info
            print(f"    store: {info}", flush=True)
            print("  reads in-process ...", flush=True)
            for case in todo:
                if case["call"] is not None:
                    case["store"] = time_calls(case["call"], args.requests, args.budget)
            if args.profile:
                print("  profiling the SQL ...", flush=True)
                for case in todo:
                    if case["call"] is not None:
                        case["profile"] = profile(store, kind, case)
        print(f"  serving the app and timing pages ({args.requests} requests per case,"
              f" 1 and {args.clients} clients, {args.budget:.0f} s at most each) ...",
              flush=True)
        server = Server(target.url, tmp / f"serve-{kind}.log")
        try:
            for case in todo:
                if case["path"] is None:
                    continue
                cpu0 = proc_cpu(server.proc.pid)
                one = http_one(server.base, case["path"], args.requests, args.budget)
                cpu1 = proc_cpu(server.proc.pid)
                case["http1"] = one
                if one.get("missing"):
                    print(f"    {case['case']:<22} {case['path']}: 404, not there yet",
                          flush=True)
                    continue
                one["server_cpu_ms_per_req"] = round((cpu1 - cpu0) * 1000 / max(1, one["n"]),
                                                     2)
                if one["p50"] > args.many_below_ms:  # 20 such requests at once: minutes
                    case["httpN"] = {"skipped": True}
                else:
                    case["httpN"] = http_many(server.base, case["path"], args.requests,
                                              args.clients, args.budget)
                many = case["httpN"]
                print(f"    {case['case']:<22} 1: p95 {one['p95']} ms (n {one['n']}); "
                      f"{args.clients}: " + ("not run" if many.get("skipped") else
                                             f"p95 {many['p95']} ms, {many['req_per_s']}"
                                             " req/s") + f" {sorted(one['statuses'])}",
                      flush=True)
            result["server_rss_mb"] = rss_mb(server.proc.pid)
        finally:
            server.stop()
        # The exports on a fresh server, so its memory is the exports' alone.
        print(f"  streaming the exports on a fresh server (at most {args.export_cap:.0f} s"
              " each) ...", flush=True)
        server = Server(target.url, tmp / f"serve-{kind}-exports.log")
        try:
            result["export_server_rss_mb"] = rss_mb(server.proc.pid)
            for export in exports:
                export["http"] = got = http_export(server.base, export["path"],
                                                   export["format"], server.proc.pid,
                                                   args.export_cap)
                if got.get("missing"):
                    print(f"    {export['case']:<22} {export['path']}: 404, not there yet",
                          flush=True)
                else:
                    print(f"    {export['case']:<22} {got['rows']}/{export['rows'] or '?'} rows in"
                          f" {got['seconds']} s = {got['rows_per_s']} rows/s; RSS"
                          f" {got['rss_before_mb']} -> {got['rss_peak_mb']} MB;"
                          f" status {got['status']}", flush=True)
        finally:
            server.stop()
            log = "".join((tmp / f"serve-{kind}{part}.log").read_text(errors="replace")
                          for part in ("", "-exports"))
            if log.strip():  # the app's own errors, if any
                result["server_log_tail"] = log[-4000:]
        if args.profile:
            print("  profiling the app in-process ...", flush=True)
            pick = [(c["case"], c["path"]) for c in todo
                    if c["case"] in ("search common", "search country+newest", "country",
                                     "country year", "home")]
            result["web_profile"] = web_profile(target.url, pick)
        result["cases"] = [{k: v for k, v in c.items() if k != "call"} for c in todo]
        result["exports"] = exports
        result["load_after"] = load()
    finally:
        target.close()
    return result


# -- reporting ------------------------------------------------------------------------------------


def fmt3(s: dict[str, Any] | None) -> str:
    if not s:
        return "-"
    if s.get("missing"):
        return "404 (not there yet)"
    if s.get("skipped"):
        return "not run"
    return f"{s['p50']:.1f}/{s['p95']:.1f}/{s['p99']:.1f}"


def verdict(case: dict[str, Any]) -> str:
    """ok, or what misses: the 1-client or N-client p95 target, or a status other than 200."""
    one, many = case.get("http1"), case.get("httpN")
    if case["path"] is None:
        return "-"
    if not one or one.get("missing") or not many:
        return "missing"
    bad = []
    if one["p95"] >= TARGET_1:
        bad.append("SLOW 1 client")
    if many.get("skipped"):
        bad.append("N clients not run")
    elif many["p95"] >= TARGET_N:
        bad.append("SLOW N clients")
    odd = sorted({s for s in (*one["statuses"], *many.get("statuses", {})) if int(s) != 200})
    if odd:
        bad.append(f"status {odd}")
    return "ok" if not bad else "; ".join(bad)


def export_verdict(got: dict[str, Any]) -> str:
    if got.get("missing"):
        return "missing"
    bad = []
    if got["status"] != 200:
        bad.append(f"status {got['status']}")
    if (got["rows_per_s"] or 0) < TARGET_ROWS:
        bad.append("SLOW")
    if not got["complete"]:
        bad.append("stopped")
    return "ok" if not bad else "; ".join(bad)


def report(results: list[dict[str, Any]], args: argparse.Namespace) -> None:
    for res in results:
        b = res["build"]
        print(f"\n{res['store']}: {b['documents']} documents, {b['items']} items,"
              f" {b['summaries']} summaries, {b['size_mb']} MB; build {b['seconds']} s ="
              f" {b['docs_per_s']} docs/s with {b['writers']} writer(s)"
              f" ({b['add_many_docs_per_s_per_writer']} docs/s per writer in add_many,"
              f" {b['generate_s']} s generating)"
              + (f"; ANALYZE {b['analyze_s']} s" if "analyze_s" in b else ""))
        if "link" in res:
            lk = res["link"]
            print(f"linked {lk['reports']} reports into {lk['events']} events naming"
                  f" {lk['people']} people in {lk['seconds']} s")
        i = res["info"]
        print(f"busiest country {i['busiest']}: {i['busiest_documents']} documents,"
              f" {i['busiest_items']} items, {i['busiest_events']} events; {i['events']}"
              f" events in all; '{WORD}' matches {i['common_total']} texts"
              f" ({i['common_in_busiest_total']} in {i['busiest']}); rare word hits"
              f" {i['rare_hits']}; load {res['load_before']} -> {res.get('load_after')}")
        head = (f"{'case':<22} {'reads ms':>17} {'1 client ms':>19} "
                f"{str(args.clients) + ' clients ms':>19} {'req/s':>6} {'srv CPU':>8}"
                f" {'bytes':>8}  target")
        print(head)
        print(f"{'':<22} {'p50/p95/p99':>17} {'p50/p95/p99':>19} {'p50/p95/p99':>19}"
              f" {'':>6} {'ms/req':>8}")
        print("-" * len(head))
        for c in res["cases"]:
            one = c.get("http1") or {}
            cpu = one.get("server_cpu_ms_per_req")
            size = one.get("bytes")
            rps = (c.get("httpN") or {}).get("req_per_s", "-")
            print(f"{c['case']:<22} {fmt3(c.get('store')):>17} {fmt3(c.get('http1')):>19} "
                  f"{fmt3(c.get('httpN')):>19} {rps:>6} {cpu if cpu is not None else '-':>8} "
                  f"{size if size else '-':>8}  {verdict(c)}")
        print(f"\n{'export':<22} {'rows':>15} {'s':>7} {'rows/s':>8} {'1st byte':>9}"
              f" {'RSS MB before/peak':>19}  target")
        for e in res.get("exports", []):
            got = e.get("http") or {}
            if got.get("missing"):
                print(f"{e['case']:<22} 404 (not there yet)")
                continue
            print(f"{e['case']:<22} {str(got['rows']) + '/' + str(e['rows'] or '?'):>15}"
                  f" {got['seconds']:>7} {got['rows_per_s']:>8} {got['first_byte_ms']!s:>9}"
                  f" {str(got['rss_before_mb']) + '/' + str(got['rss_peak_mb']):>19}"
                  f"  {export_verdict(got)}")
        if res.get("server_log_tail"):
            print(f"\nthe app's log ({res['store']}), its end:\n{res['server_log_tail']}")
    print(f"\ntargets: p95 < {TARGET_1:.0f} ms with 1 client, p95 < {TARGET_N:.0f} ms with"
          f" {args.clients} concurrent clients, exports >= {TARGET_ROWS:.0f} rows/s; reads ="
          " the read services behind the page alone, in process (- for a twin: its page's);"
          " srv CPU = the app process's CPU per request with 1 client (the PostgreSQL"
          " server's is not in it).")
    for res in results:
        busiest = next((c for c in res["cases"] if c["case"] == "country"), None)
        if busiest and busiest.get("http1", {}).get("bytes"):
            print(f"{res['store']}: the busiest country's page is"
                  f" {busiest['http1']['bytes']} bytes of HTML")
    if args.profile:
        for res in results:
            for name, lines in res.get("web_profile", {}).items():
                print(f"\n==== {res['store']}: the app's own time, {name}")
                print("\n".join(lines))
            print(f"\n==== {res['store']}: the SQL behind each read")
            for c in res["cases"]:
                for p in c.get("profile", []):
                    generic_ms = (f" (generic plan: {p['generic_ms']} ms)"
                                  if "generic_ms" in p else "")
                    print(f"\n[{c['case']}] {p['median_ms']} ms{generic_ms}  {p['sql']}")
                    print(f"    params {p['params']}")
                    for line in p["plan"]:
                        print(f"    | {line}")
                    if "generic_ms" in p and p["generic_ms"] > 2 * p["median_ms"] + 1:
                        print("    generic plan, slower:")
                        for line in p["generic_plan"]:
                            print(f"    | {line}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--stores", default="sqlite,postgresql")
    parser.add_argument("--requests", type=int, default=200, help="per case and concurrency")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--chunk", type=int, default=1000, help="documents per add_many")
    parser.add_argument("--build-workers", type=int, default=0,
                        help="writer processes for the build (default: 1 on SQLite, whose"
                             " writers take turns anyway; 3 on PostgreSQL)")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--link-every", type=int, default=10,
                        help="link one body in N into events (0: none)")
    parser.add_argument("--budget", type=float, default=20.0,
                        help="seconds at most per case and concurrency (fewer requests if"
                             " slower)")
    parser.add_argument("--export-cap", type=float, default=60.0,
                        help="seconds at most streaming one export")
    parser.add_argument("--many-below-ms", type=float, default=1000.0,
                        help="run the concurrent clients only where one client's p50 is below"
                             " this")
    parser.add_argument("--profile", action="store_true",
                        help="time and EXPLAIN every query behind the reads")
    parser.add_argument("--analyze", action="store_true",
                        help="run ANALYZE after the build on SQLite too (PostgreSQL always,"
                             " as autovacuum would)")
    parser.add_argument("--no-pg-analyze", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.port)
        return
    stores = [s.strip() for s in args.stores.split(",") if s.strip()]
    unknown = set(stores) - {"sqlite", "postgresql"}
    if unknown:
        parser.error(f"unknown store(s): {', '.join(sorted(unknown))}")
    tmp = Path(tempfile.mkdtemp(prefix="rr-read-bench-"))
    results: list[dict[str, Any]] = []
    skipped: list[str] = []
    try:
        for kind in stores:
            try:
                results.append(bench_store(kind, args, tmp))
            except PgUnavailable as exc:
                skipped.append(f"{kind} skipped: {exc}".splitlines()[0])
                print(skipped[-1], flush=True)
                continue
            if args.json:  # after each store, so a long run leaves what it has
                write_json(args, results)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    report(results, args)
    print(f"load average (1/5/15 min) at the end: {load()}; cores: {os.cpu_count()}")
    for line in skipped:
        print(line)
    if args.json:
        write_json(args, results)


def write_json(args: argparse.Namespace, results: list[dict[str, Any]]) -> None:
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"docs": args.docs, "requests": args.requests,
                                     "clients": args.clients, "targets_p95_ms":
                                     {"1": TARGET_1, str(args.clients): TARGET_N},
                                     "target_export_rows_per_s": TARGET_ROWS,
                                     "cores": os.cpu_count(), "load_end": load(),
                                     "results": results}, indent=2, default=str))


if __name__ == "__main__":
    main()
