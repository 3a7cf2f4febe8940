"""Shared fixtures: real SQLite files, the real CLI, real HTTP servers on loopback."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from rightsrecord.cli import main
from rightsrecord.store import SQLiteStore

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEED = SHARED / "seeds" / "000_e7e29ee509473792.txt"


@pytest.fixture
def seed_path() -> Path:
    if not SEED.exists():
        pytest.skip(f"../shared is absent: the seed page {SEED} is needed for this test")
    return SEED


@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    return tmp_path / "store.db"


@pytest.fixture
def store(db_file: Path) -> Iterator[SQLiteStore]:
    with SQLiteStore(db_file) as s:
        yield s


class CliResult:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err


@pytest.fixture
def cli(db_file: Path, capsys: pytest.CaptureFixture[str]) -> Callable[..., CliResult]:
    """Run the real `rightsrecord` command in-process against this test's store."""

    def run(*args: str, db: bool = True) -> CliResult:
        capsys.readouterr()
        argv = [*args, "--db", str(db_file)] if db else list(args)
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse exits for --help and usage errors
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def file_server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A real HTTP server on loopback serving a temporary folder: (base URL, folder)."""
    root = tmp_path / "www"
    root.mkdir()
    handler = partial(SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *a, **k: None  # type: ignore[attr-defined]
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", root
    server.shutdown()
    server.server_close()


@pytest.fixture
def web_server(db_file: Path) -> Iterator[str]:
    """The real web app served by uvicorn on loopback; yields its base URL."""
    import uvicorn

    from rightsrecord.web.app import create_app

    SQLiteStore(db_file).close()
    port = free_port()
    config = uvicorn.Config(create_app(str(db_file)), host="127.0.0.1", port=port,
                            log_level="error")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)
