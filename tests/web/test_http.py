"""The web UI over real HTTP: pages, their JSON twins, paging, errors, safety headers."""

from __future__ import annotations

import html as htmllib
import re
from dataclasses import asdict

import httpx
import pytest

from rightsrecord.extract import contract
from rightsrecord.store import open_store
from rightsrecord.web.app import create_app
from tests.web.conftest import KZ_TITLE, NEWS, serve

SECURITY = ("content-security-policy", "x-content-type-options", "referrer-policy")
LAYOUT = '<header class="site">'


def text_of(page: str) -> str:
    """What a person reads: the page without its tags, entities decoded, spaces squeezed."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def feed_titles(page: str) -> list[str]:
    return [text_of(t) for t in re.findall(r"<li class=\"item\">.*?</li>", page, re.S)]


def next_link(page: str) -> str | None:
    found = re.search(r'<a href="([^"]+)" rel="next">Next page</a>', page)
    return htmllib.unescape(found.group(1)) if found else None


def assert_secured(response: httpx.Response) -> None:
    for name in SECURITY:
        assert name in response.headers, (response.url, name)
    assert "default-src 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"


# -- the home page ------------------------------------------------------------------------------


def test_home_page_shows_the_counts_as_numbers(demo, db_file):
    with open_store(str(db_file)) as store:
        counts = store.counts()
        countries = store.countries()
    assert counts.items > 0 and counts.summaries > 0
    page = httpx.get(f"{demo}/").text
    assert "built-in method" not in page
    assert (f"{counts.documents} documents, {counts.items} dated entries and "
            f"{counts.summaries} summaries from {counts.sources} sources.") in text_of(page)
    kg = next(c for c in countries if c.code == "KG")
    assert re.search(rf'>Kyrgyzstan</a> <span class="code">KG</span></td><td>{kg.summaries}'
                     rf"</td><td>{kg.items}</td><td>{kg.documents}</td>", page)
    data = httpx.get(f"{demo}/index.json").json()
    assert data["counts"] == asdict(counts)
    assert [c["code"] for c in data["countries"]] == [c.code for c in countries]


# -- the country page ---------------------------------------------------------------------------


def test_kazakhstan_page_lists_a_demo_entry_linking_to_its_document(demo, db_file):
    page = httpx.get(f"{demo}/countries/KZ").text
    assert "<h1>Kazakhstan" in page
    entry = next(e for e in re.findall(r'<li class="item">.*?</li>', page, re.S)
                 if KZ_TITLE in e)
    href = re.search(r'<a href="(/documents/\d+)">source document</a>', entry).group(1)
    doc = httpx.get(f"{demo}{href}").text
    assert f"<h1>{KZ_TITLE}</h1>" in doc
    data = httpx.get(f"{demo}/countries/kz.json").json()
    assert data["code"] == "KZ" and data["name"] == "Kazakhstan"
    assert KZ_TITLE in [e["title"] for e in data["items"]["data"]]
    with open_store(str(db_file)) as store:
        expected = store.country("KZ")
    assert [e["id"] for e in data["items"]["data"]] == [e.id for e in expected.items.data]
    assert data["items"]["next_cursor"] is None and data["items"]["next_href"] is None


def test_country_feed_pages_follow_the_next_link(demo, db_file):
    first = httpx.get(f"{demo}/countries/KZ", params={"limit": 2}).text
    second_href = next_link(first)
    assert second_href and "cursor=" in second_href and "limit=2" in second_href
    second = httpx.get(f"{demo}{second_href}").text
    one, two = feed_titles(first), feed_titles(second)
    # the two reports of the poster ruling are one development: three entries in all
    assert len(one) == 2 and len(two) == 1
    assert not set(one) & set(two)
    assert 'rel="first"' in second and 'rel="first"' not in first

    # The JSON twin pages the same way, its next_href naming the next JSON page.
    seen, href = [], "/countries/KZ.json?limit=2"
    while href:
        data = httpx.get(f"{demo}{href}").json()
        if data["items"]["next_href"]:
            params = httpx.URL(data["items"]["next_href"]).params
            assert params["cursor"] == data["items"]["next_cursor"]
        seen += [e["id"] for e in data["items"]["data"]]
        href = data["items"]["next_href"]
        assert href is None or href.startswith("/countries/KZ.json?")
    with open_store(str(db_file)) as store:
        everything = store.country("KZ", limit=1000).items.data
    assert seen == [e.id for e in everything] and len(seen) == 3


def test_summaries_have_their_own_cursor_and_name_their_source_by_file(demo):
    first = httpx.get(f"{demo}/countries/KG", params={"summaries_limit": 1}).text
    assert first.count('<article class="summary">') == 1
    assert "<h2>2024</h2>" in first
    link = re.search(r'<a href="([^"]+)" rel="next">Next page</a>', first).group(1)
    assert "summaries_cursor=" in link
    second = httpx.get(f"{demo}{htmllib.unescape(link)}").text
    assert "<h2>2023</h2>" in second and "<h2>2024</h2>" not in second
    assert feed_titles(second) == feed_titles(first)  # the feed stays on its first page
    # The listing is an untitled local file: its name stands for it, never its path.
    assert "Source: kyrgyzstan_country_page.txt" in text_of(first)
    assert "file://" not in re.search(r'<section class="summaries".*?</section>', first,
                                      re.S).group(0)


def test_a_bad_cursor_is_a_422_in_both_forms(story):
    base, _ = story
    # Not base64; a list of the wrong types; a list of the wrong length.
    for cursor in ("zzz", "WyJhIiwiYiJd", "WzEsMiwzXQ"):
        page = httpx.get(f"{base}/countries/KZ", params={"cursor": cursor})
        assert page.status_code == 422, cursor
        assert page.headers["content-type"].startswith("text/html")
        assert LAYOUT in page.text and "Bad cursor" in page.text
        data = httpx.get(f"{base}/countries/KZ.json", params={"summaries_cursor": cursor})
        assert data.status_code == 422, cursor
        assert data.json()["error"].startswith("Bad cursor")
        hits = httpx.get(f"{base}/search.json", params={"q": "court", "cursor": cursor})
        assert hits.status_code == 422 and "error" in hits.json(), cursor
        assert_secured(hits)


def test_unknown_country_is_404_in_both_forms(web_server):
    demo = web_server
    page = httpx.get(f"{demo}/countries/QQ")
    assert page.status_code == 404 and LAYOUT in page.text
    data = httpx.get(f"{demo}/countries/QQ.json")
    assert data.status_code == 404
    assert data.json() == {"error": "No country with the code 'QQ'."}


# -- the document page --------------------------------------------------------------------------


def test_document_page_highlights_the_evidence_and_shows_the_facts(story, db_file):
    from rightsrecord import __version__

    web_server, doc_id = story
    page = httpx.get(f"{web_server}/documents/{doc_id}").text
    assert "<h1>Court jails activist</h1>" in page
    # Every extracted span is marked up in the text, with what found it.
    assert re.search(r'<mark class="ann [^"]*ann-place [^"]*" title="[^"]*place KZ[^"(]* '
                     r'\(places\.v\d+\)[^"]*">Almaty</mark>', page)
    assert re.search(r'<mark class="ann [^"]*ann-date [^"]*" title="[^"]*date DATE 2015-02-26 '
                     r'\(dates\.v\d+\)[^"]*">Thursday</mark>', page)
    assert re.search(r'<mark class="ann [^"]*ann-actor [^"]*" title="[^"]*actor person '
                     r'opposition leader: Vladimir Kozlov[^"]*">Vladimir Kozlov</mark>', page)
    evidence = "".join(re.findall(r'<mark class="ann [^"]*ann-event [^"]*"[^>]*>([^<]*)</mark>',
                                  page))
    assert "detained opposition leader Vladimir Kozlov on Thursday" in evidence
    # The facts, each kind with its stage.
    assert re.search(r'<tr class="event"><td>arrest</td><td>2015-02-26</td><td>text</td>'
                     r"<td>KZ</td>", page)
    assert re.search(r"events\.v\d+", page) and re.search(r"dates\.v\d+", page)
    assert '<strong>Vladimir Kozlov</strong> <span class="kind">person</span> opposition leader' \
        in page
    assert f"rightsrecord {__version__} ·" in page  # the page's own `version` does not shadow it

    data = httpx.get(f"{web_server}/documents/{doc_id}.json").json()
    with open_store(str(db_file)) as store:
        view = store.document(doc_id)
    assert data["record"] == contract.record(view.document)
    assert data["record"]["text"] == NEWS
    assert [v["version"] for v in data["versions"]] == [1]
    assert data["versions"][0]["is_current"] and data["json_href"].endswith(".json")
    assert {s["kind"] for s in data["spans"]} == {"date", "place", "actor", "event"}
    for span in data["spans"]:
        assert NEWS[span["start"]:span["end"]] == span["text"]


def test_listing_page_shows_its_items_and_summaries_with_their_facts(demo, db_file):
    with open_store(str(db_file)) as store:
        kg = store.country("KG")
    listing = kg.summaries.data[0].document_id
    page = httpx.get(f"{demo}/documents/{listing}").text
    assert page.count('<article class="summary">') == 2
    assert page.count('<dl class="facts-summary">') >= 4  # the summaries' and the entries'
    assert re.search(r"<dt>Events</dt><dd>.*legislation 2024-04-04 KG", page)
    assert "<h1>• In 2023, civil liberties in Kyrgyzstan" in page  # untitled: its first words


def test_a_version_page_shows_the_older_text(web_server, fill, tmp_path):
    news = tmp_path / "story.txt"
    news.write_text(NEWS, encoding="utf-8")
    doc_id = fill(news)[0].document_id
    news.write_text(NEWS.replace("seven years", "nine years"), encoding="utf-8")
    assert fill(news)[0].status == "new-version"

    current = httpx.get(f"{web_server}/documents/{doc_id}").text
    assert "nine years" in text_of(current) and "seven years" not in text_of(current)
    older_href = re.search(rf'<a href="(/documents/{doc_id}/versions/1)">version 1</a>',
                           current).group(1)
    older = httpx.get(f"{web_server}{older_href}").text
    assert "seven years" in text_of(older) and "nine years" not in text_of(older)
    assert "an older version of this document" in text_of(older)
    assert f'<a href="/documents/{doc_id}">version 2</a>' in older

    data = httpx.get(f"{web_server}{older_href}.json").json()
    assert data["version"] == 1 and not data["is_current"]
    assert "seven years" in data["record"]["text"] and data["record"]["version"] == 1
    assert [v["version"] for v in data["versions"]] == [2, 1]
    missing = httpx.get(f"{web_server}/documents/{doc_id}/versions/3")
    assert missing.status_code == 404 and LAYOUT in missing.text


def test_a_document_read_in_part_says_so_on_its_page_and_in_its_json(web_server, fill,
                                                                       db_file, tmp_path,
                                                                       monkeypatch):
    long, short = tmp_path / "long.txt", tmp_path / "short.txt"
    long.write_text(NEWS + " " + NEWS.split("\n\n")[1] * 3, encoding="utf-8")
    short.write_text(NEWS, encoding="utf-8")
    monkeypatch.setenv("RIGHTSRECORD_MAX_CHARS", "300")  # the reader keeps 300 characters
    cut, whole = (o.document_id for o in fill(long, short))
    with open_store(str(db_file)) as store:
        notes = store.document(cut).document.notes
    assert notes and "300 characters" in notes[0]

    page = httpx.get(f"{web_server}/documents/{cut}").text
    shown = text_of(page)
    assert "Read in part." in shown and all(n in shown for n in notes)
    assert page.index("Read in part.") < page.index("<h2>Text</h2>")  # before the text
    data = httpx.get(f"{web_server}/documents/{cut}.json").json()
    assert data["record"]["notes"] == notes
    version = httpx.get(f"{web_server}/documents/{cut}/versions/1.json").json()
    assert version["record"]["notes"] == notes

    page = httpx.get(f"{web_server}/documents/{whole}").text
    assert "Read in part" not in page and "read-in-part" not in page
    assert "notes" not in httpx.get(f"{web_server}/documents/{whole}.json").json()["record"]


def test_an_id_too_large_for_the_store_is_a_404_page(web_server):
    demo = web_server
    for path in ("/documents/99999999999999999999",
                 "/documents/1/versions/99999999999999999999"):
        page = httpx.get(f"{demo}{path}")
        assert page.status_code == 404, path
        assert page.headers["content-type"].startswith("text/html") and LAYOUT in page.text
        data = httpx.get(f"{demo}{path}.json")
        assert data.status_code == 404 and "error" in data.json()


# -- errors -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("path", "status"), [
    ("/documents/abc", 404), ("/nope", 404), ("/documents/1/nope", 404),
    ("/countries/KZ?limit=abc", 422), ("/search?q=court&limit=0", 422)])
def test_browsers_get_error_pages_and_json_paths_get_json(web_server, path, status):
    demo = web_server
    for headers in ({"accept": "text/html,application/xhtml+xml"}, {}):
        page = httpx.get(f"{demo}{path}", headers=headers)
        assert page.status_code == status, path
        assert page.headers["content-type"].startswith("text/html"), path
        assert LAYOUT in page.text and 'rel="stylesheet"' in page.text
        assert_secured(page)
    base, _, query = path.partition("?")
    twin = httpx.get(f"{demo}{base}.json" + (f"?{query}" if query else ""))
    assert twin.status_code == status
    assert twin.headers["content-type"].startswith("application/json")
    assert set(twin.json()) == {"error"}
    assert_secured(twin)


def test_an_unhandled_error_is_a_plain_500_with_the_security_headers(db_file):
    app = create_app(str(db_file))

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("secret internals")

    @app.get("/boom.json")
    def boom_json() -> None:
        raise RuntimeError("secret internals")

    with serve(app) as base:
        page = httpx.get(f"{base}/boom")
        twin = httpx.get(f"{base}/boom.json")
    assert page.status_code == 500 and twin.status_code == 500
    for response in (page, twin):
        assert_secured(response)
        assert "secret internals" not in response.text and "Traceback" not in response.text
    assert page.headers["content-type"].startswith("text/html") and LAYOUT in page.text
    assert twin.json() == {"error": "The server could not show this page."}


# -- titles -------------------------------------------------------------------------------------


def test_untitled_documents_are_titled_by_their_opening_words(web_server, fill, tmp_path):
    page = tmp_path / "untitled.html"
    page.write_text("<html><body><p>Police in Almaty detained three Kazakhstan journalists "
                    "after a protest on 3 March 2015.</p></body></html>", encoding="utf-8")
    doc_id = fill(page)[0].document_id
    opening = "Police in Almaty detained three Kazakhstan journalists after a protest"

    def shown(html: str) -> None:
        assert opening in html
        assert ">None<" not in html and "None</" not in html
        assert not re.search(r"<(h1|h3|a)[^>]*>\s*file://", html)

    doc = httpx.get(f"{web_server}/documents/{doc_id}").text
    assert re.search(rf"<h1>{opening}", doc)
    shown(doc)
    home = httpx.get(f"{web_server}/").text
    assert re.search(rf'<a href="/documents/{doc_id}">{opening}', home)
    shown(home)
    hits = httpx.get(f"{web_server}/search", params={"q": "journalists protest"}).text
    assert re.search(rf'<a href="/documents/{doc_id}">{opening}', hits)
    shown(hits)
    feed = httpx.get(f"{web_server}/countries/KZ").text
    assert re.search(rf"<h3>{opening}", feed)
    shown(feed)
    assert httpx.get(f"{web_server}/search.json", params={"q": "journalists"}).json()[
        "hits"]["data"][0]["title"].startswith(opening)


# -- search -------------------------------------------------------------------------------------


def test_search_pages_and_json(demo):
    page = httpx.get(f"{demo}/search", params={"q": "poster"}).text
    assert "<mark>poster</mark>" in page.lower() or "<mark>Poster</mark>" in page
    titles = re.findall(r'<li><time>[^<]*</time> <a href="/documents/\d+">([^<]+)</a>', page)
    assert htmllib.unescape(KZ_TITLE) in [htmllib.unescape(t) for t in titles]
    first = httpx.get(f"{demo}/search", params={"q": "Kazakhstan", "limit": 1}).text
    second = httpx.get(f"{demo}{next_link(first)}").text
    pick = re.compile(r'<ol class="hits">.*?</ol>', re.S)
    assert pick.search(first).group(0) != pick.search(second).group(0)
    data = httpx.get(f"{demo}/search.json", params={"q": "Kazakhstan", "limit": 1}).json()
    assert len(data["hits"]["data"]) == 1 and data["hits"]["next_cursor"]
    nxt = httpx.get(f"{demo}{data['hits']['next_href']}").json()
    assert nxt["hits"]["data"][0]["id"] != data["hits"]["data"][0]["id"]
    assert httpx.get(f"{demo}/search.json").json()["hits"]["data"] == []


# -- what every page must not do ---------------------------------------------------------------


def test_pages_load_nothing_from_elsewhere_and_serve_no_script(demo, fill, tmp_path):
    laden = tmp_path / "laden.html"
    laden.write_text("<html><body><p onclick=\"alert(1)\">Almaty court fined a Kazakhstan "
                     "newspaper.</p><script>alert(2)</script>"
                     "<p>&lt;script&gt;alert(3)&lt;/script&gt;</p></body></html>",
                     encoding="utf-8")
    laden_id = fill(laden)[0].document_id
    paths = ["/", "/index.json", "/countries/KZ", "/countries/KG", f"/documents/{laden_id}",
             "/documents/1", "/search?q=Almaty", "/search?q=%3Cscript%3E", "/nope"]
    for path in paths:
        response = httpx.get(f"{demo}{path}")
        assert response.status_code in (200, 404), path
        assert_secured(response)
        body = response.text.lower()
        assert "<script" not in body and "onclick" not in body, path
        assert not re.search(r'<(?:link|img|iframe)[^>]+(?:href|src)="(?:[a-z]+:)?//', body), path
    css = httpx.get(f"{demo}/static/style.css")
    assert css.status_code == 200 and "url(" not in css.text and "@import" not in css.text
    assert_secured(css)
