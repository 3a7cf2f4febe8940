"""The pages as a person sees them: headless Chromium against the real server on loopback."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest

from rightsrecord.demo import corpus_dir
from tests.web.conftest import DEMO_SLICE, KZ_TITLE

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.browser


@pytest.fixture
def bare_page(web_server) -> Iterator[object]:
    """A Chromium page on the server, over an empty store."""
    if not shutil.which(CHROMIUM):
        pytest.skip("Chromium is not installed (apt-get install chromium; .ci/run does it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        page = browser.new_page()
        outside: list[str] = []
        errors: list[str] = []
        page.on("request", lambda r: None if r.url.startswith(web_server) else
                outside.append(r.url))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.base = web_server  # type: ignore[attr-defined]
        page.errors = errors  # type: ignore[attr-defined]
        yield page
        browser.close()
        assert outside == [], f"the page asked for outside resources: {outside}"
        assert errors == [], f"the browser reported errors: {errors}"


@pytest.fixture
def page(bare_page, fill) -> object:
    """A Chromium page on the server, over the demo slice."""
    fill(*(corpus_dir() / p for p in DEMO_SLICE))
    return bare_page


def test_a_person_reads_kazakhstan_and_opens_an_entry(page):
    page.goto(f"{page.base}/")
    assert "built-in method" not in page.locator("p.counts").inner_text()
    page.get_by_role("link", name="Kazakhstan", exact=True).click()
    page.wait_for_url("**/countries/KZ")
    assert page.locator("h1").inner_text().startswith("Kazakhstan")
    assert page.locator("li.item h3", has_text=KZ_TITLE).count() == 1
    # The stylesheet is applied: it comes from the server itself.
    style = page.locator("header.site").evaluate("e => getComputedStyle(e).borderBottomStyle")
    assert style == "solid"
    page.locator("li.item h3").get_by_role("link", name=KZ_TITLE).click()
    page.wait_for_url("**/documents/*")
    assert page.locator("h1").inner_text() == KZ_TITLE
    # The reader view shows the text; the analyst view marks every fact read from it.
    assert page.locator("mark.ann-event").count() == 0
    page.get_by_role("link", name="Analyst view").click()
    page.wait_for_url("**/documents/*?view=analyst")
    assert page.locator("h1").inner_text() == KZ_TITLE
    evidence = page.locator("div.text mark.ann-event")
    assert evidence.count() > 0
    assert "penalises" in " ".join(evidence.all_inner_texts())
    assert page.locator("div.text mark.ann-place", has_text="Almaty").count() > 0
    assert page.locator("tr.event").count() > 0


def test_a_person_pages_through_the_feed_and_searches(page, tmp_path):
    page.goto(f"{page.base}/countries/KZ?limit=2")
    first = page.locator("li.item h3").all_inner_texts()
    page.get_by_role("link", name="Next page").last.click()
    page.wait_for_url("**/countries/KZ?*cursor=*")
    second = page.locator("li.item h3").all_inner_texts()
    # two reports of the poster ruling are one development: three entries in all
    assert len(first) == 2 and len(second) == 1 and not set(first) & set(second)
    page.fill("input[name=q]", "poster")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/search?q=poster")
    assert page.locator("ol.hits > li").count() >= 2
    assert page.locator("ol.hits mark").first.inner_text().lower() == "poster"
    page.locator("ol.hits > li a").first.click()
    page.wait_for_url("**/documents/*")
    page.get_by_role("link", name="Analyst view").click()
    page.wait_for_url("**/documents/*?view=analyst")
    assert page.locator("mark.ann-place").count() > 0

    # The summaries and their source render as a picture, not only as markup.
    page.set_viewport_size({"width": 1000, "height": 900})
    page.goto(f"{page.base}/countries/KG")
    assert page.locator("section.summaries article.summary").count() == 2
    assert page.locator("section.summaries article.summary .cite").first.inner_text() == \
        "Source: kyrgyzstan_country_page.txt"
    shot = tmp_path / "kg.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 20_000


def test_a_person_who_mistypes_an_address_sees_the_site(bare_page):
    page = bare_page
    response = page.goto(f"{page.base}/documents/abc")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "Not found"
    assert page.get_by_role("link", name="Back to all countries").count() == 1
    style = page.locator("header.site").evaluate("e => getComputedStyle(e).borderBottomStyle")
    assert style == "solid"  # the site's own layout and stylesheet
    # Chromium reports the page's own 404 on the console; that is the only complaint.
    assert all("404" in e for e in page.errors), page.errors
    page.errors.clear()


def test_a_person_follows_one_event_to_every_report(page):
    page.goto(f"{page.base}/countries/KZ")
    entry = page.locator("li.item", has_text="Almaty appeals court lets closure")
    assert entry.locator("li.report").count() == 2
    entry.get_by_role("link", name="One event, 2 reports").click()
    page.wait_for_url("**/events/*")
    titles = page.locator("ol.reports > li.report h3").all_inner_texts()
    other = "Kazakhstan: appeal fails as court confirms shutdown of outspoken outlet"
    assert set(titles) == {"Almaty appeals court lets closure of critical outlet stand", other}
    # How the reports were linked is there on request, folded away from the reading.
    assert "linked by link.v3" not in page.locator("main").inner_text()
    page.get_by_text("Why these reports are linked").click()
    assert "linked by link.v3" in page.locator("details.why").inner_text()
    page.get_by_role("link", name=other).click()
    page.wait_for_url("**/documents/*")
    assert page.locator("h1").inner_text() == other
    linked = page.locator("ul.linked-events li")
    assert linked.count() >= 1 and "2 reports" in linked.first.inner_text()
