"""The SQLite store: one file, WAL, foreign keys, FTS5; every write one transaction."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..errors import StoreError
from ..model import IngestResult, ParsedDocument, Span
from ..places import country_name
from . import migrations

FEED_TEASER_CHARS = 320


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class SQLiteStore:
    """Owns its connection. Reads use it directly; writes go through `transaction()`."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        try:
            self.db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False,
                                      timeout=30)
            self.db.row_factory = sqlite3.Row
            self.db.execute("PRAGMA journal_mode = WAL")
            self.db.execute("PRAGMA synchronous = NORMAL")
            self.db.execute("PRAGMA foreign_keys = ON")
            migrations.apply(self.db)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: cannot open the store ({exc})") from None

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> SQLiteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # -- writing -----------------------------------------------------------------------

    def add(self, doc: ParsedDocument) -> IngestResult:
        """Store one parsed document in one transaction.

        Identical content at the same URL is a no-op; changed content becomes a new
        version and the older ones are kept.
        """
        with self.transaction() as db:
            current = db.execute(
                "SELECT id, version, content_hash FROM documents WHERE url = ? AND is_current = 1",
                (doc.url,),
            ).fetchone()
            if current and current["content_hash"] == doc.content_hash:
                return IngestResult("unchanged", current["id"], current["version"])
            version = 1
            if current:
                version = current["version"] + 1
                db.execute("UPDATE documents SET is_current = 0 WHERE url = ?", (doc.url,))
            source_id = self._source_id(db, doc.source, doc.url)
            for code in {doc.country, *(i.country for i in doc.items),
                         *(s.country for s in doc.summaries)}:
                self._country(db, code)
            doc_id = db.execute(
                "INSERT INTO documents (source_id, url, version, kind, title, published,"
                " fetched_at, content_hash, text, country) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (source_id, doc.url, version, doc.kind, doc.title, doc.published, _now(),
                 doc.content_hash, doc.text, doc.country),
            ).lastrowid
            assert doc_id is not None
            self._spans(db, doc_id, "document", doc_id, doc.spans)
            for item in doc.items:
                item_id = db.execute(
                    "INSERT INTO items (document_id, position, date, title, text, url, country)"
                    " VALUES (?,?,?,?,?,?,?)",
                    (doc_id, item.position, item.date, item.title, item.text, item.url,
                     item.country),
                ).lastrowid
                self._spans(db, doc_id, "item", item_id, item.spans)
            for block in doc.summaries:
                summary_id = db.execute(
                    "INSERT INTO summaries (document_id, position, year, text, country)"
                    " VALUES (?,?,?,?,?)",
                    (doc_id, block.position, block.year, block.text, block.country),
                ).lastrowid
                self._spans(db, doc_id, "summary", summary_id, block.spans)
            return IngestResult("new-version" if current else "stored", doc_id, version)

    @staticmethod
    def _source_id(db: sqlite3.Connection, name: str, url: str) -> int:
        kind = "web" if url.startswith(("http://", "https://")) else "file"
        row = db.execute("SELECT id FROM sources WHERE name = ?", (name,)).fetchone()
        if row:
            return int(row[0])
        cur = db.execute("INSERT INTO sources (name, kind, created_at) VALUES (?,?,?)",
                         (name, kind, _now()))
        return int(cur.lastrowid or 0)

    @staticmethod
    def _country(db: sqlite3.Connection, code: str | None) -> None:
        if code:
            db.execute("INSERT OR IGNORE INTO countries (code, name) VALUES (?, ?)",
                       (code, country_name(code) or code))

    @staticmethod
    def _spans(db: sqlite3.Connection, doc_id: int, target: str, target_id: int | None,
               spans: list[Span]) -> None:
        db.executemany(
            "INSERT INTO annotations (document_id, target, target_id, kind, start, end, text,"
            " value, stage) VALUES (?,?,?,?,?,?,?,?,?)",
            [(doc_id, target, target_id, s.kind, s.start, s.end, s.text,
              json.dumps(s.value, ensure_ascii=False), s.stage) for s in spans],
        )

    # -- reading -----------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        row = self.db.execute(
            "SELECT (SELECT count(*) FROM documents WHERE is_current = 1) AS documents,"
            " (SELECT count(*) FROM documents) AS versions,"
            " (SELECT count(*) FROM items) AS items,"
            " (SELECT count(*) FROM summaries) AS summaries,"
            " (SELECT count(*) FROM sources) AS sources"
        ).fetchone()
        return dict(row)

    def countries(self) -> list[dict[str, Any]]:
        rows = self.db.execute(
            """
            SELECT c.code, c.name,
              (SELECT count(*) FROM documents d WHERE d.country = c.code AND d.is_current = 1)
                AS documents,
              (SELECT count(*) FROM items i WHERE i.country = c.code) AS items,
              (SELECT count(*) FROM summaries s WHERE s.country = c.code) AS summaries
            FROM countries c ORDER BY c.name
            """
        )
        return [dict(r) for r in rows]

    def country(self, code: str) -> dict[str, Any] | None:
        """The country page: summaries newest first, then the dated feed newest first.

        Items are kept across every stored version of a listing (a later scrape that no
        longer shows an entry does not lose it); identical entries are shown once.
        """
        code = code.upper()
        row = self.db.execute("SELECT code, name FROM countries WHERE code = ?",
                              (code,)).fetchone()
        if row is None:
            name = country_name(code)
            if name is None:
                return None
            row = {"code": code, "name": name}
        summaries = self.db.execute(
            """
            SELECT min(s.id) AS id, s.year, s.text, s.document_id, d.url, d.title AS source_title
            FROM summaries s JOIN documents d ON d.id = s.document_id
            WHERE s.country = ?
            GROUP BY s.year, s.text
            ORDER BY s.year IS NULL, s.year DESC, min(s.id)
            """,
            (code,),
        ).fetchall()
        items = self.db.execute(
            """
            SELECT * FROM (
              SELECT min(i.id) AS id, 'item' AS kind, i.date, i.title, i.text,
                     coalesce(i.url, d.url) AS url, i.document_id, min(i.position) AS position
              FROM items i JOIN documents d ON d.id = i.document_id
              WHERE i.country = ?
              GROUP BY i.date, coalesce(i.title, ''), coalesce(i.text, '')
              UNION ALL
              SELECT d.id, 'document', d.published, d.title,
                     substr(d.text, 1, ?), d.url, d.id, 0
              FROM documents d
              WHERE d.country = ? AND d.is_current = 1 AND d.kind IN ('html', 'text', 'pdf')
            )
            ORDER BY date IS NULL, date DESC, document_id DESC, position
            """,
            (code, FEED_TEASER_CHARS, code),
        ).fetchall()
        return {
            "code": row["code"],
            "name": row["name"],
            "summaries": [dict(r) for r in summaries],
            "items": [_feed_entry(dict(r)) for r in items],
        }

    def document(self, doc_id: int) -> dict[str, Any] | None:
        row = self.db.execute(
            "SELECT d.*, s.name AS source FROM documents d JOIN sources s ON s.id = d.source_id"
            " WHERE d.id = ?",
            (doc_id,),
        ).fetchone()
        if row is None:
            return None
        doc = dict(row)
        doc["is_current"] = bool(doc["is_current"])
        doc["versions"] = [dict(r) for r in self.db.execute(
            "SELECT id, version, fetched_at, content_hash, is_current FROM documents"
            " WHERE url = ? ORDER BY version DESC", (doc["url"],))]
        doc["items"] = [dict(r) for r in self.db.execute(
            "SELECT id, position, date, title, text, url, country FROM items"
            " WHERE document_id = ? ORDER BY position", (doc_id,))]
        doc["summaries"] = [dict(r) for r in self.db.execute(
            "SELECT id, position, year, text, country FROM summaries"
            " WHERE document_id = ? ORDER BY position", (doc_id,))]
        doc["annotations"] = [
            {**dict(r), "value": json.loads(r["value"])}
            for r in self.db.execute(
                "SELECT target, target_id, kind, start, end, text, value, stage"
                " FROM annotations WHERE document_id = ? ORDER BY target, target_id, start",
                (doc_id,),
            )
        ]
        return doc

    def recent_documents(self, limit: int = 20) -> list[dict[str, Any]]:
        rows = self.db.execute(
            "SELECT id, title, url, kind, published, country FROM documents WHERE is_current = 1"
            " ORDER BY published IS NULL, published DESC, id DESC LIMIT ?",
            (limit,),
        )
        return [dict(r) for r in rows]

    def search(self, query: str, limit: int = 50) -> list[dict[str, Any]]:
        """Full-text search over current documents and all listing items, best first."""
        match = fts_query(query)
        if match is None:
            return []
        rows = self.db.execute(
            """
            SELECT * FROM (
              SELECT 'document' AS kind, d.id, d.id AS document_id, d.title, d.published AS date,
                     d.url, d.country,
                     snippet(documents_fts, 1, '[', ']', ' … ', 16) AS snippet,
                     bm25(documents_fts) AS rank
              FROM documents_fts JOIN documents d ON d.id = documents_fts.rowid
              WHERE documents_fts MATCH ? AND d.is_current = 1
              UNION ALL
              SELECT 'item', i.id, i.document_id, i.title, i.date, coalesce(i.url, d.url),
                     i.country, snippet(items_fts, 1, '[', ']', ' … ', 16), bm25(items_fts)
              FROM items_fts JOIN items i ON i.id = items_fts.rowid
              JOIN documents d ON d.id = i.document_id
              WHERE items_fts MATCH ?
            ) ORDER BY rank LIMIT ?
            """,
            (match, match, limit),
        )
        return [dict(r) for r in rows]


_TOKEN = re.compile(r"\w+", re.UNICODE)


def fts_query(query: str) -> str | None:
    """A safe FTS5 query: every word quoted, all required; None when there are no words."""
    tokens = _TOKEN.findall(query)
    if not tokens:
        return None
    return " ".join(f'"{t}"' for t in tokens[:32])


def _feed_entry(row: dict[str, Any]) -> dict[str, Any]:
    if row["kind"] == "document" and row["text"] and len(row["text"]) >= FEED_TEASER_CHARS:
        cut = row["text"].rfind(" ")
        row["text"] = row["text"][: cut if cut > 0 else None].rstrip() + " …"
    return row
