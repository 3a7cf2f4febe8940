"""A document is known by its address, else its `id`, else its content: JSON lines and
standard input never fold two different texts into one document."""

from __future__ import annotations

import io
import json
import sys
import urllib.request

import pytest

ALMATY = "Police in Almaty detained two journalists on Monday."
BISHKEK = "A court in Bishkek sentenced a blogger to five years in prison."
TASHKENT = "Authorities in Tashkent blocked a news website critical of the government."


def _jsonl(tmp_path, name: str, *objs: dict) -> str:
    path = tmp_path / name
    path.write_text("".join(json.dumps(o) + "\n" for o in objs), encoding="utf-8")
    return str(path)


def _ingest(cli, *args: str) -> list[dict]:
    result = cli("ingest", "--format", "jsonl", *args)
    return [json.loads(line) for line in result.out.splitlines()]


def _shown(cli, doc_id: int) -> dict:
    result = cli("show", "document", str(doc_id), "--format", "json")
    assert result.code == 0, result.err
    return json.loads(result.out)


def test_two_json_lines_with_different_ids_are_two_documents(cli, tmp_path):
    path = _jsonl(tmp_path, "docs.jsonl", {"id": "a", "text": ALMATY}, {"id": "b", "text": BISHKEK})
    outcomes = _ingest(cli, "--input-format", "jsonl", path)
    assert [o["status"] for o in outcomes] == ["stored", "stored"]
    assert [o["input"] for o in outcomes] == [f"{path}:1", f"{path}:2"]
    first, second = (_shown(cli, o["document_id"]) for o in outcomes)
    assert (first["text"], first["url"]) == (ALMATY, "jsonl:a")
    assert (second["text"], second["url"]) == (BISHKEK, "jsonl:b")


def test_a_json_line_again_is_unchanged_and_a_changed_text_is_a_new_version(cli, tmp_path):
    first = _ingest(cli, "--input-format", "jsonl",
                    _jsonl(tmp_path, "one.jsonl", {"id": "a", "text": ALMATY}))
    same = _ingest(cli, "--input-format", "jsonl",
                   _jsonl(tmp_path, "two.jsonl", {"id": "a", "text": ALMATY}))
    changed = _ingest(cli, "--input-format", "jsonl",
                      _jsonl(tmp_path, "three.jsonl", {"id": "a", "text": BISHKEK}))
    assert (first[0]["status"], same[0]["status"], changed[0]["status"]) == \
        ("stored", "unchanged", "new-version")
    assert first[0]["document_id"] == same[0]["document_id"] == changed[0]["document_id"]
    assert _shown(cli, first[0]["document_id"])["text"] == BISHKEK


def test_lines_without_an_id_are_known_by_their_text_not_their_line_number(cli, tmp_path):
    one = _jsonl(tmp_path, "one.jsonl", {"text": ALMATY})
    two = _jsonl(tmp_path, "two.jsonl", {"text": BISHKEK})
    again = _jsonl(tmp_path, "again.jsonl", {"text": BISHKEK}, {"id": None, "text": TASHKENT})
    outcomes = _ingest(cli, "--input-format", "jsonl", one, two, again)
    assert [o["status"] for o in outcomes] == ["stored", "stored", "unchanged", "stored"]
    ids = [o["document_id"] for o in outcomes]
    assert len({ids[0], ids[1], ids[3]}) == 3 and ids[2] == ids[1]
    assert _shown(cli, ids[0])["url"].startswith("jsonl:sha256:")


def test_html_lines_without_a_url_are_documents_of_their_own(cli, tmp_path):
    path = _jsonl(tmp_path, "pages.jsonl",
                  {"id": "p1", "html": f"<html><body><p>{ALMATY}</p></body></html>"},
                  {"html": f"<html><body><p>{BISHKEK}</p></body></html>"},
                  {"html": f"<html><body><p>{TASHKENT}</p></body></html>"})
    outcomes = _ingest(cli, "--input-format", "jsonl", path)
    assert [(o["status"], o["version"]) for o in outcomes] == [("stored", 1)] * 3
    assert len({o["document_id"] for o in outcomes}) == 3
    assert [_shown(cli, o["document_id"])["version"] for o in outcomes] == [1, 1, 1]


def test_a_line_with_a_url_is_known_by_it(cli, tmp_path):
    url = "https://example.org/report"
    first = _ingest(cli, "--input-format", "jsonl",
                    _jsonl(tmp_path, "a.jsonl", {"id": "x", "url": url, "text": ALMATY}))
    second = _ingest(cli, "--input-format", "jsonl",
                     _jsonl(tmp_path, "b.jsonl", {"id": "y", "url": url, "text": BISHKEK}))
    assert second[0]["status"] == "new-version"
    assert second[0]["document_id"] == first[0]["document_id"]
    assert _shown(cli, first[0]["document_id"])["url"] == url


def _stdin_ingest(cli, monkeypatch, text: str) -> dict:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode("utf-8"))))
    return _ingest(cli, "-")[0]


def test_each_text_on_standard_input_is_a_document_of_its_own(cli, monkeypatch):
    first = _stdin_ingest(cli, monkeypatch, ALMATY)
    second = _stdin_ingest(cli, monkeypatch, BISHKEK)
    again = _stdin_ingest(cli, monkeypatch, ALMATY)
    assert [(o["status"], o["version"]) for o in (first, second, again)] == \
        [("stored", 1), ("stored", 1), ("unchanged", 1)]
    assert first["document_id"] != second["document_id"]
    assert again["document_id"] == first["document_id"]
    shown = [_shown(cli, o["document_id"]) for o in (first, second)]
    assert [s["text"] for s in shown] == [ALMATY, BISHKEK]  # both current, version 1
    assert all(s["url"].startswith("stdin:sha256:") for s in shown)


def test_standard_input_over_the_limit_is_rejected(cli, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(ALMATY.encode() * 10)))
    result = cli("ingest", "--max-bytes", "100", "-")
    assert result.code == 1
    assert "rejected -: too large: over the 100-byte limit" in result.err


@pytest.fixture
def ingested(cli, tmp_path, db_file):
    path = _jsonl(tmp_path, "docs.jsonl", {"id": "a <b>&", "text": ALMATY})
    return _ingest(cli, "--input-format", "jsonl", path)[0]["document_id"]


def test_an_identity_address_is_shown_as_text_never_as_a_link(ingested, web_server):
    with urllib.request.urlopen(f"{web_server}/documents/{ingested}") as response:
        page = response.read().decode("utf-8")
    with urllib.request.urlopen(f"{web_server}/documents/{ingested}.json") as response:
        served = json.loads(response.read())
    assert served["source"]["name"] == "JSON line a <b>&" and served["source"]["url"] is None
    assert "JSON line a &lt;b&gt;&amp;" in page
    assert 'href="jsonl:' not in page
