"""The living record as a reader sees it, over real HTTP on the whole demo (both stores):
Kazakhstan's page shows a cited draft summary per year, a trend chart with its numbers, and
UN recommendations beside the events that followed; the API and `show country` give the same
document; the drafts read back as Markdown with every footnote defined; what changed since a
date is a page, a JSON twin and valid Atom."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from html import unescape
from pathlib import Path
from typing import Any

import feedparser
import httpx
import pytest
from lxml import etree, html

from rightsrecord.cli import main

SCHEMA = Path(__file__).resolve().parents[1] / "data" / "atom.rng"


@pytest.fixture(scope="module")
def kz(demo_site: str) -> dict[str, Any]:
    r = httpx.get(f"{demo_site}/api/v1/countries/KZ")
    assert r.status_code == 200, r.text[:300]
    return r.json()


def page_tree(base: str, path: str) -> Any:
    r = httpx.get(base + path)
    assert r.status_code == 200, (path, r.text[:300])
    return html.fromstring(r.text)


def text_of(node: Any) -> str:
    return " ".join(unescape(node.text_content()).split())


def test_the_country_page_shows_a_cited_draft_for_every_year(demo_site: str,
                                                             kz: dict[str, Any]) -> None:
    drafts = kz["draft_summary"]
    assert drafts, "Kazakhstan's demo record has dated events: a draft per year"
    years = [d["year"] for d in drafts]
    assert years == sorted(years, reverse=True)
    for d in drafts:
        assert d["draft"] is True and d["stage"].startswith("drafts.v")
        assert d["sentences"]
        for s in d["sentences"]:
            assert s["sources"], s
            for c in s["sources"]:
                assert c["evidence"] and c["document_id"]
    tree = page_tree(demo_site, "/countries/KZ")
    section = tree.get_element_by_id("drafts-h").getparent()
    shown = text_of(section)
    for d in drafts:
        article = section.get_element_by_id(f"draft-{d['year']}").getparent()
        assert "Draft" in text_of(article.find("h3"))
        body = text_of(article)
        cited = [c for s in d["sentences"] for c in s["sources"]]
        marks = article.xpath(".//sup/a/@href")  # a numbered mark per source of a sentence
        assert len(marks) == len(cited)
        for s in d["sentences"]:
            assert " ".join(s["text"].split()) in body
        for mark, c in zip(marks, cited, strict=True):  # each mark leads to its source
            [note] = article.xpath(f".//li[@id='{mark[1:]}']")
            assert note.xpath(f"./a[@href='/documents/{c['document_id']}']")
            assert " ".join(c["evidence"].split()) in text_of(note)
    assert "Check them against their sources" in shown


def test_the_drafts_read_back_as_markdown_with_every_footnote(demo_site: str,
                                                              kz: dict[str, Any]) -> None:
    r = httpx.get(f"{demo_site}/countries/KZ/draft.md")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/markdown")
    md = r.text
    used = set(re.findall(r"\[\^(\w+)\](?!:)", md))
    defined = set(re.findall(r"^\[\^(\w+)\]:", md, flags=re.M))
    assert used and used == defined
    sentences = sum(len(d["sentences"]) for d in kz["draft_summary"])
    assert len(used) >= sentences
    assert "draft" in md.lower()
    for d in kz["draft_summary"]:
        assert str(d["year"]) in md


def test_the_trend_chart_shows_its_numbers(demo_site: str, kz: dict[str, Any]) -> None:
    rows = [t for t in kz["trends"] if t["theme"] is None and t["event_type"] is None]
    assert rows and kz["trend_test"]
    for t in kz["trends"]:
        assert t["direction"] in (None, "worse", "better", "no clear change", "too few to say")
    tree = page_tree(demo_site, "/countries/KZ")
    section = tree.get_element_by_id("trends-h").getparent()
    assert section.xpath(".//svg[@role='img']")
    table = section.get_element_by_id("trend-caption").getparent()
    body = {text_of(tr.find("th")): [text_of(td) for td in tr.findall("td")]
            for tr in table.xpath(".//tbody/tr")}
    for t in rows:
        cells = body[str(t["year"])]
        assert cells[0] == str(t["events"]) and cells[1] == str(t["documents"])
        assert cells[3] == (t["direction"] or "–")
    label = section.xpath(".//svg/@aria-label")[0]
    for t in rows:
        assert f"{t['year']} {t['events']}" in label


def test_recommendations_sit_beside_the_events_that_followed(demo_site: str,
                                                             kz: dict[str, Any]) -> None:
    recs = kz["recommendations"]
    assert recs, "the demo ships recommendations to Kazakhstan"
    followed = [r for r in recs if r["later_events"]]
    assert followed
    for r in followed:
        for e in r["later_events"]:
            assert e["date"] and r["date"] and e["date"] > r["date"][:len(e["date"])]
            assert e["href"] == f"/events/{e['event_id']}"
    tree = page_tree(demo_site, "/countries/KZ")
    section = tree.get_element_by_id("recs-h").getparent()
    shown = text_of(section)
    for r in recs:
        assert " ".join(r["followed_by"].split()) in shown
    for e in followed[0]["later_events"][:10]:
        assert section.xpath(f".//a[@href='/events/{e['event_id']}']")


def test_the_page_twin_holds_the_api_s_drafts_and_trends(demo_site: str,
                                                         kz: dict[str, Any]) -> None:
    twin = httpx.get(f"{demo_site}/countries/KZ.json").json()  # the API's, with links added
    assert [[s["text"] for s in y["sentences"]] for y in twin["draft_summary"]] \
        == [[s["text"] for s in y["sentences"]] for y in kz["draft_summary"]]
    assert twin["trends"] == kz["trends"]


def test_what_changed_is_a_page_a_twin_and_valid_atom(demo_site: str) -> None:
    today = datetime.now(UTC).date().isoformat()
    twin = httpx.get(f"{demo_site}/countries/KZ/changes.json?since=2000-01-01").json()
    assert twin["changes"], "the whole demo entered the record after 2000"
    kinds = {c["kind"] for c in twin["changes"]}
    assert "document" in kinds
    tree = page_tree(demo_site, "/countries/KZ/changes?since=2000-01-01")
    shown = text_of(tree.body)
    for c in twin["changes"][:10]:
        assert " ".join(c["title"].split()) in shown
    api = httpx.get(f"{demo_site}/api/v1/countries/KZ/changes?since=2000-01-01").json()
    assert [c["title"] for c in api["changes"]] == [c["title"] for c in twin["changes"]]
    tomorrow = httpx.get(f"{demo_site}/countries/KZ/changes.json?since=2999-01-01").json()
    assert tomorrow["changes"] == []
    assert httpx.get(f"{demo_site}/countries/KZ/changes?since=yesterday").status_code == 422
    feed = httpx.get(f"{demo_site}/feeds/countries/KZ/changes.atom?since=2000-01-01")
    assert feed.status_code == 200
    schema = etree.RelaxNG(etree.parse(str(SCHEMA)))
    assert schema.validate(etree.fromstring(feed.content)), schema.error_log.last_error
    parsed = feedparser.parse(feed.content)
    assert not parsed.bozo
    assert [e.title for e in parsed.entries] == [c["title"] for c in twin["changes"]][:50]
    assert today  # the feed's default window is the last month; asked here from 2000


def test_show_country_prints_the_drafts_and_exports_markdown(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "demo.db")
    assert main(["demo", "--db", db]) == 0
    capsys.readouterr()
    assert main(["show", "country", "KZ", "--db", db, "--format", "json"]) == 0
    rec = json.loads(capsys.readouterr().out)
    assert rec["draft_summary"] and rec["recommendations"]
    assert main(["show", "country", "KZ", "--db", db]) == 0
    out = capsys.readouterr().out
    first = rec["draft_summary"][0]
    assert f"[{first['year']}, a draft" in out
    assert "UN recommendations" in out
    assert main(["show", "country", "KZ", "--db", db, "--format", "markdown"]) == 0
    md = capsys.readouterr().out
    assert " ".join(first["sentences"][0]["text"].split()) in " ".join(md.split())
