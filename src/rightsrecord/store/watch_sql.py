"""The store's SQL for watchlists, their alerts and the deliveries of those alerts, every attempt
logged. Shared by both stores (`?` marks; the PostgreSQL store rewrites them)."""

from __future__ import annotations

from typing import Any


class WatchSQL:
    """Mixed into `SQLStore`: needs `_all`, `_one`, `_exec`, `_insert_id` and `_tx`."""

    _all: Any
    _one: Any
    _exec: Any
    _insert_id: Any
    _tx: Any
