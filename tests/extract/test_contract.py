"""The extraction contract: `rightsrecord extract`, its JSON lines and their schema."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import time
from importlib import resources

import jsonschema
import pytest

from rightsrecord.extract.run import run

SCHEMA = json.loads(resources.files("rightsrecord").joinpath("extract/schema.json").read_text())

DOC = {
    "id": "kz-1",
    "title": "Kazakhstan: Court Upholds Closure of Critical Outlet",
    "published": "2015-02-27",
    "text": ("(Almaty, February 27, 2015) – An appeals court in Almaty on Thursday upheld an "
             "order to close a media outlet known for critical reporting, Human Rights Watch "
             "said today. Police detained opposition leader Vladimir Kozlov in January 2012; a "
             "court sentenced Kozlov to seven and a half years in prison in October 2012. "
             "Kazakhstan should repeal restrictive laws on freedom of expression and assembly."),
}


def _extract(lines: list[str], input_format: str = "jsonl", targets=("-",)):
    out, err = io.StringIO(), io.StringIO()
    stdin = io.BytesIO(("\n".join(lines) + "\n").encode("utf-8", "surrogatepass"))
    written, failed = run(list(targets), input_format, out, err, stdin=stdin)
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    return records, err.getvalue(), (written, failed)


def _check_offsets(text: str, facts: dict) -> None:
    for d in facts["dates"]:
        assert text[d["start"]:d["end"]] == d["text"]
    for a in facts["actors"]:
        for s, e in a["mentions"]:
            assert 0 <= s < e <= len(text)
    for e in facts["events"]:
        assert text[e["evidence"]["start"]:e["evidence"]["end"]] == e["evidence"]["text"]


def test_jsonl_record_matches_the_schema_and_offsets_refer_to_the_given_text():
    records, err, counts = _extract([json.dumps(DOC)])
    assert counts == (1, 0) and err == ""
    rec = records[0]
    jsonschema.validate(rec, SCHEMA)
    assert rec["id"] == "kz-1" and rec["published"] == "2015-02-27"
    assert "text" not in rec  # the caller has it: offsets refer to their string
    _check_offsets(DOC["text"], rec)
    assert [c["code"] for c in rec["countries"] if c["primary"]] == ["KZ"]
    assert any(d["value"] == "2015-02-26" for d in rec["dates"])  # "on Thursday"
    assert any(a["name"] == "Vladimir Kozlov" for a in rec["actors"])
    assert {e["type"] for e in rec["events"]} & {"arrest", "conviction-sentence", "court-ruling"}


def test_html_input_gives_the_text_its_offsets_refer_to():
    html = ("<html><body><nav>Menu</nav><article><p>Police in Bishkek detained three "
            "journalists on Monday, and a court fined them.</p></article>"
            "<script>alert(1)</script></body></html>")
    records, _, _ = _extract([json.dumps({"id": 7, "html": html, "published": "2024-03-06"})])
    rec = records[0]
    jsonschema.validate(rec, SCHEMA)
    assert rec["id"] == "7" and "alert" not in rec["text"]
    _check_offsets(rec["text"], rec)


def test_listing_page_carries_extraction_per_item_and_summary(seed_path):
    out, err = io.StringIO(), io.StringIO()
    assert run([str(seed_path)], "document", out, err) == (1, 0)
    rec = json.loads(out.getvalue())
    jsonschema.validate(rec, SCHEMA)
    assert len(rec["items"]) == 10 and len(rec["summaries"]) == 2
    first = rec["items"][0]
    assert first["date"] == "2015-02-27"
    _check_offsets(first["text"], first)
    assert any(d["value"] == "2015-02-26" for d in first["dates"])
    assert [c["code"] for c in first["countries"] if c["primary"]] == ["KZ"]
    no_teaser = rec["items"][1]
    assert no_teaser["text"] == "" and no_teaser["events"] == []
    assert rec["summaries"][1]["year"] == 2014


def test_bad_lines_give_one_error_line_each_and_the_rest_go_on():
    lines = ["not json", json.dumps([1, 2]), json.dumps({"id": "x"}), json.dumps(DOC), ""]
    records, err, counts = _extract(lines)
    assert counts == (1, 3)
    assert [r["id"] for r in records] == ["kz-1"]
    errors = err.strip().splitlines()
    assert len(errors) == 3
    assert "line 1: not JSON" in errors[0] and "not a JSON object" in errors[1]
    assert "needs a `text` or an `html` string" in errors[2]


GENERATED = {
    "empty": "",
    "one-token-megabyte": "a" * 1_000_000,
    "repeated-word": "Almaty " * 150_000,
    "controls": "".join(chr(c) for c in range(32)) * 2000 + "Police detained him.",
    "mixed-scripts": "Суд в Алматы 法院 محكمة Police arrested him on Monday. " * 2000,
    "unbalanced-markup": "<p><b>Police <i>detained</b> <script>x" * 5000,
    "numbers": "1 2 3 4 5 2015 2016 " * 40000,
    "punctuation": "(((((((((( [[[[[ ..... ,,,,, ''''' " * 20000,
}


@pytest.mark.parametrize("name", GENERATED)
def test_any_text_gives_a_valid_line(name):
    text = GENERATED[name]
    records, err, counts = _extract([json.dumps({"id": name, "text": text})])
    assert counts == (1, 0), err
    jsonschema.validate(records[0], SCHEMA)
    _check_offsets(records[0].get("text", text), records[0])


def test_a_lone_surrogate_gives_one_error_line_and_the_batch_goes_on():
    bad = '{"id": "bad", "text": "x \\ud800"}'
    records, err, counts = _extract([json.dumps({"id": "a", "text": "Police detained him."}),
                                     bad, json.dumps({"id": "b", "text": "Courts closed."})])
    assert counts == (2, 1)
    assert [r["id"] for r in records] == ["a", "b"]
    assert "line 2: `text` holds a lone surrogate" in err


def test_time_grows_linearly_with_input_length():
    unit = DOC["text"] + "\n\n"
    _extract([json.dumps({"id": "warm", "text": unit})])  # models loaded before timing
    timings = []
    for copies in (20, 160):
        line = json.dumps({"id": "x", "text": unit * copies})
        best = float("inf")
        for _ in range(3):  # CPU time, best of three: what the work costs, not the machine
            started = time.process_time()
            _extract([line])
            best = min(best, time.process_time() - started)
        timings.append(best)
    assert timings[1] < timings[0] * 8 * 2.5  # 8x the input, well under quadratic (64x)


def test_cli_reads_standard_input_and_writes_one_line(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "rightsrecord", "extract", "--input-format", "jsonl",
         "--format", "jsonl"],
        input=json.dumps(DOC) + "\n", capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["id"] == "kz-1"


def test_cli_plain_text_from_standard_input():
    result = subprocess.run([sys.executable, "-m", "rightsrecord", "extract", "-"],
                            input="Police in Almaty detained five activists on Monday.",
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    rec = json.loads(result.stdout)
    assert rec["countries"][0]["code"] == "KZ"
