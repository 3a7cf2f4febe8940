"""Bad input: one clear line naming the input and the reason; the batch goes on; nothing lost."""

from __future__ import annotations

import json
import random

import pytest

from rightsrecord.ingest.pipeline import Options
from rightsrecord.process import ingest
from tests.records import stored_records

from .pdfmaker import make_pdf


def _random_bytes(n: int, seed: int) -> bytes:
    return random.Random(seed).randbytes(n)


GOOD = "Kazakhstan court upholds closure\n2015-02-27\n\nAn Almaty appeals court upheld it."


def _one(store, path, options=None):
    outcomes = []
    tally = ingest(store, [str(path)], options, report=outcomes.append)
    assert len(outcomes) == 1
    return tally, outcomes[0]


def _rejected(store, path, reason_part, options=None):
    tally, outcome = _one(store, path, options)
    assert outcome.status == "rejected", outcome
    line = outcome.line()
    assert line.startswith(f"rejected {path}: ")
    assert reason_part in line, line
    assert "\n" not in line
    assert tally.rejected == 1 and tally.stored == 0
    return line


@pytest.mark.parametrize("content", [b"", b"   \n\t\n  "], ids=["zero-bytes", "whitespace"])
def test_empty_file(store, tmp_path, content):
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    _rejected(store, path, "empty")


@pytest.mark.parametrize("content,what", [
    (b"\x89PNG\r\n\x1a\n" + bytes(200), "PNG image"),
    (b"PK\x03\x04" + bytes(100), "ZIP archive"),
    (_random_bytes(4096, 3), "binary"),
    (b"text then\x00\x00\x00 nulls" * 20, "binary"),
], ids=["png", "zip", "random", "nul"])
def test_binary_file(store, tmp_path, content, what):
    path = tmp_path / "blob.txt"
    path.write_bytes(content)
    _rejected(store, path, what)


def test_huge_file_over_the_configured_limit(store, tmp_path):
    path = tmp_path / "huge.txt"
    path.write_bytes(b"Kazakhstan " * 2000)  # 22,000 bytes
    line = _rejected(store, path, "too large", Options(max_bytes=10_000))
    assert "22,000 bytes" in line and "10,000-byte limit" in line


def test_default_limit_is_20_mb_and_set_by_env(monkeypatch):
    assert Options().max_bytes == 20 * 1024 * 1024
    monkeypatch.setenv("RIGHTSRECORD_MAX_BYTES", "1234")
    assert Options().max_bytes == 1234


