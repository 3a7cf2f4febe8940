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


LONG = "Report\n2015-02-27\n\n" + " ".join(
    ["Police in Almaty detained two journalists on February 26, 2015."] * 6)


def test_show_document_says_what_reading_and_the_stages_left_out(cli, tmp_path, monkeypatch):
    long = _write(tmp_path, "long.txt", LONG)
    short = _write(tmp_path, "short.txt", "Note\n\nPolice in Astana.")
    monkeypatch.setenv("RIGHTSRECORD_MAX_CHARS", "250")  # the reader keeps 250 characters
    monkeypatch.setenv("RIGHTSRECORD_MAX_STAGE_CHARS", "120")  # the stages read about 120
    extracted = json.loads(cli("extract", str(long)).out)
    assert cli("ingest", str(long), str(short)).code == 0

    stored = json.loads(cli("show", "document", "1", "--format", "json").out)
    assert stored["notes"] == extracted["notes"]
    assert len(stored["notes"]) == 2
    assert "250 characters" in stored["notes"][0]
    assert "the stages read the first" in stored["notes"][1]
    text = cli("show", "document", "1").out
    assert "read in part:\n" + "".join(f"  - {n}\n" for n in stored["notes"]) in text

    whole = cli("show", "document", "2", "--format", "json")
    assert whole.code == 0 and "notes" not in json.loads(whole.out)
    assert "read in part" not in cli("show", "document", "2").out


def test_annotate_keeps_the_readers_note_and_makes_the_stages_notes_anew(cli, tmp_path,
                                                                          monkeypatch):
    long = _write(tmp_path, "long.txt", LONG)
    monkeypatch.setenv("RIGHTSRECORD_MAX_CHARS", "250")
    monkeypatch.setenv("RIGHTSRECORD_MAX_STAGE_CHARS", "120")
    cli("ingest", str(long))
    reader_note, budget_note = json.loads(cli("show", "document", "1", "--format",
                                              "json").out)["notes"]

    monkeypatch.delenv("RIGHTSRECORD_MAX_STAGE_CHARS")  # the stages now read it all
    assert cli("annotate", "--quiet").code == 0
    notes = json.loads(cli("show", "document", "1", "--format", "json").out)["notes"]
    assert notes == [reader_note]

    monkeypatch.setenv("RIGHTSRECORD_MAX_STAGE_CHARS", "100")
    assert cli("annotate", "--quiet").code == 0
    notes = json.loads(cli("show", "document", "1", "--format", "json").out)["notes"]
    assert notes[0] == reader_note and len(notes) == 2
    assert "the stages read the first" in notes[1] and notes[1] != budget_note


def test_annotate_reports_what_it_did(cli, tmp_path):
    a = _write(tmp_path, "a.txt", "Report\n\nPolice in Almaty detained two journalists.")
    cli("ingest", str(a))
    stale = cli("annotate", "--stale", "--quiet")
    assert stale.code == 0 and stale.out.startswith("0 versions re-annotated")
    every = cli("annotate", "--quiet")
    assert every.out.startswith("1 versions re-annotated (0 failed)")
    assert "events.v" in every.out
