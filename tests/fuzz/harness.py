"""Generated inputs through what users run: `rightsrecord extract` and `rightsrecord ingest`.

Inputs are written as real files, many to a folder, and each folder goes through the real
command in-process (`rightsrecord.cli.main`, `--format jsonl`, a real SQLite store for
ingest). A call must end with exit status 0 or 1 (1: something was rejected) and print
exactly one outcome line per input; nothing may escape it. Every input goes through
extract, a share of the folders through ingest too.

Time per input is the gap between one outcome line and the one before it: an upper bound,
as the stages run over a batch of inputs before its lines are printed. A watchdog
(faulthandler) prints every thread's stack when no line has come for `seconds`.

When a call fails, its inputs are run one at a time to find the one that fails, and the
input's bytes are kept with the command and what went wrong.
"""

from __future__ import annotations

import faulthandler
import io
import json
import logging
import re
import sys
import time
import traceback
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from rightsrecord.cli import main
from tests.fuzz.generators import CANARY, FuzzInput

MAX_BYTES = 2_000_000  # --max-bytes for every call: also the bound on decompressed data
SCRIPT = re.compile(r"<\s*script|javascript\s*:", re.IGNORECASE)


class LineClock(io.TextIOBase):
    """A text stream that keeps its lines and the time each one ended; each line re-arms
    the watchdog."""

    def __init__(self, stamps: list[float], seconds: float) -> None:
        self.lines: list[str] = []
        self._part = ""
        self._stamps, self._seconds = stamps, seconds

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self._part += text
        while "\n" in self._part:
            line, self._part = self._part.split("\n", 1)
            self.lines.append(line)
            self._stamps.append(time.perf_counter())
            faulthandler.dump_traceback_later(self._seconds, repeat=True, file=sys.__stderr__)
        return len(text)

    def close_lines(self) -> list[str]:
        if self._part:
            self.lines.append(self._part)
            self._part = ""
        return self.lines


@dataclass
class Call:
    argv: list[str]
    expected: int
    code: int | None = None
    error: str | None = None  # the traceback of an exception that escaped the command
    out: list[str] = field(default_factory=list)
    err: list[str] = field(default_factory=list)
    seconds: float = 0.0  # the longest gap between outcome lines
    total: float = 0.0


@dataclass
class Finding:
    kind: str  # crash | miscount | stray-output | hang | leak | markup | slow-batch
    path: str  # extract | ingest
    detail: str
    argv: list[str]
    input: FuzzInput | None = None
    saved: Path | None = None

    def describe(self) -> str:
        what = (f"{self.input.reader} input {self.saved} ({len(self.input.data):,} bytes)"
                if self.input else "a batch (not reproduced by any one of its inputs alone)")
        argv = self.argv if len(self.argv) < 12 else [*self.argv[:3], "...", *self.argv[-6:]]
        return (f"{self.kind} in {self.path}: {what}\n  command: rightsrecord "
                f"{' '.join(argv)}\n  " + self.detail.strip().replace("\n", "\n  "))


def run_main(argv: list[str], expected: int, seconds: float) -> Call:
    """The real command in-process, its output lines timed."""
    call = Call(argv, expected)
    stamps: list[float] = []
    out, err = LineClock(stamps, seconds), LineClock(stamps, seconds)
    saved = sys.stdout, sys.stderr
    # Logging as a user's run has it, set up by no one: a library's warning goes to standard
    # error (logging's last resort), where it must not be, not to the test runner's handlers.
    handlers, logging.root.handlers = logging.root.handlers, []
    start = time.perf_counter()
    faulthandler.dump_traceback_later(seconds, repeat=True, file=sys.__stderr__)
    sys.stdout, sys.stderr = out, err
    try:
        call.code = int(main(argv))
    except SystemExit as exc:
        call.code = exc.code if isinstance(exc.code, int) else 2
    except Exception:  # what the property is about: nothing may escape the command
        call.error = traceback.format_exc()
    finally:
        sys.stdout, sys.stderr = saved
        logging.root.handlers = handlers
        faulthandler.cancel_dump_traceback_later()
    end = time.perf_counter()
    call.out, call.err = out.close_lines(), err.close_lines()
    marks = [start, *sorted(stamps)]
    call.seconds = max((b - a for a, b in zip(marks, marks[1:], strict=False)), default=0.0)
    call.total = end - start
    return call


