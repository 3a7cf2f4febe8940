"""A store that cannot be opened says so in one line, as a StoreError, never with a password:
a store made by a newer rightsrecord, a file that is not a SQLite store, a database that is
not a rightsrecord store, an unreachable server, an address that is not a store's."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from rightsrecord.store import StoreError, open_store, passwords, redact
from tests.conftest import free_port

SECRET = "hunter2-Zq"


def refused(target: str | Path) -> str:
    with pytest.raises(StoreError) as caught:
        open_store(str(target)).close()
    message = str(caught.value)
    assert "\n" not in message and message.strip() == message and message
    assert SECRET not in message
    return message


def record_future_migration(where: str) -> None:
    if "://" in where:
        import psycopg

        with psycopg.connect(where, autocommit=True) as db:
            db.execute("INSERT INTO migrations VALUES (99, 'from_the_future', 'x')")
    else:
        with sqlite3.connect(where) as db:
            db.execute("INSERT INTO migrations VALUES (99, 'from_the_future', 'x')")


def test_a_store_made_by_a_newer_rightsrecord_is_refused_and_left_as_it_was(db_file, cli):
    open_store(str(db_file)).close()
    record_future_migration(str(db_file))
    message = refused(db_file)
    assert "newer" in message and "upgrade rightsrecord" in message
    assert "migration 99" in message
    shown = cli("show", "document", "1")
    assert shown.code != 0 and shown.out == ""
    assert shown.err.count("\n") == 1 and "newer" in shown.err and "Traceback" not in shown.err
    assert "migration 99" in refused(db_file)  # still recorded: the store was left as it was


@pytest.mark.parametrize("content", [
    b"plain text, not a database\n" * 200,
    b"SQLite format 3\x00" + b"\xff" * 4080,  # a SQLite header over garbage
])
def test_a_file_that_is_not_a_sqlite_store_is_refused(tmp_path, content):
    path = tmp_path / "notes.db"
    path.write_bytes(content)
    message = refused(path)
    assert str(path) in message and "SQLite" in message
    assert path.read_bytes() == content


def test_a_folder_is_refused(tmp_path):
    assert str(tmp_path) in refused(tmp_path)


def test_a_sqlite_database_of_something_else_is_refused_untouched(tmp_path):
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE recipes (name TEXT)")
    assert "not a rightsrecord store" in refused(path)
    with sqlite3.connect(path) as db:
        assert [r[0] for r in db.execute("SELECT name FROM sqlite_master")] == ["recipes"]


def test_a_postgresql_database_of_something_else_is_refused(pg_server, pg_url):
    import uuid

    import psycopg

    name = f"other_{uuid.uuid4().hex}"
    url = pg_server.create_database(name)
    try:
        with psycopg.connect(url, autocommit=True) as db:
            db.execute("CREATE TABLE recipes (name TEXT)")
        assert "not a rightsrecord store" in refused(url)
    finally:
        pg_server.drop_database(name)


@pytest.mark.parametrize("auth", [f"rr:{SECRET}@", "rr@"])
def test_an_unreachable_server_is_refused_without_its_password(auth):
    port = free_port()  # nothing listens there
    query = "" if SECRET in auth else f"?password={SECRET}&sslmode=disable"
    message = refused(f"postgresql://{auth}127.0.0.1:{port}/rr{query}")
    assert f"127.0.0.1:{port}" in message and "cannot reach" in message
    assert "***" in message


def test_a_missing_database_is_refused_without_its_password(pg_server):
    server = urlsplit(pg_server.url)
    url = (f"postgresql://{server.username or 'postgres'}:{SECRET}@{server.hostname}:"
           f"{server.port}/no_such_database")
    message = refused(url)
    assert "no_such_database" in message and "***" in message


@pytest.mark.parametrize("target", [
    f"host=127.0.0.1 dbname=rr user=rr password={SECRET}",
    f"dbname=rr password='{SECRET} x'",
    "dbname=rr",
])
def test_a_keyword_connection_string_is_refused_not_made_a_file(tmp_path, monkeypatch, target):
    monkeypatch.chdir(tmp_path)
    assert "postgresql://" in refused(target)
    assert list(tmp_path.iterdir()) == []


def test_an_address_of_another_kind_is_refused_not_made_a_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert "not a store address" in refused(f"mysql://rr:{SECRET}@db/rr")
    assert list(tmp_path.rglob("*")) == []


def test_a_sqlite_file_with_an_equals_sign_is_reached_by_its_path(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    open_store("./a=b.db").close()
    assert (tmp_path / "a=b.db").exists()


@pytest.mark.parametrize(("target", "shown"), [
    (f"postgresql://rr:{SECRET}@db.example:5432/rr", "postgresql://rr:***@db.example:5432/rr"),
    (f"postgres://rr:{SECRET}@db/rr?sslmode=require", "postgres://rr:***@db/rr?sslmode=require"),
    (f"postgresql://rr:p@ss/{SECRET}@db/rr", "postgresql://rr:***@db/rr"),
    (f"postgresql://rr@db/rr?password={SECRET}&sslmode=require",
     "postgresql://rr@db/rr?password=***&sslmode=require"),
    (f"host=db password={SECRET} dbname=rr", "host=db password=*** dbname=rr"),
    (f"host=db password='{SECRET} x' dbname=rr", "host=db password=*** dbname=rr"),
    ("postgresql://rr@db/rr", "postgresql://rr@db/rr"),
    ("store.db", "store.db"),
])
def test_redact_stars_every_password_and_keeps_the_rest(target, shown):
    assert redact(target) == shown
    assert redact(f"error: {target}: failed") == f"error: {shown}: failed"
    if SECRET in target:  # what a driver's message might quote is known, to be starred too
        assert any(SECRET in p for p in passwords(target))
