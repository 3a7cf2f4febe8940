"""Trends count events, not reports: the press writing three times as much about a country
moves no direction; events that really triple do; a handful says too little.

The stores are built through the real pipeline (read, extract, store, link), as `rightsrecord
ingest` does, from short texts this module writes: each is one arrest in one country, dated
by its text, of a person named in it. Three outlets' wordings of one arrest (same person,
same stated day) are linked by the linker into one event (checked below), and arrests of
different people on days two weeks apart stay apart. One store per kind (SQLite, and a
database on the real PostgreSQL server) holds three countries, one scenario each, and is
built once for the module: the pipeline reads some seventy texts.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest

from rightsrecord.ingest.pipeline import read
from rightsrecord.process import process
from rightsrecord.record.trends import MIN_EVENTS, TREND_TEST, direction, p_value, trends
from rightsrecord.store import open_store
from tests.conftest import STORES

FIRST = ("Aigul", "Ruslan", "Kanat", "Dinara", "Timur", "Serik", "Dana", "Marat", "Asel",
         "Nurlan", "Gulnara", "Yerlan", "Zhanna", "Bolat", "Saule", "Daniyar")
LAST = ("Abenov", "Omarova", "Karimov", "Saidova", "Nurova", "Akmatov", "Osmonov", "Bekova",
        "Tulegenov", "Ismailova", "Zhakupov", "Sarsenova", "Kenzhebaev", "Mukanova", "Aliyev",
        "Rakhimova", "Dzhumabaev", "Esenova", "Baimukhanov", "Kasymova", "Ormanov",
        "Tokhtarova", "Zhunusov", "Amanova", "Berdibekov", "Sultanova", "Iskakov",
        "Myrzakhmetova", "Nurpeisov", "Orynbasarova", "Sadykov", "Temirova")
# country → (its city, how many days its arrests fall after the others', a shift of names)
PLACES = {"KZ": ("Almaty", 0, 0), "KG": ("Bishkek", 4, 5), "TJ": ("Dushanbe", 8, 11)}
WORDINGS = (
    "Police detain activist {p}\n{pub}\n\nPolice in {city} detained activist {p} on {day}. "
    "{s} was taken to a police station, a lawyer said.\n",
    "Activist {s} held in {city}\n{pub}\n\n{city} police detained the activist {p} on {day}, "
    "according to a lawyer. {s} spent the night in custody.\n",
    "Rights groups condemn detention of {p}\n{pub}\n\nOn {day}, officers in {city} detained "
    "{p}, an activist. Rights groups called for the release of {s}.\n",
)
# (country, year, distinct arrests, texts telling each, the first person's number)
SCENARIOS = (
    ("KZ", 2019, 8, 1, 0), ("KZ", 2020, 8, 3, 8),  # the press triples, the events do not
    ("KG", 2019, 8, 1, 0), ("KG", 2020, 24, 1, 8),  # the events triple
    ("TJ", 2019, 1, 1, 0), ("TJ", 2020, 3, 1, 1),  # too few to tell
)


def arrests(country: str, year: int, events: int, reports: int, first: int
            ) -> Iterator[tuple[str, str]]:
    """(file name, text) for `events` arrests of different people in `year`, two weeks
    apart, each told by `reports` outlets in their own words."""
    city, shift, names = PLACES[country]
    for i in range(events):
        k = first + i
        person, surname = f"{FIRST[(k + names) % len(FIRST)]} {LAST[k]}", LAST[k]
        day = date(year, 1, 5) + timedelta(days=14 * i + shift)
        stated = f"{day:%B} {day.day}, {year}"
        for j in range(reports):
            pub = (day + timedelta(days=1 + j)).isoformat()
            yield (f"{country}_{year}_{i:02d}_{j}.txt",
                   WORDINGS[j].format(p=person, s=surname, city=city, day=stated, pub=pub))


@pytest.fixture(scope="module", params=STORES)
def record(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[str]:
    """The module's store (the `db_file` of tests/conftest.py, made once per module): the
    scenarios' texts read through the real pipeline. Yields the store's address."""
    from rightsrecord.extract.pipeline import Pipeline

    folder = tmp_path_factory.mktemp("trends")
    paths = []
    for scenario in SCENARIOS:
        for name, text in arrests(*scenario):
            (folder / name).write_text(text, encoding="utf-8")
            paths.append(folder / name)
    if request.param == "sqlite":
        url, drop = str(folder / "store.db"), None
    else:
        server = request.getfixturevalue("pg_server")
        name = f"t_{uuid.uuid4().hex}"
        url = server.create_database(name, template=request.getfixturevalue("pg_template"))
        drop = (server, name)
    with open_store(url) as store:
        outcomes = list(process(read([str(p) for p in sorted(paths)]), store,
                                pipeline=Pipeline()))
    assert {o.status for o in outcomes} == {"stored"} and len(outcomes) == len(paths)
    yield url
    if drop:
        with contextlib.suppress(Exception):
            drop[0].drop_database(drop[1])


def _rows(url: str, code: str) -> list[Any]:
    with open_store(url) as store:
        return trends(store, code)


def _all_events(rows: list[Any]) -> dict[int, Any]:
    return {r.year: r for r in rows if r.theme is None and r.event_type is None}


def _arrests(rows: list[Any]) -> dict[int, Any]:
    return {r.year: r for r in rows if r.event_type == "arrest"}


# -- the scenarios ---------------------------------------------------------------------------

def test_each_arrest_told_three_times_is_one_event(record: str) -> None:
    """What the scenario rests on: the linker puts an arrest's three reports in one event."""
    with open_store(record) as store:
        page = store.event_rows(country="KZ", year=2020, limit=100)
        dated = [c for c in page.data if c.type == "arrest"]
        sources = store.event_sources([c.id for c in dated])
    assert len(dated) == 8
    assert sorted(sources.values()) == [3] * 8


