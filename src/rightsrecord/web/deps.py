"""What every room of the web app depends on: an open store from a small pool, the reader's
scope (decided once, here), and the common query parameters."""

# No `from __future__ import annotations`: FastAPI reads these signatures at run time.

import threading
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Query, Request

from ..store import open_store
from ..store.base import PUBLIC, Scope, Store

MAX_PAGE = 200  # the largest `limit` a list takes


class StorePool:
    """Open stores kept for the next request: a request takes one for itself alone and puts
    it back, so a connection is opened (and its schema checked) once, not per request."""

    def __init__(self, db: str | None, keep: int = 16) -> None:
        self.db, self.keep = db, keep
        self._idle: list[Store] = []
        self._lock = threading.Lock()

    def take(self) -> Store:
        with self._lock:
            if self._idle:
                return self._idle.pop()
        return open_store(self.db)

    def give_back(self, store: Store, healthy: bool) -> None:
        with self._lock:
            if healthy and len(self._idle) < self.keep:
                self._idle.append(store)
                return
        store.close()

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for store in idle:
            store.close()


def get_store(request: Request) -> Iterator[Store]:
    pool: StorePool = request.app.state.stores
    store = pool.take()
    healthy = False
    try:
        yield store
        healthy = True
    finally:
        pool.give_back(store, healthy)


def get_scope(request: Request) -> Scope:
    """Whose documents this request may see: the public collection until accounts exist."""
    return PUBLIC


StoreDep = Annotated[Store, Depends(get_store)]
ScopeDep = Annotated[Scope, Depends(get_scope)]
Limit = Annotated[int | None, Query(ge=1, le=MAX_PAGE)]