def test_huge_file_via_cli_flag(cli, tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("Almaty " * 500, encoding="utf-8")
    result = cli("ingest", str(path), "--max-bytes", "100")
    assert result.code == 1
    assert f"rejected {path}: too large" in result.err


@pytest.mark.parametrize("content,reason", [
    (b'<html><head><meta charset="utf-8"></head><body><p>caf\xe9 in Almaty</p></body></html>',
     "declares utf-8 but is not valid utf-8 at byte"),
    (b"Hello \x81\x8d\x8f\x90\x9d world \xff\xfe\xfa\xfb" * 20, "not valid UTF-8 at byte 6"),
    (("\ufffd" * 40 + " Kazakhstan").encode(), "40 undecodable characters"),
], ids=["declared-utf8-but-not", "undecidable-bytes", "replacement-characters"])
def test_wrongly_encoded(store, tmp_path, content, reason):
    path = tmp_path / "bad.html"
    path.write_bytes(content)
    _rejected(store, path, f"wrongly encoded: {reason}")


def test_legacy_encodings_that_read_cleanly_are_kept(store, tmp_path):
    latin = tmp_path / "fr.txt"
    latin.write_bytes("Almaty\n\nLe tribunal a confirmé la fermeture; très grave.".encode("cp1252"))
    cyr = tmp_path / "ru.txt"
    cyr.write_bytes("Алматы\n\nСуд Алматы подтвердил закрытие газеты. Это очень серьезное "
                    "решение для свободы прессы в Казахстане.".encode("cp1251"))
    assert ingest(store, [str(latin), str(cyr)]).stored == 2
    texts = [r["text"] for r in stored_records(store)]
    assert "confirmé" in texts[0] and "подтвердил" in texts[1]


def test_truncated_pdf(store, tmp_path):
    pdf = make_pdf(["Kazakhstan brief"])
    path = tmp_path / "cut.pdf"
    path.write_bytes(pdf[: len(pdf) // 2])
    _rejected(store, path, "truncated PDF")


def test_damaged_pdf(store, tmp_path):
    path = tmp_path / "damaged.pdf"
    path.write_bytes(b"%PDF-1.4\n1 0 obj garbage endobj\nxref\n0 1\nbroken\n%%EOF\n")
    _rejected(store, path, "PDF")


def test_truncated_feed(store, tmp_path):
    path = tmp_path / "cut.xml"
    path.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><item>'
                    "<title>Kazakhstan</title><description>Almaty cou", encoding="utf-8")
    _rejected(store, path, "truncated or malformed feed")


def test_truncated_utf8_text_keeps_what_came_before_the_cut(store, tmp_path):
    path = tmp_path / "cut.txt"
    path.write_bytes("Report\n\nСуд в Алматы".encode()[:-1])
    tally, outcome = _one(store, path)
    assert outcome.status == "stored"
    text = stored_records(store)[0]["text"]
    assert text.endswith("Алмат")


SCRIPTS = [
    "<script>alert(1)</script>", "onerror=", "onclick", "javascript:", "<style", "alert(",
    "<iframe",
]


def test_script_laden_html_is_stored_without_any_script(store, tmp_path):
    path = tmp_path / "laden.html"
    path.write_text(
        "<html><head><style>body{}</style><script>alert(1)</script></head><body>"
        "<p onclick=\"alert('x')\">Police in Almaty detained protesters on Thursday, "
        "witnesses said.</p><img src=x onerror=alert(2)><a href=\"javascript:alert(3)\">more"
        "</a><iframe src=\"https://x.invalid\"></iframe>"
        "<p>&lt;script&gt;alert(4)&lt;/script&gt; Kazakhstan</p></body></html>",
        encoding="utf-8")
    tally, outcome = _one(store, path)
    assert outcome.status == "stored"
    stored = json.dumps([[r["title"], r["text"]] for r in stored_records(store)])
    assert "detained protesters" in stored
    for bad in SCRIPTS:
        assert bad not in stored.lower()


def test_script_laden_text_file_keeps_its_words_but_no_tags(store, tmp_path):
    # A .txt is text: every word it says is kept, but no tag in it can run as one.
    path = tmp_path / "laden.txt"
    path.write_text("Title <script>alert(1)</script>\n\nAlmaty <img src=x onerror=alert(2)> "
                    "court.", encoding="utf-8")
    _one(store, path)
    stored = json.dumps([[r["title"], r["text"]] for r in stored_records(store)])
    assert "<script" not in stored.lower() and "<img" not in stored.lower()
    for word in ("Almaty", "court", "alert(1)", "onerror"):
        assert word in stored


def test_nothing_but_script_is_rejected(store, tmp_path):
    path = tmp_path / "only.html"
    path.write_text("<html><head><script>alert(1)</script></head><body><script>x()</script>"
                    "<style>p{}</style></body></html>", encoding="utf-8")
    _rejected(store, path, "no readable text")


def test_missing_file(store, tmp_path):
    _rejected(store, tmp_path / "nope.txt", "no such file or folder")


def test_unreachable_url(store):
    from ..conftest import free_port

    url = f"http://127.0.0.1:{free_port()}/gone.html"
    _rejected(store, url, "unreachable", Options(allow_hosts=frozenset({"127.0.0.1"})))


def test_batch_goes_on_past_bad_inputs_and_counts_them(cli, tmp_path, seed_path):
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "1-good.txt").write_text(GOOD, encoding="utf-8")
    (folder / "2-empty.txt").write_bytes(b"")
    (folder / "3-binary.bin").write_bytes(bytes(range(256)) * 4)
    (folder / "4-cut.pdf").write_bytes(make_pdf(["x"])[:100])
    (folder / "5-good.html").write_text("<p>Tajikistan: a court in Dushanbe ruled.</p>",
                                        encoding="utf-8")
    result = cli("ingest", str(seed_path), str(folder), str(tmp_path / "missing.txt"))
    assert result.code == 1
    rejected = [line for line in result.err.splitlines() if line.startswith("rejected ")]
    assert len(rejected) == 4
    assert result.out.strip().splitlines()[-1] == (
        "3 stored, 0 new versions, 0 unchanged, 4 rejected")


def test_rejects_never_touch_what_is_stored(cli, tmp_path, seed_path, db_file):
    cli("ingest", str(seed_path))
    before = cli("show", "country", "KZ", "--format", "json").out
    junk = tmp_path / "junk"
    junk.mkdir()
    (junk / "a.txt").write_bytes(b"")
    (junk / "b.pdf").write_bytes(b"%PDF-1.4 cut")
    (junk / "c.txt").write_bytes(b"\x00" * 100)
    cli("ingest", str(junk))
    assert cli("show", "country", "KZ", "--format", "json").out == before
