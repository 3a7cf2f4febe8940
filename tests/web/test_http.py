"""The web UI over real HTTP: pages, their JSON twins, safety headers, no external assets."""

from __future__ import annotations

import re

import httpx
import pytest

from rightsrecord.ingest.pipeline import ingest
from rightsrecord.store import SQLiteStore


@pytest.fixture
def loaded(web_server, db_file, seed_path, tmp_path):
    laden = tmp_path / "laden.html"
    laden.write_text("<html><body><p onclick=\"alert(1)\">Almaty court fined a Kazakhstan "
                     "newspaper.</p><script>alert(2)</script>"
                     "<p>&lt;script&gt;alert(3)&lt;/script&gt;</p></body></html>",
                     encoding="utf-8")
    with SQLiteStore(db_file) as store:
        ingest(store, [str(seed_path), str(laden)])
    return web_server


def test_country_page_html_has_the_seed_structure(loaded):
    response = httpx.get(f"{loaded}/countries/KZ")
    assert response.status_code == 200
    html = response.text
    assert html.count('class="summary"') == 2
    assert html.count('class="item"') == 11  # 10 seed entries + the news document
    assert html.index("Kazakhstan heavily restricts") < html.index("Kazakhstan’s human rights")
    assert html.index("2015-02-27") < html.index("2014-10-01")


def test_country_json_is_the_same_context(loaded):
    data = httpx.get(f"{loaded}/countries/kz.json").json()
    assert data["code"] == "KZ" and len(data["summaries"]) == 2
    assert [i["date"] for i in data["items"] if i["kind"] == "item"][0] == "2015-02-27"


def test_unknown_pages_are_404_in_both_forms(loaded):
    assert httpx.get(f"{loaded}/countries/QQ").status_code == 404
    assert httpx.get(f"{loaded}/countries/QQ.json").json() == {
        "error": "No country with the code 'QQ'."}
    assert httpx.get(f"{loaded}/documents/999").status_code == 404


def test_search_page_and_json(loaded):
    html = httpx.get(f"{loaded}/search", params={"q": "appeals court"}).text
    assert "2 results for" in html  # the listing page and its entry
    hits = httpx.get(f"{loaded}/search.json", params={"q": "poster"}).json()["hits"]
    assert {h["date"] for h in hits if h["kind"] == "item"} == {"2014-10-28", "2014-10-01"}


def test_document_page_highlights_place_spans(loaded):
    html = httpx.get(f"{loaded}/documents/1").text
    assert re.search(r'<mark class="ann [^"]*ann-place [^"]*" title="[^"]*place KZ \(places.v2\)'
                     r'[^"]*">Almaty</mark>', html)


def test_pages_load_nothing_from_elsewhere_and_serve_no_script(loaded):
    for path in ("/", "/countries/KZ", "/documents/1", "/documents/2", "/search?q=Almaty"):
        response = httpx.get(f"{loaded}{path}")
        assert response.status_code == 200, path
        assert "default-src 'none'" in response.headers["content-security-policy"]
        body = response.text.lower()
        assert "<script" not in body and "onclick" not in body and "alert(" not in body
        for ref in re.findall(r'(?:src|href)="([^"]+)"', body):
            assert not ref.startswith(("http://", "https://", "//")) or "/countries/" not in ref
        assert not re.search(r'<link[^>]+href="(?:https?:)?//', body)
    css = httpx.get(f"{loaded}/static/style.css")
    assert css.status_code == 200 and "url(" not in css.text and "@import" not in css.text


def test_document_page_shows_extracted_facts_with_their_stages(web_server, db_file, tmp_path):
    from rightsrecord import __version__

    page = tmp_path / "news.txt"
    page.write_text("Court jails activist\n2015-02-27\n\nPolice in Almaty detained opposition "
                    "leader Vladimir Kozlov on Thursday. A court later sentenced Kozlov to "
                    "seven years in prison.", encoding="utf-8")
    with SQLiteStore(db_file) as store:
        ingest(store, [str(page)])
    html = httpx.get(f"{web_server}/documents/1").text
    assert '<tr class="event"><td>arrest</td>' in html
    assert "events.v1" in html and "dates.v1" in html
    assert '<strong>Vladimir Kozlov</strong> <span class="kind">person</span> opposition leader' \
        in html
    assert re.search(r'<mark class="ann [^"]*ann-date [^"]*" title="[^"]*date DATE 2015-02-26',
                     html)
    assert f"rightsrecord {__version__} ·" in html  # the page's own `version` does not shadow it
    data = httpx.get(f"{web_server}/documents/1.json").json()
    kinds = {a["kind"] for a in data["annotations"]}
    assert {"date", "place", "actor", "event"} <= kinds
    for a in data["annotations"]:
        if a["kind"] != "theme":
            assert data["text"][a["start"]:a["end"]] == a["text"]
