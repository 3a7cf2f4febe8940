"""Every kind of page, in headless Chromium against the real server over the demo slice: no
serious or critical accessibility violation (axe-core), and nothing wider than a phone."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.web.conftest import KZ_TITLE

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PHONE = 390  # CSS pixels: a common phone's width

pytestmark = pytest.mark.browser


def page_paths(base: str) -> dict[str, str]:
    """One address of every kind of page, found by following the JSON twins."""
    kz = httpx.get(f"{base}/countries/KZ.json").json()
    entry = next(e for e in kz["feed"]["data"] if e["title"] == KZ_TITLE)
    event = entry["event"]
    doc = httpx.get(f"{base}{entry['href']}.json").json()
    actor = httpx.get(f"{base}/actors.json").json()["data"][0]
    listing = next(d for d in httpx.get(f"{base}/documents.json").json()["data"]
                   if d["source"]["kind"] == "listing")
    theme = kz["themes"][0]["value"]
    return {
        "home": "/",
        "countries list": "/countries",
        "country": "/countries/KZ",
        "country with summaries": "/countries/KG",
        "country filtered": f"/countries/KZ?theme={theme}&year=2014&event_type=",
        "documents list": "/documents",
        "document": doc["href"],
        "document analyst view": doc["analyst_href"],
        "listing analyst view": f"{listing['href']}?view=analyst",
        "events list": "/events",
        "event": event["href"],
        "actors list": "/actors",
        "actor": actor["href"],
        "search with results": "/search?q=poster",
        "search narrowed": "/search?q=court&country=KZ&sort=newest",
        "what changed": "/countries/KZ/changes?since=2000-01-01",
        "error 404": "/documents/999999",
    }


@pytest.fixture
def browser_page(demo: str, db_file: Any) -> Iterator[Any]:
    """A Chromium page on the server over the demo slice (with the demo's UN
    recommendations, so that the country page shows them), with its base URL and the
    requests it made to any other host."""
    from rightsrecord.record.recommendations import load_demo
    from rightsrecord.store import open_store

    with open_store(str(db_file)) as store:
        assert load_demo(store).stored
    if not shutil.which(CHROMIUM):
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                     args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page()
        outside: list[str] = []
        page.on("request", lambda r: None if r.url.startswith(demo) else outside.append(r.url))
        page.base = demo  # type: ignore[attr-defined]
        yield page
        browser.close()
        assert outside == [], f"pages asked for outside resources: {outside}"


def test_every_kind_of_page_has_no_serious_accessibility_violation(browser_page):
    from axe_playwright_python.sync_playwright import Axe

    page, axe = browser_page, Axe()
    found: dict[str, list[str]] = {}
    paths = page_paths(page.base)
    for name, path in paths.items():
        response = page.goto(page.base + path)
        assert response.status == (404 if name == "error 404" else 200), (name, path)
        violations = axe.run(page).response["violations"]
        serious = [f"{v['id']} ({v['impact']}): {v['help']} at "
                   f"{[n['target'] for n in v['nodes']][:3]}"
                   for v in violations if v["impact"] in ("serious", "critical")]
        if serious:
            found[name] = serious
    assert found == {}
    assert len(paths) >= 13


def test_no_page_is_wider_than_a_phone(browser_page):
    page = browser_page
    page.set_viewport_size({"width": PHONE, "height": 800})
    wide = {}
    for name, path in page_paths(page.base).items():
        page.goto(page.base + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE:
            wide[name] = width
    assert wide == {}
    # The charts (events per theme, and the trend) are drawn, scaled to the phone, each with
    # its numbers beside it.
    page.goto(page.base + "/countries/KZ")
    for section in ("section.chart", "section.trends"):
        chart = page.locator(f"{section} svg.chart")
        assert chart.count() == 1 and chart.get_attribute("aria-label")
        assert chart.evaluate("e => e.getBoundingClientRect().width") <= PHONE
        assert page.locator(f"{section} table.chart-table tbody tr").count() >= 1
