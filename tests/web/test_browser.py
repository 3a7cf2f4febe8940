"""The pages as a person sees them: headless Chromium against the real server on loopback."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest

from rightsrecord.process import ingest
from rightsrecord.store import SQLiteStore

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.browser


@pytest.fixture
def page(web_server, db_file, seed_path) -> Iterator[object]:
    if not shutil.which(CHROMIUM):
        pytest.skip("Chromium is not installed (apt-get install chromium; .ci/run does it)")
    from playwright.sync_api import sync_playwright

    with SQLiteStore(db_file) as store:
        ingest(store, [str(seed_path)])
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        page = browser.new_page()
        outside: list[str] = []
        page.on("request", lambda r: None if r.url.startswith(web_server) else
                outside.append(r.url))
        page.base = web_server  # type: ignore[attr-defined]
        yield page
        browser.close()
        assert outside == [], f"the page asked for outside resources: {outside}"


def test_a_person_reads_the_country_page_and_searches(page):
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{page.base}/")
    page.get_by_role("link", name="Kazakhstan").click()
    page.wait_for_url("**/countries/KZ")
    assert page.locator("h1").inner_text().startswith("Kazakhstan")
    assert page.locator("article.summary").count() == 2
    assert page.locator("li.item").count() == 10
    assert page.locator("li.item time").first.inner_text() == "2015-02-27"
    # The stylesheet is applied: it comes from the server itself.
    colour = page.locator("header.site").evaluate("e => getComputedStyle(e).borderBottomStyle")
    assert colour == "solid"
    page.fill("input[name=q]", "poster")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/search?q=poster")
    assert page.locator("ol.hits > li").count() >= 2
    page.locator("ol.hits > li a").first.click()
    page.wait_for_url("**/documents/*")
    assert page.locator("mark.ann-place").count() > 0
    assert errors == []


def test_country_page_screenshot_renders(page, tmp_path):
    page.set_viewport_size({"width": 1000, "height": 900})
    page.goto(f"{page.base}/countries/KZ")
    shot = tmp_path / "kz.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 20_000
