"""Watchlists match what is new, through the real commands on both stores: each filter
selects and rejects, an event key alerts once, and what the record held before a watchlist
was made never alerts, however often it is linked again."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import free_port

TEXTS = {
    "kg1": "Court jails journalist in Bishkek\n2024-03-05\n\nA court in Bishkek, Kyrgyzstan, "
           "sentenced the journalist Bolot Temirov to five years in prison on March 4, 2024.\n",
    "kz1": "Police detain activist in Almaty\n2024-03-04\n\nPolice in Almaty detained the "
           "activist Maks Bokayev on March 3, 2024 after a rally against land reform, his "
           "wife said.\n",
    "kg2": "Appeal of jailed journalist rejected\n2024-04-10\n\nA court in Bishkek, Kyrgyzstan, "
           "rejected the appeal of the journalist Bolot Temirov on April 9, 2024, his lawyer "
           "said.\n",
    "kz2": "Blogger fined in Astana\n2024-05-02\n\nA court in Astana, Kazakhstan, fined the "
           "blogger Aigul Utepova on Monday for a post criticising officials.\n",
    "kz3": "Journalist detained in Shymkent\n2024-06-11\n\nPolice in Shymkent, Kazakhstan, "
           "detained the journalist Duman Mukhammedkarim on June 10, 2024, his lawyer said.\n",
    "kz4": "Journalist detained in Almaty\n2026-12-01\n\nPolice in Almaty detained the "
           "journalist Aigerim Tleuzhan on November 30, 2026 after she reported on a protest, "
           "her lawyer said.\n",
}

Cli = Callable[..., Any]


@pytest.fixture
def ingest(cli: Cli, tmp_path: Path) -> Callable[..., dict[str, int]]:
    """Store texts through `rightsrecord ingest`; their document ids by name."""

    def run(*names: str) -> dict[str, int]:
        paths = []
        for name in names:
            path = tmp_path / f"{name}.txt"
            path.write_text(TEXTS[name], encoding="utf-8")
            paths.append(str(path))
        r = cli("ingest", *paths, "--format", "jsonl")
        assert r.code == 0, r.err
        lines = [json.loads(line) for line in r.out.splitlines() if line.startswith("{")]
        return {Path(o["input"]).stem: int(o["document_id"]) for o in lines}

    return run


def add(cli: Cli, *args: str) -> int:
    r = cli("watch", "add", *args)
    assert r.code == 0, r.err
    found = re.search(r"^watchlist (\d+) added", r.out, re.M)
    assert found, r.out
    return int(found.group(1))


def alerts(cli: Cli, watchlist_id: int) -> list[dict[str, Any]]:
    r = cli("watch", "alerts", str(watchlist_id), "--limit", "1000", "--format", "json")
    assert r.code == 0, r.err
    return list(json.loads(r.out)["data"])


def run(cli: Cli) -> int:
    """One `watch run`; how many alerts it raised, as it says."""
    r = cli("watch", "run")
    assert r.code == 0, r.err
    found = re.search(r"^(\d+) new alerts;", r.out, re.M)
    assert found, r.out
    return int(found.group(1))


def documents(found: list[dict[str, Any]]) -> set[int]:
    return {int(a["payload"]["document"]["id"]) for a in found}


def test_each_filter_selects_and_rejects_and_each_event_alerts_once(cli: Cli, ingest: Any):
    before = ingest("kg1")  # names Bolot Temirov: the actor is known before the watchlists
    lists = {
        "country": add(cli, "Kazakhstan", "--country", "kz"),
        "theme": add(cli, "Press", "--theme", "freedom-of-the-press"),
        "type": add(cli, "Arrests", "--event-type", "arrest"),
        "actor": add(cli, "Temirov", "--actor", "Temirov"),
        "text": add(cli, "Rallies", "--text", "rally"),
        "all": add(cli, "Everything"),
    }
    docs = ingest("kz1", "kg2", "kz2")
    raised = run(cli)

    got = {name: alerts(cli, wid) for name, wid in lists.items()}
    assert documents(got["country"]) == {docs["kz1"], docs["kz2"]}
    assert documents(got["theme"]) == {docs["kg2"], docs["kz2"]}
    assert documents(got["type"]) == {docs["kz1"]}
    assert documents(got["actor"]) == {docs["kg2"]}
    assert documents(got["text"]) == {docs["kz1"]}
    assert documents(got["all"]) == {docs["kz1"], docs["kg2"], docs["kz2"]}
    assert raised == sum(len(found) for found in got.values())
    assert all(before["kg1"] not in documents(found) for found in got.values())
    for found in got.values():  # one alert per report, however many matched
        keys = [a["payload"]["event"]["key"] for a in found]
        assert len(keys) == len(set(keys))
        assert [a["id"] for a in found] == sorted((a["id"] for a in found), reverse=True)
    assert all(a["payload"]["event"]["type"] == "arrest" for a in got["type"])

    # Nothing new: nothing raised again.
    assert run(cli) == 0
    listed = json.loads(cli("watch", "list", "--format", "json").out)
    assert {w["id"]: w["alerts"] for w in listed} == {
        wid: len(got[name]) for name, wid in lists.items()}
    assert all("secret" not in w for w in listed)


def test_an_event_is_dated_only_as_a_source_states_it(cli: Cli, ingest: Any):
    wid = add(cli, "Kazakhstan", "--country", "KZ")
    docs = ingest("kz1")
    run(cli)
    found = alerts(cli, wid)
    assert found and documents(found) == {docs["kz1"]}
    whens = [a["payload"]["event"]["when"] for a in found]
    for a, w in zip(found, whens, strict=True):
        label = a["payload"]["event"]["when_label"]
        if w["basis"] == "stated":
            assert label == w["date"] == "2024-03-03"  # the day the text says it happened
        else:  # the headline's event: only when it was reported, never as its date
            assert w["basis"] == "reported" and w["date"] is None
            assert label == "reported on 2024-03-04"
        assert a["payload"]["document"]["published"] == "2024-03-04"
        assert a["payload"]["event"]["path"] == f"/events/{a['payload']['event']['id']}"
    assert {w["basis"] for w in whens} == {"stated", "reported"}
    quoted = [a["payload"]["evidence"]["text"] for a in found if a["payload"]["evidence"]]
    assert any("detained the activist Maks Bokayev" in q for q in quoted)


def test_linking_again_raises_no_old_alert(cli: Cli, ingest: Any):
    wid = add(cli, "Kazakhstan", "--country", "KZ")
    ingest("kz1", "kz2")
    first = run(cli)
    assert first > 0
    keys = sorted(a["payload"]["event"]["key"] for a in alerts(cli, wid))

    r = cli("link", "all")
    assert r.code == 0, r.err
    assert run(cli) == 0
    assert sorted(a["payload"]["event"]["key"] for a in alerts(cli, wid)) == keys

    # What is stored after the relink still alerts, once.
    docs = ingest("kz3")
    assert run(cli) > 0
    after = alerts(cli, wid)
    assert documents([a for a in after if a["payload"]["event"]["key"] not in keys]) == {
        docs["kz3"]}
    assert len({a["payload"]["event"]["key"] for a in after}) == len(after)


def test_a_text_alerts_once_per_event_it_tells(cli: Cli, ingest: Any):
    """A text's reports of one event (its development, and the journalist it names as a
    known target) are one alert, and stay one when everything is linked again."""
    wid = add(cli, "Kazakhstan", "--country", "KZ")
    docs = ingest("kz4")
    assert run(cli) > 0
    found = alerts(cli, wid)
    told = [(a["payload"]["document"]["id"], a["payload"]["event"]["id"]) for a in found]
    assert documents(found) == {docs["kz4"]} and len(told) == len(set(told))
    assert cli("link", "all").code == 0
    assert run(cli) == 0


def test_an_actor_is_watched_across_linking_again(cli: Cli, ingest: Any):
    """Linking everything again numbers identities anew: the watchlist keeps following the
    actor it was made for (by its identity's key), not whoever holds its old id."""
    ingest("kz1", "kg1")  # Maks Bokayev, then Bolot Temirov
    wid = add(cli, "Temirov", "--actor", "Bolot Temirov")
    assert cli("link", "all").code == 0
    docs = ingest("kg2", "kz3")
    assert run(cli) > 0
    assert documents(alerts(cli, wid)) == {docs["kg2"]}


def test_a_watchlist_made_after_documents_does_not_alert_on_them(cli: Cli, ingest: Any):
    ingest("kz1", "kg2")
    wid = add(cli, "Late", "--country", "KZ")
    assert run(cli) == 0
    assert cli("link", "all").code == 0  # linked again: still not new
    assert run(cli) == 0
    assert alerts(cli, wid) == []

    docs = ingest("kz2")
    assert run(cli) > 0
    assert documents(alerts(cli, wid)) == {docs["kz2"]}


def test_reports_numbered_anew_raise_no_old_alert(cli: Cli, ingest: Any, tmp_path: Path):
    """A new version with fewer events, then a relink: the store holds fewer reports than
    the watermark counts (SQLite numbers a relink's reports from 1 again), so the watchlist
    reads them all again; only what was stored since it was made may alert."""
    docs = ingest("kz1", "kg2")
    wid = add(cli, "Everything")
    (tmp_path / "kz1.txt").write_text(
        "Police detain activist in Almaty\n2024-03-04\n\nThe activist Maks Bokayev was "
        "freed on bail.\n", encoding="utf-8")
    assert cli("ingest", str(tmp_path / "kz1.txt")).code == 0  # its version 2
    run(cli)
    first = alerts(cli, wid)
    assert {(a["payload"]["document"]["id"], a["payload"]["document"]["version"])
            for a in first} == {(docs["kz1"], 2)}

    assert cli("link", "all").code == 0
    fresh = add(cli, "Made after the relink")
    new = ingest("kz3")  # linked before the watchlist reads again
    assert run(cli) > 0
    now = alerts(cli, wid)
    assert documents(now) == {docs["kz1"], new["kz3"]}
    assert len([a for a in now if a["payload"]["document"]["id"] == docs["kz1"]]) == len(first)
    later = {a["payload"]["event"]["key"] for a in now
             if a["payload"]["document"]["id"] == new["kz3"]}
    assert later == {a["payload"]["event"]["key"] for a in alerts(cli, fresh)}  # all of it
    assert run(cli) == 0


@pytest.mark.parametrize("args, message", [
    (("--theme", "no-such-theme"), "Unknown theme"),
    (("--event-type", "picnic"), "Unknown event type"),
    (("--actor", "Nobody Atall"), "No actor"),
    (("--text", "the of"), "names no word"),
    (("--webhook", "ftp://example.org/hook"), "http:// or https://"),
    (("--webhook", "https://user:pw@example.org/hook"), "credentials"),
])
def test_a_filter_it_cannot_use_is_refused_clearly(cli: Cli, args: tuple[str, ...],
                                                  message: str):
    r = cli("watch", "add", "Bad", *args)
    assert r.code == 2
    assert message in r.err
    assert "no watchlists" in cli("watch", "list").out


def test_a_watchlist_is_listed_and_removed_with_its_alerts(cli: Cli, ingest: Any):
    hook = f"http://127.0.0.1:{free_port()}/k"  # nothing listens: deliveries wait
    wid = add(cli, "Kazakhstan", "--country", "KZ", "--webhook", hook)
    ingest("kz1")
    assert run(cli) > 0
    listed = cli("watch", "list")
    assert "Kazakhstan" in listed.out and hook in listed.out
    r = cli("watch", "remove", str(wid))
    assert r.code == 0 and f"watchlist {wid} removed" in r.out
    assert "no watchlists" in cli("watch", "list").out
    r = cli("watch", "alerts", str(wid))
    assert r.code == 2 and f"No watchlist {str(wid)!r}" in r.err


def test_the_background_loop_matches_until_it_is_stopped(cli: Cli, ingest: Any,
                                                         db_file: Any):
    from rightsrecord.record import watch

    wid = add(cli, "Kazakhstan", "--country", "KZ")
    docs = ingest("kz1")
    stop = threading.Event()
    thread = threading.Thread(target=watch.loop, args=(str(db_file), 0.05, stop),
                              daemon=True)
    thread.start()
    try:
        for _ in range(400):
            if alerts(cli, wid):
                break
            time.sleep(0.05)
    finally:
        stop.set()
        thread.join(30)
    assert not thread.is_alive()
    assert documents(alerts(cli, wid)) == {docs["kz1"]}
