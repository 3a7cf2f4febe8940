"""The facts stages read out of a text. Offsets are character offsets into that text."""

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


@dataclass(frozen=True)
class CountryMention:
    """A mention of a country: its name, an alias, a demonym, a city or a region."""

    code: str
    start: int
    end: int
    text: str
    kind: str = "country"  # country | alias | demonym | city | region


@dataclass
class Actor:
    """One actor of a document with every mention of it grouped."""

    name: str
    type: str  # person | organisation | court | state-body | media | group
    role: str | None = None
    mentions: list[tuple[int, int]] = field(default_factory=list)

    @property
    def key(self) -> str:
        """The actor's canonical key within its text: type and folded name."""
        return f"{self.type}:{' '.join(self.name.casefold().split())}"


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
    date_source: str | None = None  # text | published: where the date came from
    agent_span: tuple[int, int] | None = None  # the words of the agent, in the text
    target_span: tuple[int, int] | None = None


def date_precision(value: str | None) -> str | None:
    """day, month or year for an ISO calendar value; None for anything else."""
    if not value or not value[:4].isdigit():
        return None
    if len(value) == 10 and value[5:7].isdigit() and value[8:10].isdigit():
        return "day"
    if len(value) == 7 and value[5:7].isdigit():
        return "month"
    return "year" if len(value) == 4 else None


@dataclass
class Theme:
    id: str
    label: str
    score: float
