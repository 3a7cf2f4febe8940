"""The records extraction stages produce. Offsets are character offsets into the input text."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Timex:
    """A temporal expression: TIMEX3 type (DATE, TIME, DURATION, SET) and normalised value."""

    start: int
    end: int
    text: str
    type: str
    value: str


@dataclass
class Actor:
    """One actor of a document with every mention of it grouped."""

    name: str
    type: str  # person | organisation | court | state-body | media | group
    role: str | None = None
    mentions: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class Event:
    """A typed event with the evidence sentence span it was read from."""

    type: str
    start: int  # evidence sentence span
    end: int
    score: float
    trigger: tuple[int, int] | None = None
    agent: str | None = None
    target: str | None = None
    date: str | None = None
    country: str | None = None


@dataclass
class Theme:
    id: str
    label: str
    score: float
