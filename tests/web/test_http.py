"""The web UI over real HTTP: pages, their JSON twins, filters, paging, errors, safety headers."""

from __future__ import annotations

import html as htmllib
import re
from pathlib import Path

import httpx
import pytest

from rightsrecord.read import services
from rightsrecord.read.models import CountryFilters
from rightsrecord.store import open_store
from rightsrecord.web.app import create_app
from tests.web.conftest import KZ_TITLE, NEWS, serve

SECURITY = ("content-security-policy", "x-content-type-options", "referrer-policy")
LAYOUT = '<header class="site">'


def text_of(page: str) -> str:
    """What a person reads: the page without its tags, entities decoded, spaces squeezed."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def section(page: str, css_class: str) -> str:
    found = re.search(rf'<section class="{css_class}".*?</section>', page, re.S)
    assert found, css_class
    return found.group(0)


def feed_entries(page: str) -> list[str]:
    """The country feed's entries, each as its markup."""
    feed = section(page, "feed")
    return feed.split('<li class="item">')[1:]


def feed_titles(page: str) -> list[str]:
    return [text_of(m) for e in feed_entries(page) for m in re.findall(r"<h3>(.*?)</h3>", e)]


def next_link(page: str) -> str | None:
    found = re.search(r'<a href="([^"]+)" rel="next">Next page[^<]*</a>', page)
    return htmllib.unescape(found.group(1)) if found else None


def links(page: str) -> list[tuple[str, str]]:
    """Every link of a page: (address, text)."""
    return [(htmllib.unescape(h), text_of(t))
            for h, t in re.findall(r'<a href="([^"]*)"[^>]*>(.*?)</a>', page, re.S)]


def assert_secured(response: httpx.Response) -> None:
    for name in SECURITY:
        assert name in response.headers, (response.url, name)
    assert "default-src 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"


# -- the home page and the countries ------------------------------------------------------------


def test_home_page_shows_the_counts_that_matter(demo, db_file):
    with open_store(str(db_file)) as store:
        overview = services.overview(store)
    assert overview.items > 0 and overview.summaries > 0
    page = httpx.get(f"{demo}/").text
    shown = text_of(page)
    outlets = f"{overview.outlets} outlet" + ("" if overview.outlets == 1 else "s")
    assert (f"{overview.documents} documents, {overview.items} dated entries and "
            f"{overview.summaries} summaries from {outlets}.") in shown
    kz = next(c for c in overview.countries if c.code == "KZ")
    assert kz.events > 0 and kz.items == 0
    row = re.search(r'<tr><td><a href="/countries/KZ">Kazakhstan</a>.*?</tr>', page,
                    re.S).group(0)
    # Only the counts there are: no "0 dated entries" beside a country full of documents.
    assert text_of(row) == f"Kazakhstan KZ {kz.events} events, {kz.documents} documents about it"
    kg = text_of(re.search(r'<tr><td><a href="/countries/KG">.*?</tr>', page, re.S).group(0))
    assert "7 dated entries, 2 summaries, 1 document about it" in kg
    assert re.search(rf'<a href="/documents/\d+">{re.escape(KZ_TITLE)}</a>', page)
    data = httpx.get(f"{demo}/index.json").json()
    assert data["documents"] == overview.documents and data["outlets"] == overview.outlets
    assert [c["code"] for c in data["countries"]] == [c.code for c in overview.countries]
    assert data["countries"][0]["href"] == f"/countries/{data['countries'][0]['code']}"
    assert data["recent"][0]["href"] == f"/documents/{data['recent'][0]['id']}"


def test_the_countries_list_links_each_record_and_its_downloads(demo):
    page = httpx.get(f"{demo}/countries").text
    found = links(page)
    assert ("/countries/KZ", "Kazakhstan") in found
    assert ("/feeds/countries/KZ.atom", "Atom feed for Kazakhstan") in found
    assert ("/exports/countries/KG.csv", "CSV of Kyrgyzstan’s events") in found
    data = httpx.get(f"{demo}/countries.json").json()
    assert {c["code"] for c in data["data"]} == {"KZ", "KG"}


