"""One way through: the same inputs give the same facts through `extract` and through the
store (ingest, then read back), on SQLite and on PostgreSQL."""

from __future__ import annotations

import json

from rightsrecord.extract.contract import record
from rightsrecord.extract.run import records
from rightsrecord.ingest.pipeline import read
from rightsrecord.process import ingest
from tests.ingest.pdfmaker import make_pdf

UNDATED_FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Rights desk</title><link>https://example.org/</link>
<description>Updates</description><pubDate>Tue, 03 Mar 2015 09:00:00 GMT</pubDate>
<item><title>Kazakhstan: journalists detained</title><link>https://example.org/a</link>
<description>Police in Almaty detained two journalists on Monday.</description></item>
<item><title>Kyrgyzstan: court closes outlet</title><link>https://example.org/b</link>
<pubDate>Mon, 02 Mar 2015 08:00:00 GMT</pubDate>
<description>A Bishkek court ordered an outlet closed last week.</description></item>
</channel></rss>"""

LISTING = """• In 2014, Kazakhstan's authorities closed independent newspapers and detained
activists who protested in Almaty.

• In 2013, courts in Astana sentenced a trade union leader.

• Feb 27, 2015
    An Almaty appeals court upheld the closure of an outlet on February 26.
• Feb 13, 2015
• Jan 19, 2015
    Police detained an activist in Astana on Saturday.
"""

ARTICLE = """<!doctype html><html><head><title>Court upholds closure</title>
<meta name="date" content="2015-02-27"></head><body><article>
<h1>Almaty appeals court upholds closure of critical outlet</h1>
<p>An appeals court in Almaty on February 26, 2015 upheld an order closing a media outlet.
Police detained two journalists outside the court, witnesses said.</p>
<p>Kazakhstan should let the outlet publish again, press freedom groups said.</p>
</article></body></html>"""

FACTS = ("title", "published", "kind", "text", "country", "countries", "themes", "dates",
         "places", "actors", "events", "stages")


def _inputs(tmp_path):
    (tmp_path / "feed.xml").write_text(UNDATED_FEED, encoding="utf-8")
    (tmp_path / "kz.txt").write_text(LISTING, encoding="utf-8")
    (tmp_path / "article.html").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "brief.pdf").write_bytes(make_pdf(
        ["Kazakhstan review brief", "Police in Astana detained a lawyer on 3 March 2015."],
        title="UPR brief", created="20150304120000"))
    return [str(tmp_path / n) for n in ("feed.xml", "kz.txt", "article.html", "brief.pdf")]


def _facts(rec: dict) -> dict:
    out = {k: rec[k] for k in FACTS}
    for part in ("items", "summaries"):
        out[part] = [{k: v for k, v in seg.items()} for seg in rec[part]]
    return out


def test_extract_and_the_store_give_the_same_facts(store, tmp_path):
    paths = _inputs(tmp_path)
    extracted = {r["url"]: r for r in records(read(paths))}
    tally = ingest(store, paths)
    assert tally.stored == 4
    for doc_id in store.iter_documents():
        view = store.document(doc_id)
        stored = record(view.document)
        assert json.dumps(_facts(stored), sort_keys=True) == \
            json.dumps(_facts(extracted[view.url]), sort_keys=True), view.url
    kinds = sorted(r["kind"] for r in extracted.values())
    assert kinds == ["feed", "html", "listing", "pdf"]


def test_an_undated_feed_item_resolves_its_dates_against_the_feed_on_both_paths(store,
                                                                                tmp_path):
    paths = _inputs(tmp_path)[:1]
    extracted = next(records(read(paths)))
    ingest(store, paths)
    stored = record(store.document(next(store.iter_documents())).document)
    for rec in (extracted, stored):
        undated = rec["items"][0]
        assert undated["date"] is None
        assert [d["value"] for d in undated["dates"]] == ["2015-03-02"]  # Monday before
        assert [(e["type"], e["date"], e["date_source"]) for e in undated["events"]] == [
            ("arrest", "2015-03-02", "text")]
