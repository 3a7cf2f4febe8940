"""Event dates with their provenance, through the real pipeline: the date the event's clause,
sentence or paragraph gives, relative dates resolved against the narrative's anchor, precision
kept, past events never after publication, and the publication date only as a marked
fallback."""

from __future__ import annotations

from rightsrecord.document import text_document
from rightsrecord.extract.contract import record
from rightsrecord.extract.pipeline import Pipeline


def _event(text: str, trigger: str, published: str = "2023-01-10") -> dict:
    """The record's event whose trigger is the word `trigger` (its last occurrence)."""
    at = text.rindex(trigger)
    events = record(Pipeline()(text_document(text, published=published)))["events"]
    return next(e for e in events if e["trigger"]["start"] == at)


def _dated(text: str, trigger: str, published: str = "2023-01-10") -> tuple:
    ev = _event(text, trigger, published)
    return ev["date"], ev["date_precision"], ev["date_source"]


def test_a_day_before_resolves_against_the_anchor_date():
    text = ("Police detained ten activists in Minsk on May 16, 2022. "
            "A day before, soldiers beat two villagers near the square.")
    assert _dated(text, "beat") == ("2022-05-15", "day", "text")


def test_over_the_next_two_days_starts_the_day_after_the_anchor():
    text = ("Police detained ten activists in Minsk on May 16, 2022. "
            "Over the next two days, soldiers beat villagers near the square.")
    assert _dated(text, "beat") == ("2022-05-17", "day", "text")


def test_a_sentence_that_goes_on_telling_the_event_takes_its_date():
    text = ("Police detained Ali Hassan in Minsk on May 16, 2022. "
            "He was beaten by officers in custody.\n\n"
            "Soldiers beat farmers in the north.")
    beaten = _event(text, "beaten")
    assert (beaten["date"], beaten["date_source"], beaten["target"]) == (
        "2022-05-16", "text", "Ali Hassan")
    assert _dated(text, "beat") == ("2023-01-10", "day", "published")


def test_the_2022_arrests_have_year_precision():
    assert _dated("The 2022 arrests of journalists were condemned.", "arrests") == (
        "2022", "year", "text")


def test_a_past_month_and_day_without_year_resolves_before_publication():
    date, precision, source = _dated("Security forces detained Ali Hassan on March 3.",
                                     "detained")
    assert (date, precision, source) == ("2022-03-03", "day", "text")
    assert date <= "2023-01-10"


def test_a_date_of_another_clause_or_of_the_telling_is_not_the_events():
    text = ("Police arrested Ali Hassan, who moved to Minsk in 2019, HRANA reported on "
            "January 5.")
    assert _dated(text, "arrested") == ("2023-01-10", "day", "published")


def test_no_date_in_the_text_falls_back_to_publication_marked_published():
    assert _dated("Security forces killed three civilians in Idlib.", "killed") == (
        "2023-01-10", "day", "published")


def test_a_period_bound_is_no_anchor_for_the_next_sentence():
    text = ("The activist had lived in Dortmund since 2009 and was well known there. "
            "Two months later he was sentenced to seven years in prison.")
    date, _, source = _dated(text, "sentenced", published="2024-01-30")
    assert date != "2009"
    assert source == "published"


def test_a_dateline_is_not_the_time_of_the_event():
    text = ("Comedian jailed for ten days\n2024-08-09\n\nA court in Astana sentenced comedian "
            "Alexandr Merkul to ten days in detention on Friday, July 26.")
    assert _dated(text, "sentenced", published="2024-08-09")[0] == "2024-07-26"
    # the headline's event is not dated by the line under it: that is when it was written
    assert _dated(text, "jailed", published="2024-08-09")[2] == "published"


def test_a_sentence_stating_its_own_period_takes_no_date_of_the_previous_one():
    text = ("Human Rights Watch linked the cases to a wider clampdown on speech, citing the "
            "seven-year sentence handed to journalist Duman Mukhammedkarim on August 2 on "
            "extremism-related charges. He had been held before trial since June 2023.")
    sentence = _event(text, "year sentence", published="2024-08-09")
    assert (sentence["type"], sentence["date"]) == ("conviction-sentence", "2024-08-02")
    held = _event(text, "held", published="2024-08-09")
    assert held["type"] == "arrest"
    # June 2023 bounds the detention; August 2 is the day of the sentence, not of the arrest
    assert held["date"] != "2024-08-02"
    assert (held["date"], held["date_source"]) == ("2024-08-09", "published")
    # a period that opens on a stated day is dated by that day
    text = text.replace("since June 2023", "since June 3, 2023")
    assert _dated(text, "held", published="2024-08-09") == ("2023-06-03", "day", "text")
