"""The store: where parsed documents and their extracted facts are kept."""

from __future__ import annotations

import os
from pathlib import Path

from .sqlite import SQLiteStore

DEFAULT_DB = "rightsrecord.db"


def db_path(explicit: str | None = None) -> str:
    """`--db` first, then RIGHTSRECORD_DB, then ./rightsrecord.db."""
    return explicit or os.environ.get("RIGHTSRECORD_DB") or DEFAULT_DB


def open_store(path: str | Path | None = None) -> SQLiteStore:
    return SQLiteStore(db_path(str(path) if path else None))


__all__ = ["SQLiteStore", "open_store", "db_path", "DEFAULT_DB"]
