"""Linking as a versioned step: a document stored but not linked is linked by the next run,
dates the calendar holds never stop it, and corrections that make no sense are refused. Each
test runs on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from rightsrecord import names
from rightsrecord.annotate import annotate
from rightsrecord.extract.pipeline import Pipeline
from rightsrecord.ingest.pipeline import read
from rightsrecord.link import incremental
from rightsrecord.link.incremental import STAGE, link_documents, link_pending
from rightsrecord.process import process

REPORT = ("Court jails blogger in Almaty\n2021-05-12\n\nA court in Almaty sentenced blogger"
          " Aigul Nurova to five years in prison on May 12, 2021. Lawyer Ruslan Akmatov said"
          " Aigul Nurova would appeal. Human Rights Watch said the trial was unfair.\n")
LISTING = """• Mar 5, 2024
    Police in Almaty detained journalist Aigul Nurova after a protest on March 4.

• Dec 31, 9999
    A court in Almaty sentenced activist Ruslan Akmatov to five years in prison.

• Jan 2, 0001
    A court in Almaty fined blogger Kanat Osmonov for a post.
"""
FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Central Asia rights desk</title>
<link>https://desk.rightsrecord.invalid/</link><description>Updates</description>
<item><title>Kazakhstan: court jails activist</title><link>https://desk.rightsrecord.invalid/a</link>
<pubDate>Fri, 31 Dec 9999 23:00:00 GMT</pubDate>
<description>A court in Almaty sentenced activist Timur Karimov to seven years.</description>
</item>
<item><title>Kazakhstan: blogger fined</title><link>https://desk.rightsrecord.invalid/b</link>
<pubDate>Mon, 01 Apr 2024 08:00:00 GMT</pubDate>
<description>A court in Almaty fined blogger Dinara Saidova on April 1.</description>
</item></channel></rss>"""


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline()


