"""A document's source is its canonical address and outlet, read from its content at read
time and kept by both stores; a local path is never either, nor a source's name."""

from __future__ import annotations

import pytest

from rightsrecord.ingest.pipeline import Options, read
from rightsrecord.process import ingest
from rightsrecord.sources import source_name

PAGE = """<!doctype html><html><head><title>Court fines editor | Steppe Monitor</title>
<meta property="og:site_name" content="Steppe Monitor">
<link rel="canonical" href="https://steppe.example.org/2024/05/editor-fined">
</head><body><article><h1>Court fines editor</h1>
<p>A court in Almaty fined the editor of an independent newspaper on May 14, 2024, for
reporting on a protest, and the paper's lawyer said the editor would appeal.</p>
</article></body></html>"""

LISTING = """<!doctype html><html><head><title>Kazakhstan updates</title>{head}</head><body>
<ul class="updates">
<li><span class="date">Jun 23, 2024</span> <a href="/2024/06/court-jails-blogger">Court jails
blogger</a><p>A court in Almaty jailed a blogger for six years.</p></li>
<li><span class="date">May 2, 2024</span> <a href="2024/05/rally-dispersed">Rally
dispersed</a><p>Police in Astana dispersed a peaceful rally.</p></li>
<li><span class="date">Apr 4, 2024</span> <a href="/2024/04/law-signed">Law signed</a>
<p>The president signed a law on foreign-funded groups in Kazakhstan.</p></li>
</ul></body></html>"""

CHANNEL = ("Nationwide protest in Kazakhstan: police detained hundreds of demonstrators in "
           "Almaty")
