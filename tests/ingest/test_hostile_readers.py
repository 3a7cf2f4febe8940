"""Hostile documents for each reader: content never opened as a path, one-line rejections
instead of crashes, and a bounded amount of work per input, with every cut noted."""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest

from rightsrecord.document import Document
from rightsrecord.errors import Rejection
from rightsrecord.ingest.limits import Limits, OutOfTime, hard_deadline, use
from rightsrecord.ingest.pipeline import read

from .pdfmaker import make_pdf

SECRET = "canary-7f3a9c"
PROSE = "Police in Almaty detained three journalists on Monday, witnesses said."


def _outcomes(*paths: Path) -> list[Document | Rejection]:
    return list(read([str(p) for p in paths]))


def _only(path: Path) -> Document | Rejection:
    (outcome,) = _outcomes(path)
    return outcome


def _secret_feed(tmp_path: Path) -> Path:
    local = tmp_path / "local.xml"
    local.write_text(f'<?xml version="1.0"?><rss version="2.0"><channel><title>{SECRET}</title>'
                     f"<item><title>{SECRET}</title><description>{SECRET}</description></item>"
                     "</channel></rss>", encoding="utf-8")
    return local


# ---------------------------------------------------------------- content is never a path

@pytest.mark.parametrize("body", ["{path}", "{path}\n", "file://{path}"])
def test_a_feed_whose_body_names_a_local_file_never_reads_that_file(cli, tmp_path, body):
    local = _secret_feed(tmp_path)
    feed = tmp_path / "x.rss"
    feed.write_text(body.format(path=local), encoding="utf-8")
    result = cli("extract", str(feed), db=False)
    assert SECRET not in result.out + result.err
    assert result.code == 1
    assert result.err.startswith(f"rejected {feed}: ")


def test_a_feed_entity_naming_a_local_file_is_not_expanded(tmp_path):
    local = tmp_path / "secret.txt"
    local.write_text(SECRET, encoding="utf-8")
    dtd = tmp_path / "evil.dtd"
    dtd.write_text(f'<!ENTITY leak SYSTEM "file://{local}">', encoding="utf-8")
    feed = tmp_path / "entity.rss"
    feed.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY leak SYSTEM "file://{local}">\n'
        f'<!ENTITY % remote SYSTEM "file://{dtd}">\n%remote;\n]>\n'
        '<rss version="2.0"><channel><title>Desk &leak;</title><item><title>Almaty &leak;'
        f"</title><description>{PROSE} &leak;</description></item></channel></rss>",
        encoding="utf-8")
    outcome = _only(feed)
    shown = outcome.reason if isinstance(outcome, Rejection) else repr(
        [outcome.title, outcome.text, [(s.title, s.text) for s in outcome.segments]])
    assert SECRET not in shown


def test_an_html_doctype_or_entity_naming_a_local_file_is_not_read(tmp_path):
    local = tmp_path / "secret.txt"
    local.write_text(SECRET, encoding="utf-8")
    page = tmp_path / "page.html"
    page.write_text(f'<!DOCTYPE html SYSTEM "file://{local}" [<!ENTITY leak SYSTEM '
                    f'"file://{local}">]><html><head><title>Report &leak;</title></head>'
                    f"<body><p>{PROSE} &leak;</p><p>{PROSE}</p></body></html>", encoding="utf-8")
    outcome = _only(page)
    assert isinstance(outcome, Document)
    assert "Almaty" in outcome.text and SECRET not in outcome.text + (outcome.title or "")


# ---------------------------------------------------------------- readers reject, never crash

@pytest.mark.parametrize("block", ["<script>x()</script>", "<style>p{}</style>",
                                   "<noscript>n</noscript>"])
def test_a_control_character_after_a_dropped_block_keeps_the_page(tmp_path, block):
    page = tmp_path / "page.html"
    page.write_bytes(f"<html><body><p>{PROSE}</p>{block}\x01\x0bThe court fined them."
                     "</body></html>".encode())
    outcome = _only(page)
    assert isinstance(outcome, Document), outcome.line()
    assert "detained three journalists" in outcome.text
    assert "The court fined them." in outcome.text


