"""The SQLite store: schema, transactions, versions, full-text index."""

from __future__ import annotations

import sqlite3

import pytest

from rightsrecord.ingest.pipeline import ingest
from rightsrecord.model import Item, ParsedDocument, SummaryBlock
from rightsrecord.store import SQLiteStore
from rightsrecord.store.migrations import MIGRATIONS


def _doc(text: str = "Kazakhstan court closes a newspaper.", url: str = "file:///a.txt",
         digest: str = "h1") -> ParsedDocument:
    return ParsedDocument(url=url, kind="text", text=text, content_hash=digest, title="T",
                          published="2015-02-27", source="/", country="KZ")


def test_store_uses_wal_foreign_keys_and_records_migrations(store, db_file):
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    names = [r[0] for r in store.db.execute("SELECT name FROM migrations ORDER BY version")]
    assert names == [name for _, name, _ in MIGRATIONS]
    # Opening again applies nothing twice.
    SQLiteStore(db_file).close()
    assert store.db.execute("SELECT count(*) FROM migrations").fetchone()[0] == len(MIGRATIONS)


def test_identical_content_is_a_no_op(store):
    first = store.add(_doc())
    again = store.add(_doc())
    assert (first.status, again.status) == ("stored", "unchanged")
    assert again.document_id == first.document_id
    assert store.counts()["versions"] == 1


def test_changed_content_at_same_url_keeps_the_older_version(store):
    old = store.add(_doc("First text about Kazakhstan."))
    new = store.add(_doc("Second text about Kazakhstan.", digest="h2"))
    assert new.status == "new-version" and new.version == 2
    rows = store.db.execute("SELECT version, is_current, text FROM documents ORDER BY version")
    assert [tuple(r) for r in rows] == [
        (1, 0, "First text about Kazakhstan."),
        (2, 1, "Second text about Kazakhstan."),
    ]
    assert store.document(old.document_id)["text"] == "First text about Kazakhstan."
    assert len(store.document(new.document_id)["versions"]) == 2
    # Search shows the current version only.
    assert [h["id"] for h in store.search("First")] == []
    assert [h["id"] for h in store.search("Second")] == [new.document_id]


def test_a_failed_write_leaves_nothing_half_written(store):
    store.add(_doc())
    broken = _doc(url="file:///b.txt")
    broken.items = [Item(date="2015-01-01", text="ok")]
    broken.summaries = [SummaryBlock(text=None)]  # type: ignore[arg-type]  # NOT NULL fails
    with pytest.raises(sqlite3.IntegrityError):
        store.add(broken)
    counts = store.counts()
    assert counts["documents"] == 1 and counts["items"] == 0 and counts["summaries"] == 0
    assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_listing_items_survive_a_later_scrape_that_drops_them(store):
    v1 = _doc(url="file:///list.txt")
    v1.kind = "listing"
    v1.items = [Item(date="2015-01-02", text="older entry", country="KZ")]
    v2 = _doc(url="file:///list.txt", digest="h2")
    v2.kind = "listing"
    v2.items = [Item(date="2015-02-01", text="newer entry", country="KZ"),
                Item(date="2015-01-02", text="older entry", country="KZ")]
    store.add(v1)
    store.add(v2)
    items = store.country("KZ")["items"]
    assert [i["text"] for i in items] == ["newer entry", "older entry"]


def test_fts_index_follows_documents_and_items(store, tmp_path, seed_path):
    ingest(store, [str(seed_path)])
    kinds = {h["kind"] for h in store.search("Kazakhstan")}
    assert kinds == {"document", "item"}
    assert store.search("zzzunknownword") == []
    assert store.search("   ") == []
