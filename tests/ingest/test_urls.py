"""Ingesting URLs over real HTTP on loopback."""

from __future__ import annotations

from rightsrecord.ingest.pipeline import Options, ingest

from .test_readers import FEED, NEWS_HTML


def test_html_and_feed_urls_are_stored_with_their_final_url(store, file_server):
    base, root = file_server
    (root / "news.html").write_text(NEWS_HTML, encoding="utf-8")
    (root / "feed.rss").write_text(FEED, encoding="utf-8")
    tally = ingest(store, [f"{base}/news.html", f"{base}/feed.rss"])
    assert tally.stored == 2
    rows = store.db.execute("SELECT d.url, d.kind, s.name, s.kind FROM documents d "
                            "JOIN sources s ON s.id = d.source_id ORDER BY d.id").fetchall()
    assert [tuple(r) for r in rows] == [
        (f"{base}/news.html", "html", "127.0.0.1", "web"),
        (f"{base}/feed.rss", "feed", "127.0.0.1", "web"),
    ]


def test_changed_page_at_same_url_becomes_a_new_version(store, file_server):
    base, root = file_server
    page = root / "page.txt"
    page.write_text("Kazakhstan\n\nFirst report from Almaty.", encoding="utf-8")
    first = ingest(store, [f"{base}/page.txt"])
    again = ingest(store, [f"{base}/page.txt"])
    page.write_text("Kazakhstan\n\nSecond report from Almaty.", encoding="utf-8")
    changed = ingest(store, [f"{base}/page.txt"])
    assert (first.stored, again.unchanged, changed.new_version) == (1, 1, 1)
    assert store.counts() == {"documents": 1, "versions": 2, "items": 0, "summaries": 0,
                              "sources": 1}


def test_http_error_status_is_a_clear_rejection(store, file_server):
    base, _ = file_server
    outcomes = []
    ingest(store, [f"{base}/missing.html"], report=outcomes.append)
    assert outcomes[0].line() == f"rejected {base}/missing.html: HTTP 404 File not found"


def test_huge_download_is_cut_off(store, file_server):
    base, root = file_server
    (root / "big.txt").write_text("Almaty " * 1000, encoding="utf-8")
    outcomes = []
    ingest(store, [f"{base}/big.txt"], Options(max_bytes=500), report=outcomes.append)
    assert outcomes[0].status == "rejected" and "too large" in outcomes[0].reason
