"""The web UI against hostile requests: cursors nested past the JSON decoder's depth, HEAD
on every page, and requests too malformed for the app to see."""

from __future__ import annotations

import base64
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from rightsrecord.store import open_store
from tests.conftest import free_port
from tests.web.test_http import LAYOUT, SECURITY, assert_secured


def nested_cursor(depth: int) -> str:
    """A cursor of arrays inside arrays: base64url of `[[[...]]]`, `depth` deep. 5,000 is
    past the JSON decoder's recursion limit and still fits uvicorn's 16 KB request head."""
    raw = b"[" * depth + b"]" * depth
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def test_a_deeply_nested_cursor_is_a_422_in_both_forms(story):
    base, _ = story
    cursor = nested_cursor(5000)
    for path, name in (("/search", "cursor"), ("/countries/KZ", "cursor"),
                       ("/countries/KZ", "summaries_cursor")):
        params = {name: cursor, **({"q": "Kozlov"} if path == "/search" else {})}
        page = httpx.get(base + path, params=params)
        assert page.status_code == 422, (path, name)
        assert page.headers["content-type"].startswith("text/html")
        assert LAYOUT in page.text and "Bad cursor" in page.text
        assert_secured(page)
        data = httpx.get(base + path + ".json", params=params)
        assert data.status_code == 422, (path, name)
        assert data.json() == {"error": "Bad cursor: not a cursor this store made."}
        assert_secured(data)


def _page_paths(base: str, doc_id: int) -> list[str]:
    doc = httpx.get(f"{base}/documents/{doc_id}.json").json()
    events = [e["href"] for e in doc["events"]]
    actors = [a["href"] for a in doc["actors"]]
    assert events and actors, "the story links an event and an actor"
    paths = ["/", "/index.json", "/countries/KZ", "/countries/KZ.json",
             f"/documents/{doc_id}", f"/documents/{doc_id}.json",
             f"/documents/{doc_id}/versions/1", f"/documents/{doc_id}/versions/1.json",
             "/search?q=Kozlov", "/search.json?q=Kozlov", "/static/style.css", "/favicon.ico",
             "/countries/ZZ", "/documents/999.json"]  # a 404 answers HEAD as GET, too
    for href in events + actors:
        paths += [href, href + ".json"]
    return paths


def test_every_page_answers_head_as_get_without_the_body(story):
    base, doc_id = story
    with httpx.Client(base_url=base) as client:
        for path in _page_paths(base, doc_id):
            got = client.get(path)
            head = client.head(path)
            assert head.status_code == got.status_code != 405, path
            assert head.content == b"", path
            assert {**head.headers, "date": ""} == {**got.headers, "date": ""}, path
            assert_secured(head)


# -- uvicorn's own answers, from a real `rightsrecord serve` -------------------------------------


@pytest.fixture
def served(db_file: Path | str, tmp_path: Path) -> Iterator[int]:
    """`rightsrecord serve` in its own process, on a free loopback port; yields the port."""
    open_store(str(db_file)).close()
    port = free_port()
    log = (tmp_path / "serve.log").open("wb")
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "rightsrecord", "serve", "--db",
                             str(db_file), "--port", str(port)], stdout=log, stderr=log,
                            env=env)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("rightsrecord serve did not start: "
                                       + (tmp_path / "serve.log").read_text()) from None
                time.sleep(0.1)
        yield port
    finally:
        proc.terminate()
        proc.wait(30)
        log.close()


def raw_exchange(port: int, request: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send bytes over a plain socket; the status, headers and body that came back."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(request)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return int(status_line.split()[1]), headers, body


@pytest.mark.parametrize("request_bytes", [
    b"NOT A REQUEST LINE\r\n\r\n",
    b"GET / HTTP/1.1\r\nHost: localhost\r\nBad Header Name: x\r\n\r\n",
    b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Bad: a\x00b\r\n\r\n",
], ids=["request line", "header name", "header value"])
def test_a_request_too_malformed_for_the_app_gets_a_400_with_the_security_headers(
        served, request_bytes):
    status, headers, _ = raw_exchange(served, request_bytes)
    assert status == 400
    for name in SECURITY:
        assert name in headers, name
    assert "default-src 'none'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"


def test_the_served_app_still_answers_a_good_request_and_a_websocket_upgrade(served):
    status, headers, body = raw_exchange(
        served, b"GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
    assert status == 200 and b"<html" in body
    assert all(name in headers for name in SECURITY)
    upgrade = (b"GET / HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade, close\r\n"
               b"Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
               b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n")
    status, headers, _ = raw_exchange(served, upgrade)
    assert status == 200 and all(name in headers for name in SECURITY)
