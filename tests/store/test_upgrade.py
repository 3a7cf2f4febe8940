"""A store made by any released schema opens with this code and keeps working: each old store
(built by the code of the commit that shipped its schema, see scripts/make_store_fixtures.py)
takes a new document through `rightsrecord ingest`, links it, shows every old document as
it was, and ends with the schema of a store made fresh."""

from __future__ import annotations

import gzip
import json
import shutil
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from rightsrecord.store import open_store

DATA = Path(__file__).parent / "data"
DEMO = Path(__file__).resolve().parents[2] / "src" / "rightsrecord" / "data" / "demo"
NEW = DEMO / "news" / "desk_2015-03-02_media_pluralism_hit.html"  # same event as old ones

# (the commit whose code made the store, dialect); legacy_v1 is the first schema's store
# with facts (tests/store/test_sqlite.py).
RELEASED = [
    ("7c2d95f", "sqlite"), ("legacy_v1", "sqlite"),
    ("8487cbe", "sqlite"), ("8487cbe", "postgresql"),
    ("afc48d4", "sqlite"), ("afc48d4", "postgresql"),
    ("194d191", "sqlite"), ("194d191", "postgresql"),
]


def load_dump(url: str, dump: Path) -> None:
    """Run a plain-SQL pg_dump (made with --inserts) into an empty database. Its `\\restrict`
    lines are psql's, not SQL."""
    import psycopg

    text = gzip.decompress(dump.read_bytes()).decode("utf-8")
    script = "\n".join(ln for ln in text.splitlines()
                       if not ln.startswith(("\\restrict ", "\\unrestrict ")))
    with psycopg.connect(url, autocommit=True) as db:
        db.execute(script)


@pytest.fixture(params=RELEASED, ids=[f"{c}-{d}" for c, d in RELEASED])
def old_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """(dialect, where): a copy of the old store, as its release left it."""
    commit, dialect = request.param
    if dialect == "sqlite":
        path = tmp_path / "old.db"
        if commit == "legacy_v1":
            shutil.copy(DATA / "legacy_v1.db", path)
        else:
            path.write_bytes(gzip.decompress((DATA / f"store_{commit}.db.gz").read_bytes()))
        yield dialect, str(path)
        return
    server = request.getfixturevalue("pg_server")
    name = f"old_{uuid.uuid4().hex}"
    url = server.create_database(name)
    try:
        load_dump(url, DATA / f"store_{commit}.pg.sql.gz")
        yield dialect, url
    finally:
        server.drop_database(name)


@pytest.fixture
def db_file(old_store: tuple[str, str]) -> str:
    """The `cli` fixture's store: the old one."""
    return old_store[1]


def query(dialect: str, where: str, sql: str) -> list[tuple[Any, ...]]:
    """Rows read straight from the store, without this code's store classes."""
    if dialect == "sqlite":
        db = sqlite3.connect(where)
        try:
            return [tuple(r) for r in db.execute(sql)]
        finally:
            db.close()
    import psycopg

    with psycopg.connect(where) as db:
        return [tuple(r) for r in db.execute(sql)]


def old_documents(dialect: str, where: str) -> list[tuple[int, int, str, str | None, str]]:
    """(document id, version, url, title, text) of every version the old store holds."""
    tables = {r[0] for r in query(dialect, where, "SELECT name FROM sqlite_master")} \
        if dialect == "sqlite" else {r[0] for r in query(
            dialect, where, "SELECT table_name FROM information_schema.tables"
            " WHERE table_schema = 'public'")}
    if "versions" in tables:
        return sorted(query(dialect, where,  # type: ignore[arg-type]
            "SELECT d.id, v.n, d.url, v.title, s.text FROM documents d"
            " JOIN versions v ON v.document_id = d.id"
            " JOIN segments s ON s.version_id = v.id AND s.kind = 'body'"))
    # The first schema: one row per version; a document keeps its first version's id.
    rows = query(dialect, where, "SELECT id, version, url, title, text FROM documents"
                                 " ORDER BY url, version")
    first: dict[str, int] = {}
    return sorted((first.setdefault(url, id_), n, url, title, text)
                  for id_, n, url, title, text in rows)


