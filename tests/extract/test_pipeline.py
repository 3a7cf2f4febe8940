"""The stage registry and the runner: names, versions, requirements, batches, errors."""

from __future__ import annotations

import subprocess
import sys

import pytest

from rightsrecord.document import Segment, text_document
from rightsrecord.extract.pipeline import (
    DEFAULT_STAGES,
    Pipeline,
    PipelineError,
    StageError,
    registry,
    stage,
    unregister,
    with_inputs,
)

TEXT = ("(Almaty, February 27, 2015) – An appeals court in Almaty on Thursday upheld the "
        "closure of an independent newspaper. Police detained two journalists outside the "
        "court. Kazakhstan's authorities should let the outlet publish, Human Rights Watch said.")


def test_default_pipeline_runs_every_stage_in_order():
    pipeline = Pipeline()
    assert [s.split(".")[0] for s in pipeline.ids] == list(DEFAULT_STAGES)
    doc = pipeline(Segment(text=TEXT, published="2015-02-27"))
    assert doc.done == pipeline.ids
    assert doc.countries[0].code == "KZ" and doc.countries[0].primary


@pytest.mark.parametrize("name", DEFAULT_STAGES)
def test_each_stage_runs_alone_when_its_requirements_are_met(name):
    known = registry()
    needed = [n for n in DEFAULT_STAGES
              if set(known[n].assigns) & set(known[name].requires)] + [name]
    doc = Pipeline(needed)(Segment(text=TEXT, published="2015-02-27"))
    assert doc.done[-1] == known[name].id


def test_stage_ids_carry_versions_declared_once():
    for st in Pipeline().stages:
        assert st.id == f"{st.name}.v{st.version}"


def test_the_registry_does_not_depend_on_what_was_imported_before():
    code = ("from rightsrecord.extract.pipeline import registry, stage_id; "
            "print(stage_id('events'), len(registry()))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == [registry()["events"].id, str(len(DEFAULT_STAGES))]


def test_unknown_stage_and_unmet_requirement_are_refused_before_running():
    with pytest.raises(PipelineError, match="unknown stage 'nope'"):
        Pipeline(["nope"])
    with pytest.raises(PipelineError, match="requires sentences"):
        Pipeline(["events"])


def test_a_pipeline_without_a_stage_whose_facts_another_reads_is_refused():
    # The events stage reads the actors: where an agent or target is an actor's mention, the
    # record names that actor. Without the actors stage, that would be lost without a word.
    with pytest.raises(PipelineError) as refused:
        Pipeline(["sentences", "dates", "places", "events"])
    assert str(refused.value) == (
        f"stage {registry()['events'].id} requires actors, which no earlier stage assigns "
        "(run actors before events)")
    with pytest.raises(PipelineError, match=r"requires actors, .*\(run actors before events\)"):
        Pipeline(["sentences", "dates", "places", "events", "actors"])


def test_with_inputs_gives_a_stage_and_every_stage_it_reads_from():
    assert with_inputs(["events"]) == ["sentences", "dates", "places", "actors", "events"]
    assert with_inputs(["themes"]) == ["themes"]
    assert with_inputs(["actors", "dates"]) == ["dates", "actors"]
    Pipeline(with_inputs(["events"]))
    with pytest.raises(PipelineError, match="unknown stage 'nope'"):
        with_inputs(["nope"])


def test_pipe_keeps_order_and_a_failing_document_does_not_stop_its_batch():
    @stage("picky", 3)
    def picky(seg: Segment) -> None:
        if "bad" in seg.text:
            raise ValueError("bad input")

    try:
        pipeline = Pipeline(["sentences", "picky"])
        with pytest.raises(StageError, match=r"stage picky\.v3 failed: ValueError: bad input"):
            pipeline(Segment(text="bad"))
        docs = [text_document(t, id=t) for t in ("a", "bad", "c", "d")]
        results = list(pipeline.pipe(docs, batch_size=3))
        assert [type(r).__name__ for r in results] == ["Document", "StageError", "Document",
                                                       "Document"]
        assert [r.body.id for r in results if not isinstance(r, StageError)] == ["a", "c", "d"]
        assert results[0].body.done == pipeline.ids
    finally:
        unregister("picky")


def test_a_batching_stage_gets_the_whole_batch_of_segments():
    from rightsrecord.extract.stages import BUILTIN

    assert BUILTIN["themes"].batch is not None
    docs = [text_document("Police detained journalists in Almaty.", id=str(n))
            for n in range(5)]
    one_by_one = [Pipeline()(text_document(d.text)).body.themes for d in docs]
    batched = [d.body.themes for d in Pipeline().pipe(docs, batch_size=5)]
    assert batched == one_by_one
