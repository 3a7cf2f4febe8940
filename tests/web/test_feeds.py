"""The Atom feeds, over real HTTP: each kind valid against RFC 4287's schema (RELAX NG, in
tests/data/atom.rng), read back by feedparser with the entries and links the read services
give, and never a date no source states given as when an event happened."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import feedparser
import httpx
import pytest
from lxml import etree

from rightsrecord.demo import corpus_dir
from rightsrecord.ingest.pipeline import read
from rightsrecord.process import process
from rightsrecord.read import services
from rightsrecord.read.models import SearchQuery
from rightsrecord.read.provenance import date_label
from rightsrecord.store import open_store
from rightsrecord.web.feeds import urn

ATOM_NS = "{http://www.w3.org/2005/Atom}"
SCHEMA = Path(__file__).resolve().parents[1] / "data" / "atom.rng"
REPO = Path(__file__).resolve().parents[2]
WEB_URL = "https://news.example.org/kz/2015/detained?utm=feed&x=1"
WEB_STORY = {"id": "w1", "title": "Police detain journalist in Almaty", "url": WEB_URL,
             "published": "2015-03-02",
             "text": "Police detain journalist in Almaty\n\nPolice in Almaty detained the "
                     "journalist Yerlan Askarov on March 1, 2015, after he reported on a "
                     "protest, his lawyer said."}
UNDATED = ("Activist detained after rally\n\nPolice in Almaty detained the activist Maks "
           "Bokayev on Monday after a rally against land reform, his wife said.\n")


@pytest.fixture(scope="module")
def atom_schema() -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(SCHEMA)))


@pytest.fixture
def record(demo: str, db_file: Path, pipeline: Any, tmp_path: Path) -> str:
    """The demo slice, a story from a web address and an undated text; the server's URL."""
    lines = tmp_path / "web.jsonl"
    lines.write_text(json.dumps(WEB_STORY) + "\n", encoding="utf-8")
    undated = tmp_path / "undated.txt"
    undated.write_text(UNDATED, encoding="utf-8")
    with open_store(str(db_file)) as store:
        done = list(process(read([str(lines)], input_format="jsonl"), store,
                            pipeline=pipeline))
        done += list(process(read([str(undated)]), store, pipeline=pipeline))
    assert all(o.status != "rejected" for o in done)
    return demo


def valid(schema: etree.RelaxNG, body: bytes) -> bool:
    return bool(schema.validate(etree.fromstring(body)))


