"""The extraction pipeline: stages registered by name and version, run in order over batches.

A stage is a function over one `Segment` (and, where the work batches, a function over a
list of them). It declares what it requires and what it assigns, so a pipeline is checked
before it runs, and any stage runs alone over a segment that has what it requires. An error
names the stage that raised it. The built-in stages are a plain table in `stages.py`, read
when first needed, so nothing depends on what was imported before; `stage()` registers
more (plugins, tests) on top of them.

`requires` is complete: it names every fact field (`FACTS`) the stage reads, of its own
segment or of any other segment of its document (an item's country falls back to its body's).
The one exception is a stage's own assigns on the body, which it assigns before the
document's other segments. The segment's given fields (text, title, published, kind, date,
year, url, parent) are always there. tests/extract/test_stage_inputs.py proves each built-in
stage's declaration by running it with every undeclared fact sealed.

Each document runs under a `Budget` (see `budget.py`): a bound on the characters and the
items a stage reads and on the seconds its stages take, so that no document stalls a batch.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

from ..document import Document, Segment
from .budget import Budget, BudgetError, DocumentRun

StageFn = Callable[[Segment], None]
BatchFn = Callable[[list[Segment]], None]
DEFAULT_STAGES = ("sentences", "dates", "places", "themes", "actors", "events")
DEFAULT_BATCH_SIZE = 32
# The Segment fields the stages fill: what `requires` and `assigns` name.
FACTS = ("sentences", "dates", "places", "countries", "themes", "actors", "events")


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
          assigns: tuple[str, ...] = (), batch: BatchFn | None = None
          ) -> Callable[[StageFn], StageFn]:
    """Register a stage function under `name`, over the built-ins (with `batch`, the same
    work over many segments at once)."""

    def register(fn: StageFn) -> StageFn:
        _EXTRA[name] = Stage(name, version, requires, assigns, fn, batch)
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


def with_inputs(names: Iterable[str]) -> list[str]:
    """The named stages and every stage they need, transitively, in registry order: a
    runnable pipeline for those stages alone. Each input comes from the first registered
    stage that assigns it."""
    known = registry()
    wanted: set[str] = set()
    todo = list(names)
    while todo:
        name = todo.pop()
        if name in wanted:
            continue
        if name not in known:
            raise PipelineError(f"unknown stage {name!r}; known: {', '.join(known)}")
        wanted.add(name)
        for field in known[name].requires:
            todo.extend(_providers(known, field, name)[:1])
    return [n for n in known if n in wanted]


def _providers(known: dict[str, Stage], field: str, besides: str) -> list[str]:
    return [n for n, st in known.items() if field in st.assigns and n != besides]


class StageError(Exception):
    def __init__(self, stage_id: str, cause: BaseException, label: str | None = None) -> None:
        super().__init__(f"stage {stage_id} failed: {cause.__class__.__name__}: {cause}")
        self.stage_id = stage_id
        self.label = label


class PipelineError(ValueError):
    """A pipeline that cannot run: an unknown stage, an unmet requirement or a bad budget."""


class Pipeline:
    def __init__(self, names: Iterable[str] = DEFAULT_STAGES, budget: Budget | None = None
                 ) -> None:
        """Check the stages in order, each against what the stages before it assign, and
        take the budget from the environment unless one is given; raises PipelineError."""
        known = registry()
        self.stages: list[Stage] = []
        assigned: set[str] = set()
        for name in names:
            if name not in known:
                raise PipelineError(f"unknown stage {name!r}; known: {', '.join(known)}")
            st = known[name]
            missing = [r for r in st.requires if r not in assigned]
            if missing:
                raise PipelineError(_unmet(known, st, missing))
            self.stages.append(st)
            assigned.update(st.assigns)
        try:
            self.budget = budget or Budget.from_env()
        except BudgetError as exc:
            raise PipelineError(str(exc)) from None

    @property
    def ids(self) -> list[str]:
        return [s.id for s in self.stages]

    def __call__(self, target: Segment | Document) -> Segment | Document:
        """Run every stage over one segment, or over every segment of one document (under
        the budget); raises StageError."""
        if isinstance(target, Document):
            (result,) = self._batch([target])
            if isinstance(result, StageError):
                raise result
            return result
        for st in self.stages:
            try:
                st.run([target])
            except Exception as exc:  # noqa: BLE001 - reported with the stage's name
                raise StageError(st.id, exc) from exc
            target.done.append(st.id)
        return target

    def pipe(self, docs: Iterable[Document], batch_size: int = DEFAULT_BATCH_SIZE
             ) -> Iterator[Document | StageError]:
        """Stream documents through, `batch_size` at a time, each stage over a whole batch.

        Output keeps input order; a document that makes a stage fail yields its error, and one
        that spends its budget yields what its stages gave so far, with a note; the rest of
        its batch goes on.
        """
        stream = iter(docs)
        while batch := list(islice(stream, max(1, batch_size))):
            yield from self._batch(batch)

    def _batch(self, batch: list[Document]) -> list[Document | StageError]:
        runs = [DocumentRun(doc, self.budget) for doc in batch]
        failed: dict[int, StageError] = {}
        try:
            for i, st in enumerate(self.stages):
                alive = [r for r in runs if id(r) not in failed and not r.stopped]
                self._stage(st, alive, failed)
                for r in alive:
                    if id(r) in failed:
                        continue
                    for unit in r.units:
                        unit.done.append(st.id)
                    if r.over() and i + 1 < len(self.stages):
                        r.stop(st.id, self.ids[i + 1:])
        finally:
            for r in runs:
                r.close()
        return [failed.get(id(r), r.doc) for r in runs]

    def _stage(self, st: Stage, runs: list[DocumentRun], failed: dict[int, StageError]
               ) -> None:
        """One stage over the batch: a batching stage over all of it at once (its time shared
        by size), else document by document; a document that fails is recorded in `failed`."""
        clock = self.budget.clock
        if st.batch is not None and sum(len(r.units) for r in runs) > 1:
            start = clock()
            try:
                st.run([u for r in runs for u in r.units])
            except Exception:  # noqa: BLE001 - find the document that fails, alone
                pass
            else:
                total = sum(r.size for r in runs) or 1
                elapsed = clock() - start
                for r in runs:
                    r.charge(elapsed * r.size / total)
                return
        for r in runs:
            start = clock()
            try:
                st.run(r.units)
            except Exception as exc:  # noqa: BLE001 - reported with the stage's name
                failed[id(r)] = StageError(st.id, exc, r.doc.url or r.doc.body.id)
            r.charge(clock() - start)


def _unmet(known: dict[str, Stage], st: Stage, missing: list[str]) -> str:
    """Which inputs of `st` no earlier stage assigns, and which stages would."""
    by = dict.fromkeys(p for f in missing for p in _providers(known, f, st.name)[:1])
    hint = f" (run {', '.join(by)} before {st.name})" if by else ""
    return f"stage {st.id} requires {', '.join(missing)}, which no earlier stage assigns{hint}"
