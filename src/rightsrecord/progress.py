"""Progress bars for long commands (`ingest`, `annotate`, `link all`).

A bar goes to standard error, and only when standard error is a terminal: it shows the count
and the rate, and the time left when the total is known. Piped or redirected, and in tests,
nothing is drawn and the iterable comes back as it was; standard output carries results
alone either way.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TextIO, TypeVar

T = TypeVar("T")


def shown(enabled: bool = True, file: TextIO | None = None) -> bool:
    """Whether a bar would be drawn: it is asked for and its stream is a terminal."""
    stream = file or sys.stderr
    if not enabled or stream is None:
        return False
    try:
        return stream.isatty()
    except ValueError:  # a closed stream
        return False


def _bar(total: int | None, desc: str, unit: str, file: TextIO | None) -> Any:
    from tqdm import tqdm  # (it ships no type hints: Any)

    return tqdm(total=total, desc=desc or None, unit=unit, file=file or sys.stderr,
                dynamic_ncols=True, smoothing=0.1)


def progress(iterable: Iterable[T], total: int | None = None, desc: str = "",
             unit: str = "doc", *, enabled: bool = True, file: TextIO | None = None
             ) -> Iterable[T]:
    """`iterable`, counted on a bar on a terminal; anywhere else `iterable` itself."""
    if not shown(enabled, file):
        return iterable
    return _counted(iterable, total, desc, unit, file)


def _counted(iterable: Iterable[T], total: int | None, desc: str, unit: str,
             file: TextIO | None) -> Iterator[T]:
    with counter(total, desc, unit, enabled=True, file=file) as bar:
        for item in iterable:
            yield item
            bar.update(1)


class Counter:
    """A bar counted by hand (`update(n)`); silent where no bar is shown."""

    def __init__(self, bar: Any = None) -> None:
        self._bar = bar

    def update(self, n: int = 1) -> None:
        if self._bar is not None:
            self._bar.update(n)


@contextmanager
def counter(total: int | None = None, desc: str = "", unit: str = "doc", *,
            enabled: bool = True, file: TextIO | None = None) -> Iterator[Counter]:
    """A bar for work done in steps of several items (a batch at a time); closed on exit."""
    if not shown(enabled, file):
        yield Counter()
        return
    bar = _bar(total, desc, unit, file)
    try:
        yield Counter(bar)
    finally:
        bar.close()


def echo(line: str, file: TextIO | None = None) -> None:
    """Print a line (to standard output unless `file` says otherwise) without breaking a
    bar on the screen: the bar is drawn again below it."""
    stream = file or sys.stdout
    if shown():
        from tqdm import tqdm

        tqdm.write(line, file=stream)
    else:
        print(line, file=stream)
    stream.flush()