# -- the country page ---------------------------------------------------------------------------


def test_kazakhstan_page_lists_a_demo_entry_linking_to_its_document(demo, db_file):
    page = httpx.get(f"{demo}/countries/KZ").text
    assert "<h1>Kazakhstan" in page
    entry = next(e for e in feed_entries(page) if KZ_TITLE in e)
    href = re.search(rf'<h3><a href="(/documents/\d+)">{re.escape(KZ_TITLE)}</a></h3>',
                     entry).group(1)
    doc = httpx.get(f"{demo}{href}").text
    assert f"<h1>{KZ_TITLE}</h1>" in doc
    # the feed names its sources by file, never a path, and no link says just "source document"
    assert "steppe_2014-10-28_poster_ruling.txt" in text_of(entry)
    assert all(text not in ("source document", "event", "original") for _, text in links(page))
    data = httpx.get(f"{demo}/countries/kz.json").json()
    assert data["code"] == "KZ" and data["name"] == "Kazakhstan"
    assert KZ_TITLE in [e["title"] for e in data["feed"]["data"]]
    with open_store(str(db_file)) as store:
        expected = services.country(store, "KZ")
    assert [e["id"] for e in data["feed"]["data"]] == [e.id for e in expected.feed.data]
    assert data["feed"]["next_cursor"] is None and data["feed"]["next_href"] is None
    assert data["feed_href"] == "/feeds/countries/KZ.atom"
    assert data["csv_href"] == "/exports/countries/KZ.csv"
    assert data["api_href"] == "/api/v1/countries/KZ"
    for href in (data["feed_href"], data["csv_href"], data["jsonl_href"], data["api_href"]):
        assert f'href="{href}"' in page


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
        if data["feed"]["next_href"]:
            params = httpx.URL(data["feed"]["next_href"]).params
            assert params["cursor"] == data["feed"]["next_cursor"]
        seen += [e["id"] for e in data["feed"]["data"]]
        href = data["feed"]["next_href"]
        assert href is None or href.startswith("/countries/KZ.json?")
    with open_store(str(db_file)) as store:
        everything = services.country(store, "KZ", limit=1000).feed.data
    assert seen == [e.id for e in everything] and len(seen) == 3


def test_summaries_have_their_own_cursor_and_name_their_source_by_file(demo):
    first = httpx.get(f"{demo}/countries/KG", params={"summaries_limit": 1}).text
    assert first.count('<article class="summary">') == 1
    assert "<h3>2024</h3>" in first
    link = next_link(section(first, "summaries"))
    assert link and "summaries_cursor=" in link
    second = httpx.get(f"{demo}{link}").text
    assert "<h3>2023</h3>" in second and "<h3>2024</h3>" not in second
    assert feed_titles(second) == feed_titles(first)  # the feed stays on its first page
    # The listing is an untitled local file: its name stands for it, never its path.
    assert "Source: kyrgyzstan_country_page.txt" in text_of(first)
    assert "file://" not in section(first, "summaries") and "/data/demo" not in first
    # The summaries come first, then the dated feed (the seed's layout).
    assert first.index('class="summaries"') < first.index('class="feed"')


