"""SQLite's schema migrations: named functions, recorded in `migrations`, each in a transaction.

m001 is the first schema (one row per document version, facts as JSON); m002 moves a store
of that schema, with nothing lost, to the shared schema of `schema.py`; m003 adds the tables
of linking across documents.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from .schema import links, tables

if TYPE_CHECKING:
    from .sqlite import SQLiteStore

Migration = Callable[["SQLiteStore"], None]


def run_script(db: sqlite3.Connection, script: str) -> None:
    """Run statements one by one: `executescript` would commit the open transaction."""
    statement = ""
    for line in script.splitlines(keepends=True):
        if not statement and line.strip().startswith("--"):
            continue
        statement += line
        if sqlite3.complete_statement(statement):
            db.execute(statement)
            statement = ""
    if statement.strip():
        raise ValueError(f"incomplete SQL statement: {statement[:80]!r}")


def m001_initial(store: SQLiteStore) -> None:
    run_script(store.db,
        """
        CREATE TABLE sources (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL CHECK (kind IN ('web', 'file')),
            created_at TEXT NOT NULL
        );
        CREATE TABLE countries (
            code TEXT PRIMARY KEY CHECK (length(code) = 2),
            name TEXT NOT NULL
        );
        CREATE TABLE documents (
            id INTEGER PRIMARY KEY,
            source_id INTEGER NOT NULL REFERENCES sources(id),
            url TEXT NOT NULL,
            version INTEGER NOT NULL CHECK (version >= 1),
            is_current INTEGER NOT NULL DEFAULT 1 CHECK (is_current IN (0, 1)),
            kind TEXT NOT NULL CHECK (kind IN ('html', 'text', 'feed', 'pdf', 'listing')),
            title TEXT,
            published TEXT,
            fetched_at TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            text TEXT NOT NULL,
            country TEXT REFERENCES countries(code),
            UNIQUE (url, version)
        );
        CREATE INDEX documents_current ON documents(url) WHERE is_current = 1;
        CREATE INDEX documents_country ON documents(country, published);
        CREATE TABLE items (
            id INTEGER PRIMARY KEY,
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            date TEXT,
            title TEXT,
            text TEXT,
            url TEXT,
            country TEXT REFERENCES countries(code)
        );
        CREATE INDEX items_country ON items(country, date);
        CREATE INDEX items_document ON items(document_id);
        CREATE TABLE summaries (
            id INTEGER PRIMARY KEY,
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            year INTEGER,
            text TEXT NOT NULL,
            country TEXT REFERENCES countries(code)
        );
        CREATE INDEX summaries_country ON summaries(country);
        CREATE INDEX summaries_document ON summaries(document_id);
        -- Every extracted fact, with the span it came from and the stage (and version) that
        -- made it. `target` says which text the offsets refer to.
        CREATE TABLE annotations (
            id INTEGER PRIMARY KEY,
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            target TEXT NOT NULL CHECK (target IN ('document', 'item', 'summary')),
            target_id INTEGER NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('date', 'place', 'theme', 'actor', 'event')),
            start INTEGER NOT NULL CHECK (start >= 0),
            end INTEGER NOT NULL CHECK (end >= start),
            text TEXT NOT NULL,
            value TEXT NOT NULL DEFAULT '{}',
            stage TEXT NOT NULL
        );
        CREATE INDEX annotations_target ON annotations(target, target_id, kind);
        CREATE INDEX annotations_document ON annotations(document_id);

        CREATE VIRTUAL TABLE documents_fts USING fts5(
            title, text, content='documents', content_rowid='id', tokenize='unicode61'
        );
        CREATE TRIGGER documents_ai AFTER INSERT ON documents BEGIN
            INSERT INTO documents_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
        END;
        CREATE TRIGGER documents_ad AFTER DELETE ON documents BEGIN
            INSERT INTO documents_fts(documents_fts, rowid, title, text)
            VALUES ('delete', old.id, old.title, old.text);
        END;
        CREATE VIRTUAL TABLE items_fts USING fts5(
            title, text, content='items', content_rowid='id', tokenize='unicode61'
        );
        CREATE TRIGGER items_ai AFTER INSERT ON items BEGIN
            INSERT INTO items_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
        END;
        CREATE TRIGGER items_ad AFTER DELETE ON items BEGIN
            INSERT INTO items_fts(items_fts, rowid, title, text)
            VALUES ('delete', old.id, old.title, old.text);
        END;
        """
    )


FTS = """
CREATE VIRTUAL TABLE segments_fts USING fts5(
    title, text, content='segments', content_rowid='id', tokenize='unicode61'
);
"""
LEGACY = ("documents", "items", "summaries", "annotations", "sources")


def m002_documents_versions_segments(store: SQLiteStore) -> None:
    """Stable documents with versions, segments, typed facts; the old rows converted."""
    db = store.db
    for name in ("documents_ai", "documents_ad", "items_ai", "items_ad"):
        db.execute(f"DROP TRIGGER IF EXISTS {name}")
    db.execute("DROP TABLE IF EXISTS documents_fts")
    db.execute("DROP TABLE IF EXISTS items_fts")
    for name in LEGACY:
        db.execute(f"ALTER TABLE {name} RENAME TO legacy_{name}")
    run_script(db, tables("INTEGER PRIMARY KEY", "INTEGER", "REAL"))
    run_script(db, FTS)
    from .legacy import convert

    convert(store)
    for name in ("annotations", "items", "summaries", "documents", "sources"):
        db.execute(f"DROP TABLE legacy_{name}")


def m003_links(store: SQLiteStore) -> None:
    """Linking across documents: copies, event clusters, corrections, actor identities.
    New tables only; the store's texts and facts are untouched."""
    run_script(store.db, links("INTEGER PRIMARY KEY", "INTEGER", "REAL"))


MIGRATIONS: list[tuple[int, str, Migration]] = [
    (1, "initial", m001_initial),
    (2, "documents_versions_segments", m002_documents_versions_segments),
    (3, "links", m003_links),
]


def apply(store: SQLiteStore) -> list[str]:
    """Apply every migration not yet recorded; return the names applied."""
    db = store.db
    db.execute(
        "CREATE TABLE IF NOT EXISTS migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
        " applied_at TEXT NOT NULL)"
    )
    done = {row[0] for row in db.execute("SELECT version FROM migrations")}
    applied = []
    for version, name, migrate in MIGRATIONS:
        if version in done:
            continue
        db.execute("BEGIN IMMEDIATE")
        try:
            # Re-check under the write lock: another process may have migrated meanwhile.
            if db.execute("SELECT 1 FROM migrations WHERE version = ?", (version,)).fetchone():
                db.execute("ROLLBACK")
                continue
            store._depth += 1
            try:
                migrate(store)
            finally:
                store._depth -= 1
            db.execute(
                "INSERT INTO migrations (version, name, applied_at) VALUES (?, ?, ?)",
                (version, name, datetime.now(UTC).isoformat(timespec="seconds")),
            )
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        applied.append(name)
    return applied


def latest_version() -> int:
    return MIGRATIONS[-1][0]
