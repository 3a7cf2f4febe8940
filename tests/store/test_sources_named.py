"""`versions_canonical`: a store made by any released schema comes out with its versions able
to hold a canonical address and outlet, and with no source named by a local folder: those
rows merge into the one named by their kind, and every document keeps a source."""

from __future__ import annotations

import sqlite3

import pytest

from rightsrecord.store import open_store
from rightsrecord.store.migrations import names

from .test_upgrade import old_store, query  # noqa: F401 - the fixture, used by name


def _write(dialect: str, where: str, sql: str) -> None:
    if dialect == "sqlite":
        db = sqlite3.connect(where)
        try:
            db.execute(sql)
            db.commit()
        finally:
            db.close()
        return
    import psycopg

    with psycopg.connect(where, autocommit=True) as db:
        db.execute(sql)


def _sources(dialect: str, where: str) -> dict[str, str]:
    return dict(query(dialect, where, "SELECT name, kind FROM sources"))  # type: ignore[arg-type]


def test_an_old_store_names_no_source_by_a_folder_once_opened(old_store):  # noqa: F811
    dialect, where = old_store
    assert any("/" in name for name in _sources(dialect, where))  # as its release left it
    with open_store(where) as store:
        counts = store.counts()
        views = [store.document(i) for i in store.iter_documents()]
    after = _sources(dialect, where)
    assert after == {"file": "file"}
    assert counts.sources == 1
    assert views and all(v is not None and v.source == "file" for v in views)
    assert all(v.canonical is None and v.outlet is None for v in views)  # read before it
    (orphans,) = query(dialect, where, "SELECT COUNT(*) FROM documents d WHERE NOT EXISTS"
                                       " (SELECT 1 FROM sources s WHERE s.id = d.source_id)")
    assert orphans == (0,)
    recorded = [r[0] for r in query(dialect, where, "SELECT name FROM migrations")]
    assert "versions_canonical" in recorded and recorded == names(dialect)[:len(recorded)]


@pytest.mark.parametrize("old_store", [("194d191", "sqlite"), ("194d191", "postgresql")],
                         indirect=True, ids=["sqlite", "postgresql"])
def test_folder_sources_merge_into_the_kind_row_and_other_sources_stay(old_store):  # noqa: F811
    dialect, where = old_store
    for name, kind in (("file", "file"), ("news.example.org", "web"), ("stdin", "stdin"),
                       ("C:\\\\reports\\\\inbox", "file")):
        _write(dialect, where, "INSERT INTO sources (name, kind, created_at) VALUES"
                               f" ('{name}', '{kind}', '2024-01-01T00:00:00+00:00')")
    _write(dialect, where, "UPDATE documents SET source_id = (SELECT id FROM sources"
                           " WHERE name LIKE 'C:%') WHERE id = (SELECT MIN(id) FROM documents)")
    with open_store(where) as store:
        counts = store.counts()
        sources = {store.document(i).source for i in store.iter_documents()}  # type: ignore
    assert _sources(dialect, where) == {"file": "file", "news.example.org": "web",
                                        "stdin": "stdin"}
    assert sources == {"file"}
    assert counts.sources == 3
