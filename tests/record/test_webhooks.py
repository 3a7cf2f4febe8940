"""Webhook deliveries over real HTTP on loopback, through the real commands on both stores: a
receiver that is down, then slow, then failing, then well; every alert arrives at least once
and none is lost, every signature verifies, attempts are bounded and logged with their
reasons, and an alert that used up its attempts is sent again on request."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from rightsrecord.record.webhooks import DELIVERY, SIGNATURE, TIMESTAMP, sign, verify
from rightsrecord.store import open_store
from tests.conftest import free_port

KZ = {
    "almaty": "Police detain activist in Almaty\n2024-03-04\n\nPolice in Almaty detained the "
              "activist Maks Bokayev on March 3, 2024 after a rally against land reform, his "
              "wife said.\n",
    "astana": "Blogger fined in Astana\n2024-05-02\n\nA court in Astana, Kazakhstan, fined the "
              "blogger Aigul Utepova on April 29, 2024 for a post criticising officials.\n",
}
KG = ("Court jails journalist in Bishkek\n2024-03-05\n\nA court in Bishkek, Kyrgyzstan, "
      "sentenced the journalist Bolot Temirov to five years in prison on March 4, 2024.\n")

TIMEOUT = 1.0  # the client's, in seconds
SLOW = 2.5  # how long the slow answer takes: past the client's timeout
RUN = ("--backoff", "0.05", "--backoff-cap", "0.2", "--timeout", str(TIMEOUT))
MAX = 8

Cli = Callable[..., Any]


class Receiver:
    """A webhook receiver on loopback: on `/hook` it answers each delivery's first request
    after the client has given up, its second with a 500, and 200 from then on; on `/broken`
    500 until `mended`. It keeps every request it read."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.requests: list[dict[str, Any]] = []
        self.mended = False
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    def start(self) -> None:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (the handler's name)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                seen = {"path": self.path, "id": self.headers.get(DELIVERY),
                        "timestamp": self.headers.get(TIMESTAMP),
                        "signature": self.headers.get(SIGNATURE), "body": body}
                with receiver._lock:
                    receiver.requests.append(seen)
                    n = sum(1 for r in receiver.requests
                            if r["id"] == seen["id"] and r["path"] == self.path)
                if self.path == "/broken":
                    code = 200 if receiver.mended else 500
                elif n == 1:
                    time.sleep(SLOW)  # the client has timed out by now
                    code = 200
                else:
                    code = 500 if n == 2 else 200
                seen["answered"] = code
                try:
                    self.send_response(code)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                except OSError:
                    pass  # the client left

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def got(self, path: str) -> list[dict[str, Any]]:
        with self._lock:
            return [r for r in self.requests if r["path"] == path]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver(free_port())  # nothing listens there until it starts
    yield r
    r.stop()


def add(cli: Cli, *args: str) -> tuple[int, str]:
    r = cli("watch", "add", *args)
    assert r.code == 0, r.err
    wid = re.search(r"^watchlist (\d+) added", r.out, re.M)
    secret = re.search(r"^secret (\S+)$", r.out, re.M)
    assert wid and secret, r.out
    return int(wid.group(1)), secret.group(1)


def alerts(cli: Cli, watchlist_id: int) -> list[dict[str, Any]]:
    r = cli("watch", "alerts", str(watchlist_id), "--limit", "1000", "--format", "json")
    assert r.code == 0, r.err
    return list(json.loads(r.out)["data"])


def log(cli: Cli, watchlist_id: int) -> list[dict[str, Any]]:
    r = cli("watch", "log", str(watchlist_id), "--format", "json")
    assert r.code == 0, r.err
    return list(json.loads(r.out))


def ingest(cli: Cli, folder: Path, texts: dict[str, str]) -> None:
    paths = []
    for name, text in texts.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
        paths.append(str(folder / f"{name}.txt"))
    r = cli("ingest", *paths)
    assert r.code == 0, r.err


