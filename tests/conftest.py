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
from rightsrecord.store import SQLStore, open_store

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEED = SHARED / "seeds" / "000_e7e29ee509473792.txt"


@pytest.fixture
def seed_path() -> Path:
    if not SEED.exists():
        pytest.skip(f"../shared is absent: the seed page {SEED} is needed for this test")
    return SEED


STORES = ("sqlite", "postgresql")


@pytest.fixture(params=STORES)
def db_file(request: pytest.FixtureRequest, tmp_path: Path) -> Path | str:
    """The store every store-using test runs against, once per kind: a SQLite file, and a
    fresh database on a real PostgreSQL server started for the session."""
    if request.param == "sqlite":
        return tmp_path / "store.db"
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
def sqlite_file(tmp_path: Path) -> Path:
    """For the few tests of what only SQLite has (its file, its pragmas, its migrations)."""
    return tmp_path / "store.db"


@pytest.fixture
def store(db_file: Path | str) -> Iterator[SQLStore]:
    with open_store(str(db_file)) as s:
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

    open_store(str(db_file)).close()
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


# ---------------------------------------------------------------- PostgreSQL

PG_ENV = "RIGHTSRECORD_TEST_PG"


@pytest.fixture(scope="session")
def pg_server(tmp_path_factory: pytest.TempPathFactory):
    """A real PostgreSQL server for the session: `.url` and `.create_database(name, template)`.

    RIGHTSRECORD_TEST_PG (a server URL, e.g. postgresql://postgres@127.0.0.1:5432/postgres)
    names one already running, as .ci/run starts; otherwise a throwaway server is started
    from the installed binaries (tests/pg_server.py), or the test is skipped without them.
    """
    import os

    from tests.pg_server import PgCluster, PgServerError, find_bindir, start_server

    url = os.environ.get(PG_ENV)
    if url:
        cluster = PgCluster(url)
        try:
            cluster.check()
        except PgServerError as exc:
            pytest.fail(f"{PG_ENV} is set but unusable: {exc}", pytrace=False)
        yield cluster
        return
    if find_bindir() is None:
        pytest.skip("PostgreSQL 15 binaries not found: apt-get install postgresql")
    server = start_server(tmp_path_factory.mktemp("pg"))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def pg_template(pg_server) -> Iterator[str]:
    """The database each `pg_url` database is copied from: one with the store's schema
    already migrated, so a test's fresh database costs a copy, not a migration."""
    import os

    from rightsrecord.store.postgres import PostgresStore

    name = f"rr_template_{os.getpid()}"  # one per test run: runs may share a server
    pg_server.drop_database(name)
    url = pg_server.create_database(name)
    PostgresStore(url).close()
    yield name
    pg_server.drop_database(name)


@pytest.fixture
def pg_url(pg_server, pg_template: str | None) -> Iterator[str]:
    """A fresh, uniquely named database for this test; yields its URL, drops it after."""
    import contextlib
    import uuid

    name = f"t_{uuid.uuid4().hex}"
    yield pg_server.create_database(name, template=pg_template)
    with contextlib.suppress(Exception):
        pg_server.drop_database(name)
