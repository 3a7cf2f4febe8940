"""No document stalls its batch: the stages read a bounded text, a bounded number of items
and take a bounded time per document, and a document that meets a bound says so in its
record. The time is read from a clock the test moves, never from the wall."""

from __future__ import annotations

import json
from importlib import resources

import jsonschema
import pytest

from rightsrecord.document import Document, Segment, text_document
from rightsrecord.extract.budget import DEFAULT_MAX_CHARS, Budget, cut_at
from rightsrecord.extract.contract import record
from rightsrecord.extract.pipeline import Pipeline, PipelineError, stage, unregister
from rightsrecord.extract.run import extract_records, records
from rightsrecord.ingest.pipeline import read

SCHEMA = json.loads(resources.files("rightsrecord").joinpath("extract/schema.json").read_text())
LISTING = resources.files("rightsrecord").joinpath("data/demo/listing/tajikistan_updates.html")
HEAD = ("(Almaty, February 27, 2015) – An appeals court in Almaty on Thursday upheld the "
        "closure of an independent newspaper. Police detained opposition leader Vladimir "
        "Kozlov in January 2012. ")
TAIL = "Riot police detained protesters in Tashkent on 12 March 2024. " * 40


class Clock:
    """A clock only the test moves."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _one(obj: dict) -> dict:
    (rec,) = extract_records([obj])
    assert isinstance(rec, dict), rec
    return rec


def test_a_long_text_is_read_to_the_limit_and_its_record_says_so(monkeypatch):
    text = HEAD + TAIL
    limit = len(HEAD) + 100
    monkeypatch.setenv("RIGHTSRECORD_MAX_STAGE_CHARS", str(limit))
    rec = _one({"id": "long", "text": text, "published": "2015-02-27"})
    cut = cut_at(text, limit)
    assert len(HEAD) < cut <= limit and text[cut] == " "  # at a space, not inside a word
    assert rec["notes"] == [f"the text: the stages read the first {cut:,} of {len(text):,} "
                            "characters"]
    jsonschema.validate(rec, SCHEMA)
    # Exactly what the text up to the cut gives, offsets into the whole text.
    prefix = _one({"id": "long", "text": text[:cut], "published": "2015-02-27"})
    assert {k: v for k, v in rec.items() if k != "notes"} == prefix
    assert rec["events"] and all(e["evidence"]["end"] <= cut for e in rec["events"])
    assert any(a["name"] == "Vladimir Kozlov" for a in rec["actors"])


def test_a_text_without_spaces_is_cut_at_the_limit():
    text = "a" * 1000
    assert cut_at(text, 100) == 100
    doc = Pipeline(budget=Budget(max_chars=100))(text_document(text, id="a"))
    assert doc.text == text  # the stored text stays whole
    assert doc.notes == ["the text: the stages read the first 100 of 1,000 characters"]


def _listing() -> Document:
    (doc,) = read([str(LISTING)])
    assert isinstance(doc, Document) and len(doc.segments) > 3, doc
    return doc


def test_items_past_the_limit_keep_their_text_and_get_no_facts(monkeypatch):
    whole = Pipeline()(_listing())
    monkeypatch.setenv("RIGHTSRECORD_MAX_STAGE_ITEMS", "3")
    doc = Pipeline()(_listing())
    n = len(doc.segments)
    assert doc.notes == [f"the stages read the first 3 of {n} items and summary blocks"]
    assert [s.text for s in doc.segments] == [s.text for s in whole.segments]
    assert all(s.done for s in doc.segments[:3]) and not any(s.done for s in doc.segments[3:])
    for ours, theirs in zip(doc.segments[3:], whole.segments[3:], strict=True):
        assert not (ours.dates or ours.places or ours.actors or ours.events or ours.themes)
        assert theirs.dates or theirs.places or theirs.themes
    rec = record(doc)
    assert rec["notes"] == doc.notes and len(rec["items"]) == len(whole.items)
    jsonschema.validate(rec, SCHEMA)


def test_a_document_that_spends_its_time_skips_its_remaining_stages_and_the_batch_goes_on():
    clock = Clock()

    @stage("slow", 1)
    def slow(seg: Segment) -> None:
        if "slow" in seg.text:
            clock.now += 100.0

    try:
        pipeline = Pipeline(["sentences", "slow", "dates"], budget=Budget(seconds=50,
                                                                          clock=clock))
        texts = ("fast on Monday", "slow on Monday", "fast on Friday")
        docs = [text_document(t, id=t, published="2024-06-05") for t in texts]
        results = list(records(docs, pipeline, batch_size=3))
        assert [r["id"] for r in results] == list(texts)
        slow_one = results[1]
        assert slow_one["stages"] == pipeline.ids[:2] and slow_one["dates"] == []
        assert slow_one["notes"] == ["stages dates.v1 skipped: the document's 50-second "
                                     "budget was spent after slow.v1"]
        for fast in (results[0], results[2]):
            assert fast["stages"] == pipeline.ids and fast["dates"] and "notes" not in fast
        # A document on its own, the same.
        alone = pipeline(text_document("slow on Monday", published="2024-06-05"))
        assert alone.stages == pipeline.ids[:2] and alone.notes == slow_one["notes"]
    finally:
        unregister("slow")


def test_a_batching_stage_charges_each_document_its_share_of_the_batch_time():
    clock = Clock()

    def tick(_segs: list[Segment]) -> None:
        clock.now += 100.0

    @stage("bulk", 1, batch=tick)
    def bulk(_seg: Segment) -> None:
        clock.now += 100.0

    try:
        pipeline = Pipeline(["bulk", "dates"], budget=Budget(seconds=50, clock=clock))
        small, large = text_document("a " * 50, id="small"), text_document("b " * 150, id="large")
        done = list(pipeline.pipe([small, large]))
        assert done[0].stages == pipeline.ids and not done[0].notes  # 25 seconds of 100
        assert done[1].stages == pipeline.ids[:1] and done[1].notes  # 75 seconds of 100
    finally:
        unregister("bulk")


def test_settings_come_from_the_environment_and_a_bad_one_is_refused(monkeypatch):
    assert Budget.from_env({}) == Budget()
    assert Budget.from_env({"RIGHTSRECORD_MAX_STAGE_CHARS": "5000",
                            "RIGHTSRECORD_MAX_STAGE_ITEMS": " 12 ",
                            "RIGHTSRECORD_STAGE_SECONDS": "2.5"}) == \
        Budget(max_chars=5000, max_items=12, seconds=2.5)
    monkeypatch.setenv("RIGHTSRECORD_STAGE_SECONDS", "soon")
    with pytest.raises(PipelineError) as refused:
        Pipeline()
    assert str(refused.value) == ("RIGHTSRECORD_STAGE_SECONDS: expected a positive number, "
                                  "not 'soon'")
    monkeypatch.setenv("RIGHTSRECORD_STAGE_SECONDS", "60")
    monkeypatch.setenv("RIGHTSRECORD_MAX_STAGE_CHARS", "-1")
    with pytest.raises(PipelineError, match="RIGHTSRECORD_MAX_STAGE_CHARS: expected a "
                                            "positive whole number, not '-1'"):
        Pipeline()


@pytest.mark.slow
def test_the_default_budget_reads_a_megabyte_article_whole():
    from tests.extract.linear_util import prose

    text = prose(1_000_000)
    assert len(text) < DEFAULT_MAX_CHARS
    rec = _one({"id": "big", "text": text})
    assert "notes" not in rec
    assert max(d["end"] for d in rec["dates"]) > len(text) - 1000
    assert max(p["end"] for p in rec["places"]) > len(text) - 1000
