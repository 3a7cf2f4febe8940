#!/usr/bin/env python3
"""Rebuild the stores of every released schema that tests/store/test_upgrade.py upgrades.

Each store is written by the code of the commit that shipped its schema, run from a copy of
that commit's `src` (`git archive`, so this work tree's git state is untouched) with this
virtualenv's Python and that commit's own `rightsrecord ingest`:

    7c2d95f  the first schema (SQLite only: one row per document version, facts as JSON)
    8487cbe  the shared schema: documents, versions, segments, typed facts
    afc48d4  the linking tables, as first shipped (identities without `cited`)
    194d191  identities with `cited`, added by editing the shipped linking migration

Every store gets the same few small demo documents: two reports of one event (the second a
republished copy), a text item of the same event that is then ingested again changed (a
second version), and a listing. SQLite stores are written as `store_<commit>.db.gz` (the
file, vacuumed and gzipped); PostgreSQL stores as `store_<commit>.pg.sql.gz`, a plain-SQL
`pg_dump --inserts` of a database built on a running server. Both under tests/store/data/.

    RIGHTSRECORD_TEST_PG=postgresql://postgres@127.0.0.1:55432/postgres \\
        .venv/bin/python scripts/make_store_fixtures.py [COMMIT ...]
"""

from __future__ import annotations

import gzip
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "store" / "data"
DEMO = ROOT / "src" / "rightsrecord" / "data" / "demo"
PG_DUMP = "/usr/lib/postgresql/15/bin/pg_dump"

# commit -> the dialects its code had
RELEASES: dict[str, tuple[str, ...]] = {
    "7c2d95f": ("sqlite",),
    "8487cbe": ("sqlite", "postgresql"),
    "afc48d4": ("sqlite", "postgresql"),
    "194d191": ("sqlite", "postgresql"),
}
INPUTS = (
    "news/steppe_2015-02-27_almaty_appeal_media_closure.html",
    "news/desk_2015-02-28_almaty_appeal_repost.html",
    "text/caspian_2015-02-27_outlet_closure.txt",
    "listing/kyrgyzstan_country_page.txt",
)
CHANGED = "caspian_2015-02-27_outlet_closure.txt"  # ingested again, changed: version 2
ADDED_LINE = "\nUpdate: the outlet's lawyers said they would take the case to the Supreme Court.\n"


def export(commit: str, into: Path) -> Path:
    """`commit`'s src folder under `into`, without touching this work tree."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", commit, "src"],
                             check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into / "src"


def ingest(src: Path, db: str, paths: list[Path]) -> None:
    """Run the old code's own `rightsrecord ingest`."""
    env = {**os.environ, "PYTHONPATH": str(src), "RIGHTSRECORD_DB": ""}
    subprocess.run([sys.executable, "-m", "rightsrecord", "ingest", "--db", db,
                    *map(str, paths)], check=True, env=env, cwd=src.parent)


def build(src: Path, db: str, work: Path) -> None:
    inputs = work / "inputs"
    shutil.rmtree(inputs, ignore_errors=True)
    inputs.mkdir()
    paths = []
    for name in INPUTS:
        paths.append(inputs / Path(name).name)
        shutil.copy(DEMO / name, paths[-1])
    ingest(src, db, paths)
    changed = inputs / CHANGED
    changed.write_text(changed.read_text(encoding="utf-8") + ADDED_LINE, encoding="utf-8")
    ingest(src, db, [changed])


def write_sqlite(commit: str, src: Path, work: Path) -> Path:
    db = work / f"{commit}.db"
    build(src, str(db), work)
    con = sqlite3.connect(db)  # one self-contained file, no free pages
    con.execute("PRAGMA journal_mode = DELETE")
    con.execute("VACUUM")
    con.close()
    out = DATA / f"store_{commit}.db.gz"
    out.write_bytes(gzip.compress(db.read_bytes(), 9, mtime=0))
    return out


def write_postgres(commit: str, src: Path, work: Path, server: str) -> Path:
    import psycopg
    from psycopg import sql

    name = f"rr_fixture_{commit}"
    parts = urlsplit(server)
    url = urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
                      .format(sql.Identifier(name)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        try:
            build(src, url, work)
            dump = subprocess.run([PG_DUMP, "--inserts", "--no-owner", "--no-privileges",
                                   "--dbname", url], check=True, capture_output=True).stdout
        finally:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
                          .format(sql.Identifier(name)))
    out = DATA / f"store_{commit}.pg.sql.gz"
    out.write_bytes(gzip.compress(dump, 9, mtime=0))
    return out


def main(argv: list[str]) -> int:
    commits = argv or list(RELEASES)
    server = os.environ.get("RIGHTSRECORD_TEST_PG")
    if any("postgresql" in RELEASES[c] for c in commits) and not server:
        print("set RIGHTSRECORD_TEST_PG to a running server's URL", file=sys.stderr)
        return 2
    DATA.mkdir(parents=True, exist_ok=True)
    for commit in commits:
        with tempfile.TemporaryDirectory(prefix=f"rr_{commit}_") as tmp:
            work = Path(tmp)
            src = export(commit, work)
            for dialect in RELEASES[commit]:
                if dialect == "sqlite":
                    out = write_sqlite(commit, src, work)
                else:
                    out = write_postgres(commit, src, work, str(server))
                print(f"{commit} {dialect}: {out.relative_to(ROOT)} ({out.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