def test_the_press_tripling_its_volume_is_no_trend(record: str) -> None:
    rows = _rows(record, "KZ")
    a, b = _all_events(rows)[2019], _all_events(rows)[2020]
    assert (a.events, b.events) == (8, 8)
    assert (a.documents, b.documents) == (8, 24)  # three times the documents
    assert (a.rate, b.rate) == (100.0, pytest.approx(33.33))
    assert a.direction is None  # the first year of the series
    assert b.direction == "no clear change" and b.p_value == 1.0
    arrest = _arrests(rows)[2020]
    assert (arrest.events, arrest.direction) == (8, "no clear change")


def test_events_that_really_triple_are_worse(record: str) -> None:
    rows = _rows(record, "KG")
    b = _all_events(rows)[2020]
    assert (_all_events(rows)[2019].events, b.events) == (8, 24)
    assert b.documents == 24 and b.compared == 24
    assert b.direction == "worse" and b.p_value is not None and b.p_value < 0.05
    assert _arrests(rows)[2020].direction == "worse"


def test_a_handful_of_events_is_too_few_to_say(record: str) -> None:
    rows = _rows(record, "TJ")
    b = _all_events(rows)[2020]
    assert (_all_events(rows)[2019].events, b.events) == (1, 3)
    assert b.direction == "too few to say" and b.p_value is None


def test_theme_rows_count_events_once_and_name_their_theme(record: str) -> None:
    rows = _rows(record, "KZ")
    themes = [r for r in rows if r.theme is not None]
    assert themes and all(r.label and r.event_type is None for r in themes)
    for r in themes:  # a theme's events are among all events that year, told once each
        assert r.events <= _all_events(rows)[r.year].events
    assert _rows(record, "XX") == []  # a country the record knows nothing of


def test_an_event_counts_in_the_year_its_page_states(record: str) -> None:
    """The year an event is counted in is the year of the date its page shows (`When`), and
    an event no text dates is counted in no year."""
    from rightsrecord.read import services
    from rightsrecord.record.trends import event_years

    with open_store(record) as store:
        years = event_years(store, "KZ")
        shown = services.events(store, country="KZ", limit=100).data
    assert len(years) == 16
    for e in shown:
        if e.id in years:
            assert e.when.basis == "stated" and e.when.date is not None
            assert int(e.when.date[:4]) == years[e.id][0]
        else:
            assert e.when.basis != "stated"


# -- the test itself -------------------------------------------------------------------------

@pytest.mark.parametrize(("previous", "current", "expected"), [
    (0, 0, "too few to say"),
    (0, MIN_EVENTS - 1, "too few to say"),  # 5 in one year and none the year before
    (MIN_EVENTS - 1, 0, "too few to say"),
    (1, 3, "too few to say"),
    (0, MIN_EVENTS, "worse"),  # the fewest events that can be significant: p = 1/32
    (MIN_EVENTS, 0, "better"),
    (1, 5, "no clear change"),  # six events, p = 7/32
    (3, 3, "no clear change"),
    (8, 8, "no clear change"),
    (8, 24, "worse"),
    (24, 8, "better"),
    (10, 22, "no clear change"),  # p = 0.0501, just above the level
    (10, 23, "worse"),  # p = 0.035
    (23, 10, "better"),
])
def test_direction_at_its_boundaries(previous: int, current: int, expected: str) -> None:
    label, p = direction(previous, current)
    assert label == expected
    assert (p is None) == (label == "too few to say")


def test_direction_p_values() -> None:
    assert MIN_EVENTS == 6
    assert direction(0, 6) == ("worse", pytest.approx(2 / 64))
    assert direction(1, 5)[1] == pytest.approx(14 / 64)
    assert direction(3, 3)[1] == 1.0
    with pytest.raises(ValueError):
        direction(-1, 3)


def test_p_values_are_those_of_scipys_binomial_test() -> None:
    from scipy.stats import binomtest

    for n in (*range(1, 80), 1999, 2000, 2001, 5000):
        for k in {0, 1, n // 3, n // 2, n - 1, n}:
            assert p_value(k, n) == pytest.approx(binomtest(k, n, 0.5).pvalue, rel=1e-9)


def test_the_stated_test_says_what_is_compared() -> None:
    for words in ("conditional exact binomial test", "two-sided", "0.05", "too few to say",
                  "no clear change", "never documents", "abuse"):
        assert words in TREND_TEST
    assert "\n" not in TREND_TEST
