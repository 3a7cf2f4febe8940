"""The web layer's own rules, without a server: links, ids, titles, highlighting, templates."""

from __future__ import annotations

import json

import pytest

from rightsrecord.web import urls, views
from rightsrecord.web.app import DataEnvironment


def test_links_are_built_in_one_place():
    assert urls.home() == "/" and urls.home("json") == "/index.json"
    assert urls.country("kz") == "/countries/KZ"
    assert urls.country("KZ", "json", cursor="abc", limit=5) == \
        "/countries/KZ.json?cursor=abc&limit=5"
    assert urls.document(7) == "/documents/7" and urls.document(7, "json") == "/documents/7.json"
    assert urls.version(7, 2) == "/documents/7/versions/2"
    assert urls.version(7, 2, "json") == "/documents/7/versions/2.json"
    assert urls.search("a b&c") == "/search?q=a+b%26c"
    assert urls.search("", "json") == "/search.json"
    with pytest.raises(ValueError):
        urls.document(1, "xml")


@pytest.mark.parametrize("raw", ["0", "-1", "abc", "1e3", "٣", "99999999999999999999",
                                 str(2**63), " 1"])
def test_ids_a_store_cannot_hold_are_not_found(raw):
    assert views.parse_id(raw) is None


def test_ids_a_store_can_hold_are_numbers():
    assert views.parse_id("1") == 1 and views.parse_id(str(2**63 - 1)) == 2**63 - 1


@pytest.mark.parametrize(("title", "url", "shown"), [
    ("Kyrgyzstan country page", "file:///data/kg.txt", "Kyrgyzstan country page"),
    (None, "file:///srv/data/demo/listing/kyrgyzstan%20page.txt", "kyrgyzstan page.txt"),
    ("None", "https://www.hrw.org/europe/central-asia/kazakhstan", "www.hrw.org"),
    ("  ", "stdin:1", "source document"),
    (None, "", "source document"),
])
def test_a_source_is_named_by_title_host_or_file_never_path(title, url, shown):
    assert views.source_label(title, url) == shown


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


def test_templates_read_a_contexts_keys_before_dict_methods():
    env = DataEnvironment(autoescape=True)
    counts = {"items": 23, "values": 4, "keys": "k"}
    page = env.from_string("{{ c.items }} {{ c.values }} {{ c.keys }} {{ c.missing }}")
    assert page.render(c=counts) == "23 4 k "
    assert env.from_string("{{ d.items()|list }}").render(d={"a": 1}) == "[(&#39;a&#39;, 1)]"


def test_an_empty_search_needs_no_store():
    class NoStore:
        def search(self, *a, **k):  # pragma: no cover - must not be called
            raise AssertionError("searched for nothing")

    context = views.search_context(NoStore(), "   ")  # type: ignore[arg-type]
    assert context["hits"] == {"data": [], "next_cursor": None, "next_href": None,
                               "first_href": None}
    json.dumps(context)