def schema(dialect: str, where: str) -> dict[str, Any]:
    """Tables with their columns (in order, with types, nullability, defaults, keys),
    indexes, and the recorded migrations."""
    if dialect == "sqlite":
        db = sqlite3.connect(where)
        try:
            tables = [r[0] for r in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
                " AND name NOT LIKE 'sqlite_%' ORDER BY name")]
            columns = {t: [tuple(c)[1:] for c in db.execute(f"PRAGMA table_info('{t}')")]
                       for t in tables}
            indexes = sorted((name, " ".join((sql or "").split())) for name, sql in db.execute(
                "SELECT name, sql FROM sqlite_master WHERE type IN ('index', 'trigger')"))
            recorded = [r[0] for r in db.execute("SELECT name FROM migrations ORDER BY version")]
        finally:
            db.close()
        return {"columns": columns, "indexes": indexes, "migrations": recorded}
    columns: dict[str, list[tuple[Any, ...]]] = {}
    for row in query(dialect, where,
                     "SELECT table_name, column_name, data_type, is_nullable, column_default,"
                     " is_identity, is_generated FROM information_schema.columns"
                     " WHERE table_schema = 'public' ORDER BY table_name, ordinal_position"):
        columns.setdefault(row[0], []).append(row[1:])
    indexes = sorted(query(dialect, where, "SELECT indexname, indexdef FROM pg_indexes"
                                           " WHERE schemaname = 'public'"))
    recorded = [r[0] for r in query(dialect, where,
                                    "SELECT name FROM migrations ORDER BY version")]
    return {"columns": columns, "indexes": indexes, "migrations": recorded}


@pytest.fixture
def fresh(old_store: tuple[str, str], request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A store this code makes from nothing, of the old store's dialect."""
    if old_store[0] == "sqlite":
        where = str(tmp_path / "fresh.db")
    else:
        server = request.getfixturevalue("pg_server")
        name = f"fresh_{uuid.uuid4().hex}"
        where = server.create_database(name)
        request.addfinalizer(lambda: server.drop_database(name))
    open_store(where).close()
    return where


def test_an_old_store_takes_a_new_document_keeps_every_old_one_and_ends_on_todays_schema(
        old_store, fresh, cli, tmp_path):
    dialect, where = old_store
    before = old_documents(dialect, where)
    assert len({d[0] for d in before}) >= 4 and any(d[1] == 2 for d in before)

    new = tmp_path / NEW.name
    shutil.copy(NEW, new)
    ingested = cli("ingest", "--format", "jsonl", str(new))
    assert ingested.code == 0, ingested.err
    assert ingested.err == ""
    line = json.loads(ingested.out)
    assert line["status"] == "stored"
    new_id = line["document_id"]
    assert new_id not in {d[0] for d in before}

    for doc_id, version, url, title, text in before:
        shown = cli("show", "document", str(doc_id), "--version", str(version),
                    "--format", "json")
        assert shown.code == 0, shown.err
        record = json.loads(shown.out)
        assert (record["id"], record["version"], record["url"]) == (doc_id, version, url)
        assert (record["title"], record["text"]) == (title, text)
    after = old_documents(dialect, where)
    assert [d for d in after if d[0] != new_id] == before  # nothing lost, nothing changed

    with open_store(where) as store:  # linked: the new report is in an event cluster
        clusters = store.document_clusters(new_id)
    assert clusters
    event = cli("show", "event", str(clusters[0]["cluster_id"]), "--format", "json")
    assert event.code == 0, event.err
    assert new_id in {r["source"]["document_id"]
                      for r in json.loads(event.out)["report_list"]}

    upgraded, made = schema(dialect, where), schema(dialect, fresh)
    assert upgraded["migrations"] == made["migrations"]
    assert upgraded["columns"] == made["columns"]
    assert upgraded["indexes"] == made["indexes"]


def test_the_fixture_stores_are_of_the_schemas_they_stand_for():
    """Each committed store records the migrations its release had, so the upgrade test above
    really starts from that release."""
    expected = {"7c2d95f": ["initial"],
                "8487cbe": ["initial", "documents_versions_segments"],
                "afc48d4": ["initial", "documents_versions_segments", "links"],
                "194d191": ["initial", "documents_versions_segments", "links"]}
    for commit, names in expected.items():
        db = sqlite3.connect(":memory:")
        db.deserialize(gzip.decompress((DATA / f"store_{commit}.db.gz").read_bytes()))
        assert [r[0] for r in db.execute("SELECT name FROM migrations ORDER BY version")] \
            == names, commit
        identities = {r[1] for r in db.execute("PRAGMA table_info(identities)")}
        assert ("cited" in identities) == (commit == "194d191"), commit
