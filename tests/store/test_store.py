"""The store, on SQLite and on PostgreSQL alike: versions, facts, pages, search, counters."""

from __future__ import annotations

import pytest

from rightsrecord.document import CountryScore, Document, Segment
from rightsrecord.extract.contract import record
from rightsrecord.extract.pipeline import Pipeline
from rightsrecord.process import ingest
from rightsrecord.store import open_store
from rightsrecord.store.base import BadCursor, Counts

KZ = [CountryScore("KZ", "Kazakhstan", 1.0, True)]


def _doc(text: str = "Kazakhstan court closes a newspaper.", url: str = "file:///a.txt",
         digest: str = "h1", segments: list[Segment] | None = None,
         kind: str = "text") -> Document:
    return Document(url=url, kind=kind, body=Segment(text=text, countries=list(KZ)),
                    segments=segments or [], content_hash=digest, title="T",
                    published="2015-02-27", source="/")


def _item(date: str, text: str) -> Segment:
    return Segment(text=text, kind="item", date=date, countries=list(KZ))


def test_identical_content_is_a_no_op(store):
    first = store.add(_doc())
    again = store.add(_doc())
    assert (first.status, again.status) == ("stored", "unchanged")
    assert again.document_id == first.document_id
    assert store.counts().versions == 1


def test_a_versions_notes_are_kept_and_the_stages_own_are_left_for_them_to_make_anew(store):
    reader = "cut 1 text at 20 characters (RIGHTSRECORD_MAX_CHARS)"
    budget = "the text: the stages read the first 12 of 20 characters"
    noted = _doc("Kazakhstan court cl.")
    noted.notes = [reader, budget]
    first = store.add(noted)
    plain = store.add(_doc(url="file:///b.txt", digest="h2"))
    assert store.document(first.document_id).document.notes == [reader, budget]
    assert store.document(plain.document_id).document.notes == []
    version_id = store.all_versions()[0].version_id
    (again,) = store.load_versions([version_id])  # to run the stages anew
    assert again.notes == [reader]
    again.notes.append("the text: the stages read the first 16 of 20 characters")
    store.replace_facts([again])
    assert store.document(first.document_id).document.notes == again.notes


def test_a_document_keeps_its_id_across_versions_and_older_ones_stay_readable(store):
    old = store.add(_doc("First text about Kazakhstan."))
    new = store.add(_doc("Second text about Kazakhstan.", digest="h2"))
    assert (new.status, new.document_id, new.version) == ("new-version", old.document_id, 2)
    current = store.document(old.document_id)
    assert current.version == 2 and current.is_current
    assert current.document.text == "Second text about Kazakhstan."
    assert [v.version for v in current.versions] == [2, 1]
    older = store.document(old.document_id, version=1)
    assert older.document.text == "First text about Kazakhstan." and not older.is_current
    assert store.document(old.document_id, version=3) is None
    # Search and the feed show the current version only; the counters count the document once.
    assert store.search("First").data == []
    assert [h.document_id for h in store.search("Second").data] == [old.document_id]
    assert [e.document_id for e in store.country("KZ").items.data] == [old.document_id]
    assert store.counts() == Counts(documents=1, versions=2, items=0, summaries=0, sources=1)


def test_a_failed_write_leaves_nothing_half_written(store):
    store.add(_doc())
    broken = _doc(url="file:///b.txt", segments=[_item("2015-01-01", "ok"),
                                                 Segment(text=None, kind="summary")])  # type: ignore[arg-type]
    with pytest.raises(Exception):  # noqa: B017 - the database's own NOT NULL error
        store.add(broken)
    assert store.counts() == Counts(documents=1, versions=1, items=0, summaries=0, sources=1)
    assert store.document(2) is None
    store.add(_doc("Still writable.", url="file:///c.txt"))
    assert store.counts().documents == 2


def test_listing_items_survive_a_later_scrape_that_drops_them_and_show_once(store):
    v1 = _doc(url="file:///list.txt", kind="listing",
              segments=[_item("2015-01-02", "older entry")])
    v2 = _doc(url="file:///list.txt", digest="h2", kind="listing",
              segments=[_item("2015-02-01", "newer entry"), _item("2015-01-02", "older entry")])
    store.add(v1)
    store.add(v2)
    items = store.country("KZ").items.data
    assert [i.text for i in items] == ["newer entry", "older entry"]
    assert store.counts().items == 2
    assert [c.items for c in store.countries() if c.code == "KZ"] == [2]


def test_country_feed_pages_by_cursor_without_gaps_or_repeats(store):
    items = [_item(f"2015-01-{d:02d}", f"entry {d}") for d in range(1, 13)]
    store.add(_doc(url="file:///l.txt", kind="listing", segments=items))
    seen, cursor = [], None
    while True:
        page = store.country("KZ", limit=5, cursor=cursor).items
        seen += [e.text for e in page.data]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert seen == [f"entry {d}" for d in range(12, 0, -1)]
    with pytest.raises(BadCursor):
        store.country("KZ", cursor="not-a-cursor")