def _pdf_with_info(info: str) -> bytes:
    data = make_pdf([PROSE], title="PLACEHOLDER")
    return _fix_xref(data.replace(b"/Title (PLACEHOLDER)", f"/Title {info}".encode()))


def _fix_xref(data: bytes) -> bytes:
    """Recompute a small PDF's xref offsets after an edit (objects in order, one per line)."""
    head, _, _ = data.partition(b"xref\n")
    offsets, at = [], 0
    while (found := head.find(b" 0 obj\n", at)) >= 0:
        start = head.rfind(b"\n", 0, found) + 1
        offsets.append(start)
        at = found + 1
    count = len(offsets) + 1
    xref = (f"xref\n0 {count}\n0000000000 65535 f \n"
            + "".join(f"{o:010d} 00000 n \n" for o in offsets)).encode()
    trailer = data[data.index(b"trailer"):]
    trailer = trailer[:trailer.index(b"startxref")] + f"startxref\n{len(head)}\n%%EOF\n".encode()
    return head + xref + trailer


@pytest.mark.parametrize("info", ["42", "3.5", "[1 2]", "<< /A 1 >>", "/Name", "<FFFE00D8>",
                                  "true", "null"])
def test_a_pdf_title_that_is_not_text_is_ignored(tmp_path, info):
    path = tmp_path / "odd-title.pdf"
    path.write_bytes(_pdf_with_info(info))
    outcome = _only(path)
    assert isinstance(outcome, Document), outcome.line()
    assert outcome.title == PROSE
    assert "Almaty" in outcome.text


def _pdf_with_filter(filters: str) -> bytes:
    data = make_pdf([PROSE])
    return _fix_xref(data.replace(b"<< /Length", f"<< /Filter {filters} /Length".encode(), 1))


@pytest.mark.parametrize("filters", ["/Bogus", "[/FlateDecode /Bogus]", "/JBIG2Decode"])
def test_a_pdf_stream_with_an_unknown_filter_is_one_rejection_and_the_batch_goes_on(
        tmp_path, filters):
    bad, good = tmp_path / "a-filter.pdf", tmp_path / "b-good.pdf"
    bad.write_bytes(_pdf_with_filter(filters))
    good.write_bytes(make_pdf([PROSE]))
    first, second = _outcomes(bad, good)
    assert isinstance(first, Rejection)
    assert first.line().startswith(f"rejected {bad}: ") and "\n" not in first.line()
    assert isinstance(second, Document) and "Almaty" in second.text


def test_a_damaged_pdf_prints_nothing_but_its_outcome(cli, tmp_path):
    data = make_pdf([PROSE])
    path = tmp_path / "bad-xref.pdf"
    path.write_bytes(data[:data.index(b"startxref")] + b"startxref\n1\n%%EOF\n")
    result = cli("extract", str(path), db=False)
    assert result.code == 0 and result.err == ""
    assert "Almaty" in result.out


