"""The temporal expression tagger: spans, TIMEX3 types and values, on sentences written here;
robustness on garbage; and the TempEval-3 figures when ../shared is present."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from rightsrecord.extract.dates import find_timexes
from rightsrecord.extract.pipeline import stage_id
from rightsrecord.extract.types import Timex

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
TBAQ = SHARED / "eval" / "dates" / "tempeval3_tbaq"
DCT = "2015-02-27"  # a Friday


def tag(text: str, dct: str | None = DCT) -> list[tuple[str, str, str]]:
    found = find_timexes(text, dct)
    for t in found:
        assert isinstance(t, Timex)
        assert text[t.start:t.end] == t.text
    return [(t.text, t.type, t.value) for t in found]


def test_stage_name() -> None:
    assert stage_id("dates") == "dates.v1"


@pytest.mark.parametrize(("text", "expected"), [
    ("The meeting was held on March 5, 2014, in Geneva.",
     [("March 5, 2014", "DATE", "2014-03-05")]),
    ("Talks resumed on 7 August 1998.", [("7 August 1998", "DATE", "1998-08-07")]),
    ("It was founded in August 1988.", [("August 1988", "DATE", "1988-08")]),
    ("Prices peaked in 1990 and fell in fiscal 1991.",
     [("1990", "DATE", "1990"), ("fiscal 1991", "DATE", "1991")]),
    ("The filing is dated 2015-02-20.", [("2015-02-20", "DATE", "2015-02-20")]),
    ("Profit rose in the third quarter of 1998.",
     [("the third quarter of 1998", "DATE", "1998-Q3")]),
    ("in the summer of 1998", [("the summer of 1998", "DATE", "1998-SU")]),
    ("Markets boomed in the 1990s.", [("the 1990s", "DATE", "199")]),
    ("the year two thousand", [("the year two thousand", "DATE", "2000")]),
    ("in nineteen ninety-six", [("nineteen ninety-six", "DATE", "1996")]),
    ("On Christmas Day 2014 shops closed.", [("Christmas Day 2014", "DATE", "2014-12-25")]),
])
def test_absolute_dates(text: str, expected: list) -> None:
    assert tag(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("He arrived on Thursday and left yesterday.",
     [("Thursday", "DATE", "2015-02-26"), ("yesterday", "DATE", "2015-02-26")]),
    ("She will travel on Monday.", [("Monday", "DATE", "2015-03-02")]),
    ("Prices rose last week.", [("last week", "DATE", "2015-W08")]),
    ("Sales fell last month and will rise next year.",
     [("last month", "DATE", "2015-01"), ("next year", "DATE", "2016")]),
    ("The plant closed two years ago.", [("two years ago", "DATE", "2013")]),
    ("He was elected in October.", [("October", "DATE", "2014-10")]),
    ("The vote is due in March.", [("March", "DATE", "2015-03")]),
    ("today, tomorrow", [("today", "DATE", "2015-02-27"), ("tomorrow", "DATE", "2015-02-28")]),
    ("Earlier this year the law changed.", [("Earlier this year", "DATE", "2015")]),
    ("The bank was founded in 1998, and a year earlier its rival.",
     [("1998", "DATE", "1998"), ("a year earlier", "DATE", "1997")]),
    ("Prices are now higher and currently rising.",
     [("now", "DATE", "PRESENT_REF"), ("currently", "DATE", "PRESENT_REF")]),
    ("He recently resigned.", [("recently", "DATE", "PAST_REF")]),
    ("This will change in the future.", [("the future", "DATE", "FUTURE_REF")]),
])
def test_relative_to_the_document_date(text: str, expected: list) -> None:
    assert tag(text) == expected


def test_without_a_document_date_values_stay_underspecified() -> None:
    assert tag("He was elected in October.", None) == [("October", "DATE", "XXXX-10")]
    assert tag("It happened on Friday, not yesterday.", None) == [
        ("Friday", "DATE", "XXXX-WXX-5"), ("yesterday", "DATE", "XXXX-XX-XX")]
    assert tag("The talks ended on March 5, 2014.", None) == [
        ("March 5, 2014", "DATE", "2014-03-05")]


@pytest.mark.parametrize(("text", "expected"), [
    ("He was jailed for three years.", [("three years", "DURATION", "P3Y")]),
    ("Costs rose over the past three years.", [("the past three years", "DURATION", "P3Y")]),
    ("a two-year contract", [("two-year", "DURATION", "P2Y")]),
    ("It took a minute and a half.", [("a minute and a half", "DURATION", "PT1M30S")]),
    ("the talks lasted 2 1/2 hours", [("2 1/2 hours", "DURATION", "PT2H30M")]),
    ("in the first nine months", [("the first nine months", "DURATION", "P9M")]),
    ("within 12 to 18 months", [("12 to 18 months", "DURATION", "PXM")]),
    ("for several weeks", [("several weeks", "DURATION", "PXW")]),
    ("for nearly two decades", [("nearly two decades", "DURATION", "P20Y")]),
])
def test_durations(text: str, expected: list) -> None:
    assert tag(text) == expected


def test_ages_and_rates_are_not_durations() -> None:
    assert tag("a 52-year-old man, who is 40 years old") == []
    assert tag("It earns $500 million a year.") == []


@pytest.mark.parametrize(("text", "expected"), [
    ("The committee meets every Thursday.", [("every Thursday", "SET", "XXXX-WXX-4")]),
    ("Reports are published daily.", [("daily", "SET", "P1D")]),
    ("He visits each year.", [("each year", "SET", "P1Y")]),
])
def test_sets(text: str, expected: list) -> None:
    assert tag(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("The blast occurred at 10:30 a.m. local time.",
     [("10:30 a.m.", "TIME", "2015-02-27T10:30")]),
    ("The deadline is 5 p.m. EST, March 6.", [("5 p.m. EST, March 6", "TIME", "2015-03-06T17:00")]),
    ("He spoke this morning.", [("this morning", "TIME", "2015-02-27TMO")]),
    ("Shots were heard last night.", [("last night", "TIME", "2015-02-26TNI")]),
    ("They met Thursday evening.", [("Thursday evening", "TIME", "2015-02-26TEV")]),
])
def test_times(text: str, expected: list) -> None:
    assert tag(text) == expected


def test_span_conventions() -> None:
    # the determiner belongs to a temporal noun phrase, not to a temporal modifier
    assert tag("in the third quarter") == [("the third quarter", "DATE", "2015-Q3")]
    assert tag("the two-week crisis") == [("two-week", "DURATION", "P2W")]
    assert tag("its third-quarter loss was large") == [("third-quarter", "DATE", "2014-Q3")]
    # prepositions are never part of a span
    assert tag("since 1998")[0][0] == "1998"


def test_lower_case_text() -> None:
    assert tag("the court will rule on friday, march 6, 2015. last year it ruled twice.") == [
        ("friday, march 6, 2015", "DATE", "2015-03-06"), ("last year", "DATE", "2014")]
    # "may" the verb is not a month; "in may" is
    assert tag("he may resign in may") == [("may", "DATE", "2015-05")]
    assert tag("prices rose two years ago") == [("two years ago", "DATE", "2013")]


def test_typographic_quotes_and_dashes() -> None:
    text = "“Last week,” he said — in the ’90s things were different – since 2015-02-20."
    assert tag(text) == [("Last week", "DATE", "2015-W08"), ("the ’90s", "DATE", "199"),
                         ("2015-02-20", "DATE", "2015-02-20")]


def test_document_date_with_time_and_odd_forms() -> None:
    assert tag("on Thursday", "2015-02-27T10:30:00") == [("Thursday", "DATE", "2015-02-26")]
    assert tag("on Thursday", "20150227") == [("Thursday", "DATE", "2015-02-26")]
    assert tag("on Thursday", "not a date") == [("Thursday", "DATE", "XXXX-WXX-4")]


def test_offsets_are_in_the_input_string() -> None:
    text = "\n\nİstanbul — On Friday, March 6, officials met.\tThe 1990s; ß and ﬁ. Now."
    found = find_timexes(text, DCT)
    assert [t.text for t in found] == ["Friday, March 6", "The 1990s", "Now"]
    for t in found:
        assert text[t.start:t.end] == t.text


@pytest.mark.parametrize("text", [
    "",
    " ",
    "x" * 1_000_000,
    "lorem " * 200_000,
    "".join(chr(i) for i in range(32)) * 30_000,
    "1" * 1_000_000,
    "-" * 1_000_000,
    "Москва 2015年3月 القاهرة 東京 २०१५ İstanbul ﬁ ß ǅ \u200b\ufeff " * 20_000,
])
def test_garbage_returns_quickly(text: str) -> None:
    t0 = time.perf_counter()
    found = find_timexes(text, DCT)
    assert time.perf_counter() - t0 < 5.0
    for t in found[:100]:
        assert text[t.start:t.end] == t.text


def test_dense_temporal_text_stays_linear() -> None:
    small, large = "Friday, March 6, 2015 and the year 1990. " * 500, None
    large = small * 10
    t0 = time.perf_counter()
    assert len(find_timexes(small, DCT)) == 1000
    t_small = time.perf_counter() - t0
    t0 = time.perf_counter()
    assert len(find_timexes(large, DCT)) == 10_000
    t_large = time.perf_counter() - t0
    assert t_large < 30 * t_small + 0.5  # linear (10x) with room for noise


def test_tempeval3_figures() -> None:
    if not TBAQ.is_dir():
        pytest.skip(f"../shared is absent: the TempEval-3 data {TBAQ} is needed for this test")
    from rightsrecord.evaluation.dates import evaluate
    from rightsrecord.evaluation.report import floors

    res = evaluate(SHARED)
    pins = floors()
    assert res["n_docs"] == 256 and res["n_gold"] > 1800
    assert res["relaxed_f1"] >= pins["dates.relaxed_f1"]
    assert res["value_f1"] >= pins["dates.value_f1"]
