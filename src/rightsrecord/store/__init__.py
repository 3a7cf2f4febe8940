"""The store: where documents and their facts are kept, behind one interface.

`open_store()` takes a SQLite path (the default, `./rightsrecord.db`) or a
`postgresql://` URL, from `--db`, else `$RIGHTSRECORD_DB`. A store that cannot be opened
(an unreachable server, a file that is not a SQLite store, a store made by a newer
rightsrecord, an address of another kind) raises `StoreError` with a one-line message that
never holds a password: messages name the store by `redact(url)`.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import unquote

from ..errors import StoreError
from .base import PUBLIC, Page, Scope, Store
from .sql import SQLStore
from .sqlite import SQLiteStore

DEFAULT_DB = "rightsrecord.db"

# `scheme://user:password@`, up to the last `@` of the address (a password written without
# percent-encoding may hold `/`, `?` or `@`; starring too much beats showing a password),
# and `password=value` (a URL's query parameter or a libpq keyword, quoted or not).
_CREDENTIALS = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)(\S*)@")
_PASSWORD = re.compile(r"(?i)\b(password\s*=\s*)('(?:[^'\\]|\\.)*'|[^\s&#;'\"]*)")
_KEYWORDS = re.compile(r"\s*[A-Za-z_]+\s*=")
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")


def redact(text: str) -> str:
    """`text` (a store's address, or a message quoting one) with every password starred:
    `user:password@` keeps its user, `password=...` its name."""

    def user_only(m: re.Match[str]) -> str:
        user, sep, _ = m.group(2).partition(":")
        return f"{m.group(1)}{user}{':***' if sep else ''}@"

    return _PASSWORD.sub(lambda m: f"{m.group(1)}***", _CREDENTIALS.sub(user_only, str(text)))


def passwords(target: str) -> list[str]:
    """The passwords an address carries, as written and decoded, longest first, so that a
    driver's message quoting one can be cleaned too."""
    found = [m.group(2).partition(":")[2] for m in _CREDENTIALS.finditer(target)]
    found += [m.group(2).strip("'") for m in _PASSWORD.finditer(target)]
    out = {form for secret in found if secret for form in (secret, unquote(secret))}
    return sorted(out, key=len, reverse=True)


def db_path(explicit: str | None = None) -> str:
    """`--db` first, then RIGHTSRECORD_DB, then ./rightsrecord.db."""
    return explicit or os.environ.get("RIGHTSRECORD_DB") or DEFAULT_DB


def is_postgres(target: str) -> bool:
    return target.startswith(("postgresql://", "postgres://"))


def check_target(target: str) -> None:
    """Refuse an address that would otherwise silently become a new SQLite file's name."""
    if is_postgres(target):
        return
    if _KEYWORDS.match(target):
        raise StoreError(f"{redact(target)}: a keyword connection string (host=... "
                         "dbname=...) is not a store address: use a postgresql://USER@HOST/DB "
                         "URL, or ./NAME for a SQLite file whose name has '='")
    if _URL.match(target):
        raise StoreError(f"{redact(target)}: not a store address: use a SQLite file's path "
                         "or a postgresql:// URL")


def open_store(target: str | Path | None = None) -> SQLStore:
    where = db_path(str(target) if target else None)
    check_target(where)
    if is_postgres(where):
        from .postgres import PostgresStore

        return PostgresStore(where)
    return SQLiteStore(where)


__all__ = ["SQLiteStore", "Store", "SQLStore", "Scope", "PUBLIC", "Page", "open_store",
           "db_path", "is_postgres", "DEFAULT_DB", "StoreError", "redact", "passwords",
           "check_target"]