def test_the_feed_filters_by_theme_year_and_event_type_from_a_plain_form(demo, db_file):
    page = httpx.get(f"{demo}/countries/KZ").text
    form = re.search(r'<form class="filters" action="/countries/KZ" method="get".*?</form>',
                     page, re.S).group(0)
    assert {"theme", "year", "event_type"} <= set(re.findall(r'<select id="[^"]+" name="(\w+)"',
                                                             form))
    data = httpx.get(f"{demo}/countries/KZ.json").json()
    every = {e["id"] for e in data["feed"]["data"]}
    # A form sends the filters it leaves at "any" empty: they filter nothing.
    blank = httpx.get(f"{demo}/countries/KZ", params={"theme": "", "year": "",
                                                      "event_type": ""})
    assert blank.status_code == 200 and feed_titles(blank.text) == feed_titles(page)
    for name, value in (("year", "2014"), ("event_type", "court-ruling"),
                        ("theme", data["themes"][0]["value"])):
        filtered = httpx.get(f"{demo}/countries/KZ.json", params={name: value}).json()
        kept = {e["id"] for e in filtered["feed"]["data"]}
        assert kept and kept <= every, (name, value)
        with open_store(str(db_file)) as store:
            expected = services.country(store, "KZ", filters=CountryFilters(**{name: value}))
        assert kept == {e.id for e in expected.feed.data}
        assert str(filtered["filters"][name]) == value
        html = httpx.get(f"{demo}/countries/KZ", params={name: value}).text
        assert re.search(rf'<option value="{value}" selected>', html)
        assert "Clear the filters" in html
    year = httpx.get(f"{demo}/countries/KZ.json", params={"year": "2014"}).json()
    assert {e["published"][:4] for e in year["feed"]["data"]} == {"2014"}
    assert len(year["feed"]["data"]) < len(every)


@pytest.mark.parametrize("params", [{"theme": "no-such-theme"}, {"year": "abc"},
                                    {"year": "1066"}, {"event_type": "picnic"}])
def test_a_filter_value_outside_its_vocabulary_is_a_422_in_both_forms(story, params):
    base, _ = story
    page = httpx.get(f"{base}/countries/KZ", params=params)
    assert page.status_code == 422 and LAYOUT in page.text
    data = httpx.get(f"{base}/countries/KZ.json", params=params)
    assert data.status_code == 422 and set(data.json()) == {"error"}


def test_the_country_page_draws_its_timeline_and_chart_on_the_server(demo):
    page = httpx.get(f"{demo}/countries/KZ").text
    data = httpx.get(f"{demo}/countries/KZ.json").json()
    # The timeline lists only events a source dates, oldest first.
    timeline = section(page, "timeline")
    stated = sorted(e["when"]["date"] for e in data["timeline"])
    assert stated and all(e["when"]["basis"] == "stated" for e in data["timeline"])
    assert re.findall(r'<time datetime="([^"]+)">', timeline) == stated
    # The chart: an inline SVG that names itself, and a table with the same numbers.
    chart = section(page, "chart")
    assert re.search(r'<svg class="chart" viewBox="0 0 \d+ \d+" width="100%"', chart)
    assert 'role="img" aria-label="Events per theme and year in Kazakhstan:' in chart
    assert "<title>Events per theme and year in Kazakhstan</title>" in chart
    for cell in data["chart"]:
        n = cell["events"]
        assert f"{cell['label']}, {cell['year']}: {n} event{'' if n == 1 else 's'}" in chart
    table = re.search(r'<table class="chart-table">.*?</table>', chart, re.S).group(0)
    cells = re.findall(r'<th scope="row">([^<]+)</th>((?:<td>\d+</td>)+)', table)
    shown = {(htmllib.unescape(label), int(n)) for label, tds in cells
             for n in re.findall(r"<td>(\d+)</td>", tds) if int(n)}
    assert shown == {(c["label"], c["events"]) for c in data["chart"]}
    assert "<script" not in page.lower()


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
        for path in ("/documents", "/events", "/actors"):
            listed = httpx.get(f"{base}{path}", params={"cursor": cursor})
            assert listed.status_code == 422 and LAYOUT in listed.text, (path, cursor)


def test_unknown_country_is_404_in_both_forms(web_server):
    demo = web_server
    page = httpx.get(f"{demo}/countries/QQ")
    assert page.status_code == 404 and LAYOUT in page.text
    data = httpx.get(f"{demo}/countries/QQ.json")
    assert data.status_code == 404
    assert data.json() == {"error": "No country with the code 'QQ'."}


