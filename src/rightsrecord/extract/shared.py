"""One instance per process of a model loaded from the shipped data."""

from __future__ import annotations

from typing import Self

from . import models


class SharedInstance:
    """``cls.load()`` builds ``cls()`` (from the shipped data) once, thread-safely, and returns
    that instance ever after (through `models.get`, so evaluation can swap one in)."""

    @classmethod
    def load(cls) -> Self:
        return models.get(f"{cls.__module__}.{cls.__qualname__}", cls)
