"""`rightsrecord export`: the web exports' rows, from the command line, to standard output
or a file; the same bytes as the web's export when given the site's address."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from rightsrecord.demo import corpus_dir
from rightsrecord.read import services
from rightsrecord.read.models import SearchQuery
from rightsrecord.read.rows import EVENT_FIELDS
from rightsrecord.store import open_store

SLICE = ("text/steppe_2014-10-28_poster_ruling.txt",
         "news/desk_2014-10-29_poster_damages.html",
         "news/steppe_2015-02-27_almaty_appeal_media_closure.html",
         "text/caspian_2015-02-27_outlet_closure.txt",
         "listing/kyrgyzstan_country_page.txt")
WEB_STORY = {"id": "w1", "title": "Police detain journalist in Almaty",
             "url": "https://news.example.org/kz/2015/detained", "published": "2015-03-02",
             "text": "Police detain journalist in Almaty\n\nPolice in Almaty detained the "
                     "journalist Yerlan Askarov on March 1, 2015, after he reported on a "
                     "protest, his lawyer said."}


@pytest.fixture
def loaded(cli: Callable[..., Any], tmp_path: Path) -> Callable[..., Any]:
    """The CLI, over a store holding a slice of the demo corpus and a web story."""
    assert cli("ingest", *(str(corpus_dir() / p) for p in SLICE)).code == 0
    story = tmp_path / "web.jsonl"
    story.write_text(json.dumps(WEB_STORY) + "\n", encoding="utf-8")
    assert cli("ingest", "--input-format", "jsonl", str(story)).code == 0
    return cli


def test_the_same_bytes_as_the_web_export(loaded: Callable[..., Any],
                                          web_server: str) -> None:
    for args, path in ((("country", "KZ", "--format", "csv"), "/exports/countries/KZ.csv"),
                       (("country", "kz", "--format", "jsonl"), "/exports/countries/KZ.jsonl"),
                       (("country", "KZ", "--format", "huridocs"),
                        "/exports/countries/KZ.huridocs.jsonl"),
                       (("events", "--country", "KZ", "--year", "2014"),
                        "/exports/events.csv?country=KZ&year=2014"),
                       (("search", "court", "--format", "jsonl"),
                        "/exports/search.jsonl?q=court")):
        result = loaded("export", *args, "--base-url", web_server + "/")
        assert result.code == 0, result.err
        web = httpx.get(web_server + path)
        assert web.status_code == 200
        assert result.out == web.content.decode("utf-8"), args
        assert result.out.count("\n") > 1
        assert result.err == ""  # no bar where standard error is no terminal


def test_rows_to_a_file_and_to_standard_output(loaded: Callable[..., Any], db_file: Path,
                                              tmp_path: Path) -> None:
    out = tmp_path / "kz.csv"
    result = loaded("export", "country", "KZ", "-o", str(out))
    assert result.code == 0 and result.out == ""
    with open_store(str(db_file)) as store:
        kz = services.events(store, country="KZ", limit=200).data
        kz2014 = services.events(store, country="KZ", year=2014, limit=200).data
        hits = services.search(store, SearchQuery(q="court"), limit=200).hits.data
    assert result.err.strip() == f"{len(kz)} events written to {out}"
    assert not (tmp_path / "kz.csv.part").exists()
    with out.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert tuple(rows[0]) == EVENT_FIELDS
    assert [(int(r["id"]), r["date"]) for r in rows] \
        == [(e.id, e.when.date if e.when.basis == "stated" else "") for e in kz]
    assert all(r["url"] == f"/events/{r['id']}" for r in rows)  # paths, without --base-url
    assert all(r["date"] == "" for r in rows if r["date_basis"] != "stated")

    result = loaded("export", "events", "--country", "KZ", "--year", "2014",
                    "--format", "jsonl")
    lines = [json.loads(line) for line in result.out.splitlines()]
    assert [r["id"] for r in lines] == [e.id for e in kz2014] and kz2014

    result = loaded("export", "search", "court")
    hit_rows = list(csv.DictReader(io.StringIO(result.out, newline="")))
    assert [int(r["segment_id"]) for r in hit_rows] == [h.segment_id for h in hits] and hits

    result = loaded("export", "country", "KZ", "--format", "huridocs")
    records = [json.loads(line) for line in result.out.splitlines()]
    assert [r["event"]["id"] for r in records] == [e.id for e in kz]
    web = next(r for r in records if r["sources"][0]["url"] == WEB_STORY["url"])
    assert web["perpetrators"][0]["name"] == "Police"
    assert web["sources"][0]["evidence"]["stage"]


def test_refusals(loaded: Callable[..., Any], tmp_path: Path) -> None:
    result = loaded("export", "country", "XX", "-o", str(tmp_path / "xx.csv"))
    assert result.code == 2 and "no country with the code 'XX'" in result.err
    assert not list(tmp_path.glob("xx.csv*"))  # nothing written, not even a header
    result = loaded("export", "events", "--theme", "nope")
    assert result.code == 2 and "Unknown theme 'nope'" in result.err and result.out == ""
    for args in (("search", "court", "--format", "huridocs"),
                 ("country", "KZ", "-o", str(tmp_path / "no" / "such" / "kz.csv")),
                 ("country", "KZ", "-o", str(tmp_path)),
                 ("country", "KZ", "--base-url", "file:///tmp"),
                 ("events", "--year", "often")):
        result = loaded("export", *args)
        assert result.code == 2 and result.out == "", args
