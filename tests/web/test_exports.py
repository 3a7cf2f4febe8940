"""The exports, over real HTTP: CSV and JSON Lines read back with the standard library give
the rows (ids, dates) the read services and the API give for the same filter; HURIDOCS
records carry their evidence; nothing exported names a local path or gives a date no
source states as when an event happened; and an export is streamed, not built whole."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from rightsrecord.demo import corpus_dir
from rightsrecord.ingest.pipeline import read
from rightsrecord.process import process
from rightsrecord.read import services
from rightsrecord.read.models import SearchQuery
from rightsrecord.read.rows import EVENT_FIELDS, HIT_FIELDS
from rightsrecord.store import open_store

REPO = Path(__file__).resolve().parents[2]
WEB_URL = "https://news.example.org/kz/2015/detained"
WEB_STORY = {"id": "w1", "title": "Police detain journalist in Almaty", "url": WEB_URL,
             "published": "2015-03-02",
             "text": "Police detain journalist in Almaty\n\nPolice in Almaty detained the "
                     "journalist Yerlan Askarov on March 1, 2015, after he reported on a "
                     "protest, his lawyer said."}


@pytest.fixture
def record(demo: str, db_file: Path, pipeline: Any, tmp_path: Path) -> str:
    """The demo slice and a story from a web address; the server's URL."""
    lines = tmp_path / "web.jsonl"
    lines.write_text(json.dumps(WEB_STORY) + "\n", encoding="utf-8")
    with open_store(str(db_file)) as store:
        done = list(process(read([str(lines)], input_format="jsonl"), store,
                            pipeline=pipeline))
    assert all(o.status != "rejected" for o in done)
    return demo


def fetch(url: str) -> httpx.Response:
    r = httpx.get(url)
    assert r.status_code == 200, (url, r.text[:300])
    return r


