"""The store's SQL for drafts: the reads a yearly draft summary needs, and the cache of derived
rows. Shared by both stores (`?` marks; the PostgreSQL store rewrites them)."""

from __future__ import annotations

from typing import Any


class DraftSQL:
    """Mixed into `SQLStore`: needs `_all`, `_one`, `_exec`, `_insert_id` and `_tx`."""

    _all: Any
    _one: Any
    _exec: Any
    _insert_id: Any
    _tx: Any
