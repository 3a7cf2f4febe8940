"""The store's schema migrations, both dialects in one named list.

A migration that has shipped is frozen: stores made by that release have run it as it was,
so its SQL (in `schema.py`, written out in full for each dialect) never changes. A change to
the schema is one new `Migration` appended to `MIGRATIONS`, with a body for each dialect,
written so that it also works on a store that already has the change.

Each dialect numbers its own migrations 1, 2, ... in list order, counting only the entries
with a body for it: SQLite has `initial`, `documents_versions_segments` (which converts the
rows of the first schema), `links`, `identities_cited`, `versions_notes`,
`versions_canonical`, `search_stemmed`, `living_record`; PostgreSQL, which began at the
shared schema, has `shared_schema`, `links`, `identities_cited`, `versions_notes`,
`versions_canonical`, `search_stemmed`, `living_record`. Each runs in its own
transaction and is recorded in the store's `migrations` table by number and name. A store
that records a number this code does not know, or another name under a number, is refused
with a `StoreError`: it was made by a newer rightsrecord, or by something else.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from ..errors import StoreError
from . import schema

if TYPE_CHECKING:
    from .postgres import PostgresStore
    from .sqlite import SQLiteStore

# A migration's body for one dialect: its SQL, or a function of the store that runs inside
# the migration's transaction.
Body = str | Callable[[Any], None]


@dataclass(frozen=True)
class Migration:
    name: str
    sqlite: Body | None = None
    postgresql: Body | None = None


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


def statements(script: str) -> list[str]:
    """A PostgreSQL script's statements (its texts hold no `;` but the ends of statements)."""
    code = "\n".join(ln for ln in script.splitlines() if not ln.strip().startswith("--"))
    return [s for s in code.split(";") if s.strip()]


LEGACY = ("documents", "items", "summaries", "annotations", "sources")


def documents_versions_segments(store: SQLiteStore) -> None:
    """Stable documents with versions, segments, typed facts; the old rows converted."""
    db = store.db
    for name in ("documents_ai", "documents_ad", "items_ai", "items_ad"):
        db.execute(f"DROP TRIGGER IF EXISTS {name}")
    db.execute("DROP TABLE IF EXISTS documents_fts")
    db.execute("DROP TABLE IF EXISTS items_fts")
    for name in LEGACY:
        db.execute(f"ALTER TABLE {name} RENAME TO legacy_{name}")
    run_script(db, schema.SHARED_SCHEMA_SQLITE)
    run_script(db, schema.SEGMENTS_FTS_SQLITE)
    from .legacy import convert

    convert(store)
    for name in ("annotations", "items", "summaries", "documents", "sources"):
        db.execute(f"DROP TABLE legacy_{name}")


def identities_cited(store: SQLiteStore) -> None:
    """SQLite has no ADD COLUMN IF NOT EXISTS: stores made from 194d191 on have `cited`."""
    columns = {row[1] for row in store.db.execute("PRAGMA table_info(identities)")}
    if "cited" not in columns:
        run_script(store.db, schema.IDENTITIES_CITED_SQLITE)


def versions_notes(store: SQLiteStore) -> None:
    """The `notes` column of `versions`, added where it is missing."""
    columns = {row[1] for row in store.db.execute("PRAGMA table_info(versions)")}
    if "notes" not in columns:
        run_script(store.db, schema.VERSIONS_NOTES_SQLITE)


def versions_canonical(store: SQLiteStore) -> None:
    """The `canonical_url` and `outlet` columns of `versions`, added where missing; sources
    named by a local folder renamed to their kind."""
    columns = {row[1] for row in store.db.execute("PRAGMA table_info(versions)")}
    for statement in schema.VERSIONS_CANONICAL_SQLITE.strip().splitlines():
        if statement.split("ADD COLUMN ")[1].split()[0] not in columns:
            run_script(store.db, statement)
    run_script(store.db, schema.SOURCES_WITHOUT_PATHS)


def search_stemmed_postgresql(store: PostgresStore) -> None:
    """Stemmed search: statements run one by one (a function's body holds `;`)."""
    for statement in schema.SEARCH_STEMMED_POSTGRESQL:
        store.db.execute(statement)


