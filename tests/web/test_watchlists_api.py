"""`/api/v1/watchlists` over real HTTP on both stores: writes only with the server's token
(none configured: 403; a wrong one: 401), the secret in the answer that made it alone, every
answer as the schema says, and each watchlist's alerts as valid Atom."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import feedparser
import httpx
import pytest
import schemathesis
from lxml import etree

from rightsrecord.cli import main
from rightsrecord.web.app import create_app
from tests.conftest import free_port
from tests.record.test_webhooks import KG, KZ
from tests.web.test_feeds import SCHEMA, get_feed, links

API = "/api/v1/watchlists"
TOKEN = "a-token-for-the-tests-0123456789"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture(scope="module")
def atom_schema() -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(SCHEMA)))


def post(base: str, body: dict[str, Any], headers: dict[str, str] | None = None
         ) -> httpx.Response:
    return httpx.post(base + API, json=body, headers=headers or {}, timeout=30)


def test_writes_need_the_server_s_token(web_server: str, monkeypatch: pytest.MonkeyPatch):
    base = web_server
    hook = f"http://127.0.0.1:{free_port()}/hooks/a-secret-path?key=k"
    spec = {"name": "Kazakhstan", "country": "KZ", "webhook_url": hook}

    # No token configured: every write is refused, and the answer says why.
    monkeypatch.delenv("RIGHTSRECORD_API_TOKEN", raising=False)
    for r in (post(base, spec), post(base, spec, AUTH),
              httpx.delete(f"{base}{API}/1", headers=AUTH)):
        assert r.status_code == 403, r.text
        assert "rightsrecord watch" in r.json()["error"]
    assert httpx.get(base + API).json() == {"data": [], "next_cursor": None}

    # A token configured (read as each request comes): a missing or wrong one is 401.
    monkeypatch.setenv("RIGHTSRECORD_API_TOKEN", TOKEN)
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {TOKEN}"},
                    {"Authorization": f"Bearer {TOKEN}x"}):
        r = post(base, spec, headers)
        assert r.status_code == 401, (headers, r.text)
        assert r.headers["WWW-Authenticate"] == "Bearer"
    assert httpx.get(base + API).json()["data"] == []

    made = post(base, spec, AUTH)
    assert made.status_code == 201, made.text
    new = made.json()
    secret = new["secret"]
    assert len(secret) >= 40 and new["webhook_url"] == hook and new["country"] == "KZ"

    # Read back by anyone: never the secret, and the webhook by its origin alone.
    wid = new["id"]
    answers = [httpx.get(base + API), httpx.get(f"{base}{API}/{wid}"),
               httpx.get(f"{base}{API}/{wid}/alerts"), httpx.get(f"{base}{API}/{wid}/feed.atom")]
    assert all(r.status_code == 200 for r in answers)
    for r in answers:
        assert secret not in r.text and "a-secret-path" not in r.text
    one = answers[1].json()
    assert one["webhook_url"] == hook.split("/hooks")[0] + "/…"
    assert "secret" not in one and one["alerts"] == 0

    # Refused as asked: an unknown filter value, a webhook that is not http(s).
    for bad, word in (({"name": "x", "theme": "no-such-theme"}, "Unknown theme"),
                      ({"name": "x", "country": "K1"}, "Unknown country"),
                      ({"name": "x", "webhook_url": "file:///etc/passwd"}, "http://"),
                      ({"name": "x", "secret": "mine"}, "secret")):
        r = post(base, bad, AUTH)
        assert r.status_code == 422 and word in r.json()["error"], r.text

    assert httpx.delete(f"{base}{API}/{wid}", headers={"Authorization": "Bearer no"}
                        ).status_code == 401
    gone = httpx.delete(f"{base}{API}/{wid}", headers=AUTH)
    assert gone.status_code == 204 and gone.content == b""
    assert httpx.get(f"{base}{API}/{wid}").status_code == 404
    assert httpx.delete(f"{base}{API}/{wid}", headers=AUTH).status_code == 404


def test_a_watchlist_s_alerts_are_valid_atom(
        web_server: str, fill: Callable[..., list[Any]], db_file: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, atom_schema: etree.RelaxNG):
    base = web_server
    monkeypatch.setenv("RIGHTSRECORD_API_TOKEN", TOKEN)
    wid = post(base, {"name": "Kazakhstan", "country": "KZ"}, AUTH).json()["id"]
    paths = []
    for name, text in {**KZ, "bishkek": KG}.items():
        paths.append(tmp_path / f"{name}.txt")
        paths[-1].write_text(text, encoding="utf-8")
    fill(*paths)
    assert main(["watch", "run", "--db", str(db_file)]) == 0

    found = httpx.get(f"{base}{API}/{wid}/alerts").json()["data"]
    assert found and all("Bishkek" not in str(a["payload"]) for a in found)
    assert {a["payload"]["document"]["title"] for a in found} == {
        "Police detain activist in Almaty", "Blogger fined in Astana"}

    path = f"{API}/{wid}/feed.atom"
    parsed = get_feed(base, path, atom_schema)
    assert parsed.feed.title == "Watchlist: Kazakhstan"
    assert [e.title for e in parsed.entries] == [a["payload"]["event"]["title"] for a in found]
    for entry, a in zip(parsed.entries, found, strict=True):  # newest first
        assert links(entry, "alternate") == [f"{base}/events/{a['event_id']}"]
        assert entry.summary.startswith(a["payload"]["event"]["when_label"])
        assert entry.summary.startswith(("2024-", "reported on 2024-"))
    quoted = " ".join(e.summary for e in parsed.entries)
    assert "detained the activist Maks Bokayev" in quoted
    head = httpx.head(base + path)
    assert head.status_code == 200 and head.content == b""
    missing = httpx.get(f"{base}{API}/999999/feed.atom")
    assert missing.status_code == 404 and "No watchlist" in missing.json()["error"]
    assert not feedparser.parse(httpx.get(base + path).content).bozo


schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(None))
schema.app = None


def test_writes_with_the_token_answer_as_the_schema_says(db_file: Path,
                                                         monkeypatch: pytest.MonkeyPatch):
    """The fuzzing elsewhere meets a server without a token; here, with one."""
    monkeypatch.setenv("RIGHTSRECORD_API_TOKEN", TOKEN)
    app = create_app(str(db_file))
    made = schema[API]["POST"].Case(
        body={"name": "All", "webhook_url": "https://hooks.example.org/x"}, headers=AUTH
    ).call_and_validate(app=app)
    assert made.status_code == 201
    wid = str(made.json()["id"])
    for path in (API, f"{API}/{{watchlist_id}}", f"{API}/{{watchlist_id}}/alerts",
                 f"{API}/{{watchlist_id}}/feed.atom"):
        case = schema[path]["GET"].Case(path_parameters={"watchlist_id": wid}
                                        if "{" in path else {})
        assert case.call_and_validate(app=app).status_code == 200
    for headers, status in (({}, 401), (AUTH, 204)):
        case = schema[f"{API}/{{watchlist_id}}"]["DELETE"].Case(
            path_parameters={"watchlist_id": wid}, headers=headers)
        assert case.call_and_validate(app=app).status_code == status
