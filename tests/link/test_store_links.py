"""Linking in the store, as a user meets it: ingest, then the CLI and the pages. Each test runs
on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from rightsrecord.cli import main
from rightsrecord.demo import corpus_dir
from rightsrecord.ingest.pipeline import read
from rightsrecord.process import process
from rightsrecord.store import open_store
from rightsrecord.web.app import create_app
from rightsrecord.web.views import find_actor
from tests.web.conftest import serve

CLOSURE = ("news/steppe_2015-02-27_almaty_appeal_media_closure.html",
           "text/caspian_2015-02-27_outlet_closure.txt",
           "news/desk_2015-02-28_almaty_appeal_repost.html",
           "news/desk_2015-03-02_media_pluralism_hit.html")
POSTER = ("news/caspian_2014-10-02_poster_lawsuits.html",
          "text/steppe_2014-10-28_poster_ruling.txt",
          "news/desk_2014-10-29_poster_damages.html")
SHAMSIDDIN = ("news/caspian_2024-01-30_tajik_activist_deported.html",
              "text/steppe_2024-01-31_shamsiddin_jailed.txt")


@pytest.fixture(scope="module")
def pipeline() -> Any:
    from rightsrecord.extract.pipeline import Pipeline

    return Pipeline()


@pytest.fixture
def fill(db_file: Path | str, pipeline: Any) -> Callable[..., dict[str, int]]:
    """Ingest files as `rightsrecord ingest` does; returns each file's document id."""
    def run(*paths: str | Path) -> dict[str, int]:
        with open_store(str(db_file)) as store:
            outcomes = list(process(read([str(p) for p in paths]), store, pipeline=pipeline))
        assert all(o.status == "stored" for o in outcomes), [o.line() for o in outcomes]
        return {Path(str(p)).name: int(o.document_id or 0)
                for p, o in zip(paths, outcomes, strict=True)}
    return run


def demo(*names: str) -> list[Path]:
    return [corpus_dir() / n for n in names]


