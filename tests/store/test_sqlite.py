"""What only the SQLite store has: its file's settings, its migrations from the first schema."""

from __future__ import annotations

import sqlite3

from rightsrecord.store import SQLiteStore
from rightsrecord.store.migrations import MIGRATIONS


def test_store_uses_wal_foreign_keys_and_records_migrations(sqlite_file):
    with SQLiteStore(sqlite_file) as store:
        assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        names = [r[0] for r in store.db.execute("SELECT name FROM migrations ORDER BY version")]
        assert names == [name for _, name, _ in MIGRATIONS]
    SQLiteStore(sqlite_file).close()  # opening again applies nothing twice
    db = sqlite3.connect(sqlite_file)
    assert db.execute("SELECT count(*) FROM migrations").fetchone()[0] == len(MIGRATIONS)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
