"""Every stage declares every fact it reads.

Over real documents of the demo corpus (an article, a text, a PDF, a feed, two listings),
each registered stage gives exactly the facts the whole pipeline gives it when it runs

- in a pipeline of only itself and its declared inputs (transitively), and
- alone, over the whole pipeline's output with every fact it does not declare sealed, so
  that reading one raises at the line that reads it.
"""

from __future__ import annotations

import copy
from importlib import resources
from typing import Any, NoReturn

import pytest

from rightsrecord.document import Document, Segment
from rightsrecord.extract.contract import record
from rightsrecord.extract.pipeline import FACTS, Pipeline, registry, with_inputs
from rightsrecord.ingest.pipeline import read

DEMO = resources.files("rightsrecord").joinpath("data/demo")
PICKS = (
    "news/steppe_2015-02-27_almaty_appeal_media_closure.html",
    "news/caspian_2024-01-30_tajik_activist_deported.html",
    "news/steppe_2024-02-05_smailova_fraud_charges.html",
    "text/steppe_2024-08-09_comedians_detained.txt",
    "pdf/kazakhstan_upr_2014_brief.pdf",
    "feeds/central_asia_rights.xml",
    "listing/kyrgyzstan_country_page.txt",
    "listing/tajikistan_updates.html",
)
STAGES = list(registry())


def _documents() -> list[Document]:
    docs = [d for d in read([str(DEMO.joinpath(p)) for p in PICKS])]
    assert all(isinstance(d, Document) for d in docs), docs
    return docs  # type: ignore[return-value]


def _facts(docs: list[Document], fields: tuple[str, ...]) -> list[list[str]]:
    return [[f"{f}={getattr(unit, f)!r}" for f in fields] for d in docs for unit in d.units()]


@pytest.fixture(scope="module")
def whole() -> list[Document]:
    docs = _documents()
    assert all(isinstance(r, Document) for r in Pipeline().pipe(docs))
    return docs


def test_the_documents_give_every_fact_and_the_roles_their_actors(whole):
    for name in FACTS:
        assert any(getattr(u, name) for d in whole for u in d.units()), name
    records = [record(d) for d in whole]
    roles = [e["roles"][r] for rec in records for part in [rec, *rec["items"]]
             for e in part["events"] for r in ("agent", "target")]
    assert any(role and role["actor"] for role in roles)
    assert not any(rec.get("notes") for rec in records)  # the default budget leaves them whole


@pytest.mark.parametrize("name", STAGES)
def test_a_stage_with_only_its_declared_inputs_gives_what_the_whole_pipeline_gives(name, whole):
    docs = _documents()
    names = with_inputs([name])
    assert all(isinstance(r, Document) for r in Pipeline(names).pipe(docs))
    assigns = registry()[name].assigns
    assert _facts(docs, assigns) == _facts(whole, assigns)
    # The record, which reads facts of several stages, agrees on this stage's part too.
    for ours, theirs in zip(docs, whole, strict=True):
        for key in (k for k in assigns if k != "sentences"):
            assert record(ours)[key] == record(theirs)[key]


class UndeclaredRead(AssertionError):
    pass


class Sealed:
    """A fact a stage has not declared: any read of it raises, naming the stage and fact."""

    def __init__(self, stage: str, fact: str) -> None:
        self._what = f"stage {stage} reads {fact}, which its requires does not declare"

    def _refuse(self, *_args: Any) -> NoReturn:
        raise UndeclaredRead(self._what)

    __iter__ = __len__ = __bool__ = __getitem__ = __contains__ = __reversed__ = _refuse

    def __getattr__(self, _name: str) -> NoReturn:
        self._refuse()


def _seal(units: list[Segment], stage: str, keep: tuple[str, ...]) -> None:
    for unit in units:
        for fact in FACTS:
            if fact not in keep:
                setattr(unit, fact, Sealed(stage, fact))


@pytest.mark.parametrize("name", STAGES)
def test_a_stage_reads_no_fact_it_does_not_declare(name, whole):
    st = registry()[name]
    docs = copy.deepcopy(whole)
    for doc in docs:
        _seal(doc.units(), st.id, st.requires)
    st.run([u for d in docs for u in d.units()])  # the batch, as the pipeline runs it
    for doc in docs:
        for unit in doc.units():
            for fact in st.assigns:
                assert not isinstance(getattr(unit, fact), Sealed), f"{st.id} left {fact}"
    assert _facts(docs, st.assigns) == _facts(whole, st.assigns)


def test_sealing_catches_a_stage_that_reads_a_fact_it_does_not_declare(whole):
    """The bug this guards against: events read the actors without declaring them."""
    st = registry()["events"]
    docs = copy.deepcopy(whole)
    _seal(docs[0].units(), st.id, tuple(f for f in st.requires if f != "actors"))
    with pytest.raises(UndeclaredRead, match=r"stage events\.v\d+ reads actors"):
        st.run(docs[0].units())