def run_cli(db: Path | str, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(["--db", str(db), *argv])
    out = capsys.readouterr()
    return code, out.out + out.err


def test_one_closure_is_one_event_with_every_source(db_file, fill, capsys) -> None:
    ids = fill(*demo(*CLOSURE, *POSTER))
    with open_store(str(db_file)) as store:
        by_doc = store.clusters_of_documents(ids.values())
        repost = ids["desk_2015-02-28_almaty_appeal_repost.html"]
        original = ids["steppe_2015-02-27_almaty_appeal_media_closure.html"]
        assert store.copy_of(repost) == original
        reports = [by_doc[ids[Path(n).name]] for n in CLOSURE if "repost" not in n]
        assert len(set(reports)) == 1
        ruling = {by_doc[ids["steppe_2014-10-28_poster_ruling.txt"]],
                  by_doc[ids["desk_2014-10-29_poster_damages.html"]]}
        assert len(ruling) == 1
        # the call of October 1 to drop the suits is another development
        assert by_doc[ids["caspian_2014-10-02_poster_lawsuits.html"]] not in ruling
        assert reports[0] not in ruling
    code, out = run_cli(db_file, capsys, "show", "event", str(reports[0]))
    assert code == 0
    assert "4 sources" in out
    for title in ("Almaty appeals court lets closure of critical outlet stand",
                  "Kazakhstan: appeal fails as court confirms shutdown of outspoken outlet",
                  "Media pluralism takes another hit in Kazakhstan"):
        assert title in out
    assert "also published at" in out and "almaty_appeal_repost" in out


def test_the_country_page_shows_a_development_once_with_its_reports(db_file, fill) -> None:
    ids = fill(*demo(*CLOSURE))
    with serve(create_app(str(db_file))) as base:
        repost = httpx.get(f"{base}/documents/"
                           f"{ids['desk_2015-02-28_almaty_appeal_repost.html']}").text
        original = httpx.get(f"{base}/documents/"
                             f"{ids['steppe_2015-02-27_almaty_appeal_media_closure.html']}").text
        page = httpx.get(f"{base}/countries/KZ").text
        feed = httpx.get(f"{base}/countries/KZ.json").json()["feed"]["data"]
        entry = next(e for e in feed if e["reports"])
        event = httpx.get(f"{base}/events/{entry['event']['id']}")
        event_json = httpx.get(f"{base}/events/{entry['event']['id']}.json").json()
    # the feed of developments (the drafts above it cite these reports too)
    feed_html = page[page.index('id="feed-h"'):page.index('id="timeline-h"')]
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", feed_html))
    assert "One event, 3 reports" in text
    # the other reports are listed under the development, not as developments of their own
    assert text.count("Kazakhstan: appeal fails as court confirms shutdown") == 1
    assert text.count("Media pluralism takes another hit in Kazakhstan") == 1
    assert len(feed) == 1  # three reports and a repost: one development
    assert event.status_code == 200
    assert "Media pluralism takes another hit in Kazakhstan" in event.text
    assert "Also published at" in event.text
    assert event_json["sources"] == 4
    assert "This document repeats" in repost
    assert "Also published at" in original and "almaty_appeal_repost" in original
    assert "Linked events" in original and "3 reports" in original
    assert all(r["link"]["linked_by"] == "link.v3" and (r["link"]["signals"] or r["link"]["first"])
               for r in event_json["report_list"])


def test_a_case_dossier_lists_the_steps_with_sources(db_file, fill, capsys) -> None:
    fill(*demo(*SHAMSIDDIN))
    code, out = run_cli(db_file, capsys, "show", "case", "Abdullohi Shamsiddin")
    assert code == 0, out
    steps = re.findall(r"^• \S+\s+(\w+)", out, re.M)
    assert {"detention", "deportation", "sentence"} <= set(steps)
    assert "Tajik activist jailed for seven years after Germany sent him back" in out
    with open_store(str(db_file)) as store:
        actor = find_actor(store, "Shamsiddin")
    with serve(create_app(str(db_file))) as base:
        page = httpx.get(f"{base}/actors/{actor}").text
        twin = httpx.get(f"{base}/actors/{actor}.json").json()
    assert "detention" in page and "2023-01-18" in page
    assert [s["step"] for s in twin["case"]] == re.findall(r'class="step-name">([^<]+)<', page)


def test_search_finds_an_actor_under_another_spelling(db_file, fill, capsys) -> None:
    fill(*demo("news/steppe_2014-10-09_nazarbaev_brussels.html"))
    code, out = run_cli(db_file, capsys, "search", "Nazarbayev")
    assert code == 0
    assert "Nazarbaev in Brussels" in out
    code, out = run_cli(db_file, capsys, "search", "Nazarbayevich")
    assert "no matches" in out  # another name does not fold onto it


@pytest.mark.parametrize("query", ["Brussels Nazarbayev", "Nazarbayev Brussels",
                                   "Nazarbayev OR Brussels"])
def test_search_for_a_spelling_beside_other_words(db_file, fill, capsys, query) -> None:
    fill(*demo("news/steppe_2014-10-09_nazarbaev_brussels.html"))
    code, out = run_cli(db_file, capsys, "search", query)
    assert code == 0, out
    assert "Nazarbaev in Brussels" in out


def test_corrections_survive_linking_again(db_file, fill, capsys) -> None:
    fill(*demo(*CLOSURE))
    with open_store(str(db_file)) as store:
        cid = store.clusters_of_documents([1]).get(1)
        keys = store.cluster_keys(cid)
    assert len(keys) == 3
    code, out = run_cli(db_file, capsys, "link", "split", keys[-1], "--note", "a follow-up")
    assert code == 0, out
    with open_store(str(db_file)) as store:  # the report split off stays in its country
        country = store.cluster(cid).cluster.country
        split_off = store.cluster(store.cluster_of_key(keys[-1]))
        assert country == "KZ" and split_off.cluster.country == country
    for _ in range(2):
        with open_store(str(db_file)) as store:
            assert store.cluster_of_key(keys[-1]) != store.cluster_of_key(keys[0])
            assert store.cluster_of_key(keys[1]) == store.cluster_of_key(keys[0])
        assert run_cli(db_file, capsys, "link", "all")[0] == 0
    with open_store(str(db_file)) as store:
        a, b = store.cluster_of_key(keys[0]), store.cluster_of_key(keys[-1])
    code, out = run_cli(db_file, capsys, "link", "merge", str(a), str(b))
    assert code == 0, out
    assert run_cli(db_file, capsys, "link", "all")[0] == 0
    with open_store(str(db_file)) as store:
        assert store.cluster_of_key(keys[-1]) == store.cluster_of_key(keys[0])
    code, out = run_cli(db_file, capsys, "link", "split", "no-such-key")
    assert code == 2 and "no report" in out


def test_the_same_act_against_other_people_stays_apart(db_file, fill, tmp_path) -> None:
    texts = {
        "a.txt": "Police detain journalist in Almaty\n2023-03-15\n\nPolice in Almaty detained "
                 "journalist Serik Abenov on March 14, 2023, after he filmed a protest. Abenov "
                 "was taken to the Almaly district police station, his lawyer said.",
        "b.txt": "Almaty blogger held by police\n2023-03-16\n\nPolice in Almaty detained "
                 "blogger Dana Omarova on March 14, 2023, over posts about the protest. "
                 "Omarova was held overnight at a police station, her sister said.",
        "c.txt": "Journalist Abenov detained\n2023-03-15\n\nSerik Abenov, a journalist, was "
                 "detained by Almaty police on Tuesday after filming a rally, according to "
                 "his lawyer, who said Abenov was held at a district station.",
    }
    for name, text in texts.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    ids = fill(*(tmp_path / n for n in texts))
    with open_store(str(db_file)) as store:
        by_doc = store.clusters_of_documents(ids.values())
    assert by_doc[ids["a.txt"]] != by_doc[ids["b.txt"]]
    assert by_doc[ids["c.txt"]] != by_doc[ids["b.txt"]]


def test_bad_event_and_actor_requests_get_clear_errors(db_file, fill, capsys) -> None:
    fill(*demo("news/steppe_2014-10-09_nazarbaev_brussels.html"))
    code, out = run_cli(db_file, capsys, "show", "event", "999999")
    assert code == 2 and "no event '999999'" in out
    code, out = run_cli(db_file, capsys, "show", "case", "Nobody Atall")
    assert code == 2 and "no actor 'Nobody Atall'" in out
    code, out = run_cli(db_file, capsys, "link", "merge", "1", "x")
    assert code == 2 and "two event ids" in out
    with serve(create_app(str(db_file))) as base:
        assert httpx.get(f"{base}/events/abc").status_code == 404
        missing = httpx.get(f"{base}/actors/424242.json")
    assert missing.status_code == 404 and "No actor" in missing.json()["error"]
    code, out = run_cli(db_file, capsys, "show", "actor", "Nazarbayev")
    assert code == 0 and "Nursultan Nazarbaev" in out and "Nazarbaev" in out