# -- the lists ----------------------------------------------------------------------------------


def test_the_lists_filter_and_page_with_cursor_links(demo):
    for path, per_page in (("/documents", 2), ("/events", 2), ("/actors", 2)):
        seen, href = [], f"{path}?limit={per_page}"
        while href:
            page = httpx.get(f"{demo}{href}").text
            seen += [h for h, _ in links(page) if re.fullmatch(rf"{path}/\d+", h)]
            href = next_link(page)
        twin = httpx.get(f"{demo}{path}.json", params={"limit": 200}).json()
        assert seen == [f"{path}/{d['id']}" for d in twin["data"]], path
        assert len(seen) > per_page
    kz = httpx.get(f"{demo}/documents.json", params={"country": "kz", "kind": "html"}).json()
    assert kz["data"] and all(d["country"] == "KZ" and d["source"]["kind"] == "html"
                              for d in kz["data"])
    assert kz["filters"] == {"country": "KZ", "kind": "html", "year": None}
    events = httpx.get(f"{demo}/events.json", params={"country": "KZ",
                                                      "type": "court-ruling"}).json()
    assert events["data"] and {e["type"] for e in events["data"]} == {"court-ruling"}
    page = httpx.get(f"{demo}/events", params={"country": "KZ", "year": "2014"}).text
    assert KZ_TITLE in text_of(page) and "Almaty appeals court" not in text_of(page)
    people = httpx.get(f"{demo}/actors.json", params={"type": "person"}).json()
    assert people["data"] and {a["type"] for a in people["data"]} == {"person"}
    for bad in ("/documents?kind=scroll", "/events?type=picnic", "/actors?type=robot",
                "/documents?year=soon", "/events?country=Kazakhstan"):
        assert httpx.get(f"{demo}{bad}").status_code == 422, bad


# -- the event page -----------------------------------------------------------------------------


def test_an_event_page_says_what_when_where_and_quotes_each_source(demo):
    kz = httpx.get(f"{demo}/countries/KZ.json").json()
    poster = next(e for e in kz["feed"]["data"] if e["title"] == KZ_TITLE)["event"]
    page = httpx.get(f"{demo}{poster['href']}").text
    shown = text_of(page)
    data = httpx.get(f"{demo}{poster['href']}.json").json()
    assert data["when"]["basis"] == "stated"
    assert f"What Court ruling When {data['when']['date']} (the date a source states" in shown
    assert "Where Kazakhstan" in shown and "2 sources, 2 reports" in shown
    quotes = re.findall(r'<blockquote class="evidence"><p>(.*?)</p></blockquote>', page, re.S)
    assert [htmllib.unescape(q) for q in quotes] == [r["evidence"]["text"]
                                                     for r in data["report_list"]]
    # each report links to our stored copy by its title, and to the original only where the
    # source has a public address
    originals = [(h, t) for h, t in links(page) if t.startswith("Original at")]
    for r in data["report_list"]:
        assert (r["href"], r["title"]) in links(page)
        assert r["source"]["name"] in shown and "/" not in r["source"]["name"]
        original = (r["source"]["url"], f"Original at {r['source']['name']}")
        assert (original in originals) == (r["source"]["url"] is not None)
    assert len(originals) == sum(1 for r in data["report_list"] if r["source"]["url"])
    # why the reports were linked only inside a disclosure
    why = re.search(r"<details class=\"why\">\s*<summary>Why these reports are linked</summary>"
                    r".*?</details>", page, re.S).group(0)
    assert "linked by link.v3" in why and "score" in why
    assert "score" not in text_of(page.replace(why, ""))


