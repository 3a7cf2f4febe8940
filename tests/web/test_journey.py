"""A researcher's journey through the whole demo corpus in headless Chromium: from the home
page to an event's quoted sources, the country's feed and export; search with a facet and
a date order; every page type on a phone-wide screen; and the screenshots of docs/screenshots.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.web.test_browser import CHROMIUM, FLAGS

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
SHOTS = REPO / "docs" / "screenshots"
# Text no page, feed or export may show: a local address, or where the files lie here.
LOCAL = ("file://", "/work/", "/tmp/", str(REPO))
# A Kazakhstan development two outlets reported, each quoting a sentence that dates it.
LAW_TITLE = "Kazakhstan’s new domestic violence law: real gains, one large gap"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    if not shutil.which(CHROMIUM):
        pytest.skip("Chromium is not installed (apt-get install chromium; .ci/run does it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def site(chromium: Any, demo_site: str) -> Iterator[Any]:
    """A fresh browser page on the server over the whole demo corpus; `page.base` is its
    address. The page may ask nothing of other hosts and the browser may report no error."""
    context = chromium.new_context(viewport=DESKTOP)
    page = context.new_page()
    outside: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(demo_site) else
            outside.append(r.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.base = demo_site
    yield page
    context.close()
    assert outside == [], f"the page asked for outside resources: {outside}"
    assert errors == [], f"the browser reported errors: {errors}"


def assert_nothing_local(where: str, text: str) -> None:
    shown = [s for s in LOCAL if s in text]
    assert not shown, f"{where} shows {shown}"


def assert_page_ok(page: Any) -> None:
    assert_nothing_local(page.url, page.content())


def event_id(url: str) -> str:
    found = re.search(r"/events/(\d+)", url)
    assert found, url
    return found.group(1)


def open_law_event(page: Any) -> None:
    """From the Kazakhstan page, the development two outlets reported."""
    entry = page.locator("li.item", has=page.locator("h3", has_text=LAW_TITLE))
    entry.get_by_role("link", name=re.compile(r"^One event, \d+ reports$")).click()
    page.wait_for_url("**/events/*")


def assert_dates_told_honestly(page: Any) -> dict[str, Any]:
    """On the event page open: the date shown for the event is one a quoted source states,
    or it is labelled as the day it was reported; each report says whether it dates it.
    Checked against the page's JSON twin. Returns the twin."""
    twin = page.request.get(f"{page.base}/events/{event_id(page.url)}.json")
    assert twin.ok, twin.status
    event = twin.json()
    when = event["when"]
    told = page.locator("dl.meta > div", has=page.locator("dt", has_text="When"))
    told = told.locator("dd").inner_text()
    reports = event["report_list"]
    if when["basis"] == "stated":
        assert when["date"], event
        assert told.startswith(when["date"]) and "the date a source states" in told, told
        stating = [r for r in reports if r["when"]["basis"] == "stated" and r["evidence"]]
        assert when["date"] in [r["when"]["date"] for r in stating], (told, reports)
    else:
        assert when["date"] is None, event
        assert told.startswith(f"reported on {when['reported']}"), told
    shown = page.locator("ol.reports > li.report")
    assert shown.count() == len(reports)
    for i, r in enumerate(reports):
        text = shown.nth(i).inner_text()
        if r["when"]["basis"] == "stated":
            assert f"This report dates it {r['when']['date']}." in text, text
        else:
            assert "This report dates it" not in text, text
    return event


