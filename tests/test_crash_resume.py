"""`rightsrecord ingest` killed with SIGKILL at random moments, then run again until it
completes: every document is stored once and linked, and the store is whole. Each test runs
on SQLite and on a real PostgreSQL server.

The short run (3 kills over 60 documents) is in the default suite. The long run, 50 kills
over 2,000 documents, is marked slow:

    RIGHTSRECORD_TEST_PG=postgresql://... .venv/bin/python -m pytest -q -m slow \\
        tests/test_crash_resume.py -s

(`-s` shows its figures: kills, runs, documents, duplicates, unlinked, integrity.)
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from rightsrecord.link.incremental import STAGE
from rightsrecord.store import open_store

COUNTRIES = (("Kazakhstan", ("Almaty", "Astana", "Shymkent")),
             ("Kyrgyzstan", ("Bishkek", "Osh", "Karakol")),
             ("Tajikistan", ("Dushanbe", "Khujand", "Kulob")),
             ("Uzbekistan", ("Tashkent", "Samarkand", "Nukus")))
GIVEN = ("Aigul", "Ruslan", "Dinara", "Timur", "Madina", "Bakyt", "Zarina", "Farhod", "Nodira",
         "Askar", "Gulnara", "Erlan", "Saodat", "Daniyar", "Malika", "Nurlan")
SURNAMES = ("Nurova", "Akmatov", "Saidova", "Karimov", "Yusupova", "Osmonov", "Rakhimova",
            "Tursunov", "Abdullaeva", "Ismailov", "Bekova", "Zhaksylykov", "Mirzoeva",
            "Sadykov", "Ergasheva", "Kasymov")
ROLES = ("journalist", "activist", "blogger", "lawyer", "human rights defender", "poet")
EVENTS = (
    ("Police detain {role} in {city}",
     "Police in {city} detained {role} {name} on {day} after a peaceful protest outside the"
     " city administration. Relatives said {name} was held for several hours without access"
     " to a lawyer."),
    ("Court sentences {role} in {city}",
     "A court in {city} sentenced {role} {name} to {years} years in prison on {day} on charges"
     " of spreading false information. Rights groups called the trial unfair and urged the"
     " authorities to release {name}."),
    ("{role} fined in {city}",
     "An administrative court in {city} fined {role} {name} on {day} for posts criticising"
     " local officials. {name} said the fine would be appealed."),
    ("Website of {role} blocked",
     "Authorities in {country} blocked the website of {role} {name} on {day}, days after it"
     " published a report on abuses by police in {city}."),
    ("Office of rights group searched in {city}",
     "Security officers searched the office of a rights group in {city} on {day} and seized"
     " computers. The group's director, {name}, said the search was meant to intimidate"
     " its staff."),
)


def write_corpus(folder: Path, n: int, seed: int = 15) -> list[str]:
    """`n` short dated reports of rights abuses in Central Asia, as text files; returns
    their texts."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    start = date(2015, 1, 1)
    texts = []
    for i in range(n):
        country, cities = rng.choice(COUNTRIES)
        title, body = rng.choice(EVENTS)
        day = start + timedelta(days=rng.randrange(3000))
        fields = {"country": country, "city": rng.choice(cities), "role": rng.choice(ROLES),
                  "name": f"{rng.choice(GIVEN)} {rng.choice(SURNAMES)}",
                  "day": f"{day:%B} {day.day}, {day.year}", "years": rng.randint(2, 9)}
        head = title.format(**fields)
        text = (f"{head[0].upper()}{head[1:]}\n{day.isoformat()}\n\n{body.format(**fields)}"
                f" Report {i} of the monitoring desk.\n")
        (folder / f"{i:05d}.txt").write_text(text, encoding="utf-8")
        texts.append(text)
    return texts


