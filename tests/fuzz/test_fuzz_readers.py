"""Hostile inputs for every reader, through `extract` and `ingest` as users run them.

For every input: nothing escapes the command (exit status 0, or 1 when something was
rejected), exactly one outcome line, no secret read from a file the input only names, no
script in the record's text. The default suite runs a short, deterministic sample of each
reader; the long run reaches 100,000 inputs and prints the counts at the end:

    .venv/bin/python -m pytest -m slow tests/fuzz -s
    RIGHTSRECORD_FUZZ_INPUTS=1000000 RIGHTSRECORD_FUZZ_DIR=/tmp/fuzz .venv/bin/python -m pytest \
        -m slow tests/fuzz -s

RIGHTSRECORD_FUZZ_INPUTS sets the number of inputs (all through extract),
RIGHTSRECORD_FUZZ_INGEST_SHARE the share that also goes through ingest (default 0.4),
RIGHTSRECORD_FUZZ_SEED a seed for a repeatable long run, RIGHTSRECORD_FUZZ_DIR where the
inputs (and any failing input's bytes) are kept.
"""

from __future__ import annotations

import math
import os
import resource
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from tests.fuzz.generators import READERS, SHARES, FuzzInput
from tests.fuzz.harness import FuzzRun

FAILURES = ("crash", "miscount", "stray-output", "leak", "markup")
MEMORY_HEADROOM = 3 << 30  # an input that reads without bound fails, not the machine


@pytest.fixture(autouse=True)
def bounded_memory() -> Iterator[None]:
    """Address space capped a few GB above what the process holds, for the fuzz run only."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    with open("/proc/self/statm") as fh:
        held = int(fh.read().split()[0]) * resource.getpagesize()
    cap = held + MEMORY_HEADROOM
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def feed_run(run: FuzzRun, strategy: st.SearchStrategy[FuzzInput], examples: int,
             derandomize: bool, fixed_seed: int | None = None) -> None:
    """Hypothesis draws `examples` inputs into the run; each batch runs as it fills."""

    @settings(max_examples=examples, derandomize=derandomize, database=None, deadline=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(strategy)
    def draw(item: FuzzInput) -> None:
        run.add(item)

    if fixed_seed is not None and not derandomize:
        draw = seed(fixed_seed)(draw)
    draw()


def report(run: FuzzRun, capsys: pytest.CaptureFixture[str]) -> list[str]:
    lines = run.finish()
    with capsys.disabled():
        print("\n" + "\n".join(lines))
    return lines


def failures(run: FuzzRun, kinds: tuple[str, ...]) -> str:
    return "\n\n".join(f.describe() for f in run.findings if f.kind in kinds)


@pytest.mark.parametrize("reader", sorted(READERS))
def test_hostile_inputs_of_each_reader(reader: str, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    """25 inputs of one reader through extract and ingest: one outcome each, no crash."""
    run = FuzzRun(tmp_path, batch=25, ingest_share=1.0)
    feed_run(run, READERS[reader](), examples=25, derandomize=True)
    lines = report(run, capsys)
    assert run.tally.inputs == 25, lines
    assert run.tally.per_reader[reader] == 25
    assert not failures(run, FAILURES), failures(run, FAILURES)


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.isdigit() else default


@pytest.mark.slow
def test_hundred_thousand_hostile_inputs(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    """The long run: RIGHTSRECORD_FUZZ_INPUTS inputs (default 100,000) across every reader,
    all through extract and a share through ingest; no crash, no hang, no input over 30 s."""
    total = _env_int("RIGHTSRECORD_FUZZ_INPUTS", 100_000)
    share = float(os.environ.get("RIGHTSRECORD_FUZZ_INGEST_SHARE", "0.4"))
    fixed_seed = os.environ.get("RIGHTSRECORD_FUZZ_SEED")
    root = Path(os.environ.get("RIGHTSRECORD_FUZZ_DIR") or tmp_path)
    run = FuzzRun(root, batch=200, ingest_share=share)
    whole = sum(SHARES.values())
    for reader in sorted(READERS):
        feed_run(run, READERS[reader](), examples=math.ceil(total * SHARES[reader] / whole),
                 derandomize=False, fixed_seed=int(fixed_seed) if fixed_seed else None)
        run.flush()
    lines = report(run, capsys)
    assert run.tally.inputs >= total, lines
    assert not failures(run, (*FAILURES, "hang")), failures(run, (*FAILURES, "hang"))
    assert run.tally.max_seconds <= run.seconds, lines
