"""The rights-theme classifier: its shipped artefact, its predictions and its speed."""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import pytest

from rightsrecord.extract import themes as T
from rightsrecord.extract.pipeline import stage_id
from rightsrecord.extract.themes import ThemeModel, slugify
from rightsrecord.extract.types import Theme

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
DEV = SHARED / "eval" / "themes" / "upr_info_dev.jsonl"


@pytest.fixture(scope="module")
def model() -> ThemeModel:
    return ThemeModel.load()


def ids(themes: list[Theme]) -> set[str]:
    return {t.id for t in themes}


def test_artefact_is_numpy_and_json_only_and_loads_without_pickle():
    files = {p.name for p in T.DATA_DIR.iterdir() if p.is_file()}
    assert {"labels.json", "model.json", "weights.npz", "PROVENANCE.md"} <= files
    assert not [f for f in files if f.endswith((".pkl", ".pickle", ".joblib"))]
    with np.load(T.DATA_DIR / "weights.npz", allow_pickle=False) as z:
        for name in z.files:
            assert z[name].dtype != object, name
    size = sum((T.DATA_DIR / f).stat().st_size for f in files)
    assert size < 30_000_000


def test_labels_are_the_54_issues_with_slug_ids(model):
    labels = T.load_labels()
    assert len(labels) == 54 == len(model.ids)
    for lab in labels:
        assert lab["id"] == slugify(lab["label"])
    assert slugify("Torture and other CID treatment") == "torture-and-other-cid-treatment"
    assert slugify("HIV - Aids") == "hiv-aids"
    assert slugify("Women's rights") == "women-s-rights"
    assert slugify("Rights & Freedoms") == "rights-and-freedoms"
    assert stage_id("themes") == "themes.v3" and ThemeModel.load() is model


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "We urge the Government to ratify, without delay, the Convention against Torture "
            "and its Optional Protocol.",
            {"torture-and-other-cid-treatment", "international-instruments"},
        ),
        ("Become a party to CPED at the earliest opportunity.",
         {"enforced-disappearances", "international-instruments"}),
        (
            "Put in place an official moratorium on executions as a first step towards "
            "abolishing capital punishment altogether.",
            {"death-penalty"},
        ),
        (
            "Take further steps to ensure that girls living in remote villages can attend "
            "primary and secondary school free of charge.",
            {"right-to-education", "rights-of-the-child"},
        ),
        (
            "Make sure that journalists and bloggers may report without fear of reprisals and "
            "lift the restrictions imposed on independent newspapers.",
            {"freedom-of-the-press"},
        ),
        (
            "Bring its national human rights commission into full compliance with the Paris "
            "Principles.",
            {"nhri"},
        ),
    ],
)
def test_hand_written_recommendations(model, text, expected):
    got = model.predict(text)
    assert expected <= ids(got), [(t.id, round(t.score, 2)) for t in got]


def test_output_shape_scores_and_order(model):
    text = "Combat trafficking in women and children and protect the victims."
    got = model.predict(text)
    assert got and all(isinstance(t, Theme) for t in got)
    assert all(0.0 <= t.score <= 1.0 for t in got)
    assert [t.score for t in got] == sorted((t.score for t in got), reverse=True)
    known = dict(zip(model.ids, model.labels, strict=True))
    assert all(known[t.id] == t.label for t in got)
    assert "trafficking" in ids(got)
    batch = model.predict_many([text, "", "Abolish the death penalty."])
    assert [ids(b) for b in batch[:1]] == [ids(got)]
    assert batch[1] == [] and "death-penalty" in ids(batch[2])
    assert model.predict_many([]) == []
    scores = model.scores(text)
    assert set(scores) == set(model.ids) and all(0 <= s <= 1 for s in scores.values())


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\t ",
        "\x00\x01\x02\x1b[31m\x7f\x9f",
        "\ud800 lone surrogate \udfff",
        "Права человека 人权 حقوق الإنسان 🙂 ﬁ ½ Ⅻ",
        "!!!???...---",
        "a" * 5000,
    ],
)
def test_garbage_input_does_not_fail(model, text):
    got = model.predict(text)
    assert isinstance(got, list)
    assert all(0.0 <= t.score <= 1.0 for t in got)


def test_non_str_is_rejected(model):
    with pytest.raises(TypeError):
        model.predict(None)  # type: ignore[arg-type]


def test_normalisation_expands_acronyms_and_folds_gaps():
    s = T.normalise("Ratify OP-CAT,\tCPED\x00and HIV/AIDS")
    assert s.startswith(" ratify op cat optional protocol to the convention against torture")
    assert "enforced disappearance" in s and "hiv aids" in s and "  " not in s
    assert T.normalise("") == " " and T.normalise("\x00\x01") == " "


def test_features_are_deterministic_and_position_independent():
    cfg = T.FeatureConfig()
    w1, c1 = T.hashed_features("torture prevention", cfg)
    w2, c2 = T.hashed_features("prevention of torture", cfg)
    assert set(w1[:2]) <= set(w2) and len(set(w1[:2])) == 2  # same words, same buckets
    assert np.array_equal(T.hashed_features("torture prevention", cfg)[0], w1)
    half = 1 << (cfg.bits - 1)
    assert (w1 < half).all() and (c1 >= half).all() and (c1 < 2 * half).all()


def _best_time(model, text, repeat=5):
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        model.predict(text)
        best = min(best, time.perf_counter() - t)
    return best


def test_speed_of_a_10kb_document(model):
    sentence = ("The State should investigate all allegations of torture by the police, "
                "guarantee fair trials and protect the rights of women and children. ")
    doc = (sentence * (10_000 // len(sentence) + 1))[:10_000]
    model.predict(doc)
    assert _best_time(model, doc, repeat=20) < 0.004  # about 1 ms on a quiet machine


def test_linear_time_on_pathological_input(model):
    small = {k: _best_time(model, v * 10_000) for k, v in
             [("token", "a"), ("words", "a "), ("ctrl", "\x01"), ("dash", "A-")]}
    for k, v in [("token", "a"), ("words", "a "), ("ctrl", "\x01"), ("dash", "A-")]:
        big = _best_time(model, v * 1_000_000, repeat=2)  # 100 times longer
        assert big < 1.5, (k, big)
        assert big < 400 * small[k] + 0.05, (k, small[k], big)


needs_dev = pytest.mark.skipif(not DEV.exists(), reason=f"../shared is absent: needs {DEV}")


@pytest.fixture(scope="module")
def dev_report() -> dict:
    from rightsrecord.evaluation.themes import evaluate

    report = evaluate(SHARED)
    print(json.dumps({k: report[k] for k in ("micro_f1", "macro_f1", "micro_precision", "n")}))
    return report


@needs_dev
def test_dev_scores_do_not_regress(dev_report):
    """The extract path's figures hold their floors (evaluation/floors.json)."""
    from rightsrecord.evaluation.report import floors

    pins = floors()
    assert dev_report["n"] > 4000
    assert dev_report["micro_f1"] >= pins["themes.micro_f1"], dev_report
    assert dev_report["macro_f1"] >= pins["themes.macro_f1"], dev_report

