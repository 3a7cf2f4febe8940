"""Migrations: one named list for both stores; a change to the schema is one entry appended,
applied once, numbered after the others, each in its own transaction."""

from __future__ import annotations

import sqlite3

import pytest

from rightsrecord.store import StoreError, migrations, open_store
from rightsrecord.store.migrations import Migration


def tables_and_migrations(where: str) -> tuple[set[str], list[tuple[int, str]]]:
    if "://" in where:
        import psycopg

        with psycopg.connect(where) as db:
            tables = {r[0] for r in db.execute("SELECT table_name FROM information_schema"
                                               ".tables WHERE table_schema = 'public'")}
            recorded = [tuple(r) for r in db.execute(
                "SELECT version, name FROM migrations ORDER BY version")]
    else:
        with sqlite3.connect(where) as db:
            tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master")}
            recorded = [tuple(r) for r in db.execute(
                "SELECT version, name FROM migrations ORDER BY version")]
    return tables, recorded  # type: ignore[return-value]


def test_a_fresh_store_records_each_migration_of_its_dialect_once(db_file):
    where = str(db_file)
    open_store(where).close()
    open_store(where).close()
    dialect = "postgresql" if "://" in where else "sqlite"
    _, recorded = tables_and_migrations(where)
    assert [name for _, name in recorded] == migrations.names(dialect)
    assert [n for n, _ in recorded] == list(range(1, len(recorded) + 1))
    assert {"versions_notes", "versions_canonical"} <= {name for _, name in recorded}


def test_an_appended_migration_is_applied_once_and_a_failing_one_alone_rolled_back(
        db_file, monkeypatch):
    where = str(db_file)
    open_store(where).close()  # a store of today's schema
    _, before = tables_and_migrations(where)
    notes = Migration("notes", sqlite="CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT);",
                      postgresql="CREATE TABLE notes (id BIGINT PRIMARY KEY, text TEXT);")
    broken = Migration("broken", sqlite="CREATE TABLE half (x INTEGER);\n"
                                        "INSERT INTO nowhere VALUES (1);",
                       postgresql="CREATE TABLE half (x BIGINT);\n"
                                  "INSERT INTO nowhere VALUES (1);")
    monkeypatch.setattr(migrations, "MIGRATIONS", (*migrations.MIGRATIONS, notes, broken))

    with pytest.raises(StoreError) as caught:
        open_store(where)
    assert "nowhere" in str(caught.value) and "\n" not in str(caught.value)
    tables, recorded = tables_and_migrations(where)
    assert recorded == [*before, (len(before) + 1, "notes")]
    assert "notes" in tables and "half" not in tables

    monkeypatch.setattr(migrations, "MIGRATIONS", (*migrations.MIGRATIONS[:-1],))
    open_store(where).close()  # without the broken one: nothing more to do
    assert tables_and_migrations(where)[1] == recorded
