"""Fixtures of the web tests: a store filled through the real pipeline, real servers.

Everything goes through the `db_file` fixture's value as a string (`open_store(str(db_file))`,
`create_app(str(db_file))`), so the tests run against whichever store it names.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from rightsrecord.demo import corpus_dir
from rightsrecord.store import open_store
from tests.conftest import STORES, free_port

# A slice of the demo corpus, quicker to extract than all of it: five Kazakhstan stories and
# the Kyrgyzstan country page (a listing with summaries and dated entries, untitled, read
# from a local file).
DEMO_SLICE = (
    "text/steppe_2014-10-28_poster_ruling.txt",
    "news/desk_2014-10-29_poster_damages.html",
    "news/steppe_2015-02-27_almaty_appeal_media_closure.html",
    "text/caspian_2015-02-27_outlet_closure.txt",
    "news/caspian_2024-08-08_comedian_merkul.html",
    "listing/kyrgyzstan_country_page.txt",
)
KZ_TITLE = "Court penalises advertisers over poster of two men kissing"


@pytest.fixture(scope="session")
def pipeline() -> Any:
    """One extraction pipeline for the session: its models load once."""
    from rightsrecord.extract.pipeline import Pipeline

    return Pipeline()


@pytest.fixture
def fill(db_file: Path, pipeline: Any) -> Callable[..., list[Any]]:
    """Read, extract and store files the way `rightsrecord ingest` does."""
    from rightsrecord.ingest.pipeline import read
    from rightsrecord.process import process

    def run(*paths: str | Path) -> list[Any]:
        with open_store(str(db_file)) as store:
            outcomes = list(process(read([str(p) for p in paths]), store, pipeline=pipeline))
        rejected = [o.line() for o in outcomes if o.status == "rejected"]
        assert not rejected, rejected
        return outcomes

    return run


@pytest.fixture
def demo(web_server: str, fill: Callable[..., list[Any]]) -> str:
    """The server, over a store holding the demo slice; yields the server's base URL."""
    fill(*(corpus_dir() / p for p in DEMO_SLICE))
    return web_server


NEWS = ("Court jails activist\n2015-02-27\n\nPolice in Almaty detained opposition leader "
        "Vladimir Kozlov on Thursday. A court later sentenced Kozlov to seven years in prison.")


@pytest.fixture
def story(web_server: str, fill: Callable[..., list[Any]], tmp_path: Path) -> tuple[str, int]:
    """The server, over a store holding one short Kazakhstan story: (base URL, its id)."""
    path = tmp_path / "story.txt"
    path.write_text(NEWS, encoding="utf-8")
    return web_server, int(fill(path)[0].document_id)


@pytest.fixture(scope="module", params=STORES)
def demo_site(request: pytest.FixtureRequest,
              tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The server over a store holding the whole demo corpus, loaded by `rightsrecord demo`;
    one per module and kind of store, for tests that only read. Yields its base URL."""
    from rightsrecord.cli import main
    from rightsrecord.web.app import create_app

    pg = None
    if request.param == "sqlite":
        db = str(tmp_path_factory.mktemp("demo") / "store.db")
    else:
        pg = request.getfixturevalue("pg_server")
        name = f"t_demo_{uuid.uuid4().hex}"
        db = pg.create_database(name, template=request.getfixturevalue("pg_template"))
    assert main(["demo", "--db", db]) == 0
    with serve(create_app(db)) as url:
        yield url
    if pg is not None:
        pg.drop_database(name)


@contextmanager
def serve(app: Any) -> Iterator[str]:
    """Serve an ASGI app with uvicorn on loopback; yields its base URL."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="critical"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