def test_search_finds_every_word_pages_and_refuses_nothing_searchable(store):
    for n in range(7):
        store.add(_doc(f"Almaty court report number{n}.", url=f"file:///{n}.txt",
                       digest=f"d{n}"))
    first = store.search("almaty court", limit=4)
    assert len(first.data) == 4 and first.next_cursor
    rest = store.search("almaty court", limit=4, cursor=first.next_cursor)
    ids = [h.document_id for h in first.data + rest.data]
    assert len(ids) == len(set(ids)) == 7
    assert [h.document_id for h in store.search("number3").data] == [4]
    assert "[" in first.data[0].snippet  # the matched word is marked
    assert store.search("zzzunknownword").data == []
    assert store.search("   ").data == [] and store.search("!!!").data == []


def test_stored_record_is_the_extracted_record(store, tmp_path):
    path = tmp_path / "n.txt"
    path.write_text("Kazakhstan court\n2015-02-27\n\nPolice in Almaty detained two "
                    "journalists on February 26, 2015. The court upheld the closure.",
                    encoding="utf-8")
    from rightsrecord.extract.run import records
    from rightsrecord.ingest.pipeline import read

    extracted = next(records(read([str(path)])))
    ingest(store, [str(path)])
    stored = record(store.document(1).document)
    for key in ("text", "title", "published", "country", "countries", "themes", "dates",
                "places", "actors", "events", "stages"):
        assert stored[key] == extracted[key], key
    assert stored["events"] and stored["events"][0]["roles"]["target"]["text"] == "journalists"


def test_two_processes_ingesting_at_once_lose_nothing_and_store_nothing_twice(db_file,
                                                                             tmp_path):
    import multiprocessing

    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(12):
        (folder / f"{n:02d}.txt").write_text(f"Report {n}\n\nAstana court case {n} heard.",
                                             encoding="utf-8")
    open_store(str(db_file)).close()
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_ingest_folder, args=(str(db_file), str(folder)))
             for _ in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(300)
        assert p.exitcode == 0
    with open_store(str(db_file)) as store:
        counts = store.counts()
        assert (counts.documents, counts.versions) == (12, 12)
        assert len(list(store.iter_documents())) == 12


def _ingest_folder(db: str, folder: str) -> None:
    with open_store(db) as store:
        ingest(store, [folder], batch_size=2)


def test_annotate_stale_brings_old_facts_up_to_date(store, tmp_path):
    from rightsrecord.annotate import annotate

    path = tmp_path / "n.txt"
    path.write_text("Report\n\nPolice in Almaty detained two journalists on Monday.", "utf-8")
    old = Pipeline(["sentences", "dates", "places"])
    from rightsrecord.ingest.pipeline import read
    from rightsrecord.process import process

    list(process(read([str(path)]), store, old))
    before = record(store.document(1).document)
    assert before["events"] == [] and before["stages"] == old.ids
    assert [v.version_id for v in store.stale(Pipeline().ids)] == [1]
    done = annotate(store, stale_only=True)
    assert done.versions == 1 and done.failed == 0
    after = record(store.document(1).document)
    assert after["stages"] == Pipeline().ids
    assert [e["type"] for e in after["events"]] == ["arrest"]
    assert after["text"] == before["text"]
    assert store.stale(Pipeline().ids) == []
    assert annotate(store, stale_only=True).versions == 0


def test_kill_9_during_ingest_loses_and_doubles_nothing(db_file, tmp_path):
    import os
    import signal
    import subprocess
    import sys

    folder = tmp_path / "in"
    folder.mkdir()
    n = 16
    for i in range(n):
        (folder / f"{i:02d}.txt").write_text(f"Report {i}\n\nAn Almaty court heard case {i}.",
                                             encoding="utf-8")
    cmd = [sys.executable, "-m", "rightsrecord", "ingest", str(folder), "--db", str(db_file),
           "--batch-size", "1"]
    for kill_after in (2, 5, 9):
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                text=True)
        assert proc.stdout is not None
        for _ in range(kill_after):
            if not proc.stdout.readline():
                break
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    final = subprocess.run(cmd, capture_output=True, text=True, check=True)
    assert final.stdout.strip().endswith("0 rejected")
    with open_store(str(db_file)) as store:
        counts = store.counts()
        assert (counts.documents, counts.versions) == (n, n)
        texts = sorted(store.document(i).document.text for i in store.iter_documents())
        assert texts == sorted(f"Report {i}\n\nAn Almaty court heard case {i}." for i in range(n))


@pytest.mark.parametrize("values", [["a", "b"], [1, 2], ["x"], [True, 1], ["k", -5],
                                    ["k", 2**70], "plain"])
def test_a_cursor_the_store_did_not_make_is_refused(store, values):
    from rightsrecord.store.base import encode_cursor

    cursor = encode_cursor(*values) if isinstance(values, list) else values
    with pytest.raises(BadCursor):
        store.country("KZ", cursor=cursor) if store.add(_doc()) else None
    with pytest.raises(BadCursor):
        store.search("court", cursor=encode_cursor("x") if values == "plain" else cursor)
