"""Hostile JSON lines: every line gets its outcome, every readable line is stored, both stores
keep the same thing, and no stored or served text holds markup."""

from __future__ import annotations

import json

ALMATY = "Police in Almaty detained two journalists on Monday."


def _texts(n: int) -> list[str]:
    places = ("Almaty", "Bishkek", "Tashkent", "Dushanbe", "Ashgabat", "Baku", "Tbilisi",
              "Yerevan", "Minsk", "Kyiv", "Chisinau", "Astana", "Osh", "Samarkand")
    return [f"Police in {p} detained {i + 2} activists after a protest." for i, p in
            enumerate(places[:n])]


def _lines() -> tuple[list[bytes], int]:
    """24 lines, 13 of them readable and different; the count of non-blank lines."""
    t = _texts(13)
    dump = lambda obj: json.dumps(obj).encode("utf-8")  # noqa: E731
    lines = [
        b"\xef\xbb\xbf" + dump({"id": "a", "text": t[0]}),  # a byte-order mark first
        b"",
        b"   \t",
        b"not json",
        b"[1, 2]",
        dump({"id": "crlf", "text": t[9]}) + b"\r",  # a Windows line end
        dump({"id": "no-text"}),
        b'{"id": "surrogate", "text": "x \\ud800 y"}',
        dump({"id": "b", "text": t[1]}),
        dump({"id": "a", "text": t[0]}),  # the same id and text again: unchanged
        dump({"id": "nul\u0000", "url": "https://example.org/n\u0000ul", "title": "T\u0000",
              "text": t[2] + "\u0000"}),
        dump({"id": "page-1", "html": f"<html><body><p>{t[3]}</p></body></html>"}),
        dump({"html": f"<html><body><p>{t[4]}</p></body></html>"}),  # no id, no url
        dump({"text": t[5]}),  # no id: known by its text
        dump({"text": t[6]}),
        dump({"text": t[5]}),  # the same text again, no id: unchanged
        dump({"id": "z", "text": t[12], "extra": {"nested": [1, 2]}}),
        dump({"id": None, "text": t[7]}),
        dump({"id": 7, "text": t[8]}),
        b'{"id": "bad-bytes", "text": "caf\xe9"}',  # not UTF-8
        dump({"id": "only-script", "text": "<script>alert(1)</script>"}),
        dump({"id": "js", "url": "javascript:alert(1)", "text": "Police beat them."}),
        dump({"id": "scripted", "title": "<b onclick=alert(1)>T</b>",
              "text": t[10] + " <script>alert(1)</script>"}),
        dump({"id": "last", "text": t[11]}),
    ]
    return lines, sum(1 for line in lines if line.strip())


def test_a_hostile_file_stores_every_readable_line_and_answers_every_line(cli, tmp_path):
    lines, answered = _lines()
    path = tmp_path / "hostile.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    assert path.read_bytes().count(b"\n") == 24
    result = cli("ingest", "--format", "jsonl", "--input-format", "jsonl", str(path))
    outcomes = [json.loads(line) for line in result.out.splitlines()]
    assert len(outcomes) == answered == 22  # the two blank lines are skipped
    stored = {o["document_id"] for o in outcomes if o["status"] == "stored"}
    assert len(stored) == 13
    assert [o["status"] for o in outcomes].count("unchanged") == 2
    assert [o["status"] for o in outcomes].count("rejected") == 7
    assert not any(o["status"] == "new-version" for o in outcomes)
    reasons = [o["reason"] for o in outcomes if o["status"] == "rejected"]
    for expected in ("line 4: not JSON", "line 5: not a JSON object",
                     "line 7: needs a `text` or an `html`",
                     "line 8: `text` holds a lone surrogate",
                     "line 20: not valid UTF-8", "line 21: no readable text"):
        assert any(r.startswith(expected) for r in reasons), (expected, reasons)
    assert any("line 22: `url` holds script" in r for r in reasons)
    for doc_id in stored:  # each is current at version 1: none became a version of another
        shown = json.loads(cli("show", "document", str(doc_id), "--format", "json").out)
        assert shown["version"] == 1
        assert "\u0000" not in json.dumps(shown, ensure_ascii=False)
        assert "<script" not in shown["text"] and "onclick" not in (shown["title"] or "")