def test_a_researcher_follows_kazakhstan_to_its_sources_feed_and_export(site):
    import feedparser

    page = site
    page.goto(f"{page.base}/")
    assert_page_ok(page)
    page.get_by_role("link", name="Kazakhstan", exact=True).click()
    page.wait_for_url("**/countries/KZ")
    assert_page_ok(page)
    country = page.url
    open_law_event(page)
    assert_page_ok(page)
    event = assert_dates_told_honestly(page)

    # Each report quotes its evidence and names its source; its link opens the document.
    reports = page.locator("ol.reports > li.report")
    assert reports.count() >= 2
    quoted = []
    for i in range(reports.count()):
        report = reports.nth(i)
        quote = report.locator("blockquote.evidence").inner_text().strip()
        assert quote and report.locator(".source-name").inner_text().strip()
        quoted.append((report.locator("h3 a").inner_text(), quote))
    for title, quote in quoted:
        page.locator("ol.reports h3").get_by_role("link", name=title, exact=True).click()
        page.wait_for_url("**/documents/*")
        assert_page_ok(page)
        assert page.locator("h1").inner_text() == title
        assert " ".join(quote.split()) in " ".join(page.locator("main").inner_text().split())
        page.go_back()
        page.wait_for_url(f"**/events/{event['id']}")

    # The country's Atom feed, by the link on its page.
    page.goto(country)
    href = page.get_by_role("link", name="Atom feed of Kazakhstan").get_attribute("href")
    answer = page.request.get(page.base + href)
    assert answer.ok and "atom" in answer.headers["content-type"]
    assert_nothing_local(href, answer.text())
    feed = feedparser.parse(answer.body())
    assert not feed.bozo, feed.bozo_exception
    assert feed.entries and all(e.get("link") for e in feed.entries)
    assert all(e.link.startswith(f"{page.base}/events/") for e in feed.entries)

    # The country's events as CSV, by the link on its page: the events its list shows.
    href = page.get_by_role("link", name="Kazakhstan’s events as CSV").get_attribute("href")
    answer = page.request.get(page.base + href)
    assert answer.ok and answer.headers["content-type"].startswith("text/csv")
    assert_nothing_local(href, answer.text())
    rows = list(csv.DictReader(io.StringIO(answer.text())))
    assert rows
    for row in rows:  # a date no source states is not given as when it happened
        assert row["date"] if row["date_basis"] == "stated" else not row["date"], row
    page.get_by_role("link", name="Every event in Kazakhstan").click()
    page.wait_for_url("**/events?country=KZ")
    listed: list[str] = []
    while True:
        assert_page_ok(page)
        listed += [event_id(a.get_attribute("href"))
                   for a in page.locator("ul.events-list > li > a").all()]
        more = page.get_by_role("link", name="Next page of events")
        if not more.count():
            break
        more.click()
        page.wait_for_url("**cursor=*")
    assert sorted(row["id"] for row in rows) == sorted(listed)

    # Every event of the country tells its date the same way, page and export alike.
    by_id = {row["id"]: row for row in rows}
    for number in listed:
        page.goto(f"{page.base}/events/{number}")
        assert_page_ok(page)
        twin = assert_dates_told_honestly(page)
        assert by_id[number]["date"] == (twin["when"]["date"] or "")
        assert by_id[number]["date_basis"] == twin["when"]["basis"]


def hits_total(page: Any) -> int:
    found = re.match(r"(\d+) results? for", page.locator("main p.lead").inner_text())
    assert found, page.locator("main p.lead").inner_text()
    return int(found.group(1))


def test_a_researcher_narrows_a_search_by_a_facet_and_sorts_it_by_date(site):
    page = site
    page.goto(f"{page.base}/")
    page.fill("#site-q", "court")
    page.locator("header.site").get_by_role("button", name="Search").click()
    page.wait_for_url("**/search?q=court")
    assert_page_ok(page)
    everything = hits_total(page)
    facet = page.locator("nav.facets").get_by_role(
        "link", name=re.compile(r"^Kazakhstan \((\d+)\)$"))
    counted = int(re.search(r"\((\d+)\)", facet.inner_text()).group(1))
    assert 0 < counted < everything
    facet.click()
    page.wait_for_url("**/search?q=court&country=KZ")
    assert_page_ok(page)
    assert hits_total(page) == counted
    hits = page.locator("ol.hits > li")
    assert 0 < hits.count() <= counted
    assert all(c.endswith("· Kazakhstan") for c in hits.locator("p.cite").all_inner_texts())
    # the facet shows as chosen, and as a filter one may remove
    assert page.locator("nav.facets strong", has_text="Kazakhstan").count() == 1
    assert page.locator("nav.facets").get_by_role("link", name=re.compile("^Kazakhstan")
                                                  ).count() == 0
    active = page.locator("ul.active-filters")
    assert "Country: Kazakhstan" in active.inner_text()

    page.locator("nav.sorts").get_by_role("link", name="Newest first").click()
    page.wait_for_url("**sort=newest*")
    assert_page_ok(page)
    assert page.locator("nav.sorts strong").inner_text() == "newest first"
    assert "Country: Kazakhstan" in page.locator("ul.active-filters").inner_text()
    assert hits_total(page) == counted
    dates = [t.get_attribute("datetime") for t in page.locator("ol.hits > li > time").all()]
    assert len(dates) == hits.count() and all(dates)
    assert dates == sorted(dates, reverse=True)


