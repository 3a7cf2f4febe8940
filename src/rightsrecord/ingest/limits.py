"""How much work one input may cost a reader, so that no document can stall a batch.

Each limit has a default and can be set from the environment (`RIGHTSRECORD_MAX_<NAME>`, the
field name in capitals: `RIGHTSRECORD_MAX_PDF_PAGES=500`), or for a block of code with
`use(Limits(...))`. Readers read `Limits.current()` once per input. What a limit cuts off is
said in the document's notes; an input that a limit leaves with nothing is rejected.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, fields, replace

ENV_PREFIX = "RIGHTSRECORD_MAX_"


@dataclass(frozen=True)
class Limits:
    pdf_pages: int = 2_000  # pages of a PDF read, the first ones
    pdf_page_bytes: int = 8_000_000  # a page's content stream, decompressed
    seconds: float = 60.0  # reading time for one input, checked between pages and entries
    items: int = 5_000  # feed entries and listing items kept, the first ones
    attributes: int = 1_000  # attributes per HTML tag, the first ones
    chars: int = 2_000_000  # characters of each text kept (a body, an item, a summary)

    @classmethod
    def from_env(cls) -> Limits:
        """The defaults, each replaced by its environment variable where that holds a number."""
        values: dict[str, float | int] = {}
        for spec in fields(cls):
            raw = os.environ.get(ENV_PREFIX + spec.name.upper(), "").strip()
            if not raw:
                continue
            try:
                number = float(raw) if spec.type == "float" else int(raw)
            except ValueError:
                continue
            if number >= 0:
                values[spec.name] = number
        return replace(cls(), **values)

    @classmethod
    def current(cls) -> Limits:
        """The limits in force: those set with `use`, else the environment's."""
        return _active.get() or cls.from_env()


_active: ContextVar[Limits | None] = ContextVar("rightsrecord_limits", default=None)


@contextlib.contextmanager
def use(limits: Limits) -> Iterator[Limits]:
    """Read every input in this block under `limits` (a command line's own settings)."""
    token = _active.set(limits)
    try:
        yield limits
    finally:
        _active.reset(token)


class OutOfTime(BaseException):
    """A reader spent its time budget on one input. Not an Exception, so that no library's
    catch-all handler swallows it."""


class Budget:
    """The reading time one input may take, from when the reader starts on it."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.at = time.monotonic() + seconds

    def spent(self) -> bool:
        return time.monotonic() >= self.at

    def check(self) -> None:
        if self.spent():
            raise OutOfTime

    def reason(self) -> str:
        return f"the {self.seconds:g} s reading limit"


# Past the budget, the reader is stopped wherever it is: a margin for the readers' own checks,
# which end more gracefully (with what was read so far).
HARD_MARGIN = 1.25


@contextlib.contextmanager
def hard_deadline(seconds: float) -> Iterator[None]:
    """Raise OutOfTime in this block once `seconds` (with a margin) have passed, wherever the
    code is (in Python code; a call into C ends first). Only where a timer signal can be used:
    on the main thread, on a system that has one, with no other timer or handler set.
    Elsewhere the readers' own checks between pages and entries are what holds."""
    usable = (hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
              and signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, None)
              and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0))
    if not usable:
        yield
        return
    armed = True

    def expire(_signum: int, _frame: object) -> None:
        if armed:
            raise OutOfTime

    signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds * HARD_MARGIN + 1)
    try:
        yield
    finally:
        while True:  # a signal landing here must not leave the timer or the handler set
            try:
                armed = False
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, signal.SIG_DFL)
                break
            except OutOfTime:
                continue