@dataclass
class Tally:
    inputs: int = 0
    per_reader: Counter = field(default_factory=Counter)
    extracted: int = 0  # inputs through extract
    ingested: int = 0  # inputs through ingest
    extract_records: int = 0
    extract_rejected: int = 0
    ingest_status: Counter = field(default_factory=Counter)
    max_seconds: float = 0.0
    calls: int = 0
    elapsed: float = 0.0
    seconds: Counter = field(default_factory=Counter)  # per path, and per reader and path

    def charge(self, path: str, batch: list[FuzzInput], seconds: float) -> None:
        """A call's time, to its path and to its readers by their share of its inputs."""
        self.seconds[path] += seconds
        for reader, n in Counter(i.reader for i in batch).items():
            self.seconds[f"{reader} {path}"] += seconds * n / len(batch)

    def lines(self) -> list[str]:
        readers = ", ".join(f"{k} {v}" for k, v in sorted(self.per_reader.items()))
        status = ", ".join(f"{k} {v}" for k, v in sorted(self.ingest_status.items()))
        rate = self.inputs / self.elapsed if self.elapsed else 0.0
        return [
            f"inputs: {self.inputs} ({readers})",
            f"extract: {self.extracted} inputs, {self.extract_records} records, "
            f"{self.extract_rejected} rejected",
            f"ingest: {self.ingested} inputs: {status or 'none'}",
            f"max seconds per input (upper bound): {self.max_seconds:.2f}; "
            f"{self.calls} calls in {self.elapsed:.0f} s ({rate:.1f} inputs/s)",
            "seconds: " + ", ".join(f"{k} {v:.0f}" for k, v in sorted(self.seconds.items())),
        ]