def test_an_event_no_source_dates_says_when_it_was_reported_not_when_it_happened(demo):
    kz = httpx.get(f"{demo}/countries/KZ.json").json()
    event = next(e["event"] for e in kz["feed"]["data"]
                 if e["event"] and e["event"]["when"]["basis"] == "reported")
    page = text_of(httpx.get(f"{demo}{event['href']}").text)
    reported = event["when"]["reported"]
    assert f"When reported on {reported} (no source states when it happened)" in page
    assert "date from the published" not in page


# -- the document page --------------------------------------------------------------------------


def test_a_document_reads_first_and_shows_its_facts_one_click_away(story, tmp_path):
    from rightsrecord import __version__

    web_server, doc_id = story
    page = httpx.get(f"{web_server}/documents/{doc_id}").text
    shown = text_of(page)
    assert "<h1>Court jails activist</h1>" in page
    assert re.search(r'<div class="text reading"><p>2015-02-27</p><p>Police in Almaty detained',
                     page)  # its paragraphs, the title line not repeated
    assert "Source story.txt Published 2015-02-27 Country Kazakhstan KZ" in shown
    assert str(tmp_path) not in page and "file://" not in page  # never a path on the server
    assert "<mark" not in page and "events.v" not in page  # the analyst's view is elsewhere
    analyst_href = f"/documents/{doc_id}?view=analyst"
    assert (analyst_href, "Analyst view: every fact read from this text, with its span and "
            "stage") in links(page)
    assert "Linked events" in shown and "People and organisations named" in shown
    assert any(h.startswith("/actors/") and t == "Vladimir Kozlov" for h, t in links(page))
    assert f"rightsrecord {__version__} ·" in page  # the page's own `version` does not shadow it

    analyst = httpx.get(f"{web_server}{analyst_href}").text
    # Every extracted span is marked up in the text, with what found it.
    assert re.search(r'<mark class="ann [^"]*ann-place [^"]*" title="[^"]*place KZ[^"(]* '
                     r'\(places\.v\d+\)[^"]*">Almaty</mark>', analyst)
    assert re.search(r'<mark class="ann [^"]*ann-date [^"]*" title="[^"]*date DATE 2015-02-26 '
                     r'\(dates\.v\d+\)[^"]*">Thursday</mark>', analyst)
    assert re.search(r'<mark class="ann [^"]*ann-actor [^"]*" title="[^"]*actor person '
                     r'opposition leader: Vladimir Kozlov[^"]*">Vladimir Kozlov</mark>', analyst)
    evidence = "".join(re.findall(r'<mark class="ann [^"]*ann-event [^"]*"[^>]*>([^<]*)</mark>',
                                  analyst))
    assert "detained opposition leader Vladimir Kozlov on Thursday" in evidence
    assert re.search(r'<tr class="event"><td>arrest</td><td>2015-02-26</td><td>text</td>'
                     r"<td>KZ</td>", analyst)
    assert re.search(r"events\.v\d+", analyst) and re.search(r"dates\.v\d+", analyst)
    assert '<strong>Vladimir Kozlov</strong> <span class="kind">person</span> opposition ' \
        'leader' in analyst
    assert str(tmp_path) not in analyst

    data = httpx.get(f"{web_server}/documents/{doc_id}.json").json()
    assert data["record"]["text"] == NEWS and data["text"] == NEWS
    assert data["record"]["url"] == "story.txt" and data["source"]["url"] is None
    assert data["source"]["name"] == "story.txt"
    assert [v["version"] for v in data["versions"]] == [1]
    assert data["versions"][0]["is_current"] and data["json_href"].endswith(".json")
    assert data["analyst_href"] == analyst_href
    assert {e["href"] for e in data["events"]} and {a["href"] for a in data["actors"]}


