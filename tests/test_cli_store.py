"""The commands over the store: ingest's JSON lines, show document, annotate."""

from __future__ import annotations

import json


def _write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_ingest_jsonl_prints_one_line_per_input_with_id_version_and_status(cli, tmp_path):
    a = _write(tmp_path, "a.txt", "Report\n\nPolice in Almaty detained two journalists.")
    empty = _write(tmp_path, "empty.txt", "   ")
    first = cli("ingest", "--format", "jsonl", str(a), str(empty))
    assert first.code == 1
    lines = [json.loads(line) for line in first.out.splitlines()]
    assert lines == [
        {"input": str(a), "status": "stored", "document_id": 1, "version": 1},
        {"input": str(empty), "status": "rejected", "reason": "empty"},
    ]
    a.write_text("Report\n\nPolice in Almaty released two journalists.", encoding="utf-8")
    again = [json.loads(line) for line in cli("ingest", "--format", "jsonl", str(a)).out
             .splitlines()]
    assert again == [{"input": str(a), "status": "new-version", "document_id": 1, "version": 2}]


def test_show_document_prints_the_stored_record_that_extract_prints(cli, tmp_path):
    a = _write(tmp_path, "a.txt", "Report\n2015-02-27\n\nPolice in Almaty detained two "
                                  "journalists on February 26, 2015.")
    extracted = json.loads(cli("extract", str(a)).out)
    cli("ingest", str(a))
    shown = cli("show", "document", "1", "--format", "json")
    assert shown.code == 0
    stored = json.loads(shown.out)
    assert stored["id"] == 1 and stored["version"] == 1
    for key in ("text", "events", "actors", "dates", "places", "themes", "countries"):
        assert stored[key] == extracted[key], key
    assert stored["events"][0]["evidence"]["text"].startswith("Police in Almaty detained")
    text = cli("show", "document", "1").out
    assert "document 1, version 1 of 1" in text and "arrest 2015-02-26 KZ" in text
    missing = cli("show", "document", "7")
    assert missing.code == 2 and "no document 7" in missing.err


def test_show_document_reads_an_older_version(cli, tmp_path):
    a = _write(tmp_path, "a.txt", "Report\n\nFirst text from Astana.")
    cli("ingest", str(a))
    a.write_text("Report\n\nSecond text from Astana.", encoding="utf-8")
    cli("ingest", str(a))
    old = json.loads(cli("show", "document", "1", "--version", "1", "--format", "json").out)
    new = json.loads(cli("show", "document", "1", "--format", "json").out)
    assert (old["version"], new["version"]) == (1, 2)
    assert "First text" in old["text"] and "Second text" in new["text"]


def test_annotate_reports_what_it_did(cli, tmp_path):
    a = _write(tmp_path, "a.txt", "Report\n\nPolice in Almaty detained two journalists.")
    cli("ingest", str(a))
    stale = cli("annotate", "--stale", "--quiet")
    assert stale.code == 0 and stale.out.startswith("0 versions re-annotated")
    every = cli("annotate", "--quiet")
    assert every.out.startswith("1 versions re-annotated (0 failed)")
    assert "events.v" in every.out