def test_nul_anywhere_in_a_line_is_stored_alike_on_both_stores(cli, tmp_path):
    lines = [
        {"id": "u", "url": "https://example.org/a\u0000b", "text": ALMATY},
        {"id": "t", "title": "Detained\u0000 in Almaty", "text": ALMATY + " Again."},
        {"id": "x", "text": "Police\u0000 in Almaty detained a lawyer."},
        {"id": "i\u0000d", "text": "Police in Almaty detained a blogger."},
    ]
    path = tmp_path / "nul.jsonl"
    path.write_text("".join(json.dumps(o) + "\n" for o in lines), encoding="utf-8")
    result = cli("ingest", "--format", "jsonl", "--input-format", "jsonl", str(path))
    assert result.code == 0, result.out + result.err
    outcomes = [json.loads(line) for line in result.out.splitlines()]
    assert [o["status"] for o in outcomes] == ["stored"] * 4
    shown = [json.loads(cli("show", "document", str(o["document_id"]), "--format", "json").out)
             for o in outcomes]
    assert shown[0]["url"] == "https://example.org/ab"
    assert shown[1]["title"] == "Detained in Almaty"
    assert shown[2]["text"] == "Police in Almaty detained a lawyer."
    assert shown[3]["url"] == "jsonl:id"


def test_stored_and_served_text_holds_no_script(cli, tmp_path):
    lines = [
        {"id": "j", "url": "https://example.org/j", "title": "J <script>alert(1)</script>",
         "text": "J <script>alert(1)</script> Police in Almaty detained a lawyer."},
        {"id": "k", "url": "https://example.org/k", "title": "<img src=x onerror=alert(1)>K",
         "text": "&lt;script&gt;alert(1)&lt;/script&gt; Courts in Almaty closed a newspaper."},
        {"id": "m", "url": "https://example.org/m",
         "text": "<p onmouseover='alert(1)'>Police in Almaty beat protesters.</p>"},
        {"id": "n", "url": "https://example.org/n",
         "text": "Hackers planted a <script> tag. Police in Almaty detained a blogger."},
    ]
    path = tmp_path / "markup.jsonl"
    path.write_text("".join(json.dumps(o) + "\n" for o in lines), encoding="utf-8")
    result = cli("ingest", "--format", "jsonl", "--input-format", "jsonl", str(path))
    outcomes = [json.loads(line) for line in result.out.splitlines()]
    assert [o["status"] for o in outcomes] == ["stored"] * 4
    for outcome in outcomes:
        shown = cli("show", "document", str(outcome["document_id"]), "--format", "json").out
        stored = json.loads(shown)
        for field in ("text", "title"):
            value = (stored[field] or "").lower()
            assert "<script" not in value and "alert(1)" not in value, (field, value)
            assert "onerror" not in value and "onmouseover" not in value, (field, value)
        assert "Almaty" in stored["text"]
        assert all(stored["text"][d["start"]:d["end"]] == d["text"] for d in stored["dates"])
    # A tag nothing closes is a mention: the words after it are kept.
    assert stored["text"] == "Hackers planted a tag. Police in Almaty detained a blogger."


def test_an_address_too_long_to_key_is_one_rejected_line_on_both_stores(cli, tmp_path):
    lines = [
        {"id": "i" * 3000, "text": ALMATY},
        {"id": "u", "url": "https://example.org/" + "u" * 3000, "text": ALMATY},
        {"id": "ok", "text": ALMATY},
    ]
    path = tmp_path / "long.jsonl"
    path.write_text("".join(json.dumps(o) + "\n" for o in lines), encoding="utf-8")
    result = cli("ingest", "--format", "jsonl", "--input-format", "jsonl", str(path))
    outcomes = [json.loads(line) for line in result.out.splitlines()]
    assert [o["status"] for o in outcomes] == ["rejected", "rejected", "stored"]
    assert outcomes[0]["reason"].startswith("line 1: address too long: 3,006 bytes")
    assert outcomes[1]["reason"].startswith("line 2: address too long")
