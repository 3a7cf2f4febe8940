"""Ingesting URLs over real HTTP on loopback."""

from __future__ import annotations

from rightsrecord.ingest.pipeline import Options
from rightsrecord.process import ingest
from rightsrecord.store.base import Counts

from .test_readers import FEED, NEWS_HTML

# The test servers listen on loopback, which URL ingest refuses unless the host is allowed.
LOCAL = Options(allow_hosts=frozenset({"127.0.0.1"}))


def test_html_and_feed_urls_are_stored_with_their_final_url(store, file_server):
    base, root = file_server
    (root / "news.html").write_text(NEWS_HTML, encoding="utf-8")
    (root / "feed.rss").write_text(FEED, encoding="utf-8")
    tally = ingest(store, [f"{base}/news.html", f"{base}/feed.rss"], LOCAL)
    assert tally.stored == 2
    views = [store.document(i) for i in store.iter_documents()]
    # A page is known by its host when it names no outlet; a feed by its title.
    assert [(v.url, v.document.kind, v.source) for v in views] == [
        (f"{base}/news.html", "html", "127.0.0.1"),
        (f"{base}/feed.rss", "feed", "Central Asia rights desk"),
    ]


def test_changed_page_at_same_url_becomes_a_new_version(store, file_server):
    base, root = file_server
    page = root / "page.txt"
    page.write_text("Kazakhstan\n\nFirst report from Almaty.", encoding="utf-8")
    first = ingest(store, [f"{base}/page.txt"], LOCAL)
    again = ingest(store, [f"{base}/page.txt"], LOCAL)
    page.write_text("Kazakhstan\n\nSecond report from Almaty.", encoding="utf-8")
    changed = ingest(store, [f"{base}/page.txt"], LOCAL)
    assert (first.stored, again.unchanged, changed.new_version) == (1, 1, 1)
    assert store.counts() == Counts(documents=1, versions=2, items=0, summaries=0, sources=1)


def test_http_error_status_is_a_clear_rejection(store, file_server):
    base, _ = file_server
    outcomes = []
    ingest(store, [f"{base}/missing.html"], LOCAL, report=outcomes.append)
    assert outcomes[0].line() == f"rejected {base}/missing.html: HTTP 404 File not found"


def test_huge_download_is_cut_off(store, file_server):
    base, root = file_server
    (root / "big.txt").write_text("Almaty " * 1000, encoding="utf-8")
    outcomes = []
    ingest(store, [f"{base}/big.txt"], Options(max_bytes=500, allow_hosts=LOCAL.allow_hosts),
           report=outcomes.append)
    assert outcomes[0].status == "rejected" and "too large" in outcomes[0].reason


def test_a_url_with_its_scheme_in_capitals_is_fetched(store, file_server):
    base, root = file_server
    (root / "page.txt").write_text("Kazakhstan\n\nA report from Almaty.", encoding="utf-8")
    outcomes = []
    for scheme in ("HTTP://", "Http://"):
        ingest(store, [base.replace("http://", scheme) + "/page.txt"], LOCAL,
               report=outcomes.append)
    assert [o.status for o in outcomes] == ["stored", "unchanged"], [o.line() for o in outcomes]
    views = [store.document(i) for i in store.iter_documents()]
    assert [v.url for v in views] == [f"{base}/page.txt"]