def ingest_with_kills(db: str, folder: Path, kills: int, mean_stored: float, seed: int,
                      batch_size: int = 8) -> dict[str, int]:
    """Run `rightsrecord ingest` and SIGKILL it at a random moment after a random number of
    documents stored, `kills` times; then run it to the end. Returns the figures."""
    rng = random.Random(seed)
    cmd = [sys.executable, "-m", "rightsrecord", "ingest", str(folder), "--db", db,
           "--batch-size", str(batch_size)]
    done = runs = left_pending = 0
    while done < kills:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                text=True)
        runs += 1
        assert proc.stdout is not None
        wait_for = rng.randint(1, max(1, round(2 * mean_stored)))
        stored, finished = 0, False
        while stored < wait_for:
            line = proc.stdout.readline()
            if not line:
                finished = True
                break
            stored += line.startswith(("stored ", "new-version "))
        if finished:
            proc.wait()
            break
        time.sleep(rng.random() * 0.5)  # anywhere in extracting, storing or linking
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        done += 1
        with open_store(db) as store:  # stored, not yet linked: the next run links them
            left_pending += store.count_unlinked(STAGE)
    final = subprocess.run(cmd, capture_output=True, text=True, check=False)
    assert final.returncode == 0, final.stderr[-2000:]
    assert final.stdout.strip().endswith("0 rejected"), final.stdout[-500:]
    return {"kills": done, "runs": runs + 1, "left_pending_by_kills": left_pending}


def _scalar(store: Any, sql: str, params: tuple = ()) -> int:
    row = store._one(sql, params)  # the test reads the tables as a database check would
    return int(next(iter(dict(row).values())))


def check_store(db: str, folder: Path) -> dict[str, Any]:
    """Every document once, linked, and the counters and links consistent."""
    files = sorted(p.resolve().as_uri() for p in folder.iterdir())
    with open_store(db) as store:
        counts = store.counts()
        stored = sorted(store.document(i).url for i in store.iter_documents())
        reports = {i: store.document(i).document.text for i in store.iter_documents()}
        figures: dict[str, Any] = {
            "documents": counts.documents,
            "duplicates": len(stored) - len(set(stored))
            + len(reports) - len(set(reports.values())),
            "unlinked": store.count_unlinked(STAGE),
        }
        assert (counts.documents, counts.versions) == (len(files), len(files))
        assert stored == files
        assert figures["duplicates"] == 0
        assert figures["unlinked"] == 0
        # every document is linked: a main report of its body, or a copy of another's
        no_report = _scalar(store, "SELECT count(*) AS n FROM documents d WHERE NOT EXISTS"
                            " (SELECT 1 FROM reports r WHERE r.document_id = d.id AND r.main = 1)"
                            " AND NOT EXISTS (SELECT 1 FROM copies c WHERE c.document_id = d.id)")
        assert no_report == 0
        # each text linked once: one main report each, and one count of its words
        twice = _scalar(store, "SELECT count(*) AS n FROM (SELECT segment_id FROM reports"
                        " WHERE main = 1 GROUP BY segment_id HAVING count(*) > 1) x")
        assert twice == 0
        texts_counted = _scalar(store, "SELECT coalesce(max(df), 0) AS n FROM link_terms"
                                " WHERE term = '_texts'")
        units = _scalar(store, "SELECT count(*) AS n FROM link_units WHERE record <> '{}'")
        assert texts_counted == units
        # the counters agree with the rows, and every cluster's count with its reports
        assert counts.documents == _scalar(store, "SELECT count(*) AS n FROM documents")
        assert counts.versions == _scalar(store, "SELECT count(*) AS n FROM versions")
        wrong = _scalar(store, "SELECT count(*) AS n FROM clusters c WHERE c.reports <>"
                        " (SELECT count(*) FROM reports r WHERE r.cluster_id = c.id)"
                        " OR c.reports = 0")
        assert wrong == 0
        if store.dialect == "sqlite":
            assert store._one("PRAGMA integrity_check")[0] == "ok"
            assert store._all("PRAGMA foreign_key_check") == []
        figures["integrity"] = "ok"
    return figures


def test_ingest_killed_three_times_stores_and_links_everything_once(db_file, tmp_path):
    write_corpus(tmp_path / "in", 60)
    figures = ingest_with_kills(str(db_file), tmp_path / "in", kills=3, mean_stored=10,
                                seed=3, batch_size=4)
    assert figures["kills"] >= 1
    check_store(str(db_file), tmp_path / "in")


@pytest.mark.slow
def test_ingest_killed_fifty_times_over_two_thousand_documents(db_file, tmp_path):
    write_corpus(tmp_path / "in", 2000)
    started = time.monotonic()
    figures = ingest_with_kills(str(db_file), tmp_path / "in", kills=50, mean_stored=20,
                                seed=50)
    figures.update(check_store(str(db_file), tmp_path / "in"))
    figures["seconds"] = round(time.monotonic() - started)
    print(f"\ncrash and resume on {'postgresql' if '://' in str(db_file) else 'sqlite'}:"
          f" {figures}")
    assert figures["kills"] == 50
