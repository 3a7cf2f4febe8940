"""The extraction pipeline: small stages registered by name and version, run in order.

Each stage is a function over one `ExtractDoc`. It declares what it requires and what it
assigns, so a pipeline is checked before it runs, and any stage runs alone on a document
that has what it requires. An error names the stage that raised it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from .types import Actor, Event, Theme, Timex


@dataclass
class CountryScore:
    code: str
    name: str
    score: float
    primary: bool = False


@dataclass
class ExtractDoc:
    """One text going through the pipeline, and everything read out of it."""

    text: str
    id: str | None = None
    title: str | None = None
    published: str | None = None  # the document's own date, kept apart from event dates
    url: str | None = None
    sentences: list[tuple[int, int]] = field(default_factory=list)
    dates: list[Timex] = field(default_factory=list)
    places: list[Any] = field(default_factory=list)  # places.CountryMention
    countries: list[CountryScore] = field(default_factory=list)
    themes: list[Theme] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    fallback_country: str | None = None  # the owning document's country, for items
    done: list[str] = field(default_factory=list)  # "name.vN" of every stage that ran


StageFn = Callable[[ExtractDoc], None]


@dataclass(frozen=True)
class Stage:
    name: str
    version: int
    requires: tuple[str, ...]
    assigns: tuple[str, ...]
    fn: StageFn

    @property
    def id(self) -> str:
        return f"{self.name}.v{self.version}"


REGISTRY: dict[str, Stage] = {}
DEFAULT_STAGES = ("sentences", "dates", "places", "themes", "actors", "events")


def stage(name: str, version: int, requires: tuple[str, ...] = (),
          assigns: tuple[str, ...] = ()) -> Callable[[StageFn], StageFn]:
    """Register a stage function under `name`."""

    def register(fn: StageFn) -> StageFn:
        REGISTRY[name] = Stage(name, version, requires, assigns, fn)
        return fn

    return register


class StageError(Exception):
    def __init__(self, stage_id: str, cause: BaseException) -> None:
        super().__init__(f"stage {stage_id} failed: {cause.__class__.__name__}: {cause}")
        self.stage_id = stage_id


class PipelineError(ValueError):
    """A pipeline that cannot run: an unknown stage or an unmet requirement."""


class Pipeline:
    def __init__(self, names: Iterable[str] = DEFAULT_STAGES) -> None:
        from . import stages  # noqa: F401  (registers the built-in stages)

        self.stages: list[Stage] = []
        assigned: set[str] = set()
        for name in names:
            if name not in REGISTRY:
                raise PipelineError(f"unknown stage {name!r}; known: {', '.join(REGISTRY)}")
            st = REGISTRY[name]
            missing = [r for r in st.requires if r not in assigned]
            if missing:
                raise PipelineError(f"stage {st.id} requires {', '.join(missing)}, which no "
                                    "earlier stage assigns")
            self.stages.append(st)
            assigned.update(st.assigns)

    @property
    def ids(self) -> list[str]:
        return [s.id for s in self.stages]

    def __call__(self, doc: ExtractDoc) -> ExtractDoc:
        for st in self.stages:
            try:
                st.fn(doc)
            except Exception as exc:  # noqa: BLE001 - reported with the stage's name
                raise StageError(st.id, exc) from exc
            doc.done.append(st.id)
        return doc

    def pipe(self, docs: Iterable[ExtractDoc]) -> Iterator[ExtractDoc | StageError]:
        """Stream documents through; a failing document yields its error, the rest go on."""
        for doc in docs:
            try:
                yield self(doc)
            except StageError as exc:
                yield exc
