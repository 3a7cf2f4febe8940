"""One instance per process of a model loaded from the shipped data."""

from __future__ import annotations

import threading
from typing import Any, Self

_instances: dict[type, Any] = {}
_lock = threading.Lock()


class SharedInstance:
    """``cls.load()`` builds ``cls()`` (from the shipped data) once, thread-safely, and returns
    that instance ever after."""

    @classmethod
    def load(cls) -> Self:
        inst = _instances.get(cls)
        if inst is None:
            with _lock:
                inst = _instances.get(cls)
                if inst is None:
                    inst = _instances[cls] = cls()
        return inst
