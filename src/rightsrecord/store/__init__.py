"""The store: where documents and their facts are kept, behind one interface.

`open_store()` takes a SQLite path (the default, `./rightsrecord.db`) or a
`postgresql://` URL, from `--db`, else `$RIGHTSRECORD_DB`.
"""

from __future__ import annotations

import os
from pathlib import Path

from .base import PUBLIC, Page, Scope, Store
from .sql import SQLStore
from .sqlite import SQLiteStore

DEFAULT_DB = "rightsrecord.db"


def db_path(explicit: str | None = None) -> str:
    """`--db` first, then RIGHTSRECORD_DB, then ./rightsrecord.db."""
    return explicit or os.environ.get("RIGHTSRECORD_DB") or DEFAULT_DB


def is_postgres(target: str) -> bool:
    return target.startswith(("postgresql://", "postgres://"))


def open_store(target: str | Path | None = None) -> SQLStore:
    where = db_path(str(target) if target else None)
    if is_postgres(where):
        from .postgres import PostgresStore

        return PostgresStore(where)
    return SQLiteStore(where)


__all__ = ["SQLiteStore", "Store", "SQLStore", "Scope", "PUBLIC", "Page", "open_store",
           "db_path", "is_postgres", "DEFAULT_DB"]
