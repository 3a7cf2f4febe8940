"""The web layer's own rules, without a server: links, ids, labels, highlighting, the chart,
templates."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest

from rightsrecord.read.models import SearchQuery
from rightsrecord.read.provenance import source_name
from rightsrecord.web import charts, urls, views
from rightsrecord.web.app import DataEnvironment


def test_links_are_built_in_one_place():
    assert urls.home() == "/" and urls.home("json") == "/index.json"
    assert urls.country("kz") == "/countries/KZ"
    assert urls.country("KZ", "json", cursor="abc", limit=5) == \
        "/countries/KZ.json?cursor=abc&limit=5"
    assert urls.country("KZ", theme="justice", year=2015, event_type=None) == \
        "/countries/KZ?theme=justice&year=2015"
    assert urls.document(7) == "/documents/7" and urls.document(7, "json") == "/documents/7.json"
    assert urls.document(7, view="analyst") == "/documents/7?view=analyst"
    assert urls.version(7, 2) == "/documents/7/versions/2"
    assert urls.version(7, 2, "json") == "/documents/7/versions/2.json"
    assert urls.search("a b&c") == "/search?q=a+b%26c"
    assert urls.search("", "json") == "/search.json"
    assert urls.search("x", sort="relevance") == "/search?q=x"  # the default is left out
    assert urls.search("x", country="KZ", sort="newest") == "/search?q=x&country=KZ&sort=newest"
    assert urls.countries() == "/countries" and urls.countries("json") == "/countries.json"
    assert urls.documents(country="KZ", kind="html", year=2015) == \
        "/documents?country=KZ&kind=html&year=2015"
    assert urls.events("json", type="arrest", theme="") == "/events.json?type=arrest"
    assert urls.actors(type="person", cursor="c") == "/actors?type=person&cursor=c"
    with pytest.raises(ValueError):
        urls.document(1, "xml")


def test_links_to_the_other_rooms():
    assert urls.feed_country("kz") == "/feeds/countries/KZ.atom"
    assert urls.export_country("KZ", "csv") == "/exports/countries/KZ.csv"
    assert urls.export_country("KZ", "jsonl") == "/exports/countries/KZ.jsonl"
    assert urls.api_country("kz") == "/api/v1/countries/KZ"
    assert urls.feed_search("poster") == "/feeds/search.atom?q=poster"
    assert urls.export_search("a b", "csv", country="KZ", sort="relevance") == \
        "/exports/search.csv?q=a+b&country=KZ"
    assert urls.api_docs() == "/docs"
    with pytest.raises(ValueError):
        urls.export_country("KZ", "xls")


@pytest.mark.parametrize("raw", ["0", "-1", "abc", "1e3", "٣", "99999999999999999999",
                                 str(2**63), " 1"])
def test_ids_a_store_cannot_hold_are_not_found(raw):
    assert views.parse_id(raw) is None


def test_ids_a_store_can_hold_are_numbers():
    assert views.parse_id("1") == 1 and views.parse_id(str(2**63 - 1)) == 2**63 - 1


@pytest.mark.parametrize(("url", "outlet", "shown"), [
    ("file:///srv/data/demo/listing/kyrgyzstan%20page.txt", None, "kyrgyzstan page.txt"),
    ("https://www.hrw.org/europe/central-asia/kazakhstan", None, "hrw.org"),
    ("https://www.hrw.org/news", "Human Rights Watch", "Human Rights Watch"),
    ("file:///data/kg.txt", "/data/kg.txt", "kg.txt"),  # a path is never an outlet
    ("stdin:1", None, "standard input"),
    ("", None, "unnamed input"),
])
def test_a_source_is_named_by_outlet_host_or_file_never_path(url, outlet, shown):
    assert source_name(url, outlet) == shown


@pytest.mark.parametrize(("when", "shown"), [
    ({"date": "2015-02-26", "reported": "2015-02-27", "basis": "stated"}, "2015-02-26"),
    ({"date": None, "reported": "2015-02-27", "basis": "reported"}, "reported on 2015-02-27"),
    ({"date": None, "reported": None, "basis": "unknown"}, "undated"),
    (None, "undated"),
])
def test_a_date_no_source_states_is_shown_as_when_it_was_reported(when, shown):
    assert views.when_label(when) == shown


def test_counts_agree_with_their_nouns():
    assert views.counted(1, "step") == "1 step" and views.counted(2, "step") == "2 steps"
    assert views.counted(0, "summary", "summaries") == "0 summaries"
    assert views.counted(1, "dated entry", "dated entries") == "1 dated entry"


def test_a_text_reads_as_paragraphs_without_its_title_twice():
    text = "Court jails activist\nPolice detained him.\n\n  A court   later sentenced him.  \n"
    assert views.paragraphs(text, "Court jails activist") == [
        "Police detained him.", "A court later sentenced him."]
    assert views.paragraphs(text, "Another title")[0] == "Court jails activist"
    assert views.paragraphs("", "x") == []


def test_spans_come_from_the_record_with_their_stages():
    record = {"text": "Police in Almaty detained Kozlov on Thursday.",
              "stages": ["places.v3", "dates.v2", "actors.v4", "events.v4"],
              "places": [{"text": "Almaty", "start": 10, "end": 16, "code": "KZ",
                          "kind": "city"}],
              "dates": [{"text": "Thursday", "start": 36, "end": 44, "type": "DATE",
                         "value": "2015-02-26"}],
              "actors": [{"name": "Kozlov", "type": "person", "role": None,
                          "mentions": [[26, 32]]}],
              "events": [{"type": "arrest", "date": "2015-02-26", "country": "KZ",
                          "evidence": {"start": 0, "end": 44, "text": "…"}},
                         {"type": "arrest", "date": None, "country": None,
                          "evidence": {"start": 40, "end": 999, "text": "out of range"}}]}
    spans = views.spans(record)
    assert [(s["kind"], s["text"]) for s in spans] == [
        ("event", record["text"][:44]), ("place", "Almaty"), ("actor", "Kozlov"),
        ("date", "Thursday")]
    assert spans[1]["label"] == "place KZ city (places.v3)"
    assert spans[3]["label"] == "date DATE 2015-02-26 (dates.v2)"


def test_cut_marks_every_overlapping_span():
    text = "Police detained Kozlov on Thursday."
    spans = [{"kind": "event", "start": 0, "end": 35, "label": "event arrest"},
             {"kind": "actor", "start": 16, "end": 22, "label": "actor Kozlov"},
             {"kind": "date", "start": 26, "end": 34, "label": "date Thursday"},
             {"kind": "date", "start": 30, "end": 99, "label": "out of range"}]
    parts = views.cut(text, spans)
    assert "".join(p["text"] for p in parts) == text
    kozlov = next(p for p in parts if p["text"] == "Kozlov")
    assert kozlov["kinds"] == ["actor", "event"] and "event arrest" in kozlov["title"]
    assert [p["kinds"] for p in parts if p["text"] == "Thursday"] == [["date", "event"]]
    assert views.cut("plain", []) == [{"text": "plain", "kinds": [], "title": ""}]


def test_snippet_parts_mark_the_matches():
    parts = views.snippet_parts(" … a [poster] of [two] men … ")
    assert [p["text"] for p in parts if p["match"]] == ["poster", "two"]
    assert "".join(p["text"] for p in parts) == " … a poster of two men … "
    assert views.snippet_parts("no [close") == [{"text": "no [close", "match": False}]
    assert views.snippet_title(" … a [poster] of two men … ") == "a poster of two men"


CELLS = [{"theme": "justice", "label": "Justice", "year": 2014, "events": 1},
         {"theme": "justice", "label": "Justice", "year": 2016, "events": 3},
         {"theme": "detention", "label": "Detention", "year": 2014, "events": 5}]


def test_the_chart_grid_holds_the_same_numbers_as_the_cells():
    g = charts.grid(CELLS)
    assert g["years"] == [2014, 2015, 2016] and g["found"] == [2014, 2016]
    assert [(r["label"], r["counts"], r["found"]) for r in g["rows"]] == [
        ("Detention", [5, 0, 0], [5, 0]), ("Justice", [1, 0, 3], [1, 3])]
    assert g["max"] == 5


def test_the_chart_is_an_svg_that_scales_and_names_itself():
    svg = str(charts.theme_year_svg(CELLS, "Events per theme and year in Kazakhstan"))
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    assert root.get("viewBox", "").startswith("0 0 ") and root.get("width") == "100%"
    assert root.get("role") == "img"
    assert "Justice 2014 1, 2016 3" in root.get("aria-label", "")
    assert root.find(f"{ns}title").text == "Events per theme and year in Kazakhstan"
    bars = root.findall(f"{ns}rect")
    assert sorted(b.find(f"{ns}title").text for b in bars) == [
        "Detention, 2014: 5 events", "Justice, 2014: 1 event", "Justice, 2016: 3 events"]
    heights = {b.find(f"{ns}title").text: float(b.get("height")) for b in bars}
    assert heights["Detention, 2014: 5 events"] > heights["Justice, 2016: 3 events"] > \
        heights["Justice, 2014: 1 event"]
    assert not re.search(r"(?:href|src)=|<script|style=", svg)  # nothing fetched, no script
    assert str(charts.theme_year_svg([], "x")) == ""


def test_templates_read_a_contexts_keys_before_dict_methods():
    env = DataEnvironment(autoescape=True)
    counts = {"items": 23, "values": 4, "keys": "k"}
    page = env.from_string("{{ c.items }} {{ c.values }} {{ c.keys }} {{ c.missing }}")
    assert page.render(c=counts) == "23 4 k "
    assert env.from_string("{{ d.items()|list }}").render(d={"a": 1}) == "[(&#39;a&#39;, 1)]"


def test_an_empty_search_context_is_plain_json_with_its_links():
    class NoStore:  # the services answer an empty query from a store without `find` alone
        def search(self, *a, **k):  # pragma: no cover - must not be called
            raise AssertionError("searched for nothing")

    context = views.search(NoStore(), SearchQuery())  # type: ignore[arg-type]
    assert context["hits"] == {"data": [], "next_cursor": None, "next_href": None,
                               "first_href": None}
    assert context["href"] == "/search" and context["json_href"] == "/search.json"
    assert context["sort_hrefs"]["newest"] == "/search?sort=newest"
    json.dumps(context)
