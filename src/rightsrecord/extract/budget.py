"""What the stages may spend on one document, so that no document can stall its batch.

Three bounds, each set by an environment variable or by the caller:

- `max_chars` (`RIGHTSRECORD_MAX_STAGE_CHARS`): the stages read each text (the body, each
  item, each summary block) up to this many characters, cut at a space where one is near;
  the facts' offsets still refer to the whole text.
- `max_items` (`RIGHTSRECORD_MAX_STAGE_ITEMS`): the stages read this many of a document's
  items and summary blocks; the rest keep their text and get no facts.
- `seconds` (`RIGHTSRECORD_STAGE_SECONDS`): the stage work one document may take, checked
  after each stage; once spent, its remaining stages are skipped and the batch goes on.

Each bound that bites leaves a note on the document, shown in its record. The defaults leave
every ordinary document whole (a 1 MB article, a listing of thousands of entries).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from ..document import Document, Segment

DEFAULT_MAX_CHARS = 2_000_000
DEFAULT_MAX_ITEMS = 5_000
DEFAULT_SECONDS = 300.0
_CUT_WINDOW = 200  # a cut moves back to the last space within this many characters

ENV = {"max_chars": "RIGHTSRECORD_MAX_STAGE_CHARS", "max_items": "RIGHTSRECORD_MAX_STAGE_ITEMS",
       "seconds": "RIGHTSRECORD_STAGE_SECONDS"}


class BudgetError(ValueError):
    """A budget setting that is not a positive number."""


def _positive(name: str, raw: str, kind: type[int] | type[float]) -> int | float:
    try:
        value = kind(raw.replace("_", ""))
    except ValueError:
        value = 0
    if not value > 0:
        word = "whole number" if kind is int else "number"
        raise BudgetError(f"{name}: expected a positive {word}, not {raw!r}")
    return value


@dataclass(frozen=True)
class Budget:
    max_chars: int = DEFAULT_MAX_CHARS
    max_items: int = DEFAULT_MAX_ITEMS
    seconds: float = DEFAULT_SECONDS
    clock: Callable[[], float] = field(default=time.perf_counter, compare=False)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> Budget:
        """The defaults, overridden by whichever of `ENV` is set; raises BudgetError."""
        given: dict[str, int | float] = {}
        for attr, name in ENV.items():
            raw = environ.get(name, "").strip()
            if raw:
                given[attr] = _positive(name, raw, float if attr == "seconds" else int)
        return cls(**given)  # type: ignore[arg-type]


def cut_at(text: str, limit: int) -> int:
    """Where a text longer than `limit` is cut: at the last space near the limit, else at it."""
    space = max(text.rfind(c, max(0, limit - _CUT_WINDOW), limit + 1) for c in " \n\t")
    return space if space > 0 else limit


class DocumentRun:
    """One document under its budget for one pass of the stages: while open, its long texts
    are cut and its segments beyond the limit are set aside; `close` puts both back."""

    def __init__(self, doc: Document, budget: Budget) -> None:
        self.doc, self.budget = doc, budget
        self.spent = 0.0
        self.stopped = False
        doc.adopt()
        self.cut: list[tuple[Segment, str]] = []  # each cut text's segment and whole text
        self.all_segments = doc.segments
        if len(doc.segments) > budget.max_items:
            doc.segments = doc.segments[:budget.max_items]
            _note(doc, f"the stages read the first {budget.max_items:,} of "
                       f"{len(self.all_segments):,} items and summary blocks")
        for unit in doc.units():
            if len(unit.text) > budget.max_chars:
                whole = unit.text
                unit.text = whole[:cut_at(whole, budget.max_chars)]
                self.cut.append((unit, whole))
                _note(doc, f"{_label(unit)}: the stages read the first {len(unit.text):,} "
                           f"of {len(whole):,} characters")
        self.units = doc.units()
        self.size = sum(len(u.text) for u in self.units)

    def charge(self, seconds: float) -> None:
        self.spent += seconds

    def over(self) -> bool:
        return self.spent > self.budget.seconds

    def stop(self, after: str, skipped: list[str]) -> None:
        """Skip the remaining stages, with a note naming them."""
        self.stopped = True
        _note(self.doc, f"stages {', '.join(skipped)} skipped: the document's "
                        f"{self.budget.seconds:g}-second budget was spent after {after}")

    def close(self) -> None:
        for unit, whole in self.cut:
            unit.text = whole
        self.cut = []
        self.doc.segments = self.all_segments


def _label(unit: Segment) -> str:
    return "the text" if unit.kind == "body" else f"{unit.kind} {unit.position + 1}"


def _note(doc: Document, note: str) -> None:
    if note not in doc.notes:  # a document run again keeps one note of each kind
        doc.notes.append(note)
