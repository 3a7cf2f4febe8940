"""The SQLite store, the embedded default: one file, WAL, foreign keys, FTS5.

Writes take the database's write lock at once (`BEGIN IMMEDIATE`), so two processes
ingesting into one file serialise instead of losing or doubling a document.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..errors import StoreError
from . import migrations
from .sql import SQLStore


class SQLiteStore(SQLStore):
    """Owns its connection; every write is one transaction."""

    dialect = "sqlite"

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self.url = self.path
        self._depth = 0
        try:
            self.db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False,
                                      timeout=60)
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot open the SQLite store ({exc})") from None
        try:
            self.db.row_factory = sqlite3.Row
            self.db.execute("PRAGMA journal_mode = WAL")
            self.db.execute("PRAGMA synchronous = NORMAL")
            self.db.execute("PRAGMA foreign_keys = ON")
            self.db.execute("PRAGMA busy_timeout = 60000")
            migrations.apply_sqlite(self)
        except BaseException as exc:
            self.db.close()
            if isinstance(exc, sqlite3.Error):
                raise StoreError(f"{self.path}: not a usable SQLite store ({exc})") from None
            raise

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        if self._depth:  # already inside this store's transaction
            yield self.db
            return
        self.db.execute("BEGIN IMMEDIATE")
        self._depth += 1
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        finally:
            self._depth -= 1
        self.db.execute("COMMIT")

    def _exec(self, sql: str, params: tuple | list = ()) -> Any:
        return self.db.execute(sql, params)

    def _exec_many(self, sql: str, rows: list[tuple]) -> None:
        self.db.executemany(sql, rows)

    def _insert_id(self, sql: str, params: tuple) -> int:
        return int(self.db.execute(sql, params).lastrowid or 0)

    def _index_segment(self, seg_id: int, title: str | None, text: str) -> None:
        self.db.execute("INSERT INTO segments_fts (rowid, title, text) VALUES (?, ?, ?)",
                        (seg_id, title, text))

    def _unindex_segment(self, seg_id: int, title: str | None, text: str) -> None:
        self.db.execute("INSERT INTO segments_fts (segments_fts, rowid, title, text)"
                        " VALUES ('delete', ?, ?, ?)", (seg_id, title, text))

    def _search_rows(self, terms: list[list[str]], limit: int, before: int | None
                     ) -> list[Any]:
        match = fts_query(terms)
        if match is None:
            return []
        return list(self.db.execute(
            "SELECT s.id, s.kind, s.document_id, s.title, s.date, s.url, s.country,"
            " v.title AS doc_title, v.published, d.url AS doc_url,"
            " snippet(segments_fts, 1, '[', ']', ' … ', 16) AS snippet"
            " FROM segments_fts JOIN segments s ON s.id = segments_fts.rowid"
            " JOIN versions v ON v.id = s.version_id JOIN documents d ON d.id = s.document_id"
            " WHERE segments_fts MATCH ? AND segments_fts.rowid < ?"
            " ORDER BY segments_fts.rowid DESC LIMIT ?",
            (match, before if before is not None else 2**62, limit)))


_TOKEN = re.compile(r"\w+", re.UNICODE)


def fts_query(terms: list[list[str]]) -> str | None:
    """A safe FTS5 query: every group required, any of its words (each quoted) will do;
    None when there are no words."""
    groups = []
    for forms in terms:
        words = [t for f in forms for t in _TOKEN.findall(f)][:8]
        if len(words) == 1:
            groups.append(f'"{words[0]}"')
        elif words:
            groups.append("(" + " OR ".join(f'"{w}"' for w in words) + ")")
    return " AND ".join(groups) if groups else None  # FTS5 has no implicit AND before "("
