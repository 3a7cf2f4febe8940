"""The learned events model and the factuality step, through the real pipeline."""

from __future__ import annotations

import numpy as np
import pytest

from rightsrecord.extract import models
from rightsrecord.extract.event_model import EventModel, fit, model, sentence_rows
from rightsrecord.extract.run import extract_records


def _events(text: str) -> list[dict]:
    (rec,) = list(extract_records([{"id": "t", "text": text}]))
    return rec["events"]


def test_shipped_model_loads_and_covers_the_police_types():
    m = model()
    assert isinstance(m, EventModel)
    assert set(m.types) == {"arrest", "killing", "use-of-force", "failure-to-protect"}
    assert m.thresholds.shape == (4, 2)
    assert np.all((m.thresholds >= 0) & (m.thresholds <= 1.01))


def test_score_of_a_covered_type_is_the_models_calibrated_probability():
    text = "Police arrested three journalists in Almaty on Monday."
    (ev,) = [e for e in _events(text) if e["type"] == "arrest"]
    rows, _ = sentence_rows(text, [(0, len(text))], [])
    with models.override("events", None):
        (rule,) = [e for e in _events(text) if e["type"] == "arrest"]
    assert rule["score"] != ev["score"]  # the rules' own score is replaced
    assert 0.5 < ev["score"] <= 1.0
    assert ev["trigger"]["text"] == "arrested"
    assert rows  # every sentence gets a feature row


def _toy_model() -> EventModel:
    """A model fitted on a few hand-written sentences: "whisked off" is an arrest."""
    names = ("Ali", "Sara", "Omar", "Lena", "Ivan", "Aida", "Timur", "Dana")
    things = ("meeting", "concert", "vote", "fair", "show", "talk", "party", "dance")
    pos = [f"Officers whisked {n} off the road." for n in names]
    neg = [f"Officers attended the {w} off the road." for w in things]
    rows, labels = [], []
    for text, lab in [(t, {"arrest"}) for t in pos] + [(t, set()) for t in neg]:
        r, _ = sentence_rows(text, [(0, len(text))], [])
        rows.append(r[0])
        labels.append(lab)
    return fit(rows, labels, ("arrest",), c=10.0)


def test_a_fold_model_adds_what_the_rules_missed_and_its_trigger_is_the_weightiest_word():
    text = "Officers whisked Bakyt off the road."
    with models.override("events", None):
        assert not [e for e in _events(text) if e["type"] == "arrest"]
    with models.override("events", _toy_model()):
        (ev,) = [e for e in _events(text) if e["type"] == "arrest"]
    assert ev["evidence"]["text"] == text
    assert ev["trigger"]["text"] == "whisked"


def test_the_override_ends_with_its_block():
    toy = _toy_model()
    with models.override("events", toy):
        assert model() is toy
    assert model() is not toy


@pytest.mark.parametrize("text", [
    "Authorities deny that security forces arrested anyone at the rally.",
    "Insulting officials is punishable by up to five years in prison.",
    "If convicted, he faces up to ten years in prison.",
    "The World Organisation Against Torture published a report.",
])
def test_what_did_not_happen_is_not_an_event(text):
    assert _events(text) == []


def test_asserted_events_stay():
    kinds = {e["type"] for e in _events(
        "Police detained the lawyer on Monday. A court sentenced him to five years in prison.")}
    assert {"arrest", "conviction-sentence"} <= kinds
