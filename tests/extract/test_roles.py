"""Event roles read from the parse of the trigger sentence, through the real pipeline: who did
it (agent) and to whom (target), as the record shows them."""

from __future__ import annotations

from rightsrecord.document import text_document
from rightsrecord.extract.contract import record
from rightsrecord.extract.pipeline import Pipeline

PUBLISHED = "2023-01-10"


def _events(text: str) -> list[dict]:
    doc = Pipeline()(text_document(text, published=PUBLISHED))
    return record(doc)["events"]


def _event(text: str, trigger: str) -> dict:
    """The record's event whose trigger is the word `trigger`."""
    at = text.index(trigger)
    return next(e for e in _events(text) if e["trigger"]["start"] == at)


def _roles(text: str, trigger: str) -> tuple[str | None, str | None]:
    """(agent text, target text) of the event, as the record's role spans."""
    ev = _event(text, trigger)
    agent, target = ev["roles"]["agent"], ev["roles"]["target"]
    return (agent["text"] if agent else None, target["text"] if target else None)


def test_active_verb_subject_is_agent_and_object_is_target():
    assert _roles("Security forces killed three civilians in Idlib.", "killed") == (
        "Security forces", "civilians")


def test_passive_by_agent_and_passive_subject():
    text = "Maria Lopez, an aide to the governor, was abducted by gunmen in Culiacan."
    assert _roles(text, "abducted") == ("gunmen", "Maria Lopez")


def test_nominal_trigger_of_and_by_dependents():
    text = "The arrest of Ali Hassan by police last week drew condemnation."
    assert _roles(text, "arrest") == ("police", "Ali Hassan")


def test_possessor_of_a_nominal_trigger_is_the_target():
    assert _roles("Kozlov's detention by police in Almaty drew condemnation.", "detention") == (
        "police", "Kozlov")


def test_role_word_resolves_to_the_named_person_in_apposition():
    text = "Police arrested the president, Juan Perez, on Monday."
    ev = _event(text, "arrest")
    assert ev["target"] == "Juan Perez"
    assert ev["roles"]["target"]["actor"] == "person:juan perez"


def test_role_word_resolves_to_the_person_named_in_an_earlier_sentence():
    text = ("Opposition leader Vladimir Kozlov spoke to reporters in Almaty. "
            "The leader was arrested by police two days later.")
    ev = _event(text, "arrest")
    assert ev["target"] == "Vladimir Kozlov"
    assert ev["roles"]["target"]["text"] == "Vladimir Kozlov"
    assert ev["roles"]["agent"]["text"] == "police"


def test_pronoun_resolves_to_its_antecedent():
    text = ("Opposition leader Vladimir Kozlov spoke to reporters in Almaty. "
            "Police arrested him on May 16, 2022.")
    ev = _event(text, "arrest")
    assert (ev["agent"], ev["target"]) == ("Police", "Vladimir Kozlov")
    start = text.index("Vladimir")
    assert (ev["roles"]["target"]["start"], ev["roles"]["target"]["end"]) == (
        start, start + len("Vladimir Kozlov"))