def test_a_document_with_a_public_address_links_its_original(web_server, fill, tmp_path):
    page = tmp_path / "story.html"
    page.write_text('<html><head><title>Court jails activist</title>'
                    '<link rel="canonical" href="https://news.example.org/2015/court-jails">'
                    '<meta property="og:site_name" content="Example News"></head><body>'
                    "<h1>Court jails activist</h1><p>Police in Almaty detained opposition "
                    "leader Vladimir Kozlov on Thursday.</p></body></html>", encoding="utf-8")
    doc_id = fill(page)[0].document_id
    html = httpx.get(f"{web_server}/documents/{doc_id}").text
    assert ("https://news.example.org/2015/court-jails",
            "Read the original at Example News") in links(html)
    assert str(tmp_path) not in html


def test_listing_analyst_view_shows_its_items_and_summaries_with_their_facts(demo, db_file):
    with open_store(str(db_file)) as store:
        kg = services.country(store, "KG")
    listing = kg.summaries.data[0].source.document_id
    page = httpx.get(f"{demo}/documents/{listing}", params={"view": "analyst"}).text
    assert page.count('<article class="summary">') == 2
    assert page.count('<dl class="facts-summary">') >= 4  # the summaries' and the entries'
    assert re.search(r"<dt>Events</dt><dd>.*legislation 2024-04-04 KG", page)
    assert "<h1>• In 2023, civil liberties in Kyrgyzstan" in page  # untitled: its first words
    reader = httpx.get(f"{demo}/documents/{listing}").text
    assert "facts-summary" not in reader and "In 2024, Kyrgyzstan" in text_of(reader)


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
    analyst = httpx.get(f"{web_server}{older_href}", params={"view": "analyst"}).text
    assert f'<a href="/documents/{doc_id}?view=analyst">version 2</a>' in analyst

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
    assert page.index("Read in part.") < page.index('<div class="text')  # before the text
    data = httpx.get(f"{web_server}/documents/{cut}.json").json()
    assert data["record"]["notes"] == notes and data["notes"] == notes
    version = httpx.get(f"{web_server}/documents/{cut}/versions/1.json").json()
    assert version["record"]["notes"] == notes

    page = httpx.get(f"{web_server}/documents/{whole}").text
    assert "Read in part" not in page and "read-in-part" not in page
    assert "notes" not in httpx.get(f"{web_server}/documents/{whole}.json").json()["record"]


def test_an_id_too_large_for_the_store_is_a_404_page(web_server):
    demo = web_server
    for path in ("/documents/99999999999999999999",
                 "/documents/1/versions/99999999999999999999",
                 "/events/99999999999999999999", "/actors/0"):
        page = httpx.get(f"{demo}{path}")
        assert page.status_code == 404, path
        assert page.headers["content-type"].startswith("text/html") and LAYOUT in page.text
        data = httpx.get(f"{demo}{path}.json")
        assert data.status_code == 404 and "error" in data.json()


# -- the actor page -----------------------------------------------------------------------------


def test_an_actors_case_gives_each_step_its_date_or_when_it_was_reported(story):
    base, doc_id = story
    doc = httpx.get(f"{base}/documents/{doc_id}.json").json()
    kozlov = next(a for a in doc["actors"] if a["name"] == "Vladimir Kozlov")
    page = httpx.get(f"{base}{kozlov['href']}").text
    data = httpx.get(f"{base}{kozlov['href']}.json").json()
    assert data["case"], "the story names Kozlov as the target of an event"
    steps = re.findall(r'<li class="step"><strong class="step-name">([^<]+)</strong> (.*?) · '
                       r'<a href="([^"]+)">([^<]+)</a>', page)
    assert [s[0] for s in steps] == [st["step"] for st in data["case"]]
    for (_, when, href, text), st in zip(steps, data["case"], strict=True):
        label = st["when"]["date"] or f"reported on {st['when']['reported']}"
        assert text_of(when) == label and href == f"/events/{st['event_id']}"
        assert text.startswith("Event: ") and text.endswith(label)
    n = len(data["case"])
    assert f"{n} step{'' if n == 1 else 's'}:" in text_of(page)
    assert not re.search(r"\b1 steps\b|\b1 documents\b", text_of(page))


