"""What changed since a time: exactly what entered the record (a new document and what it
tells, a new version, a person's correction), newest first and paged; linking everything
again adds nothing. On SQLite and on a real PostgreSQL server, with the real pipeline and
the real `rightsrecord link` command."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from rightsrecord.demo import corpus_dir
from rightsrecord.ingest.pipeline import read
from rightsrecord.process import process
from rightsrecord.read.errors import Invalid, NotFound
from rightsrecord.record.changes import changes, parse_since
from rightsrecord.store import open_store
from rightsrecord.store.sql import now
from tests.web.conftest import DEMO_SLICE

NEW = ("Court fines journalist in Astana\n2025-03-20\n\nA court in Astana, Kazakhstan fined "
       "journalist Madina Zhaksylykova on March 3, 2025 over a post about local officials. "
       "Zhaksylykova said she would appeal.\n")
UPDATE = ("\nUpdate: the outlet's editor said on its website that the paper would keep "
          "publishing online.\n")


@pytest.fixture(scope="module")
def pipeline() -> Any:
    from rightsrecord.extract.pipeline import Pipeline

    return Pipeline()


@pytest.fixture
def ingest(db_file: Path | str, pipeline: Any) -> Callable[..., list[Any]]:
    """Read, extract, store and link files as `rightsrecord ingest` does."""
    def run(*paths: Path) -> list[Any]:
        with open_store(str(db_file)) as store:
            return list(process(read([str(p) for p in paths]), store, pipeline=pipeline))

    return run


def _next_second() -> str:
    """A time after everything stored so far: the store keeps its times to the second."""
    stamp = now()
    while now() == stamp:
        time.sleep(0.05)
    return now()


def _all(db_file: Path | str, since: str, limit: int = 1000) -> list[Any]:
    with open_store(str(db_file)) as store:
        return changes(store, "kz", since, limit=limit).changes


def _seen(found: list[Any]) -> list[tuple[str, str, int | None, str]]:
    """What a reader sees of each change, whatever ids linking gave the events."""
    return [(c.kind, c.at, c.document_id, c.title) for c in found]


def test_changes_since_lists_exactly_what_entered(db_file, ingest, cli, tmp_path) -> None:
    base = tmp_path / "base"
    base.mkdir()
    paths = [Path(shutil.copy(corpus_dir() / p, base / Path(p).name)) for p in DEMO_SLICE]
    ingest(*paths)
    since = _next_second()
    assert _all(db_file, since) == []

    new = tmp_path / "new.txt"
    new.write_text(NEW, encoding="utf-8")
    [added] = ingest(new)
    revised = base / "caspian_2015-02-27_outlet_closure.txt"
    revised.write_text(revised.read_text(encoding="utf-8") + UPDATE, encoding="utf-8")
    [version] = ingest(revised)
    assert (added.status, version.status) == ("stored", "new-version")
    with open_store(str(db_file)) as store:
        shared = [c for c in store.event_rows(country="KZ", limit=100).data if c.reports > 1]
        keys = store.cluster_keys(shared[0].id)
    split = cli("link", "split", keys[-1], "--note", "a different hearing")
    assert split.code == 0, split.out + split.err

    found = _all(db_file, since)
    kinds = [c.kind for c in found]
    assert [c.document_id for c in found if c.kind == "document"] == [added.document_id]
    assert [c.document_id for c in found if c.kind == "version"] == [version.document_id]
    assert kinds.count("correction") == 1  # one act, however many rows it wrote
    told = [c for c in found if c.kind in ("event", "report")]
    assert told and {c.document_id for c in told} == {added.document_id}
    assert "event" in kinds
    assert len(found) == 3 + len(told)
    assert [c.at for c in found] == sorted((c.at for c in found), reverse=True)
    assert all(c.at >= since for c in found)

    fine = next(c for c in told if c.kind == "event" and c.title)
    assert fine.source is not None and fine.source.document_id == added.document_id
    # the date the text states for the event, never the day it was published
    assert fine.when is not None and fine.when.basis == "stated"
    assert fine.when.date == "2025-03-03" and fine.when.reported == "2025-03-20"
    fix = next(c for c in found if c.kind == "correction")
    assert fix.event_id is not None and "a different hearing" in fix.detail

    # linking everything again makes every cluster anew, and adds no change
    relinked = cli("link", "all")
    assert relinked.code == 0, relinked.out + relinked.err
    again = _all(db_file, since)
    assert _seen(again) == _seen(found)


def test_changes_page_newest_first_without_gaps(db_file, ingest, tmp_path) -> None:
    paths = [Path(shutil.copy(corpus_dir() / p, tmp_path / Path(p).name))
             for p in DEMO_SLICE[:4]]
    ingest(*paths)
    whole = _all(db_file, "2000-01-01")
    assert len(whole) >= 6
    paged, cursor = [], None
    with open_store(str(db_file)) as store:
        while True:
            page = changes(store, "KZ", "2000-01-01", limit=2, cursor=cursor)
            assert len(page.changes) <= 2
            paged += page.changes
            cursor = page.next_cursor
            if not cursor:
                break
    assert [c.model_dump() for c in paged] == [c.model_dump() for c in whole]
    assert {c.kind for c in whole} >= {"document", "event"}


@pytest.mark.parametrize("since", ["yesterday", "2024-13-01", "", "2024-01-01T25:00",
                                   "20240101", "2024-01-01 junk", "9" * 60])
def test_a_time_that_is_not_one_is_refused(store, since) -> None:
    with pytest.raises(Invalid):
        changes(store, "KZ", since)


def test_times_are_read_as_the_store_writes_them(store) -> None:
    assert parse_since("2024-05-01") == "2024-05-01T00:00:00+00:00"
    assert parse_since("2024-05-01T12:30:15") == "2024-05-01T12:30:15+00:00"
    assert parse_since("2024-05-01T14:30:15.9+02:00") == "2024-05-01T12:30:15+00:00"
    assert parse_since("2024-05-01T12:30:15Z") == "2024-05-01T12:30:15+00:00"


def test_a_bad_cursor_or_country_is_the_callers_error(db_file, ingest, tmp_path) -> None:
    path = Path(shutil.copy(corpus_dir() / DEMO_SLICE[0], tmp_path / "a.txt"))
    ingest(path)
    with open_store(str(db_file)) as store:
        with pytest.raises(Invalid):
            changes(store, "KZ", "2000-01-01", cursor="not-a-cursor")
        with pytest.raises(Invalid):
            changes(store, "KZZ", "2000-01-01")
        with pytest.raises(NotFound):
            changes(store, "FR", "2000-01-01")
