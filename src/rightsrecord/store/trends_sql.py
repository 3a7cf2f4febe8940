"""The store's SQL for trends and what changed: events and documents counted per year, and what
entered the record since a time. Shared by both stores (`?` marks; the PostgreSQL store
rewrites them)."""

from __future__ import annotations

from typing import Any


class TrendSQL:
    """Mixed into `SQLStore`: needs `_all`, `_one`, `_exec`, `_insert_id` and `_tx`."""

    _all: Any
    _one: Any
    _exec: Any
    _insert_id: Any
    _tx: Any
