"""The extraction pipeline: stages registered by name and version, run in order over batches.

A stage is a function over one `Segment` (and, where the work batches, a function over a
list of them). It declares what it requires and what it assigns, so a pipeline is checked
before it runs, and any stage runs alone over a segment that has what it requires. An error
names the stage that raised it. The built-in stages are a plain table in `stages.py`, read
when first needed, so nothing depends on what was imported before; `stage()` registers
more (plugins, tests) on top of them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

from ..document import Document, Segment

StageFn = Callable[[Segment], None]
BatchFn = Callable[[list[Segment]], None]
DEFAULT_STAGES = ("sentences", "dates", "places", "themes", "actors", "events")
DEFAULT_BATCH_SIZE = 32


@dataclass(frozen=True)
class Stage:
    name: str
    version: int
    requires: tuple[str, ...]
    assigns: tuple[str, ...]
    fn: StageFn
    batch: BatchFn | None = None  # the same work over many segments at once

    @property
    def id(self) -> str:
        return f"{self.name}.v{self.version}"

    def run(self, segments: list[Segment]) -> None:
        if self.batch is not None and len(segments) > 1:
            self.batch(segments)
        else:
            for segment in segments:
                self.fn(segment)


_EXTRA: dict[str, Stage] = {}


def stage(name: str, version: int, requires: tuple[str, ...] = (),
          assigns: tuple[str, ...] = ()) -> Callable[[StageFn], StageFn]:
    """Register a stage function under `name`, over the built-ins."""

    def register(fn: StageFn) -> StageFn:
        _EXTRA[name] = Stage(name, version, requires, assigns, fn)
        return fn

    return register


def unregister(name: str) -> None:
    _EXTRA.pop(name, None)


def registry() -> dict[str, Stage]:
    from .stages import BUILTIN

    return {**BUILTIN, **_EXTRA}


def stage_id(name: str) -> str:
    return registry()[name].id


def current_ids(names: Iterable[str] = DEFAULT_STAGES) -> list[str]:
    known = registry()
    return [known[n].id for n in names]


class StageError(Exception):
    def __init__(self, stage_id: str, cause: BaseException, label: str | None = None) -> None:
        super().__init__(f"stage {stage_id} failed: {cause.__class__.__name__}: {cause}")
        self.stage_id = stage_id
        self.label = label


class PipelineError(ValueError):
    """A pipeline that cannot run: an unknown stage or an unmet requirement."""


class Pipeline:
    def __init__(self, names: Iterable[str] = DEFAULT_STAGES) -> None:
        known = registry()
        self.stages: list[Stage] = []
        assigned: set[str] = set()
        for name in names:
            if name not in known:
                raise PipelineError(f"unknown stage {name!r}; known: {', '.join(known)}")
            st = known[name]
            missing = [r for r in st.requires if r not in assigned]
            if missing:
                raise PipelineError(f"stage {st.id} requires {', '.join(missing)}, which no "
                                    "earlier stage assigns")
            self.stages.append(st)
            assigned.update(st.assigns)

    @property
    def ids(self) -> list[str]:
        return [s.id for s in self.stages]

    def __call__(self, target: Segment | Document) -> Segment | Document:
        """Run every stage over one segment, or over every segment of one document."""
        units = target.units() if isinstance(target, Document) else [target]
        if isinstance(target, Document):
            target.adopt()
        for st in self.stages:
            try:
                st.run(units)
            except Exception as exc:  # noqa: BLE001 - reported with the stage's name
                raise StageError(st.id, exc) from exc
            for unit in units:
                unit.done.append(st.id)
        return target

    def pipe(self, docs: Iterable[Document], batch_size: int = DEFAULT_BATCH_SIZE
             ) -> Iterator[Document | StageError]:
        """Stream documents through, `batch_size` at a time, each stage over a whole batch.

        Output keeps input order; a document that makes a stage fail yields its error and the
        rest of its batch goes on.
        """
        stream = iter(docs)
        while batch := list(islice(stream, max(1, batch_size))):
            yield from self._batch(batch)

    def _batch(self, batch: list[Document]) -> list[Document | StageError]:
        for doc in batch:
            doc.adopt()
        failed: dict[int, StageError] = {}
        for st in self.stages:
            alive = [d for d in batch if id(d) not in failed]
            units = [u for d in alive for u in d.units()]
            try:
                st.run(units)
            except Exception:  # noqa: BLE001 - find the document that fails, alone
                for doc in alive:
                    for unit in doc.units():
                        unit.done = [i for i in unit.done if i != st.id]
                    try:
                        st.run(doc.units())
                    except Exception as exc:  # noqa: BLE001
                        failed[id(doc)] = StageError(st.id, exc, doc.url or doc.body.id)
            for doc in alive:
                if id(doc) in failed:
                    continue
                for unit in doc.units():
                    unit.done.append(st.id)
        return [failed.get(id(d), d) for d in batch]