def _file(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _ingest(store: Any, pipeline: Pipeline, *paths: Path) -> list[Any]:
    return list(process(read([str(p) for p in paths]), store, pipeline=pipeline))


def _stored_unlinked(store: Any, pipeline: Pipeline, path: Path) -> int:
    """Store a document as ingest does, and stop before linking it (as a run killed
    between the two would)."""
    doc = next(d for d in pipeline.pipe(list(read([str(path)]))))
    return store.add(doc).document_id


def _linked(store: Any, doc_id: int) -> bool:
    return doc_id in store.clusters_of_documents([doc_id])


# -- a document is never left unlinked ------------------------------------------------------

def test_a_stored_document_left_unlinked_is_linked_when_it_comes_again(store, pipeline,
                                                                        tmp_path):
    path = _file(tmp_path, "report.txt", REPORT)
    doc_id = _stored_unlinked(store, pipeline, path)
    assert not _linked(store, doc_id)
    assert [v.document_id for v in store.unlinked(STAGE)] == [doc_id]
    [outcome] = _ingest(store, pipeline, path)
    assert outcome.status == "unchanged"
    assert _linked(store, doc_id)
    assert store.unlinked(STAGE) == []
    _ingest(store, pipeline, path)  # linked once: nothing to do the next time
    assert len(store.cluster(store.clusters_of_documents([doc_id])[doc_id]).reports) == 1


def test_a_document_linked_again_counts_its_words_once(store, pipeline, tmp_path):
    [outcome] = _ingest(store, pipeline, _file(tmp_path, "report.txt", REPORT))
    before = store.term_counts(["almaty", "_texts"])
    doc = store.document(outcome.document_id).document
    assert link_documents(store, [doc]) == link_documents(store, [doc]) == 1
    assert store.term_counts(["almaty", "_texts"]) == before == {"almaty": 1, "_texts": 1}


def test_annotate_stale_links_what_is_pending(store, pipeline, tmp_path):
    doc_id = _stored_unlinked(store, pipeline, _file(tmp_path, "report.txt", REPORT))
    assert store.stale(pipeline.ids) == []  # its facts are current; only its links are not
    done = annotate(store, stale_only=True, pipeline=pipeline)
    assert (done.versions, done.linked) == (0, 1)
    assert _linked(store, doc_id)
    assert store.count_unlinked(STAGE) == 0


def test_linking_is_recorded_per_version_apart_from_the_extract_stages(store, pipeline,
                                                                      tmp_path):
    [outcome] = _ingest(store, pipeline, _file(tmp_path, "report.txt", REPORT))
    assert STAGE == "link.v3"
    assert store.stale(pipeline.ids) == [] and store.unlinked(STAGE) == []
    # a version linked by earlier rules is linked again; its facts are not made again
    store.mark_linked(outcome.document_id, outcome.version, "link.v1")
    assert [v.document_id for v in store.unlinked(STAGE)] == [outcome.document_id]
    assert store.stale(pipeline.ids) == []
    assert link_pending(store) == 1
    cid = store.clusters_of_documents([outcome.document_id])[outcome.document_id]
    assert {r.linked_by for r in store.cluster(cid).reports} == {STAGE}
    assert store.unlinked(STAGE) == []
    # facts made anew leave the version to link again
    assert [v.document_id for v in store.stale(["sentences.v0"])] == [outcome.document_id]


def test_link_all_stopped_part_way_leaves_the_rest_pending(store, pipeline, tmp_path):
    outcomes = _ingest(store, pipeline, _file(tmp_path, "a.txt", REPORT),
                       _file(tmp_path, "b.txt", REPORT.replace("Almaty", "Shymkent")))
    store.clear_links()  # what `link all` does first; then it links each document
    assert [v.document_id for v in store.unlinked(STAGE)] == [o.document_id for o in outcomes]
    assert incremental.relink(store) == 2
    assert store.unlinked(STAGE) == []
    assert all(_linked(store, o.document_id) for o in outcomes)


def test_actors_meet_their_identities_by_key_not_by_position(store, pipeline, tmp_path):
    doc_id = _stored_unlinked(store, pipeline, _file(tmp_path, "report.txt", REPORT))
    doc = store.document(doc_id).document
    assert len(doc.body.actors) >= 2
    doc.body.actors.reverse()  # the text's actors, in another order than stored
    assert link_documents(store, [doc]) == 1
    rows = store.segment_actors(doc.body.segment_id)
    idents = store.identities_of_actors(r["id"] for r in rows)
    linked = [r for r in rows if r["id"] in idents]
    assert len(linked) >= 2
    for row in linked:
        identity = store.identity(idents[row["id"]]).identity
        assert identity.key == names.fold(row["name"]), (row, identity)


# -- dates the calendar holds -----------------------------------------------------------------

def test_dates_the_calendar_holds_never_stop_linking(store, pipeline, tmp_path):
    outcomes = _ingest(store, pipeline, _file(tmp_path, "listing.txt", LISTING),
                       _file(tmp_path, "feed.xml", FEED))
    assert [o.status for o in outcomes] == ["stored", "stored"], [o.line() for o in outcomes]
    assert store.unlinked(STAGE) == []
    feed = store.country("KZ").items.data
    dates = [e.date for e in feed]
    assert {"9999-12-31", "0001-01-02", "2024-03-05", "2024-04-01"} <= set(dates)
    # kept as text, but they sort as undated: the plausible dates come first
    assert dates.index("2024-03-05") < dates.index("9999-12-31")
    assert dates.index("2024-04-01") < dates.index("9999-12-31")
    assert dates.index("2024-03-05") < dates.index("0001-01-02")
    for entry in feed:
        if entry.date in ("9999-12-31", "0001-01-02"):
            assert entry.cluster_id is not None  # linked, on no day of its own
            assert store.cluster(entry.cluster_id).cluster.day is None
    assert incremental.relink(store) == 2  # and `link all` goes through them again


@pytest.mark.parametrize("day,said", [("9999-12-30", "December 30, 9999"),
                                      ("0001-01-02", "January 2, 0001")])
def test_a_far_date_in_the_text_never_stops_linking(store, pipeline, tmp_path, day, said):
    text = (f"Court jails blogger in Almaty\n{day}\n\nA court in Almaty sentenced blogger"
            f" Aigul Nurova to five years in prison on {said}.\n")
    [outcome] = _ingest(store, pipeline, _file(tmp_path, "far.txt", text))
    assert outcome.status == "stored"
    assert _linked(store, outcome.document_id)
    assert store.document(outcome.document_id).document.published == day  # kept as text


# -- corrections that make no sense ---------------------------------------------------------

def test_an_event_is_not_merged_into_itself(store, pipeline, tmp_path):
    [outcome] = _ingest(store, pipeline, _file(tmp_path, "report.txt", REPORT))
    cid = store.clusters_of_documents([outcome.document_id])[outcome.document_id]
    keys = store.cluster_keys(cid)
    with pytest.raises(ValueError, match="into itself"):
        incremental.merge(store, cid, cid)
    assert store.corrections_for(keys) == []
    for far in (10**20, 2**63, 0, -1):
        with pytest.raises(KeyError):
            incremental.merge(store, far, cid)
        with pytest.raises(KeyError):
            incremental.merge(store, cid, far)
    assert store.corrections_for(keys) == []


def test_link_merge_of_an_id_no_store_holds_is_refused(cli, tmp_path):
    path = _file(tmp_path, "report.txt", REPORT)
    assert cli("ingest", str(path)).code == 0
    result = cli("link", "merge", "99999999999999999999", "1")
    assert result.code == 2
    assert "99999999999999999999" in result.err and "Traceback" not in result.err