MIGRATIONS: tuple[Migration, ...] = (
    Migration("initial", sqlite=schema.INITIAL_SQLITE),
    Migration("documents_versions_segments", sqlite=documents_versions_segments),
    Migration("shared_schema", postgresql=schema.SHARED_SCHEMA_POSTGRESQL),
    Migration("links", sqlite=schema.LINKS_SQLITE, postgresql=schema.LINKS_POSTGRESQL),
    Migration("identities_cited", sqlite=identities_cited,
              postgresql=schema.IDENTITIES_CITED_POSTGRESQL),
    Migration("versions_notes", sqlite=versions_notes,
              postgresql=schema.VERSIONS_NOTES_POSTGRESQL),
    Migration("versions_canonical", sqlite=versions_canonical,
              postgresql=schema.VERSIONS_CANONICAL_POSTGRESQL),
    Migration("search_stemmed", sqlite=schema.SEARCH_STEMMED_SQLITE,
              postgresql=search_stemmed_postgresql),
    Migration("living_record", sqlite=schema.LIVING_RECORD_SQLITE,
              postgresql=schema.LIVING_RECORD_POSTGRESQL),
)


def numbered(dialect: str) -> list[tuple[int, str, Body]]:
    """(number, name, body) of each migration `dialect` has, in order."""
    bodies = [(m.name, getattr(m, dialect)) for m in MIGRATIONS]
    present = [(name, body) for name, body in bodies if body is not None]
    return [(i, name, body) for i, (name, body) in enumerate(present, start=1)]


def names(dialect: str) -> list[str]:
    return [name for _, name, _ in numbered(dialect)]


def check(where: str, dialect: str, recorded: dict[int, str]) -> None:
    """Refuse a store whose recorded migrations this code does not know."""
    known = numbered(dialect)
    newest = max(recorded, default=0)
    if newest > len(known):
        raise StoreError(f"{where}: the store's schema (migration {newest}) is newer than this "
                         f"rightsrecord's (migration {len(known)}): upgrade rightsrecord")
    for number, name, _ in known:
        if number in recorded and recorded[number] != name:
            raise StoreError(f"{where}: the store's migration {number} is "
                             f"{recorded[number]!r}, not {name!r}: not a rightsrecord store")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


MIGRATIONS_TABLE = ("CREATE TABLE IF NOT EXISTS migrations (version INTEGER PRIMARY KEY,"
                    " name TEXT NOT NULL, applied_at TEXT NOT NULL)")
FOREIGN = "holds tables but no record of migrations: not a rightsrecord store"


def apply_sqlite(store: SQLiteStore) -> list[str]:
    """Apply every SQLite migration not yet recorded, each in its own transaction; return
    the names applied."""
    db = store.db
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if tables and "migrations" not in tables:
        raise StoreError(f"{store.path}: {FOREIGN}")
    db.execute(MIGRATIONS_TABLE)
    recorded = dict(db.execute("SELECT version, name FROM migrations").fetchall())
    check(store.path, "sqlite", recorded)
    applied = []
    for number, name, body in numbered("sqlite"):
        if number in recorded:
            continue
        db.execute("BEGIN IMMEDIATE")
        try:
            # Re-check under the write lock: another process may have migrated meanwhile.
            if db.execute("SELECT 1 FROM migrations WHERE version = ?", (number,)).fetchone():
                db.execute("ROLLBACK")
                continue
            store._depth += 1
            try:
                if isinstance(body, str):
                    run_script(db, body)
                else:
                    body(store)
            finally:
                store._depth -= 1
            db.execute("INSERT INTO migrations (version, name, applied_at) VALUES (?, ?, ?)",
                       (number, name, _now()))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        applied.append(name)
    return applied


PG_LOCK = 7283001  # one migrating process at a time per database


def apply_postgresql(store: PostgresStore, where: str) -> list[str]:
    """Apply every PostgreSQL migration not yet recorded, each in its own transaction;
    return the names applied. `where` names the store in messages (no password)."""
    db = store.db
    with db.transaction():
        db.execute("SELECT pg_advisory_xact_lock(%s)", (PG_LOCK,))
        has = {r["table_name"] for r in db.execute(
            "SELECT table_name FROM information_schema.tables"
            " WHERE table_schema = current_schema()")}
        if has and "migrations" not in has:
            raise StoreError(f"{where}: {FOREIGN}")
        db.execute(MIGRATIONS_TABLE)
    recorded = {r["version"]: r["name"] for r in db.execute(
        "SELECT version, name FROM migrations")}
    check(where, "postgresql", recorded)
    applied = []
    for number, name, body in numbered("postgresql"):
        if number in recorded:
            continue
        with db.transaction():
            db.execute("SELECT pg_advisory_xact_lock(%s)", (PG_LOCK,))
            if db.execute("SELECT 1 FROM migrations WHERE version = %s", (number,)).fetchone():
                continue
            if isinstance(body, str):
                for statement in statements(body):
                    db.execute(statement)
            else:
                body(store)
            db.execute("INSERT INTO migrations (version, name, applied_at) VALUES (%s, %s, %s)",
                       (number, name, _now()))
        applied.append(name)
    return applied
