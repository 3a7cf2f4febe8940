"""The JSON API under /api/v1 over real HTTP, its schema and its docs.

The demo slice is read once per store kind (SQLite, PostgreSQL) for the whole module: every
test here only reads, so they share one filled store and one server.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from rightsrecord.demo import corpus_dir
from rightsrecord.store import open_store
from rightsrecord.web.app import create_app
from tests.conftest import STORES
from tests.web.conftest import DEMO_SLICE, KZ_TITLE, serve

API = "/api/v1"
ROUTES = [API, f"{API}/countries", f"{API}/countries/{{code}}",
          f"{API}/countries/{{code}}/changes", f"{API}/documents",
          f"{API}/documents/{{document_id}}", f"{API}/events", f"{API}/events/{{event_id}}",
          f"{API}/actors", f"{API}/actors/{{actor_id}}", f"{API}/search", f"{API}/watchlists",
          f"{API}/watchlists/{{watchlist_id}}", f"{API}/watchlists/{{watchlist_id}}/alerts",
          f"{API}/watchlists/{{watchlist_id}}/feed.atom"]
# Every route reads; watchlists are also made and removed (with the server's token).
WRITES = {f"{API}/watchlists": ["get", "post"], f"{API}/watchlists/{{watchlist_id}}":
          ["get", "delete"]}
OPERATIONS = [path for path in ROUTES for _ in WRITES.get(path, ["get"])]


@pytest.fixture(scope="module", params=STORES)
def demo_db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
            pipeline: Any) -> Iterator[str]:
    """A store holding the demo slice, read through the real pipeline: its address."""
    from rightsrecord.ingest.pipeline import read
    from rightsrecord.process import process

    pg = None
    if request.param == "sqlite":
        db = str(tmp_path_factory.mktemp("api") / "store.db")
    else:
        pg = request.getfixturevalue("pg_server")
        name = f"t_api_{uuid.uuid4().hex}"
        db = pg.create_database(name, template=request.getfixturevalue("pg_template"))
    with open_store(db) as store:
        outcomes = list(process(read([str(corpus_dir() / p) for p in DEMO_SLICE]), store,
                                pipeline=pipeline))
    assert [o.status for o in outcomes] == ["stored"] * len(DEMO_SLICE)
    yield db
    if pg is not None:
        pg.drop_database(name)


@pytest.fixture(scope="module")
def base(demo_db: str) -> Iterator[str]:
    """The real app over the demo store, served by uvicorn on loopback."""
    with serve(create_app(demo_db)) as url:
        yield url


def get(base: str, path: str, **params: Any) -> httpx.Response:
    return httpx.get(base + path, params=params, timeout=30)


def everything(base: str, path: str, **params: Any) -> list[dict[str, Any]]:
    """Every entry of a paged list, read page by page through the cursors."""
    out: list[dict[str, Any]] = []
    cursor = None
    while True:
        page = get(base, path, **params, **({"cursor": cursor} if cursor else {}))
        assert page.status_code == 200, page.text
        out += page.json()["data"]
        cursor = page.json()["next_cursor"]
        if not cursor:
            return out


def assert_error(response: httpx.Response, status: int, words: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    assert response.json().keys() == {"error"}
    assert words in response.json()["error"]


# -- what each route returns ----------------------------------------------------------------


def test_the_overview_and_countries_hold_the_demo(base, demo_db):
    with open_store(demo_db) as store:
        counts = store.counts()
    overview = get(base, API).json()
    assert (overview["documents"], overview["items"], overview["summaries"]) == (
        counts.documents, counts.items, counts.summaries)
    assert {c["code"]: c["name"] for c in overview["countries"]} == {
        "KZ": "Kazakhstan", "KG": "Kyrgyzstan"}
    assert get(base, f"{API}/countries").json() == overview["countries"]
    assert KZ_TITLE in [d["title"] for d in overview["recent"]]


def test_a_country_has_its_feed_and_a_year_narrows_it(base):
    kz = get(base, f"{API}/countries/KZ").json()
    assert (kz["code"], kz["name"]) == ("KZ", "Kazakhstan")
    titles = [d["title"] for d in kz["feed"]["data"]]
    assert KZ_TITLE in titles
    assert "2015" in [y["value"] for y in kz["years"]]
    assert all(e["when"]["basis"] == "stated" for e in kz["timeline"])
    narrowed = get(base, f"{API}/countries/kz", year=2015).json()
    assert narrowed["code"] == "KZ" and narrowed["filters"]["year"] == 2015
    kept = [d["title"] for d in narrowed["feed"]["data"]]
    assert kept and KZ_TITLE not in kept and set(kept) < set(titles)
    kg = get(base, f"{API}/countries/KG").json()
    assert kg["name"] == "Kyrgyzstan" and len(kg["summaries"]["data"]) == 2


def test_a_filter_outside_its_vocabulary_is_422_json(base):
    assert_error(get(base, f"{API}/countries/KZ", theme="no-such-theme"), 422,
                 "Unknown theme 'no-such-theme'")
    assert_error(get(base, f"{API}/events", type="picnic"), 422, "Unknown event type")
    assert_error(get(base, f"{API}/documents", kind="scroll"), 422, "Unknown document kind")
    assert_error(get(base, f"{API}/actors", type="robot"), 422, "Unknown actor type")
    assert_error(get(base, f"{API}/events", year=1066), 422, "year")
    assert_error(get(base, f"{API}/events", cursor="not-ours"), 422, "Bad cursor")
    assert_error(get(base, f"{API}/countries/KZ", summaries_cursor="x"), 422, "Bad cursor")
    assert_error(get(base, f"{API}/documents", limit=0), 422, "limit")
    assert_error(get(base, f"{API}/search", q="x", sort="random"), 422, "sort")
    assert_error(get(base, f"{API}/search", q="x", date_from="May 2015"), 422, "date_from")
    # a NUL in any filter is refused before it reaches PostgreSQL, which cannot hold one
    assert_error(get(base, f"{API}/search", q="x", source_kind="\x00"), 422,
                 "Unknown source kind")
    assert_error(get(base, f"{API}/search", q="x", source_kind="scroll"), 422,
                 "Unknown source kind")


def test_a_path_that_names_nothing_is_404_json(base):
    for path in ("countries/FR", "countries/KAZ", "events/abc", "events/0",
                 "events/99999999999999999999", "actors/-1", "actors/999999",
                 "documents/1.5", "documents/999999", "no-such-thing"):
        assert_error(get(base, f"{API}/{path}"), 404, "No ")
    assert_error(get(base, f"{API}/documents/1", version=2), 404, "has no version 2")
    assert_error(get(base, f"{API}/documents/1", version="two"), 422, "version")


def test_lists_page_through_every_entry_once(base):
    for path, params in ((f"{API}/events", {}), (f"{API}/events", {"country": "KG"}),
                         (f"{API}/documents", {}), (f"{API}/actors", {})):
        whole = get(base, path, limit=200, **params).json()
        assert whole["next_cursor"] is None and len(whole["data"]) > 2
        paged = everything(base, path, limit=2, **params)
        assert [e["id"] for e in paged] == [e["id"] for e in whole["data"]]
    kg = everything(base, f"{API}/events", country="kg", limit=3)
    assert kg and {e["country"] for e in kg} == {"KG"}


def test_an_event_an_actor_and_a_document_in_full(base):
    events = get(base, f"{API}/events", country="KZ", limit=200).json()["data"]
    poster = next(e for e in events if e["title"] == KZ_TITLE)
    event = get(base, f"{API}/events/{poster['id']}").json()
    assert event["id"] == poster["id"] and event["country"] == "KZ"
    assert event["reports"] == len(event["report_list"]) >= 2
    assert all(r["evidence"]["text"] for r in event["report_list"] if r["evidence"])
    doc_id = event["report_list"][0]["source"]["document_id"]
    document = get(base, f"{API}/documents/{doc_id}").json()
    assert document["id"] == doc_id and poster["id"] in [e["id"] for e in document["events"]]
    assert document["record"]["text"] == document["text"]
    assert get(base, f"{API}/documents/{doc_id}", version=1).json()["is_current"] is True
    actors = everything(base, f"{API}/actors")
    merkul = next(a for a in actors if a["name"] == "Alexandr Merkul")
    actor = get(base, f"{API}/actors/{merkul['id']}").json()
    assert actor["name"] == "Alexandr Merkul" and actor["documents"]
    assert get(base, f"{API}/actors", type="organisation").json()["data"]
    assert all(a["type"] == "organisation"
               for a in get(base, f"{API}/actors", type="organisation").json()["data"])


def test_search_returns_hits_and_facets(base):
    found = get(base, f"{API}/search", q="poster").json()
    assert KZ_TITLE in [h["title"] for h in found["hits"]["data"]]
    assert all("[" in h["snippet"] for h in found["hits"]["data"])
    assert isinstance(found["facets"], dict) and found["query"]["q"] == "poster"
    nothing = get(base, f"{API}/search", q="zyzzyvaword").json()
    assert nothing["hits"]["data"] == []


def test_head_answers_as_get_without_a_body(base):
    for path in (API, f"{API}/countries/KZ", f"{API}/events", f"{API}/search?q=poster"):
        head = httpx.head(base + path)
        assert head.status_code == 200 and head.content == b""
        assert head.headers["content-type"] == "application/json"
    assert httpx.head(f"{base}{API}/events/abc").status_code == 404
    assert httpx.post(f"{base}{API}/events").status_code == 405


def test_the_country_document_is_the_clis(base, demo_db):
    """`show country --format json` and /api/v1/countries/{code} are one document."""
    for code, args in (("KZ", []), ("KG", []), ("KZ", ["--year", "2015"])):
        run = subprocess.run([sys.executable, "-m", "rightsrecord", "show", "country", code,
                              "--format", "json", *args, "--db", demo_db],
                             capture_output=True, text=True, timeout=120)
        assert run.returncode == 0, run.stderr
        params = {"year": args[1]} if args else {}
        assert json.loads(run.stdout) == get(base, f"{API}/countries/{code}", **params).json()


# -- the schema -----------------------------------------------------------------------------


def test_the_schema_describes_the_api_alone(base):
    schema = get(base, "/openapi.json").json()
    assert list(schema["paths"]) == ROUTES
    assert {path: list(ops) for path, ops in schema["paths"].items()} == {
        path: WRITES.get(path, ["get"]) for path in ROUTES}
    error = {"$ref": "#/components/schemas/ErrorBody"}
    detail = schema["paths"][f"{API}/events/{{event_id}}"]["get"]["responses"]
    assert detail["404"]["content"]["application/json"]["schema"] == error
    listing = schema["paths"][f"{API}/events"]["get"]
    assert listing["responses"]["422"]["content"]["application/json"]["schema"] == error
    theme = next(p for p in listing["parameters"] if p["name"] == "theme")
    assert theme["schema"]["type"] == "string" and "detention" in theme["schema"]["enum"]
    assert "HTTPValidationError" not in json.dumps(schema)


# The schema comes from an app over no store (reading it opens none); every case is sent to
# the app over the demo store (`app=`), once per store kind.
schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(None))
schema.app = None  # a case sent without `app=` fails rather than reaching a default store
MADE_UP = {"cursor", "summaries_cursor"}  # opaque: the schema cannot say which strings work


@pytest.fixture(scope="module")
def demo_app(demo_db: str) -> Any:
    return create_app(demo_db)


def _check(case: Any, app: Any) -> None:
    """No 500, every status documented, every body valid against its schema; a made-up
    cursor may be refused (422) though the schema allows any string."""
    excluded = [positive_data_acceptance] if MADE_UP & set(case.query or {}) else []
    case.call_and_validate(app=app, excluded_checks=excluded)


# The suite's run is derandomised, so it answers the same way every time; the long run
# below explores anew each time: `.venv/bin/python -m pytest -m slow tests/web/test_api.py`.
@schema.parametrize()
@settings(max_examples=25, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_every_route_answers_as_its_schema_says(case, demo_app):
    _check(case, demo_app)


@pytest.mark.slow
@schema.parametrize()
@settings(max_examples=1000, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_route_answers_as_its_schema_says_at_length(case, demo_app):
    _check(case, demo_app)


def test_every_stored_thing_answers_as_its_schema_says(demo_app, demo_db):
    """The fuzzing rarely hits a stored id: validate each one the demo holds."""
    with open_store(demo_db) as store:
        ids = {"events": [c.id for c in store.event_rows(limit=200).data],
               "actors": [i.id for i in store.identity_rows(limit=200).data],
               "documents": [d.id for d in store.document_rows(limit=200).data]}
    assert all(ids.values())
    for kind, param in (("events", "event_id"), ("actors", "actor_id"),
                        ("documents", "document_id")):
        operation = schema[f"{API}/{kind}/{{{param}}}"]["GET"]
        for one in ids[kind]:
            case = operation.Case(path_parameters={param: str(one)})
            assert case.call_and_validate(app=demo_app).status_code == 200
    countries = schema[f"{API}/countries/{{code}}"]["GET"]
    for query in ({}, {"year": 2015}, {"theme": "freedom-of-the-press"},
                  {"event_type": "conviction-sentence"}, {"limit": 1}):
        for code in ("KZ", "KG"):
            case = countries.Case(path_parameters={"code": code}, query=query)
            assert case.call_and_validate(app=demo_app).status_code == 200
    case = schema[f"{API}/search"]["GET"].Case(query={"q": "poster"})
    assert case.call_and_validate(app=demo_app).status_code == 200


# -- the docs -------------------------------------------------------------------------------


def test_the_docs_use_only_this_hosts_assets(base):
    page = get(base, "/docs")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe" not in csp and "http" not in csp
    assert "<script>" not in page.text  # no inline script: the CSP would refuse it
    assets = re.findall(r'(?:src|href|data-openapi-url)="([^"]+)"', page.text)
    assert "/openapi.json" in assets and len(assets) == 5
    for asset in assets:
        assert asset.startswith("/") and not asset.startswith("//"), asset
        loaded = get(base, asset)
        assert loaded.status_code == 200 and loaded.content, asset
    assert "SwaggerUIBundle" in get(base, "/docs/assets/swagger-init.js").text
    # the rest of the site keeps the strict CSP: no script at all
    for path in ("/", f"{API}/countries", "/openapi.json", "/docs/assets/swagger-init.js"):
        assert "script-src" not in get(base, path).headers["content-security-policy"]


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.mark.browser
def test_a_person_reads_the_docs_and_tries_a_route(tmp_path: Path):
    """Swagger UI runs under the docs' CSP, from this host alone, and calls the API."""
    if not shutil.which(CHROMIUM):
        pytest.skip("Chromium is not installed (apt-get install chromium; .ci/run does it)")
    from playwright.sync_api import sync_playwright

    from tests.web.test_browser import FLAGS

    db = str(tmp_path / "store.db")
    open_store(db).close()
    with serve(create_app(db)) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        page = browser.new_page()
        outside: list[str] = []
        errors: list[str] = []
        page.on("request", lambda r: None if r.url.startswith(url) else outside.append(r.url))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"{url}/docs")
        page.wait_for_selector(".opblock-summary-path")
        assert page.locator(".opblock-summary-path").all_inner_texts() == OPERATIONS
        block = page.locator(".opblock", has=page.locator(".opblock-summary-path",
                                                          has_text=re.compile(f"^{API}$")))
        block.locator(".opblock-summary").click()
        block.get_by_role("button", name="Try it out").click()
        block.get_by_role("button", name="Execute").click()
        answer = block.locator(".live-responses-table .response")
        answer.wait_for()
        assert answer.locator(".response-col_status").inner_text().strip() == "200"
        assert '"documents": 0' in answer.locator(".microlight").first.inner_text()
        browser.close()
    assert outside == [], f"the docs asked for outside resources: {outside}"
    assert errors == [], f"the browser reported errors: {errors}"