def first_href(page: Any, path: str, links: str) -> str:
    page.goto(page.base + path)
    href = page.locator(links).first.get_attribute("href")
    assert href, f"no link {links} on {path}"
    return href


def test_every_page_type_fits_a_phone_screen(site):
    page = site
    page.set_viewport_size(PHONE)
    document = first_href(page, "/documents", "ul.documents > li > a")
    paths = ["/", "/countries", "/countries/KZ", "/documents", document,
             f"{document}?view=analyst", "/events",
             first_href(page, "/events", "ul.events-list > li > a"), "/actors",
             first_href(page, "/actors", "ul.actors-list > li > a"), "/search?q=court",
             "/docs"]
    wide = {}
    for path in paths:
        answer = page.goto(page.base + path)
        assert answer.ok, (path, answer.status)
        if path == "/docs":
            page.wait_for_selector(".opblock-summary-path")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            wide[path] = width
    assert wide == {}, f"pages wider than {PHONE['width']} px: {wide}"


def test_screenshots_of_the_main_pages(site, request, tmp_path):
    """The pages the docs show, at a desktop and a phone width. They are written to
    docs/screenshots only when RIGHTSRECORD_SCREENSHOTS=1 (from the SQLite run), so that
    the suite does not rewrite tracked files."""
    page = site
    keep = (os.environ.get("RIGHTSRECORD_SCREENSHOTS") == "1"
            and request.node.callspec.params["demo_site"] == "sqlite")
    folder = SHOTS if keep else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    page.goto(f"{page.base}/countries/KZ")
    open_law_event(page)
    event = page.url.removeprefix(page.base)
    document = page.locator("ol.reports h3 a").first.get_attribute("href")
    pages = {"home": "/", "country-kz": "/countries/KZ", "event": event,
             "document": document, "search": "/search?q=court",
             "changes-kz": "/countries/KZ/changes?since=2000-01-01"}
    # Full pages, cut at a few screens' height to keep the files small.
    for viewport, tallest in ((DESKTOP, 1800), (PHONE, 2400)):
        page.set_viewport_size(viewport)
        for name, path in pages.items():
            page.goto(page.base + path)
            assert_page_ok(page)
            high = min(page.evaluate("document.documentElement.scrollHeight"), tallest)
            shot = folder / f"{name}-{viewport['width']}.png"
            page.screenshot(path=str(shot), full_page=True,
                            clip={"x": 0, "y": 0, "width": viewport["width"], "height": high})
            assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
            assert 20_000 < shot.stat().st_size < 700_000, (shot.name, shot.stat().st_size)
    # The living record's sections of the country page, whole, at the desktop width.
    page.set_viewport_size(DESKTOP)
    page.goto(f"{page.base}/countries/KZ")
    for name in ("drafts", "trends", "recommendations"):
        shot = folder / f"country-kz-{name}-1280.png"
        page.locator(f"section.{name}").screenshot(path=str(shot))
        assert 20_000 < shot.stat().st_size < 700_000, (shot.name, shot.stat().st_size)