class FuzzRun:
    """Collects generated inputs and runs them, `batch` at a time, through extract (all) and
    ingest (`ingest_share` of the batches)."""

    def __init__(self, root: Path, batch: int = 100, ingest_share: float = 0.5,
                 seconds: float = 30.0, rotate_every: int = 25, isolate_at_most: int = 10
                 ) -> None:
        self.root = root
        self.batch, self.ingest_share, self.seconds = batch, ingest_share, seconds
        self.rotate_every, self.isolate_left = rotate_every, isolate_at_most
        self.pending: list[FuzzInput] = []
        self.tally = Tally()
        self.findings: list[Finding] = []
        self.hangs = 0
        self._batches = 0
        self._ingests = 0
        self._db: Path | None = None
        self.secret = f"canary-{uuid.uuid4().hex}"
        self.canary = root / "canary.xml"
        root.mkdir(parents=True, exist_ok=True)
        # A feed whose entry is the secret: read as a feed or as text, it would show.
        self.canary.write_text(
            f"<rss version=\"2.0\"><channel><title>{self.secret}</title><item><title>"
            f"{self.secret}</title><description>{self.secret}</description></item>"
            "</channel></rss>")
        self._started = time.perf_counter()

    # ---------------------------------------------------------------- public

    def add(self, item: FuzzInput) -> None:
        self.pending.append(item)
        if len(self.pending) >= self.batch:
            self.flush()

    def flush(self) -> None:
        batch, self.pending = self.pending, []
        if not batch:
            return
        self._batches += 1
        self.tally.inputs += len(batch)
        self.tally.per_reader.update(i.reader for i in batch)
        folder = self.root / f"batch{self._batches:05d}"
        self._run(batch, folder, "extract")
        self.tally.extracted += len(batch)
        if int(self._batches * self.ingest_share) > int((self._batches - 1) * self.ingest_share):
            self._run(batch, folder, "ingest")
            self.tally.ingested += len(batch)
        self.tally.elapsed = time.perf_counter() - self._started

    def finish(self) -> list[str]:
        self.flush()
        self._check_store()
        self.tally.elapsed = time.perf_counter() - self._started
        kinds = Counter(f.kind for f in self.findings)
        return [*self.tally.lines(), f"crashes: {kinds['crash']}; hangs: {self.hangs}; "
                f"miscounts: {kinds['miscount']}; stray output: {kinds['stray-output']}; "
                f"leaks: {kinds['leak']}; markup: {kinds['markup']}; findings: "
                f"{len(self.findings)}", *self.summary()]

    def summary(self) -> list[str]:
        """The findings, alike ones (kind, path, first line of detail) once, with a count."""
        groups: dict[tuple[str, str, str], list[Finding]] = {}
        for f in self.findings:
            groups.setdefault((f.kind, f.path, f.detail.strip().split("\n")[0]), []).append(f)
        return [f"{len(found)} x {found[0].describe()}" for found in groups.values()]

    # ---------------------------------------------------------------- calls

    def _write(self, batch: list[FuzzInput], folder: Path) -> tuple[list[str], int, str | None]:
        """Write the batch's files: (document paths, JSON lines written, the JSONL file)."""
        folder.mkdir(parents=True, exist_ok=True)
        canary = str(self.canary).encode()
        paths = []
        lines = []
        for n, item in enumerate(batch):
            data = item.data.replace(CANARY.encode(), canary)
            if item.reader == "jsonl":
                lines.append(data)
                continue
            path = folder / f"{n:04d}{item.suffix}"
            path.write_bytes(data)
            paths.append(str(path))
        jsonl = None
        if lines:
            jsonl = str(folder / "lines.jsonl")
            Path(jsonl).write_bytes(b"\n".join(lines) + b"\n")
        # Lines that are blank once decoded are skipped, as documented, and give no outcome.
        expected = sum(bool(ln.decode("utf-8", "replace").strip()) for ln in lines)
        return paths, expected, jsonl

    def _argv(self, path: str, targets: list[str], jsonl: bool, db: Path | None = None
              ) -> list[str]:
        argv = [path, *targets, "--max-bytes", str(MAX_BYTES)]
        argv += ["--input-format", "jsonl"] if jsonl else []
        argv += ["--format", "jsonl"]
        if path == "ingest":
            argv += ["--db", str(db or self._store())]
        return argv

    def _store(self) -> Path:
        """The store ingest writes to: a fresh one every `rotate_every` ingest calls."""
        db = self.root / f"store{self._ingests // self.rotate_every:04d}.db"
        if db != self._db:
            self._check_store()
            self._db = db
        return db

    def _run(self, batch: list[FuzzInput], folder: Path, path: str) -> None:
        paths, lines, jsonl = self._write(batch, folder)
        if path == "ingest":
            self._ingests += 1
        for targets, expected, is_jsonl in ((paths, len(paths), False),
                                             ([jsonl] if jsonl else [], lines, True)):
            if not targets:
                continue
            call = run_main(self._argv(path, targets, is_jsonl), expected, self.seconds)
            self.tally.calls += 1
            self.tally.charge(path, [i for i in batch if (i.reader == "jsonl") == is_jsonl],
                              call.total)
            problems = self._check(call, path)
            if problems:
                self._isolate(batch, path, is_jsonl, problems, call)
            else:
                self.tally.max_seconds = max(self.tally.max_seconds, call.seconds)

    def _check(self, call: Call, path: str) -> list[tuple[str, str]]:
        """What is wrong with a call, as (kind, detail) pairs; counts what is right."""
        problems: list[tuple[str, str]] = []
        if call.seconds > self.seconds:
            problems.append(("hang", f"{call.seconds:.1f} s without an outcome line"))
        if call.error:
            problems.append(("crash", call.error.strip().splitlines()[-1] + "\n" + call.error))
        elif call.code not in (0, 1):
            problems.append(("crash", f"exit status {call.code}: {' | '.join(call.err[-3:])}"))
        if path == "extract":
            outcomes = len(call.out) + sum(ln.startswith("rejected ") for ln in call.err)
            stray = [ln for ln in call.err if not ln.startswith("rejected ")]
            self.tally.extract_records += len(call.out)
            self.tally.extract_rejected += outcomes - len(call.out)
        else:
            outcomes = len(call.out)
            stray = call.err
            for ln in call.out:
                try:
                    self.tally.ingest_status[json.loads(ln)["status"]] += 1
                except (ValueError, KeyError, TypeError):
                    problems.append(("stray-output", f"not an outcome line: {ln[:300]!r}"))
        if not call.error and outcomes != call.expected:
            problems.append(("miscount", f"{outcomes} outcome lines for {call.expected} inputs"))
        if stray:
            problems.append(("stray-output", "\n".join(repr(s[:300]) for s in stray[:5])))
        printed = "\n".join(call.out + call.err)
        if self.secret in printed:
            problems.append(("leak", "the canary file's secret was printed"))
        if path == "extract":
            marked = [m for m in (_markup(ln) for ln in call.out) if m]
            if marked:
                problems.append(("markup", f"record text holds {marked[0]!r}"))
        return problems

    def _isolate(self, batch: list[FuzzInput], path: str, is_jsonl: bool,
                 problems: list[tuple[str, str]], call: Call) -> None:
        """Find the inputs of a failed call that fail alone; keep them as findings. A batch
        slow as a whole (its gaps cover the stages' batches) whose inputs are each quick
        alone is no hang."""
        if self.isolate_left <= 0:
            self.hangs += any(k == "hang" for k, _ in problems)
            self.tally.max_seconds = max(self.tally.max_seconds, call.seconds)
            self.findings.extend(Finding(k, path, d, call.argv) for k, d in problems)
            return
        self.isolate_left -= 1
        found = False
        for n, item in enumerate(batch):
            if (item.reader == "jsonl") != is_jsonl:
                continue
            folder = self.root / "alone" / f"{self._batches:05d}-{path}-{n:04d}"
            paths, lines, jsonl = self._write([item], folder)
            targets = [jsonl] if is_jsonl and jsonl else paths
            if not targets:
                continue
            argv = self._argv(path, targets, is_jsonl, folder / "store.db")
            alone = run_main(argv, lines if is_jsonl else 1, self.seconds)
            self.tally.max_seconds = max(self.tally.max_seconds, alone.seconds)
            for kind, detail in self._check_alone(alone, path):
                found = True
                self.hangs += kind == "hang"
                self.findings.append(Finding(kind, path, detail, argv, item,
                                             Path(targets[0])))
        if not found:
            self.findings.extend(Finding("slow-batch" if k == "hang" else k, path, d, call.argv)
                                 for k, d in problems)

    def _check_alone(self, call: Call, path: str) -> list[tuple[str, str]]:
        saved = self.tally
        self.tally = Tally()  # a re-run is not counted twice
        try:
            return self._check(call, path)
        finally:
            self.tally = saved

    def _check_store(self) -> None:
        """The secret must not have been stored either."""
        if self._db is None:
            return
        for part in (self._db, Path(f"{self._db}-wal")):
            if part.exists() and self.secret.encode() in part.read_bytes():
                self.findings.append(Finding("leak", "ingest", f"the secret is in {part}",
                                             ["ingest", "...", "--db", str(self._db)]))


def _markup(line: str) -> str | None:
    """Script markup or a javascript: address in a record's text, title or items."""
    try:
        rec = json.loads(line)
    except ValueError:
        return None
    texts = [rec.get("text"), rec.get("title")]
    for part in [*rec.get("items", []), *rec.get("summaries", [])]:
        texts += [part.get("text"), part.get("title")]
    for text in texts:
        if isinstance(text, str) and (m := SCRIPT.search(text)):
            return text[max(0, m.start() - 40): m.end() + 40]
    return None
