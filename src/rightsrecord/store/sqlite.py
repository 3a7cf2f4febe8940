"""The SQLite store, the embedded default: one file, WAL, foreign keys, FTS5.

Writes take the database's write lock at once (`BEGIN IMMEDIATE`), so two processes
ingesting into one file serialise instead of losing or doubling a document.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..errors import StoreError
from . import migrations
from .query import (
    INDEXED_TITLE,
    SEARCH_FROM,
    SEARCH_VERSIONS,
    SEARCHABLE,
    Node,
    TextMatch,
    fts5,
)
from .sql import SQLStore


class SQLiteStore(SQLStore):
    """Owns its connection; every write is one transaction."""

    dialect = "sqlite"
    # A row's filter columns lie after its long text: read them from an index instead.
    _segments_by_id = "segments s INDEXED BY segments_found"

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
        self.db.execute("INSERT INTO segments_fts (rowid, title, text)"
                        f" SELECT s.id, {INDEXED_TITLE}, s.text FROM segments s"
                        " JOIN versions v ON v.id = s.version_id WHERE s.id = ?", (seg_id,))

    def _unindex_segment(self, seg_id: int, title: str | None, text: str) -> None:
        # The index's own values go back: a document's title is its version's.
        self.db.execute("INSERT INTO segments_fts (segments_fts, rowid, title, text)"
                        f" SELECT 'delete', s.id, {INDEXED_TITLE}, s.text FROM segments s"
                        " JOIN versions v ON v.id = s.version_id WHERE s.id = ?", (seg_id,))

    def _text_match(self, node: Node, rows: bool, versions: bool, sort: str) -> TextMatch:
        match = fts5(node)
        if sort == "newest" and self._one("SELECT count(*) AS n FROM (SELECT 1 FROM"
                                          " segments_fts WHERE segments_fts MATCH ? LIMIT ?)",
                                          (match, WALK_FROM))["n"] >= WALK_FROM:
            # Many matches: walk the texts newest first, each looked up among the matches,
            # rather than sort every match by date.
            return TextMatch(SEARCH_FROM + (SEARCH_VERSIONS if versions else ""), (),
                             f"{SEARCHABLE} AND +s.id IN (SELECT rowid FROM segments_fts"
                             " WHERE segments_fts MATCH ?)", (match,), BM25)
        source, where = "segments_fts", "segments_fts MATCH ?"  # a page by relevance
        if rows or versions:  # filters read a match's row, in `segments_found` alone
            source += f" JOIN {self._segments_by_id} ON s.id = segments_fts.rowid"
            where += f" AND {SEARCHABLE}"
        if versions:
            source += SEARCH_VERSIONS
        return TextMatch(source, (), where, (match,), BM25, "segments_fts.rowid")

    def _text_excluded(self, node: Node) -> tuple[str, list[Any]]:
        return ("s.id NOT IN (SELECT rowid FROM segments_fts WHERE segments_fts MATCH ?)",
                [fts5(node)])

    def _snippets(self, node: Node, ids: list[int]) -> dict[int, str]:
        # Each id joined in turn: FTS5 looks up one row by its rowid, not a list of them.
        return {int(r[0]): r[1] for r in self.db.execute(
            f"WITH ids(id) AS (VALUES {', '.join('(?)' for _ in ids)})"
            " SELECT segments_fts.rowid, snippet(segments_fts, 1, '[', ']', ' … ', 16)"
            " FROM ids CROSS JOIN segments_fts"
            " WHERE segments_fts MATCH ? AND segments_fts.rowid = ids.id", (*ids, fts5(node)))}


# Relevance: BM25, a match in the title counting as four in the text; higher is better.
BM25 = "-bm25(segments_fts, 4.0, 1.0)"
WALK_FROM = 2000  # matches from which a search newest first walks the texts by date