def csv_rows(r: httpx.Response) -> list[dict[str, str]]:
    assert r.headers["content-type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(r.content.decode("utf-8"), newline="")))


def json_rows(r: httpx.Response) -> list[dict[str, Any]]:
    text = r.content.decode("utf-8")
    assert text == "" or text.endswith("\n")
    return [json.loads(line) for line in text.splitlines()]


def no_local_paths(text: str) -> None:
    for local in ("file://", str(REPO), str(corpus_dir())):
        assert local not in text, local


def expected_events(db_file: Path, **filters: Any) -> list[Any]:
    with open_store(str(db_file)) as store:
        return services.events(store, limit=200, **filters).data


def check_event_rows(got: list[dict[str, Any]], expected: list[Any], blank: Any) -> None:
    """Rows in the services' order, with the stated date only (else `blank`), and when it
    was reported."""
    assert [int(r["id"]) for r in got] == [e.id for e in expected]
    for row, ev in zip(got, expected, strict=True):
        assert row["date_basis"] == ev.when.basis
        assert row["date"] == (ev.when.date if ev.when.basis == "stated" else blank)
        assert row["reported_on"] == (ev.when.reported or blank)
        assert row["country"] == (ev.country or blank)
        assert row["url"].endswith(f"/events/{ev.id}")
        assert row["url"].startswith("http://127.0.0.1:")


def test_country_events_as_csv_and_json_lines(record: str, db_file: Path) -> None:
    expected = expected_events(db_file, country="KZ")
    assert any(e.when.basis == "stated" for e in expected)
    assert any(e.when.basis != "stated" for e in expected)

    r = fetch(record + "/exports/countries/KZ.csv")
    assert r.headers["content-disposition"] == 'attachment; filename="rightsrecord-KZ-events.csv"'
    rows = csv_rows(r)
    assert tuple(rows[0]) == EVENT_FIELDS
    check_event_rows(rows, expected, "")
    no_local_paths(r.text)
    web = next(row for row in rows if row["source_url"] == WEB_URL)
    assert web["date"] == "2015-03-01" and web["date_basis"] == "stated"
    assert web["source_name"] == "news.example.org"
    assert web["evidence"].startswith("Police in Almaty detained the journalist")
    assert WEB_STORY["text"][int(web["evidence_start"]):int(web["evidence_end"])] \
        == web["evidence"]

    r = fetch(record + "/exports/countries/kz.jsonl")  # the code in any case
    assert r.headers["content-disposition"].endswith('filename="rightsrecord-KZ-events.jsonl"')
    lines = json_rows(r)
    check_event_rows(lines, expected, None)
    assert [list(row) for row in lines] == [list(EVENT_FIELDS)] * len(lines)
    # the same rows either way
    assert [{k: ("" if v is None else str(v)) for k, v in row.items()} for row in lines] \
        == rows
    no_local_paths(r.text)


def test_filtered_events_match_the_api(record: str, db_file: Path) -> None:
    for query, filters in (("country=KZ&year=2014", {"country": "KZ", "year": 2014}),
                           ("type=court-ruling", {"event_type": "court-ruling"}),
                           ("theme=freedom-of-opinion-and-expression",
                            {"theme": "freedom-of-opinion-and-expression"}),
                           ("country=KZ&year=", {"country": "KZ"})):  # a form's empty year
        expected = expected_events(db_file, **filters)
        assert expected, query
        rows = csv_rows(fetch(f"{record}/exports/events.csv?{query}"))
        check_event_rows(rows, expected, "")
        check_event_rows(json_rows(fetch(f"{record}/exports/events.jsonl?{query}")),
                         expected, None)
        api = httpx.get(f"{record}/api/v1/events?{query.removesuffix('&year=')}&limit=200")
        assert api.status_code == 200
        assert [int(r["id"]) for r in rows] == [e["id"] for e in api.json()["data"]]


def test_search_hits(record: str, db_file: Path) -> None:
    with open_store(str(db_file)) as store:
        hits = services.search(store, SearchQuery(q="court"), limit=200).hits.data
        kg = services.search(store, SearchQuery(q="court", country="KZ", sort="oldest"),
                             limit=200).hits.data
    assert hits
    rows = csv_rows(fetch(record + "/exports/search.csv?q=court"))
    assert tuple(rows[0]) == HIT_FIELDS
    assert [(int(r["segment_id"]), r["published"]) for r in rows] \
        == [(h.segment_id, h.published or "") for h in hits]
    lines = json_rows(fetch(record + "/exports/search.jsonl?q=court&country=KZ&sort=oldest"))
    assert [(r["segment_id"], r["document_id"]) for r in lines] \
        == [(h.segment_id, h.document_id) for h in kg]
    assert all(r["url"].endswith(f"/documents/{r['document_id']}") for r in lines)
    no_local_paths(json.dumps(lines))


def test_huridocs_records(record: str, db_file: Path) -> None:
    expected = expected_events(db_file, country="KZ")
    for suffix, parse in (("huridocs.jsonl", json_rows),
                          ("huridocs.json", lambda r: json.loads(r.content))):
        r = fetch(f"{record}/exports/countries/KZ.{suffix}")
        no_local_paths(r.text)
        records = parse(r)
        assert [rec["event"]["id"] for rec in records] == [e.id for e in expected]
    with open_store(str(db_file)) as store:
        texts = stored_texts(store, {s["document_id"] for rec in records
                                     for s in rec["sources"]})
        for rec in records:
            assert set(rec) == {"event", "acts", "victims", "perpetrators", "sources"}
            ev = services.event(store, rec["event"]["id"])
            assert rec["event"]["date"] == (ev.when.date if ev.when.basis == "stated" else None)
            assert rec["event"]["date_basis"] == ev.when.basis
            assert rec["event"]["country"] == ev.country and rec["event"]["type"] == ev.type
            assert rec["acts"] and all(a["date"] is None or a["date_basis"] == "stated"
                                       for a in rec["acts"])
            assert [v["name"] for v in rec["victims"]] == [t.name for t in ev.targets]
            assert len(rec["sources"]) == len(ev.report_list)
            for src in rec["sources"] + rec["perpetrators"]:
                quote = src["evidence"]
                if quote is None:
                    continue
                assert quote["stage"]  # the quoted words are the stored text's, there
                assert texts[quote["segment_id"]][quote["start"]:quote["end"]] \
                    == quote["text"]
        web = next(rec for rec in records if rec["sources"][0]["url"] == WEB_URL)
        assert web["event"]["date"] == "2015-03-01"
        assert web["victims"][0]["name"] == "Yerlan Askarov"
        assert [p["name"] for p in web["perpetrators"]] == ["Police"]
        assert web["sources"][0]["evidence"]["text"].startswith("Police in Almaty detained")
    assert any(not rec["event"]["date"] for rec in records)  # reported, not stated


def stored_texts(store: Any, document_ids: set[int]) -> dict[int, str]:
    """Each text of these stored documents, by its segment id."""
    out = {}
    for doc_id in document_ids:
        doc = store.document(doc_id, None).document
        out.update({s.segment_id: s.text for s in [doc.body, *doc.segments]})
    return out


def test_an_export_is_streamed(record: str) -> None:
    with httpx.stream("GET", record + "/exports/countries/KZ.csv") as r:
        assert r.status_code == 200
        assert r.headers.get("transfer-encoding") == "chunked"
        assert "content-length" not in r.headers
        first = next(r.iter_lines())
    assert first == ",".join(EVENT_FIELDS)
    head = httpx.head(record + "/exports/events.jsonl?country=KZ")
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-type"] == "application/x-ndjson"


def test_refusals_come_before_the_export(record: str) -> None:
    for path, status in (("/exports/countries/XX.csv", 404),
                         ("/exports/countries/XX.huridocs.jsonl", 404),
                         ("/exports/countries/K1.jsonl", 422),
                         ("/exports/events.csv?theme=nope", 422),
                         ("/exports/events.csv?year=often", 422),
                         ("/exports/events.jsonl?type=no-such-type", 422),
                         ("/exports/search.csv?q=court&date_from=yesterday", 422)):
        r = httpx.get(record + path)
        assert r.status_code == status, path
        assert r.headers["content-type"].startswith("text/html")  # the error page, whole
        assert "content-disposition" not in r.headers