FEED = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>
<title>Steppe Monitor: Kazakhstan</title>
<link>https://steppe.example.org/</link>
<atom:link rel="self" href="https://steppe.example.org/feeds/kz.xml"/>
<description>{CHANNEL}</description>
<item><title>Court fines editor</title><link>https://steppe.example.org/2024/05/editor</link>
<pubDate>Tue, 14 May 2024 10:00:00 GMT</pubDate>
<description>A court in Astana fined a newspaper editor.</description></item>
<item><title>Law on media signed</title><link>https://steppe.example.org/2024/04/law</link>
<pubDate>Thu, 04 Apr 2024 08:00:00 GMT</pubDate>
<description>Kazakhstan's president signed a new media law.</description></item>
</channel></rss>"""


def _one_view(store):
    (doc_id,) = list(store.iter_documents())
    view = store.document(doc_id)
    assert view is not None
    return view


def _source_names(store) -> list[str]:
    return [r["name"] for r in store._all("SELECT name FROM sources ORDER BY id")]


def _read_one(path):
    (doc,) = list(read([str(path)]))
    return doc


def test_a_local_page_is_known_by_its_canonical_address_and_outlet_never_its_path(
        store, tmp_path):
    path = tmp_path / "inbox" / "editor.html"
    path.parent.mkdir()
    path.write_text(PAGE, encoding="utf-8")
    assert ingest(store, [str(path)]).stored == 1
    view = _one_view(store)
    assert view.canonical == "https://steppe.example.org/2024/05/editor-fined"
    assert view.outlet == "Steppe Monitor"
    assert (view.document.canonical, view.document.outlet) == (view.canonical, view.outlet)
    assert view.source == "Steppe Monitor"
    assert _source_names(store) == ["Steppe Monitor"]
    assert source_name(view.url) == "editor.html"
    assert str(tmp_path) not in repr((view.source, view.canonical, view.outlet))


def test_a_page_without_a_site_name_is_named_by_its_canonical_host(store, tmp_path):
    path = tmp_path / "page.html"
    path.write_text(PAGE.replace('<meta property="og:site_name" content="Steppe Monitor">',
                                 ""), encoding="utf-8")
    ingest(store, [str(path)])
    view = _one_view(store)
    assert (view.canonical, view.outlet, view.source) == (
        "https://steppe.example.org/2024/05/editor-fined", "steppe.example.org",
        "steppe.example.org")


def test_a_local_text_names_no_outlet_and_its_source_is_its_kind(store, tmp_path):
    path = tmp_path / "notes" / "story.txt"
    path.parent.mkdir()
    path.write_text("Court fines editor\n\nA court in Almaty fined an editor on Monday.",
                    encoding="utf-8")
    ingest(store, [str(path)])
    view = _one_view(store)
    assert (view.canonical, view.outlet, view.source) == (None, None, "file")
    assert _source_names(store) == ["file"]


@pytest.mark.parametrize("link, expected", [
    ('<meta property="og:url" content="https://steppe.example.org/og">',
     "https://steppe.example.org/og"),
    ('<link rel="Canonical" href="https://user:secret@steppe.example.org/a">',
     "https://steppe.example.org/a"),
    ('<link rel="canonical" href="/2024/05/relative">', None),  # would be a local path
    ('<link rel="canonical" href="javascript:alert(1)">', None),
    ('<link rel="canonical" href="file:///etc/passwd">', None),
    ('<link rel="canonical" href="https://steppe.example.org/a b">', None),
])
def test_only_an_absolute_web_address_is_a_canonical_address(tmp_path, link, expected):
    path = tmp_path / "page.html"
    path.write_text(PAGE.replace('<link rel="canonical" href="https://steppe.example.org/'
                                 '2024/05/editor-fined">', link), encoding="utf-8")
    doc = _read_one(path)
    assert doc.canonical == expected
    assert doc.outlet == "Steppe Monitor"


def test_a_fetched_page_is_named_by_its_host_and_resolves_a_relative_canonical(
        store, file_server):
    base, root = file_server
    (root / "page.html").write_text(
        PAGE.replace('<meta property="og:site_name" content="Steppe Monitor">', "")
            .replace("https://steppe.example.org/2024/05/editor-fined", "/canonical/editor"),
        encoding="utf-8")
    ingest(store, [f"{base}/page.html"], Options(allow_hosts=frozenset({"127.0.0.1"})))
    view = _one_view(store)
    assert (view.canonical, view.outlet, view.source) == (
        f"{base}/canonical/editor", "127.0.0.1", "127.0.0.1")


def test_a_local_listing_links_its_entries_by_its_canonical_address_never_a_path(tmp_path):
    canonical = '<link rel="canonical" href="https://desk.example.org/kz/">'
    with_canonical = tmp_path / "with.html"
    with_canonical.write_text(LISTING.format(head=canonical), encoding="utf-8")
    doc = _read_one(with_canonical)
    assert doc.kind == "listing"
    assert [i.url for i in doc.items] == [
        "https://desk.example.org/2024/06/court-jails-blogger",
        "https://desk.example.org/kz/2024/05/rally-dispersed",
        "https://desk.example.org/2024/04/law-signed"]
    without = tmp_path / "without.html"
    without.write_text(LISTING.format(head=""), encoding="utf-8")
    doc = _read_one(without)
    assert doc.kind == "listing" and doc.canonical is None
    assert [i.url for i in doc.items] == [None, None, None]


def test_a_feed_is_named_by_its_title_and_its_channel_text_reports_nothing(store, tmp_path):
    path = tmp_path / "kz.xml"
    path.write_text(FEED, encoding="utf-8")
    assert ingest(store, [str(path)]).stored == 1
    view = _one_view(store)
    assert (view.canonical, view.outlet, view.source) == (
        "https://steppe.example.org/feeds/kz.xml", "Steppe Monitor: Kazakhstan",
        "Steppe Monitor: Kazakhstan")
    doc = view.document
    assert [i.url for i in doc.items] == ["https://steppe.example.org/2024/05/editor",
                                          "https://steppe.example.org/2024/04/law"]
    # The channel's description is in no segment, so no fact and no feed entry comes of it.
    for unit in doc.units():
        assert "demonstrators" not in unit.text and "detained" not in unit.text
    assert "protest" not in {e.type for unit in doc.units() for e in unit.events}
    assert doc.body.title is None  # the feed's title is not read for facts either
    entries = store.country("KZ")
    assert entries is not None
    assert {e.title for e in entries.items.data} == {"Court fines editor",
                                                     "Law on media signed"}


@pytest.mark.parametrize("url, shown", [
    ("file:///srv/data/demo/news/caf%C3%A9%20report.html", "café report.html"),
    ("file:///srv/in/caf%E9.txt", "caf\\xe9.txt"),
    ("https://steppe.example.org/2024/05/editor", "https://steppe.example.org/2024/05/editor"),
    ("stdin:sha256:" + "ab" * 32, "standard input"),
    ("jsonl:report%201", "JSON line report 1"),
    ("jsonl:sha256:" + "cd" * 32, "JSON line sha256:" + "cd" * 6),
    ("/home/someone/reports/r.txt", "r.txt"),
])
def test_source_name_never_shows_a_path(url, shown):
    assert source_name(url) == shown
