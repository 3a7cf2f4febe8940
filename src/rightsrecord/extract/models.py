"""Learned parts of the pipeline, loaded once by name, with a way to swap one in for a while.

A stage asks `models.get("events", load)` for its model; `load` runs once and its result is
kept. `rightsrecord eval` fits a model on some document folds and scores the others through
the same extract path, so it puts the fold's model in place with `override(name, model)`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

T = TypeVar("T")

_loaded: dict[str, Any] = {}
_overrides: dict[str, list[Any]] = {}
_lock = threading.Lock()


def get(name: str, load: Callable[[], T]) -> T:
    """The model `name`: the innermost override, else the shipped one (loaded once)."""
    stack = _overrides.get(name)
    if stack:
        return stack[-1]
    model = _loaded.get(name)
    if model is None:
        with _lock:
            model = _loaded.get(name)
            if model is None:
                model = _loaded[name] = load()
    return model


@contextmanager
def override(name: str, model: Any) -> Iterator[None]:
    """Use `model` for `name` inside the block (for fold-fitted models in evaluation)."""
    _overrides.setdefault(name, []).append(model)
    try:
        yield
    finally:
        _overrides[name].pop()
