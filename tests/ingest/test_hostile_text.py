"""Hostile text and markup: linear cleaning, deep nesting, misleading names, undecodable names."""

from __future__ import annotations

import json
import math
import os
import time

import pytest

from rightsrecord.ingest.pipeline import Options, load
from rightsrecord.ingest.readers import read_html
from rightsrecord.ingest.sanitize import clean_text, has_markup_hazard
from rightsrecord.ingest.sniff import sniff


def _cpu(fn, arg, repeat: int = 1) -> float:
    """Best of 3 CPU times of `repeat` calls, so other load on the machine does not count."""
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        for _ in range(repeat):
            fn(arg)
        best = min(best, time.process_time() - start)
    return max(best, 1e-6)


def _growth(fn, small_input, large_input) -> tuple[float, float]:
    """CPU times for both inputs, each call repeated enough for the small one to be measurable
    (20 ms or more), the same number of times for both."""
    repeat = max(1, math.ceil(0.02 / _cpu(fn, small_input)))
    return _cpu(fn, small_input, repeat), _cpu(fn, large_input, repeat)


# Each was quadratic: "<" * 20,000 took 12.6 s to clean and 80,000 took 126 s.
RUNS = {
    "lt": lambda n: "<" * n + "a",
    "lt-a": lambda n: "<a" * (n // 2),
    "lt-space": lambda n: "< " * (n // 2),
    "lt-lt-lt-b": lambda n: "<<<b>" * (n // 5),
    "lt-gt": lambda n: "<" * n + ">",
    "unclosed-script": lambda n: "<script" * (n // 7),
    "unclosed-handler": lambda n: "<a onx=" * (n // 7),
    "nested-div": lambda n: "<div>" * (n // 5),  # the HTML cleaner pays per nesting level
    "joined-div": lambda n: "<<b>div>" * (n // 8),
    "unclosed-quote": lambda n: '<a x="' + "<div>" * (n // 5),
}


@pytest.mark.parametrize("make", RUNS.values(), ids=RUNS.keys())
def test_cleaning_is_linear_whatever_runs_of_markup_it_meets(make):
    n = 20_000
    small, large = _growth(clean_text, make(n), make(4 * n))
    # 4x the input: about 4x the time when linear, 16x when quadratic
    assert large / small < 8, f"{small:.4f}s for {n:,} chars, {large:.4f}s for {4 * n:,}"


SMUGGLED = [
    "<\x01script>alert(1)<\x01/script>",  # a control character dropped after the check
    "&lt;\x01script&gt;alert(1)",
    "java\x01script:alert(1)",
    "<<script>script>alert(1)</script>",
    "<scr<script>ipt>alert(1)</script>",
    "&amp;lt;script&amp;gt;alert(1)",
    "<img src=x onerror=alert(1)",  # never closed
    "see <style",
    "<a href='javascript:alert(1)'>x</a>",
    "<<a onx=><script>script>alert(1)",
    "< " * 500 + "<script>alert(1)</script>",
]


@pytest.mark.parametrize("text", SMUGGLED, ids=range(len(SMUGGLED)))
def test_no_script_comes_out_however_it_is_smuggled(text):
    cleaned = clean_text(f"Almaty court. {text} Verdict stands.")
    squeezed = "".join(cleaned.lower().split())
    assert "<script" not in squeezed and "<style" not in squeezed
    assert "javascript:" not in squeezed
    assert not has_markup_hazard(cleaned), cleaned
    assert cleaned.startswith("Almaty court.")


def test_ordinary_markup_still_reads_as_before():
    assert clean_text("<p>Police in <b>Almaty</b> detained five.</p>") == (
        "Police in Almaty detained five.")
    assert clean_text('<a title="a > b" href="/x">Bishkek</a> court') == "Bishkek court"
    assert clean_text("Rates &lt; 5% &amp; rising") == "Rates < 5% & rising"
    assert clean_text("3 < 5 and 7 > 2") == "3 < 5 and 7 > 2"


def _deep_page(depth: int, sections: int = 1) -> bytes:
    deep = "".join(
        "<div>" * depth + f"<p>Deep paragraph {k}: police in Almaty detained activist {k}.</p>"
        + "</div>" * depth for k in range(sections))
    return ("<html><head><title>Deep page</title></head><body>"
            "<p>Intro: a court in Bishkek heard the case of a journalist on Monday.</p>"
            f"{deep}<p>After: the hearing was adjourned until Friday.</p></body></html>"
            ).encode()


@pytest.mark.parametrize("depth", [300, 1000, 3000, 20_000])
def test_text_below_any_depth_of_nesting_is_kept(tmp_path, depth):
    path = tmp_path / "deep.html"
    path.write_bytes(_deep_page(depth))
    doc = load(str(path), Options())
    assert "Deep paragraph 0: police in Almaty detained activist 0." in doc.text
    assert "Intro: a court in Bishkek" in doc.text and "After: the hearing" in doc.text
    assert doc.title == "Deep page"


def test_reading_many_deep_sections_is_linear():
    def read(data: bytes) -> None:
        doc = read_html(data, "deep.html", None)
        assert "Deep paragraph 1:" in doc.text

    small, large = _growth(read, _deep_page(600, 4), _deep_page(600, 16))
    assert large / small < 8, f"{small:.3f}s for 4 sections, {large:.3f}s for 16"


MENTIONS_TAGS = (b"Template notes: each page opens with <body and a <div class=main> block.\n\n"
                 b"Kazakhstan: a court in Almaty fined a journalist on Monday.\n")


def test_text_file_that_mentions_tags_is_read_as_text(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_bytes(MENTIONS_TAGS)
    doc = load(str(path), Options())
    assert doc.kind == "text"
    assert "a court in Almaty fined a journalist on Monday." in doc.text
    assert "Template notes: each page opens with" in doc.text


@pytest.mark.parametrize("data,name,media,kind", [
    (MENTIONS_TAGS, "notes.txt", None, "text"),
    (MENTIONS_TAGS, "http://example.org/notes", "text/plain; charset=utf-8", "text"),
    (b"<p>Almaty</p>", "http://example.org/notes.txt?page=2", None, "text"),
    (b"<!DOCTYPE html><html><body><p>Almaty</p></body></html>", "page.txt", None, "html"),
    (b"\xef\xbb\xbf\n<html lang=en><p>Almaty</p></html>", "page.txt", "text/plain", "html"),
    (b"<!-- saved page --><html><p>Almaty</p></html>", "page.txt", None, "html"),
    (MENTIONS_TAGS, "notes.md", None, "html"),  # no name or type says text: markup wins
    (b"<p>Almaty</p>", "page.html", None, "html"),
    (b"<?xml version='1.0'?><rss version='2.0'><channel/></rss>", "feed.txt", None, "feed"),
])
def test_sniffing_trusts_a_text_name_or_type_unless_it_is_an_html_document(
        data, name, media, kind):
    assert sniff(data, name, media) == kind


def _undecodable_folder(tmp_path) -> bytes:
    folder = os.fsencode(tmp_path / "inbox")
    os.mkdir(folder)
    with open(os.path.join(folder, b"caf\xe9-report.txt"), "wb") as fh:
        fh.write(b"Kazakhstan: a court in Almaty fined a journalist on Monday.")
    with open(os.path.join(folder, b"ok.txt"), "wb") as fh:
        fh.write(b"Tajikistan: a court in Dushanbe jailed a lawyer on Tuesday.")
    return folder


def test_folder_with_a_file_name_that_is_not_utf8_is_ingested(cli, tmp_path):
    folder = _undecodable_folder(tmp_path)
    result = cli("ingest", os.fsdecode(folder))
    assert result.code == 0, result.err
    lines = result.out.strip().splitlines()
    assert lines[-1] == "2 stored, 0 new versions, 0 unchanged, 0 rejected"
    assert lines[0].startswith("stored file://") and "/inbox/caf%E9-report.txt " in lines[0]
    assert lines[1].startswith(f"stored {os.fsdecode(folder)}/ok.txt ")
    hits = json.loads(cli("search", "journalist", "--format", "json").out)["hits"]["data"]
    assert [h["source"]["name"] for h in hits] == ["caf\\xe9-report.txt"]


def test_extract_over_such_a_folder_goes_on_too(cli, tmp_path):
    result = cli("extract", os.fsdecode(_undecodable_folder(tmp_path)), db=False)
    assert result.code == 0, result.err
    assert len(result.out.strip().splitlines()) == 2


def test_folder_whose_own_name_is_not_utf8_is_ingested(cli, tmp_path):
    folder = os.fsencode(tmp_path) + b"/d\xff"
    os.mkdir(folder)
    with open(folder + b"/a.txt", "wb") as fh:
        fh.write(b"Uzbekistan: a court in Tashkent fined a blogger on Friday.")
    result = cli("ingest", os.fsdecode(folder))
    assert result.code == 0, result.err
    assert "/d%FF/a.txt " in result.out