def test_every_alert_arrives_signed_through_an_unreliable_receiver(
        cli: Cli, receiver: Receiver, tmp_path: Path):
    base = f"http://127.0.0.1:{receiver.port}"
    hook, secret = add(cli, "Kazakhstan", "--country", "KZ", "--webhook", base + "/hook")
    broken, broken_secret = add(cli, "Rallies", "--text", "rally", "--webhook",
                                base + "/broken")
    ingest(cli, tmp_path, {**KZ, "bishkek": KG})

    # The receiver is down: every alert is stored, pending, before and after its attempt.
    r = cli("watch", "run", *RUN, "--max-attempts", str(MAX))
    assert r.code == 0, r.err
    found = alerts(cli, hook)
    assert found and all(a["delivery"] == "pending" for a in found)
    assert {a["payload"]["document"]["title"] for a in found} >= {
        "Police detain activist in Almaty", "Blogger fined in Astana"}
    assert all("Bishkek" not in json.dumps(a["payload"]) for a in found)
    assert "Connection refused" in r.err or "ConnectError" in r.err

    # Up, but slow, then failing, then well: `watch run` again until nothing is pending.
    receiver.start()
    for _ in range(400):
        states = {a["delivery"] for w in (hook, broken) for a in alerts(cli, w)}
        if "pending" not in states:
            break
        assert cli("watch", "run", *RUN, "--max-attempts", str(MAX)).code == 0
        time.sleep(0.05)
    final = alerts(cli, hook)
    assert {a["id"] for a in final} == {a["id"] for a in found}  # none lost, none added
    assert all(a["delivery"] == "delivered" for a in final)

    # At least once: each alert reached the receiver (deduplicated by its delivery id),
    # signed, with its own id and body every time.
    got = receiver.got("/hook")
    assert {int(g["id"]) for g in got if g.get("answered") == 200} == {a["id"] for a in final}
    by_id = {a["id"]: a for a in final}
    for g in got:
        assert verify(secret, g["timestamp"], g["body"], g["signature"])
        assert not verify(broken_secret, g["timestamp"], g["body"], g["signature"])
        assert not verify(secret, g["timestamp"], g["body"] + b" ", g["signature"])
        assert json.loads(g["body"]) == by_id[int(g["id"])]["payload"]
        assert json.loads(g["body"])["id"] == int(g["id"])

    # Bounded and logged: refused, timed out, 500, then 200, each with its reason.
    attempts = log(cli, hook)
    for a in final:
        mine = [t for t in attempts if t["alert_id"] == a["id"]]
        assert 4 <= len(mine) <= MAX
        assert mine[0]["status_code"] is None and "ConnectError" in mine[0]["error"]
        assert mine[1]["status_code"] is None and "timed out" in mine[1]["error"]
        assert {"HTTP 500"} <= {t["error"] for t in mine if t["status_code"] == 500}
        assert mine[-1]["status_code"] == 200 and mine[-1]["error"] is None
        assert all(t["status_code"] != 200 for t in mine[:-1])
    assert len(got) == len(attempts) - len(final)  # all but the refused ones reached it

    # The broken receiver's alert used up its attempts: failed, kept, logged, then sent
    # again on request once the receiver is mended.
    failed = alerts(cli, broken)
    assert len(failed) >= 1 and all(a["delivery"] == "failed" for a in failed)
    tries = log(cli, broken)
    for a in failed:
        mine = [t for t in tries if t["alert_id"] == a["id"]]
        assert len(mine) == MAX
        assert "ConnectError" in mine[0]["error"]
        assert all(t["status_code"] == 500 or "timed out" in t["error"] for t in mine[1:])
    assert len(receiver.got("/broken")) == (MAX - 1) * len(failed)
    receiver.mended = True
    r = cli("watch", "retry", str(broken), *RUN)
    assert r.code == 0, r.err
    assert f"{len(failed)} delivered, 0 to retry, 0 failed" in r.out
    assert all(a["delivery"] == "delivered" for a in alerts(cli, broken))
    last = receiver.got("/broken")[-len(failed):]
    assert all(verify(broken_secret, g["timestamp"], g["body"], g["signature"])
               for g in last)
    assert len(log(cli, broken)) == (MAX + 1) * len(failed)


def test_run_wait_keeps_going_until_nothing_is_pending(cli: Cli, receiver: Receiver,
                                                       tmp_path: Path):
    wid, secret = add(cli, "Kazakhstan", "--country", "KZ", "--webhook",
                      f"http://127.0.0.1:{receiver.port}/hook")
    ingest(cli, tmp_path, {"almaty": KZ["almaty"]})
    receiver.start()
    r = cli("watch", "run", "--wait", *RUN)
    assert r.code == 0, r.err
    found = alerts(cli, wid)
    assert found and all(a["delivery"] == "delivered" for a in found)
    assert re.search(rf"^{len(found)} new alerts; {len(found)} delivered", r.out, re.M)
    assert all(verify(secret, g["timestamp"], g["body"], g["signature"])
               for g in receiver.got("/hook"))


def test_a_delivery_whose_runner_died_is_due_again_after_its_lease(db_file: Any):
    """A runner takes a delivery for one attempt and dies: the store still holds it pending,
    due again once the runner's lease ends; another runner cannot take it meanwhile."""
    from rightsrecord.record import watch
    from rightsrecord.record.webhooks import stamp

    with open_store(str(db_file)) as store:
        w = watch.add(store, watch.WatchlistSpec(name="All", webhook_url="http://127.0.0.1:9/"))
        with store.watching():
            alert = store.add_alert(w.id, event_key="1:arrest:0", cluster_id=None,
                                    document_id=1, payload="{}", created_at="2024-01-01",
                                    deliver_at="2024-01-01T00:00:00.000000+00:00")
        due = store.due_deliveries(stamp())
        assert [d["alert_id"] for d in due] == [alert]
        lease = "2024-01-01T00:05:00.000000+00:00"
        assert store.claim_delivery(alert, due[0]["next_attempt_at"], lease)
        assert not store.claim_delivery(alert, due[0]["next_attempt_at"], lease)  # taken
        assert store.due_deliveries("2024-01-01T00:04:59.000000+00:00") == []
        again = store.due_deliveries("2024-01-01T00:05:00.000000+00:00")
        assert [d["alert_id"] for d in again] == [alert]


def test_verify_checks_the_key_the_body_the_time_and_the_form():
    body = b'{"id": 1}'
    signature = sign("k", "1700000000", body)
    assert signature.startswith("sha256=") and len(signature) == 7 + 64
    assert verify("k", "1700000000", body, signature)
    assert not verify("other", "1700000000", body, signature)
    assert not verify("k", "1700000001", body, signature)
    assert not verify("k", "1700000000", body + b"\n", signature)
    assert not verify("k", "1700000000", body, signature.removeprefix("sha256="))
    assert verify("k", "1700000000", body, signature, tolerance=300, now=1700000100)
    assert not verify("k", "1700000000", body, signature, tolerance=300, now=1700000400)
