"""Every extraction stage, and the whole extract path, stays linear in its input.

Each case times a stage's own function on generated texts of n, 2n and 4n characters (CPU
time, best of 3, n doubled until the first takes 20 ms) and asserts t(4n) / t(n) < 7, where
quadratic work gives 16. A few shapes per stage run by default; every stage on every shape
runs with `-m slow` (where n starts at the stage's own default and doubles as needed).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from rightsrecord import places
from rightsrecord.extract.actors import find_actors
from rightsrecord.extract.dates import find_timexes
from rightsrecord.extract.events import find_events
from rightsrecord.extract.events_text import split_sentences
from rightsrecord.extract.sentences import sentence_spans
from rightsrecord.extract.themes import ThemeModel
from tests.extract.linear_util import SHAPES, assert_linear


def _places(text: str) -> object:
    found = places.find_countries(text)
    return places.rank_countries(text, None, None, found)


def _events(text: str) -> object:
    return find_events(text, sentence_spans(text))


def _extract(text: str) -> None:
    from rightsrecord.extract.run import extract_records

    (record,) = extract_records([{"id": "x", "text": text}])
    assert isinstance(record, dict), record


# stage -> (function of a text, first n to try: about where it takes 20 ms)
STAGES: dict[str, tuple[Callable[[str], object], int]] = {
    "sentences": (sentence_spans, 200_000),
    "split_sentences": (split_sentences, 100_000),
    "dates": (lambda text: find_timexes(text, "2024-06-01"), 50_000),
    "places": (_places, 50_000),
    "themes": (lambda text: ThemeModel.load().predict(text), 100_000),
    "actors": (find_actors, 25_000),
    "events": (_events, 25_000),
    "events_own_split": (find_events, 25_000),
    "extract": (_extract, 10_000),
}

# (stage, shape, n): the default run, n set so that t(n) is about 25 ms
DEFAULT = [
    ("sentences", "punctuation", 1_000_000),
    ("dates", "numbers", 50_000),
    ("places", "countries", 40_000),
    ("themes", "acronyms", 30_000),
    ("actors", "names", 300_000),
    ("events", "trigger_sentences", 12_000),
    ("extract", "prose", 12_000),
]
_IN_DEFAULT = {(stage, shape) for stage, shape, _n in DEFAULT}
EVERY = [(stage, shape) for stage in STAGES for shape in SHAPES
         if (stage, shape) not in _IN_DEFAULT]


@pytest.mark.parametrize(("stage", "shape", "n"), DEFAULT)
def test_stage_is_linear(stage: str, shape: str, n: int) -> None:
    assert_linear(STAGES[stage][0], SHAPES[shape], n, f"{stage} on {shape}")


@pytest.mark.slow
@pytest.mark.parametrize(("stage", "shape"), EVERY)
def test_stage_is_linear_on_every_shape(stage: str, shape: str) -> None:
    fn, n = STAGES[stage]
    assert_linear(fn, SHAPES[shape], n, f"{stage} on {shape}")


@pytest.mark.slow
@pytest.mark.parametrize("shape", ["prose", "trigger_sentences"])
def test_extract_path_is_linear_at_scale(shape: str) -> None:
    """Thousands of events, dates, places and actor mentions in one text: any per-event scan
    of all of them (quadratic) shows at this size, not at 20 ms."""
    assert_linear(_extract, SHAPES[shape], 100_000, f"extract on {shape}, at scale")


# The events stage reads at most 20,000 trigger positions per text; when the budget ran out
# inside a sentence whose earlier triggers had matched, those hits had no offsets (IndexError).
BUDGET_TEXTS = {
    "one_sentence": "arrested " * 19_990 + "police tortured protesters " * 30,
    "sentences": "Police detained protesters. " * 19_995 + "Police tortured protesters. " * 30,
}


@pytest.mark.parametrize("name", [
    "one_sentence", pytest.param("sentences", marks=pytest.mark.slow),
])
def test_events_budget_ends_cleanly(name: str) -> None:
    text = BUDGET_TEXTS[name]
    found = find_events(text, sentence_spans(text))
    assert found
    for event in found:
        assert 0 <= event.start < event.end <= len(text)
        assert event.trigger is not None
        assert event.start <= event.trigger[0] < event.trigger[1] <= event.end


@pytest.mark.slow
@pytest.mark.parametrize("text", [
    " ".join(["arrested"] * 20_000),
    "Police detained protesters. " * 5_000,
    " ".join(["arrested", "detained", "killed", "tortured", "police"] * 5_000),
    BUDGET_TEXTS["one_sentence"],
])
def test_extract_records_gives_a_record_past_the_events_budget(text: str) -> None:
    _extract(text)
