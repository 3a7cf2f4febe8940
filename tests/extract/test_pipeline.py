"""The stage registry: names, versions, requirements, errors that name their stage."""

from __future__ import annotations

import pytest

from rightsrecord.extract.pipeline import (
    DEFAULT_STAGES,
    REGISTRY,
    ExtractDoc,
    Pipeline,
    PipelineError,
    StageError,
    stage,
)

TEXT = ("(Almaty, February 27, 2015) – An appeals court in Almaty on Thursday upheld the "
        "closure of an independent newspaper. Police detained two journalists outside the "
        "court. Kazakhstan's authorities should let the outlet publish, Human Rights Watch said.")


def test_default_pipeline_runs_every_stage_in_order():
    pipeline = Pipeline()
    assert [s.split(".")[0] for s in pipeline.ids] == list(DEFAULT_STAGES)
    doc = pipeline(ExtractDoc(text=TEXT, published="2015-02-27"))
    assert doc.done == pipeline.ids
    assert doc.countries[0].code == "KZ" and doc.countries[0].primary


@pytest.mark.parametrize("name", DEFAULT_STAGES)
def test_each_stage_runs_alone_when_its_requirements_are_met(name):
    needed = [n for n in DEFAULT_STAGES if n in REGISTRY[name].requires or n == name]
    if REGISTRY[name].requires:
        needed = [n for n in DEFAULT_STAGES
                  if set(REGISTRY[n].assigns) & set(REGISTRY[name].requires)] + [name]
    doc = Pipeline(needed)(ExtractDoc(text=TEXT, published="2015-02-27"))
    assert doc.done[-1] == REGISTRY[name].id


def test_stage_ids_carry_versions():
    for st in Pipeline().stages:
        assert st.id == f"{st.name}.v{st.version}"


def test_unknown_stage_and_unmet_requirement_are_refused_before_running():
    with pytest.raises(PipelineError, match="unknown stage 'nope'"):
        Pipeline(["nope"])
    with pytest.raises(PipelineError, match="requires sentences"):
        Pipeline(["events"])


def test_an_error_names_the_failing_stage():
    @stage("explodes", 3, assigns=())
    def explodes(doc: ExtractDoc) -> None:
        raise ValueError("bad input")

    try:
        pipeline = Pipeline(["sentences", "explodes"])
        with pytest.raises(StageError, match=r"stage explodes\.v3 failed: ValueError: bad input"):
            pipeline(ExtractDoc(text="x"))
        results = list(pipeline.pipe([ExtractDoc(text="a"), ExtractDoc(text="b")]))
        assert all(isinstance(r, StageError) for r in results)
    finally:
        del REGISTRY["explodes"]
