"""The PostgreSQL store, for a team sharing one server: psycopg 3, the schema through the
migrations both stores share (`migrations.py`), full-text search with a tsvector column and a
GIN index.

Writers lock a document's row (`SELECT ... FOR UPDATE`) while they add its version, so two
processes ingesting at once neither lose nor double a version; a transaction that loses a
deadlock or a serialisation race is retried.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg import errors as pg_errors
from psycopg.conninfo import conninfo_to_dict
from psycopg.rows import dict_row

from ..document import Document
from ..errors import StoreError
from . import migrations, passwords, redact
from .base import IngestResult
from .query import SEARCH_VERSIONS, SEARCHABLE, Node, TextMatch, tsquery
from .sql import SQLStore

RETRIES = 5


def _to_pg(sql: str) -> str:
    return sql.replace("?", "%s")


class PostgresStore(SQLStore):
    dialect = "postgresql"

    def __init__(self, url: str) -> None:
        self.url = url
        self._depth = 0
        where = redact(url)
        try:
            self.db = psycopg.connect(url, autocommit=True, row_factory=dict_row,
                                      connect_timeout=10)
        except psycopg.Error as exc:
            raise StoreError(f"{where}: cannot reach the PostgreSQL store "
                             f"({_reason(exc, url)})") from None
        try:
            migrations.apply_postgresql(self, where)
        except BaseException as exc:
            self.db.close()
            if isinstance(exc, psycopg.Error):
                raise StoreError(f"{where}: not a usable PostgreSQL store "
                                 f"({_reason(exc, url)})") from None
            raise

    @contextmanager
    def _tx(self) -> Iterator[Any]:
        if self._depth:
            yield self.db
            return
        self._depth += 1
        try:
            with self.db.transaction():
                yield self.db
        finally:
            self._depth -= 1

    def _exec(self, sql: str, params: tuple | list = ()) -> Any:
        return self.db.execute(_to_pg(sql), params)

    def _exec_many(self, sql: str, rows: list[tuple]) -> None:
        if rows:
            with self.db.cursor() as cur:
                cur.executemany(_to_pg(sql), rows)

    def _insert_id(self, sql: str, params: tuple) -> int:
        return int(self.db.execute(_to_pg(sql) + " RETURNING id", params).fetchone()["id"])

    def _lock_document(self, url: str) -> Any:
        return self._exec("SELECT id, current_version FROM documents WHERE url = ? FOR UPDATE",
                          (url,))

    def _add_one(self, doc: Document, document_id: int | None = None) -> IngestResult:
        for attempt in range(RETRIES):
            try:
                return super()._add_one(doc, document_id)
            except (pg_errors.DeadlockDetected, pg_errors.SerializationFailure):
                if attempt == RETRIES - 1:
                    raise
                time.sleep(0.05 * (attempt + 1))
        raise AssertionError("unreachable")

    def _text_match(self, node: Node, rows: bool, versions: bool, sort: str) -> TextMatch:
        tsq, params = tsquery(node)
        return TextMatch(f"(SELECT {tsq} AS q) tq CROSS JOIN segments s"
                         + (SEARCH_VERSIONS if versions else ""), tuple(params),
                         f"{SEARCHABLE} AND s.tsv @@ tq.q", (),
                         "ts_rank(s.tsv, tq.q, 1)::float8")

    def _text_excluded(self, node: Node) -> tuple[str, list[Any]]:
        tsq, params = tsquery(node)
        return f"NOT (s.tsv @@ {tsq})", list(params)

    def _snippets(self, node: Node, ids: list[int]) -> dict[int, str]:
        tsq, params = tsquery(node)
        return {int(r["id"]): r["snippet"] for r in self._all(
            "SELECT s.id, ts_headline('english', left(s.text, 200000), tq.q,"
            " 'StartSel=[, StopSel=], MaxWords=24, MinWords=10, MaxFragments=1,"
            " FragmentDelimiter=\" … \"') AS snippet"
            f" FROM (SELECT {tsq} AS q) tq CROSS JOIN segments s"
            f" WHERE s.id IN ({', '.join('?' * len(ids))})", (*params, *ids))}

    def _link_lock(self) -> None:
        self.db.execute("SELECT pg_advisory_xact_lock(7283002)")


def _reason(exc: Exception, url: str) -> str:
    """The driver's message in one line, with no password of `url`'s in it."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    secrets = set(passwords(url))
    with contextlib.suppress(psycopg.Error, ValueError):
        secrets.add(str(conninfo_to_dict(url).get("password") or ""))
    for secret in sorted(filter(None, secrets), key=len, reverse=True):
        text = text.replace(secret, "***")
    return redact(text)