def test_a_batch_of_hostile_files_gives_one_outcome_each(cli, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.html").write_bytes(b"<html><body><p>A</p><script></script>\x01b</body></html>")
    (folder / "b.pdf").write_bytes(_pdf_with_filter("/Bogus"))
    (folder / "c.pdf").write_bytes(_pdf_with_info("42"))
    (folder / "d.rss").write_text(str(_secret_feed(tmp_path)), encoding="utf-8")
    (folder / "e.txt").write_text(PROSE, encoding="utf-8")
    result = cli("ingest", str(folder))
    lines = result.out.splitlines() + result.err.splitlines()
    assert len([ln for ln in lines if ln.startswith(("stored ", "rejected "))]) == 5, lines
    assert "3 stored, 0 new versions, 0 unchanged, 2 rejected" in lines
    assert f"rejected {folder / 'b.pdf'}: unsupported PDF: Unsupported filter /Bogus" in lines
    assert SECRET not in result.out + result.err


# ---------------------------------------------------------------- plain text stays text

def test_a_text_file_that_mentions_a_script_tag_keeps_every_word(tmp_path):
    path = tmp_path / "defaced.txt"
    path.write_text("Site defaced\n\nThe ministry site was defaced with a <script> tag on "
                    "Monday. Police in Almaty detained two students on Tuesday & freed them "
                    "on <b>Friday</b>.", encoding="utf-8")
    outcome = _only(path)
    assert isinstance(outcome, Document), outcome.line()
    assert "defaced with a" in outcome.text and "tag on Monday." in outcome.text
    assert "Police in Almaty detained two students on Tuesday & freed them" in outcome.text
    assert "<b>Friday</b>" in outcome.text
    assert "<script" not in outcome.text  # the tag's words stay; no stored text holds one


def test_a_javascript_address_inside_a_tag_a_text_mentions_is_defused(tmp_path):
    path = tmp_path / "list.txt"
    path.write_text('Arrests\n\n<a href="JaVaScRiPt:alert(1)" onclick="alert(0)">Riot police'
                    "</a> detained ten protesters in Almaty on Monday.", encoding="utf-8")
    outcome = _only(path)
    assert isinstance(outcome, Document), outcome.line()
    assert "Riot police" in outcome.text and "ten protesters" in outcome.text
    assert "javascript:" not in outcome.text.lower() and "<a" not in outcome.text


def test_an_html_page_is_still_sanitised(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(f"<html><body><p>{PROSE}</p><script>alert(1)</script>"
                    "<p onclick='x()'>Tail.</p></body></html>", encoding="utf-8")
    outcome = _only(path)
    assert isinstance(outcome, Document)
    assert "alert" not in outcome.text and "onclick" not in outcome.text


# ---------------------------------------------------------------- limits

def test_limits_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("RIGHTSRECORD_MAX_PDF_PAGES", "7")
    monkeypatch.setenv("RIGHTSRECORD_MAX_SECONDS", "2.5")
    monkeypatch.setenv("RIGHTSRECORD_MAX_ITEMS", "not a number")
    limits = Limits.current()
    assert (limits.pdf_pages, limits.seconds, limits.items) == (7, 2.5, Limits().items)
    with use(Limits(items=3)):
        assert Limits.current().items == 3
    assert Limits.current().pdf_pages == 7


def _pages_pdf(count: int) -> bytes:
    """A PDF of `count` pages, each with its own line of text."""
    objects, kids = [], []
    for n in range(count):
        stream = f"BT /F1 11 Tf 72 760 Td (Page {n + 1} of the report: {PROSE}) Tj ET"
        objects.append(f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream")
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << "
                       f"/Font << /F1 3 0 R >> >> /Contents {4 + 2 * n} 0 R >>")
        kids.append(f"{5 + 2 * n} 0 R")
    head = ["<< /Type /Catalog /Pages 2 0 R >>",
            f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {count} >>",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out = b"%PDF-1.4\n"
    for n, body in enumerate(head + objects, 1):
        out += f"{n} 0 obj\n{body}\nendobj\n".encode()
    out += f"xref\ntrailer\n<< /Size {len(head) + len(objects) + 1} /Root 1 0 R >>\n" \
        "startxref\n0\n%%EOF\n".encode()
    return _fix_xref(out)


def test_a_pdf_is_read_up_to_the_page_limit_with_a_note(tmp_path, monkeypatch):
    path = tmp_path / "long.pdf"
    path.write_bytes(_pages_pdf(5))
    monkeypatch.setenv("RIGHTSRECORD_MAX_PDF_PAGES", "2")
    outcome = _only(path)
    assert isinstance(outcome, Document), outcome.line()
    assert "Page 2 of the report" in outcome.text and "Page 3" not in outcome.text
    assert outcome.notes == ["read the first 2 of 5 pages (RIGHTSRECORD_MAX_PDF_PAGES)"]


def test_a_pdf_past_the_time_limit_is_rejected(tmp_path, monkeypatch):
    path = tmp_path / "slow.pdf"
    path.write_bytes(_pages_pdf(3))
    monkeypatch.setenv("RIGHTSRECORD_MAX_SECONDS", "0")
    outcome = _only(path)
    assert isinstance(outcome, Rejection)
    assert outcome.reason == "took too long to read: over the 0 s reading limit"


def test_a_pdf_page_over_the_content_limit_is_skipped(tmp_path, monkeypatch):
    path = tmp_path / "dense.pdf"
    path.write_bytes(_pages_pdf(2))
    monkeypatch.setenv("RIGHTSRECORD_MAX_PDF_PAGE_BYTES", "10")
    outcome = _only(path)
    assert isinstance(outcome, Rejection)
    assert outcome.reason == ("PDF has no page under 10 bytes of content "
                              "(RIGHTSRECORD_MAX_PDF_PAGE_BYTES)")


def test_a_tag_with_thousands_of_attributes_keeps_its_text(tmp_path):
    attributes = " ".join(f'data-a{n}="v"' for n in range(3_000))
    path = tmp_path / "attrs.html"
    path.write_text(f"<html><body><p {attributes}>{PROSE}</p><p>{PROSE}</p></body></html>",
                    encoding="utf-8")
    outcome = _only(path)
    assert isinstance(outcome, Document), outcome.line()
    assert "detained three journalists" in outcome.text
    assert outcome.notes == ["ignored the attributes past the first 1,000 in 1 tag "
                             "(RIGHTSRECORD_MAX_ATTRIBUTES)"]


def _feed(entries: int) -> str:
    items = "".join(f"<item><title>Entry {n} from Almaty</title><link>https://e.invalid/{n}"
                    "</link><pubDate>Fri, 27 Feb 2015 10:00:00 GMT</pubDate><description>"
                    f"{PROSE}</description></item>" for n in range(entries))
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>D</title>{items}' \
        "</channel></rss>"


def test_a_feed_keeps_the_first_entries_up_to_the_limit(tmp_path, monkeypatch):
    path = tmp_path / "many.rss"
    path.write_text(_feed(30), encoding="utf-8")
    monkeypatch.setenv("RIGHTSRECORD_MAX_ITEMS", "10")
    outcome = _only(path)
    assert isinstance(outcome, Document), outcome.line()
    assert [s.title for s in outcome.items] == [f"Entry {n} from Almaty" for n in range(10)]
    assert outcome.notes == ["kept the first 10 of 30 entries (RIGHTSRECORD_MAX_ITEMS)"]


def test_a_listing_keeps_the_first_items_up_to_the_limit(tmp_path, monkeypatch):
    rows = "".join(f"<li><h3>Court fines journalist number {n}</h3><time datetime="
                   f"'2015-02-{n + 1:02d}'>{n + 1} Feb 2015</time><p>{PROSE}</p></li>"
                   for n in range(20))
    path = tmp_path / "listing.html"
    path.write_text(f"<html><body><ul>{rows}</ul></body></html>", encoding="utf-8")
    monkeypatch.setenv("RIGHTSRECORD_MAX_ITEMS", "4")
    outcome = _only(path)
    assert isinstance(outcome, Document), outcome.line()
    assert outcome.kind == "listing" and len(outcome.items) == 4
    assert outcome.notes == ["kept the first 4 of 20 entries (RIGHTSRECORD_MAX_ITEMS)"]


def test_a_long_text_is_cut_at_the_character_limit(tmp_path, monkeypatch):
    path = tmp_path / "long.txt"
    path.write_text("\n\n".join(f"{n}. {PROSE}" for n in range(100)), encoding="utf-8")
    monkeypatch.setenv("RIGHTSRECORD_MAX_CHARS", "1000")
    outcome = _only(path)
    assert isinstance(outcome, Document), outcome.line()
    assert 900 <= len(outcome.text) <= 1000 and outcome.text.endswith("said.")
    assert outcome.notes == ["cut 1 text at 1,000 characters (RIGHTSRECORD_MAX_CHARS)"]


def test_the_hard_deadline_stops_python_code_anywhere():
    with pytest.raises(OutOfTime), hard_deadline(0):
        while True:
            zlib.crc32(b"spin")
    with hard_deadline(60):
        pass  # disarmed on the way out: nothing fires later