# -- errors -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("path", "status"), [
    ("/documents/abc", 404), ("/nope", 404), ("/documents/1/nope", 404),
    ("/countries/KZ?limit=abc", 422), ("/search?q=court&limit=0", 422),
    ("/countries/KZ?theme=nope", 422), ("/search?q=court&sort=sideways", 422),
    ("/search?q=court&date_from=yesterday", 422), ("/documents/1?view=nope", 422)])
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
        assert str(tmp_path) not in html

    doc = httpx.get(f"{web_server}/documents/{doc_id}").text
    assert re.search(rf"<h1>{opening}", doc)
    shown(doc)
    home = httpx.get(f"{web_server}/").text
    assert re.search(rf'<a href="/documents/{doc_id}">{opening}', home)
    shown(home)
    hits = httpx.get(f"{web_server}/search", params={"q": "journalists protest"}).text
    assert re.search(rf'<a href="/documents/{doc_id}">[^<]*{opening}', hits)
    shown(hits)
    feed = httpx.get(f"{web_server}/countries/KZ").text
    assert re.search(rf'<h3><a href="/documents/{doc_id}">{opening}', feed)
    shown(feed)
    hit = httpx.get(f"{web_server}/search.json", params={"q": "journalists"}).json()[
        "hits"]["data"][0]
    assert hit["title"] is None and hit["document_id"] == doc_id  # it has no title of its own


# -- search -------------------------------------------------------------------------------------


def test_search_pages_and_json(demo):
    page = httpx.get(f"{demo}/search", params={"q": "poster"}).text
    assert "<mark>poster</mark>" in page.lower()
    titles = re.findall(r'<li><time[^>]*>[^<]*</time> <a href="/documents/\d+">([^<]+)</a>', page)
    assert htmllib.unescape(KZ_TITLE) in [htmllib.unescape(t) for t in titles]
    first = httpx.get(f"{demo}/search", params={"q": "Kazakhstan", "limit": 1}).text
    second = httpx.get(f"{demo}{next_link(first)}").text
    pick = re.compile(r'<ol class="hits">.*?</ol>', re.S)
    assert pick.search(first).group(0) != pick.search(second).group(0)
    data = httpx.get(f"{demo}/search.json", params={"q": "Kazakhstan", "limit": 1}).json()
    assert len(data["hits"]["data"]) == 1 and data["hits"]["next_cursor"]
    nxt = httpx.get(f"{demo}{data['hits']['next_href']}").json()
    assert nxt["hits"]["data"][0]["segment_id"] != data["hits"]["data"][0]["segment_id"]
    assert data["feed_href"] == "/feeds/search.atom?q=Kazakhstan"
    assert data["csv_href"] == "/exports/search.csv?q=Kazakhstan"


def test_search_facets_are_filter_links_and_the_order_and_dates_narrow_it(demo):
    page = httpx.get(f"{demo}/search", params={"q": "court"}).text
    data = httpx.get(f"{demo}/search.json", params={"q": "court"}).json()
    facets = re.search(r'<nav class="facets".*?</nav>', page, re.S).group(0)
    kz = next(f for f in data["facets"]["country"] if f["value"] == "KZ")
    assert kz["href"] == "/search?q=court&country=KZ"
    assert (kz["href"], f"{kz['label']} ({kz['count']})") in links(facets)
    for name in ("theme", "event_type", "actor", "year", "source_kind"):
        assert data["facets"][name], name
        f = data["facets"][name][0]
        assert f["href"] == f"/search?q=court&{name}={f['value']}"
    narrowed = httpx.get(f"{demo}{kz['href']}").text
    assert text_of(narrowed).count("Kazakhstan") >= kz["count"]
    assert ("/search?q=court", f"Remove the filter country {kz['label']}") in links(narrowed)
    assert '<input type="hidden" name="country" value="KZ">' in narrowed  # kept on re-search

    newest = httpx.get(f"{demo}/search.json", params={"q": "court", "sort": "newest"}).json()
    oldest = httpx.get(f"{demo}/search.json", params={"q": "court", "sort": "oldest"}).json()
    dates = [h["published"] for h in newest["hits"]["data"]]
    assert dates == sorted(dates, reverse=True)
    assert [h["published"] for h in oldest["hits"]["data"]] == sorted(dates)
    assert ("/search?q=court&sort=newest", "Newest first") in links(page)
    since = httpx.get(f"{demo}/search.json", params={"q": "court", "date_from": "2015"}).json()
    assert since["hits"]["data"] and all(h["published"] >= "2015"
                                         for h in since["hits"]["data"])
    assert len(since["hits"]["data"]) < len(dates)
    marked = httpx.get(f"{demo}/search", params={"q": "court", "date_from": "2015"}).text
    assert 'value="2015"' in marked and "<mark>" in marked


