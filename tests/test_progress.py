"""Progress bars: drawn on standard error when it is a terminal (a real pseudo-terminal here),
never in a pipe, and never on standard output."""

from __future__ import annotations

import io
import json
import os
import struct
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from rightsrecord.progress import counter, progress

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")

TEXT = ("Police in Almaty detained the journalist Aigul Nurlanova on 3 March 2024 after she "
        "reported on protest number {n} in Kazakhstan.")


def _terminal() -> tuple[int, int]:
    """A pseudo-terminal 100 columns wide: (master, slave)."""
    import fcntl
    import termios

    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    return master, slave


def _drain(fd: int, into: list[bytes]) -> None:
    while True:
        try:
            data = os.read(fd, 4096)
        except OSError:  # the terminal's other end is closed
            return
        if not data:
            return
        into.append(data)


def _run(*args: str, terminal: bool) -> tuple[str, str]:
    """Run the real command with standard output in a pipe and standard error on a terminal
    or in a pipe: (stdout, stderr)."""
    cmd = [sys.executable, "-m", "rightsrecord", *args]
    if not terminal:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=300,
                              stdin=subprocess.DEVNULL)
        assert done.returncode == 0, done.stderr
        return done.stdout, done.stderr
    master, slave = _terminal()
    chunks: list[bytes] = []
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=slave,
                          stdin=subprocess.DEVNULL) as proc:
        os.close(slave)
        reader = threading.Thread(target=_drain, args=(master, chunks))
        reader.start()
        out, _ = proc.communicate(timeout=300)
        reader.join(timeout=60)
    os.close(master)
    err = b"".join(chunks).decode("utf-8", "replace")
    assert proc.returncode == 0, err
    return out.decode("utf-8"), err


def _rate(unit: str, shown: str) -> bool:
    """Whether a bar shows a rate: so many a second, or (when slow) seconds for each."""
    return f"{unit}/s" in shown or f"s/{unit}" in shown


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    for n in range(1, 4):
        (folder / f"d{n}.txt").write_text(TEXT.format(n=n), encoding="utf-8")
    return folder


def test_off_a_terminal_the_iterable_comes_back_untouched():
    items = [1, 2, 3]
    assert progress(items, 3, "work", file=io.StringIO()) is items
    with counter(3, "work", file=io.StringIO()) as bar:
        bar.update(3)  # counts nothing, draws nothing


def test_on_a_terminal_a_bar_counts_with_rate_and_time_left():
    master, slave = _terminal()
    with os.fdopen(slave, "w") as screen:
        assert list(progress(range(4), 4, "work", "item", file=screen)) == [0, 1, 2, 3]
        with counter(None, "more", "item", file=screen) as bar:
            bar.update(5)
    chunks: list[bytes] = []
    _drain(master, chunks)
    os.close(master)
    shown = b"".join(chunks).decode("utf-8", "replace")
    assert "work: 100%" in shown and "4/4" in shown and "item/s" in shown
    assert "<00:00" in shown  # the time left, where the total is known
    assert "more: 5item" in shown  # no total: the count and the rate


def test_long_commands_draw_a_bar_on_a_terminal_and_keep_stdout_for_results(tmp_path, docs):
    db = str(tmp_path / "store.db")
    out, err = _run("--db", db, "ingest", str(docs), "--format", "jsonl", terminal=True)
    lines = out.splitlines()
    assert [json.loads(line)["status"] for line in lines] == ["stored"] * 3
    assert "ingest: 100%" in err and "3/3" in err and _rate("input", err)
    assert "%|" not in out and "\r" not in out

    out, err = _run("--db", db, "annotate", terminal=True)
    assert out.startswith("3 versions re-annotated")
    assert "annotate: 100%" in err and "3/3" in err and _rate("version", err)

    out, err = _run("--db", db, "link", "all", terminal=True)
    assert out == "linked 3 documents again; corrections kept\n"
    assert "link: 100%" in err and "3/3" in err


def test_long_commands_draw_nothing_in_a_pipe(tmp_path, docs):
    db = str(tmp_path / "store.db")
    out, err = _run("--db", db, "ingest", str(docs), "--format", "jsonl", terminal=False)
    assert len(out.splitlines()) == 3 and err == ""
    out, err = _run("--db", db, "annotate", terminal=False)
    assert out.startswith("3 versions re-annotated") and err == ""
    out, err = _run("--db", db, "link", "all", terminal=False)
    assert out == "linked 3 documents again; corrections kept\n" and err == ""