def get_feed(base: str, path: str, schema: etree.RelaxNG) -> Any:
    """A feed fetched, checked against the schema and read back by feedparser."""
    r = httpx.get(base + path)
    assert r.status_code == 200, (path, r.text[:300])
    assert r.headers["content-type"].startswith("application/atom+xml")
    assert valid(schema, r.content), (path, schema.error_log.last_error)
    for local in ("file://", str(REPO), str(corpus_dir())):  # sources by name, never path
        assert local not in r.text, (path, local)
    parsed = feedparser.parse(r.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert parsed.feed.links[0].href == base + path  # rel="self"
    assert parsed.feed.author == "rightsrecord"
    return parsed


def links(entry: Any, rel: str) -> list[str]:
    return [link.href for link in entry.links if link.rel == rel]


def day(value: str) -> str:
    return datetime.fromisoformat(value).date().isoformat()


def check_events(base: str, parsed: Any, expected: list[Any]) -> None:
    """Entries that are events, as `services.event` gives them: id, title, link to our page,
    related sources, and dates only as reported."""
    assert [e.id for e in parsed.entries] == [urn("event", x.id) for x in expected]
    for entry, ev in zip(parsed.entries, expected, strict=True):
        assert entry.title == ev.title
        assert links(entry, "alternate") == [f"{base}/events/{ev.id}"]
        related = links(entry, "related")
        for r in ev.report_list:
            assert f"{base}/documents/{r.source.document_id}/versions/{r.source.version}" \
                in related
            if r.source.url:
                assert r.source.url in related
        assert entry.summary.startswith(date_label(ev.when))
        if ev.when.reported:
            assert day(entry.published) == day(entry.updated) == ev.when.reported
        else:  # no source says when: no `published`; `updated` is when it was stored
            assert "published" not in entry
            assert entry.summary.startswith("undated")
        if ev.when.basis != "stated" and ev.when.reported:
            assert entry.summary.startswith(f"reported on {ev.when.reported}")


def test_every_feed_is_valid_atom_with_the_record_s_entries(
        record: str, db_file: Path, atom_schema: etree.RelaxNG) -> None:
    base = record
    with open_store(str(db_file)) as store:
        kz = services.country(store, "KZ", limit=50)
        court = [services.event(store, e.id)
                 for e in services.events(store, event_type="court-ruling").data]
        protests = [services.event(store, e.id) for e in
                    services.events(store, event_type="protest-with-intervention").data]
        theme_code = "freedom-of-opinion-and-expression"
        themed = [services.event(store, e.id)
                  for e in services.events(store, theme=theme_code).data]
        kozlov = services.find_actor(store, "Vladimir Kozlov")
        case = services.actor(store, kozlov) if kozlov else None
        hits = services.search(store, SearchQuery(q="court"), limit=50).hits.data
        stored = {urn("event", e.id): services.stored_at(store, e.report_list[0].source
                                                          .document_id)
                  for e in protests if not e.when.reported}
    assert court and protests and themed and case and case.case and hits

    # a country's dated feed: its developments, each linked to its event and its sources
    parsed = get_feed(base, "/feeds/countries/KZ.atom", atom_schema)
    assert [e.id for e in parsed.entries] == [urn("development", d.id) for d in kz.feed.data]
    assert parsed.feed.title == "Kazakhstan: developments"
    web = next(e for e in parsed.entries if e.title == WEB_STORY["title"])
    assert WEB_URL in links(web, "related")  # the source's own address, & escaped and back
    assert web.summary.startswith("2015-03-01")  # the date the story states
    assert "Police in Almaty detained the journalist Yerlan Askarov" in web.summary
    for entry, dev in zip(parsed.entries, kz.feed.data, strict=True):
        page = f"/events/{dev.event.id}" if dev.event else f"/documents/{dev.source.document_id}"
        assert links(entry, "alternate") == [base + page]
        assert f"{base}/documents/{dev.source.document_id}/versions/{dev.source.version}" \
            in links(entry, "related")
        if dev.published:
            assert day(entry.published) == dev.published
        else:  # an undated text: no `published`, and nothing says when it happened
            assert "published" not in entry
            assert entry.summary.startswith("undated")
        if dev.event:
            assert entry.summary.startswith(date_label(dev.event.when))
            if dev.event.when.basis == "reported":
                assert entry.summary.startswith(f"reported on {dev.event.when.reported}")

    check_events(base, get_feed(base, "/feeds/event-types/court-ruling.atom", atom_schema),
                 court)
    # an undated event: no `published`, its `updated` when it was stored
    parsed = get_feed(base, "/feeds/event-types/protest-with-intervention.atom", atom_schema)
    check_events(base, parsed, protests)
    assert stored
    for entry in parsed.entries:
        if entry.id in stored:
            assert datetime.fromisoformat(entry.updated) \
                == datetime.fromisoformat(stored[entry.id])
    check_events(base, get_feed(base, f"/feeds/themes/{theme_code}.atom", atom_schema),
                 themed)
    newest_first = list(dict.fromkeys(s.event_id for s in reversed(case.case)))
    with open_store(str(db_file)) as store:
        check_events(base, get_feed(base, f"/feeds/actors/{case.id}.atom", atom_schema),
                     [services.event(store, i) for i in newest_first])

    parsed = get_feed(base, "/feeds/search.atom?q=" + quote("court"), atom_schema)
    assert [e.id for e in parsed.entries] == [urn("development", h.segment_id) for h in hits]
    for entry, hit in zip(parsed.entries, hits, strict=True):
        assert links(entry, "alternate") == [f"{base}/documents/{hit.document_id}"]
        assert entry.summary.startswith(f"reported on {hit.published}")
    # a search's filters are the search page's; a bad one is refused
    parsed = get_feed(base, "/feeds/search.atom?q=court&country=KG", atom_schema)
    assert all(e.id != urn("development", h.segment_id) for e in parsed.entries
               for h in hits if h.country == "KZ")

    # the same id for the same development, whichever feed it is in
    country_ids = {e.id for e in get_feed(base, "/feeds/countries/KZ.atom",
                                          atom_schema).entries}
    assert country_ids & {urn("development", h.segment_id) for h in hits}


def test_the_schema_refuses_a_broken_feed(record: str, atom_schema: etree.RelaxNG) -> None:
    body = httpx.get(record + "/feeds/countries/KZ.atom").content
    assert valid(atom_schema, body)
    for broken in ("id", "updated", "title"):
        doc = etree.fromstring(body)
        entry = doc.find(f"{ATOM_NS}entry")
        entry.remove(entry.find(f"{ATOM_NS}{broken}"))
        assert not atom_schema.validate(doc), broken
    doc = etree.fromstring(body)
    doc.find(f"{ATOM_NS}entry/{ATOM_NS}updated").text = "2015-02-27"  # not a date-time
    assert not atom_schema.validate(doc)


def test_head_unknowns_and_bad_filters(record: str) -> None:
    base = record
    head = httpx.head(base + "/feeds/countries/KZ.atom")
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-type"].startswith("application/atom+xml")
    assert int(head.headers["content-length"]) == len(httpx.get(base + "/feeds/countries/KZ"
                                                                ".atom").content)
    for path, status in (("/feeds/countries/XX.atom", 404), ("/feeds/countries/K1.atom", 422),
                         ("/feeds/themes/no-such-theme.atom", 422),
                         ("/feeds/event-types/no-such-type.atom", 422),
                         ("/feeds/actors/999999.atom", 404), ("/feeds/actors/x.atom", 404),
                         ("/feeds/search.atom?q=court&year=often", 422),
                         ("/feeds/search.atom?q=court&theme=nope", 422),
                         ("/feeds/search.atom?q=court&sort=sideways", 422)):
        assert httpx.get(base + path).status_code == status, path


def test_feeds_are_left_out_of_the_api_schema(record: str) -> None:
    spec = httpx.get(record + "/openapi.json")
    if spec.status_code != 200:
        pytest.skip("no OpenAPI document served")
    assert not [p for p in spec.json()["paths"] if p.startswith("/feeds")]