# -- what every page must not do ---------------------------------------------------------------


def test_every_page_answers_head_as_get(demo):
    kz = httpx.get(f"{demo}/countries/KZ.json").json()
    event = next(e["event"] for e in kz["feed"]["data"] if e["event"])
    for path in ("/", "/countries", "/countries/KZ?year=2014", "/documents", "/documents/1",
                 "/documents/1?view=analyst", "/events", event["href"], "/actors",
                 "/actors/1", "/search?q=court&country=KZ"):
        for twin in (path, path.replace("?", ".json?") if "?" in path and path != "/"
                     else ("/index.json" if path == "/" else path + ".json")):
            got, head = httpx.get(f"{demo}{twin}"), httpx.head(f"{demo}{twin}")
            assert head.status_code == got.status_code == 200, twin
            assert head.content == b"" and head.headers["content-type"] == \
                got.headers["content-type"], twin
            assert_secured(head)


def test_pages_load_nothing_from_elsewhere_and_serve_no_script(demo, fill, tmp_path: Path):
    laden = tmp_path / "laden.html"
    laden.write_text("<html><body><p onclick=\"alert(1)\">Almaty court fined a Kazakhstan "
                     "newspaper.</p><script>alert(2)</script>"
                     "<p>&lt;script&gt;alert(3)&lt;/script&gt;</p></body></html>",
                     encoding="utf-8")
    laden_id = fill(laden)[0].document_id
    paths = ["/", "/index.json", "/countries", "/countries/KZ", "/countries/KG",
             f"/documents/{laden_id}", f"/documents/{laden_id}?view=analyst", "/documents/1",
             "/documents", "/events", "/events/1", "/actors", "/actors/1",
             "/search?q=Almaty", "/search?q=%3Cscript%3E", "/nope"]
    for path in paths:
        response = httpx.get(f"{demo}{path}")
        assert response.status_code in (200, 404), path
        assert_secured(response)
        body = response.text.lower()
        assert "<script" not in body and "onclick" not in body, path
        assert not re.search(r'<(?:link|img|iframe)[^>]+(?:href|src)="(?:[a-z]+:)?//', body), path
        assert " style=" not in body, path  # the policy allows no inline style
    css = httpx.get(f"{demo}/static/style.css")
    assert css.status_code == 200 and "url(" not in css.text and "@import" not in css.text
    assert_secured(css)


def test_every_link_names_its_target(demo):
    kz = httpx.get(f"{demo}/countries/KZ.json").json()
    event = next(e["event"] for e in kz["feed"]["data"] if e["event"])
    for path in ("/", "/countries/KZ", "/countries/KG", event["href"], "/search?q=court",
                 "/documents", "/events", "/actors"):
        page = httpx.get(f"{demo}{path}").text
        for href, text in links(page):
            assert text and text.lower() not in ("source document", "event", "original",
                                                 "link", "here", "more"), (path, href, text)
        assert not re.search(r"\b1 (?:steps|reports|sources|events|documents)\b",
                             text_of(page)), path
