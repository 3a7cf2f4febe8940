"""What only the SQLite store has: its file's settings, its migrations from the first schema."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from rightsrecord.annotate import annotate
from rightsrecord.extract.contract import record
from rightsrecord.extract.pipeline import Pipeline
from rightsrecord.store import SQLiteStore, migrations


def test_store_uses_wal_foreign_keys_and_records_migrations(sqlite_file):
    with SQLiteStore(sqlite_file) as store:
        assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        names = [r[0] for r in store.db.execute("SELECT name FROM migrations ORDER BY version")]
        assert names == migrations.names("sqlite")
    SQLiteStore(sqlite_file).close()  # opening again applies nothing twice
    db = sqlite3.connect(sqlite_file)
    assert db.execute("SELECT count(*) FROM migrations").fetchone()[0] == len(names)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


LEGACY = Path(__file__).parent / "data" / "legacy_v1.db"


def _legacy_facts(path: Path) -> dict[str, int]:
    db = sqlite3.connect(path)
    return {kind: n for kind, n in db.execute(
        "SELECT kind, count(*) FROM annotations GROUP BY kind")}


def test_a_store_of_the_first_schema_migrates_with_nothing_lost(tmp_path):
    """legacy_v1.db was written by the first schema's code (one row per version, facts as
    JSON): six documents, one of them in two versions, a feed, a listing and a PDF."""
    path = tmp_path / "old.db"
    shutil.copy(LEGACY, path)
    old = sqlite3.connect(path)
    old.row_factory = sqlite3.Row
    versions = [dict(r) for r in old.execute("SELECT * FROM documents ORDER BY id")]
    items = old.execute("SELECT count(*) FROM items").fetchone()[0]
    summaries = old.execute("SELECT count(*) FROM summaries").fetchone()[0]
    tj_feed = old.execute(  # what the first schema's country page listed for Tajikistan
        "SELECT (SELECT count(*) FROM (SELECT 1 FROM items WHERE country = 'TJ'"
        " GROUP BY date, coalesce(title, ''), coalesce(text, '')))"
        " + (SELECT count(*) FROM documents WHERE country = 'TJ' AND is_current = 1"
        " AND kind IN ('html', 'text', 'pdf'))").fetchone()[0]
    facts = _legacy_facts(path)
    old.close()

    with SQLiteStore(path) as store:
        counts = store.counts()
        assert (counts.documents, counts.versions) == (6, 7)
        assert (counts.items, counts.summaries) == (items, summaries)
        by_url: dict[str, list[dict]] = {}
        for row in versions:
            by_url.setdefault(row["url"], []).append(row)
        records = []
        for url, rows in by_url.items():
            doc_id = rows[0]["id"]  # a document keeps its first version's id
            for row in rows:
                view = store.document(doc_id, version=row["version"])
                assert view.url == url and view.is_current == bool(row["is_current"])
                assert view.document.text == row["text"]
                assert view.document.title == row["title"]
                assert view.document.published == row["published"]
                assert view.content_hash == row["content_hash"]
                assert view.fetched_at == row["fetched_at"]
                assert view.document.country == row["country"]
                records.append(record(view.document))
        units = [u for r in records for u in (r, *r["items"], *r["summaries"])]
        assert sum(len(u["dates"]) for u in units) == facts["date"]
        assert sum(len(u["places"]) for u in units) == facts["place"]
        assert sum(len(u["themes"]) for u in units) == facts["theme"]
        assert sum(len(u["events"]) for u in units) == facts["event"]
        assert sum(len(a["mentions"]) for u in units for a in u["actors"]) == facts["actor"]
        page = store.country("TJ")
        assert len(page.items.data) == tj_feed and len(page.summaries.data) == 2
        # The old facts are stale: annotate brings every version to the current stages.
        assert len(store.stale(Pipeline().ids)) == 7
        assert annotate(store).versions == 7
        assert store.stale(Pipeline().ids) == []
        assert store.document(6, version=2).document.text == versions[-1]["text"]
