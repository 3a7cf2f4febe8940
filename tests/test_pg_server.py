"""The PostgreSQL the suite runs against is a real server, and each test's database is its own."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import psycopg
import pytest


def _major(version: str) -> int:
    return int(version.split()[0].split(".")[0])


def test_pg_url_is_a_real_server(pg_url: str) -> None:
    with psycopg.connect(pg_url) as conn:
        version = conn.execute("SHOW server_version").fetchone()[0]
        assert _major(version) >= 15, version
        conn.execute("CREATE TABLE fact (id serial PRIMARY KEY, country text, body text)")
        conn.execute("INSERT INTO fact (country, body) VALUES (%s, %s), (%s, %s)",
                     ("NG", "détention arbitraire", "BR", "ação"))
        conn.commit()
    with psycopg.connect(pg_url) as conn:  # a new session sees the committed rows
        rows = conn.execute("SELECT country, body FROM fact ORDER BY id").fetchall()
    assert rows == [("NG", "détention arbitraire"), ("BR", "ação")]


@pytest.mark.parametrize("run", [1, 2])
def test_each_pg_url_starts_empty(pg_url: str, run: int) -> None:
    """Both runs leave a table behind; neither sees the other's, in whatever order."""
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT to_regclass('left_behind')").fetchone()[0] is None
        conn.execute("CREATE TABLE left_behind (run int)")
        conn.execute("INSERT INTO left_behind VALUES (%s)", (run,))


@pytest.fixture
def other_pg_url(pg_server) -> Iterator[str]:
    """A second database made the way `pg_url` makes its own."""
    name = f"t_{uuid.uuid4().hex}"
    url = pg_server.create_database(name)
    yield url
    pg_server.drop_database(name)


def test_databases_are_isolated(pg_url: str, other_pg_url: str) -> None:
    assert pg_url != other_pg_url
    with psycopg.connect(pg_url) as a:
        a.execute("CREATE TABLE only_here (x int)")
        a.execute("INSERT INTO only_here VALUES (1)")
        a.commit()
    with psycopg.connect(other_pg_url) as b:
        exists = b.execute("SELECT to_regclass('only_here')").fetchone()[0]
        assert exists is None
        b.execute("CREATE TABLE only_here (x int)")  # same name, no clash
        assert b.execute("SELECT count(*) FROM only_here").fetchone()[0] == 0


def test_database_from_template(pg_server) -> None:
    tmpl = f"tmpl_{uuid.uuid4().hex}"
    pg_server.create_database(tmpl)
    with psycopg.connect(pg_server.url_for(tmpl)) as conn:
        conn.execute("CREATE TABLE seeded (x int)")
        conn.execute("INSERT INTO seeded VALUES (42)")
    # the connection is closed: the template can be copied
    copy = f"t_{uuid.uuid4().hex}"
    try:
        with psycopg.connect(pg_server.create_database(copy, template=tmpl)) as conn:
            assert conn.execute("SELECT x FROM seeded").fetchall() == [(42,)]
    finally:
        pg_server.drop_database(copy)
        pg_server.drop_database(tmpl)
