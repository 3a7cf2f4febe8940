"""Each input kind, read from real files into the store."""

from __future__ import annotations

from rightsrecord.process import ingest
from tests.records import only_record

from .pdfmaker import make_pdf

NEWS_HTML = """<!doctype html><html><head><title>Court upholds closure | Steppe Monitor</title>
<meta name="date" content="2015-02-27"></head><body>
<nav><a href="/" onclick="track()">Home</a> <a href="/about">About us</a></nav>
<article><h1>Almaty appeals court upholds closure of critical outlet</h1>
<p>An appeals court in Almaty on February 26, 2015 upheld an order closing a media outlet
known for critical reporting, a decision that narrows media pluralism in Kazakhstan.</p>
<p>Journalists said the ruling would push other independent outlets towards self-censorship,
and press freedom groups called on the authorities to let the outlet publish again.</p>
</article><script>document.write('tracking')</script>
<footer>Copyright Steppe Monitor. All rights reserved.</footer></body></html>"""

FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Central Asia rights desk</title>
<link>https://demo.rightsrecord.invalid/</link><description>Updates</description>
<item><title>Kazakhstan: court upholds media closure</title>
<link>https://demo.rightsrecord.invalid/a</link><pubDate>Fri, 27 Feb 2015 10:00:00 GMT</pubDate>
<description>&lt;p&gt;An Almaty court upheld the closure.&lt;script&gt;x()&lt;/script&gt;
&lt;/p&gt;</description>
</item>
<item><title>Kyrgyzstan: new law on NGOs</title><link>https://demo.rightsrecord.invalid/b</link>
<pubDate>Mon, 01 Apr 2024 08:00:00 GMT</pubDate><description>Bishkek adopted a law.</description>
</item></channel></rss>"""


def test_html_page_keeps_main_text_and_drops_boilerplate_and_scripts(store, tmp_path):
    path = tmp_path / "news.html"
    path.write_text(NEWS_HTML, encoding="utf-8")
    tally = ingest(store, [str(path)])
    assert tally.stored == 1
    doc = only_record(store)
    assert doc["kind"] == "html"
    assert doc["published"] == "2015-02-27"
    assert "appeals court" in doc["text"] and "self-censorship" in doc["text"]
    assert "tracking" not in doc["text"] and "track()" not in doc["text"]
    assert doc["country"] == "KZ"
    assert doc["url"] == path.resolve().as_uri()


def test_plain_text_takes_title_and_date_from_its_head(store, tmp_path):
    path = tmp_path / "item.txt"
    path.write_text("Kazakhstan closes newspapers\n2014-12-03\n\nAuthorities in Astana closed "
                    "two newspapers this week.\n", encoding="utf-8")
    ingest(store, [str(path)])
    doc = only_record(store)
    assert (doc["kind"], doc["title"], doc["published"], doc["country"]) == (
        "text", "Kazakhstan closes newspapers", "2014-12-03", "KZ")


def test_feed_entries_become_dated_items_without_markup(store, tmp_path):
    path = tmp_path / "feed.xml"
    path.write_text(FEED, encoding="utf-8")
    ingest(store, [str(path)])
    doc = only_record(store)
    assert doc["kind"] == "feed" and doc["title"] == "Central Asia rights desk"
    items = doc["items"]
    assert [(i["date"], i["country"]) for i in items] == [("2015-02-27", "KZ"),
                                                         ("2024-04-01", "KG")]
    assert items[0]["text"] == "An Almaty court upheld the closure."
    assert items[0]["url"] == "https://demo.rightsrecord.invalid/a"


def test_pdf_text_title_and_creation_date(store, tmp_path):
    path = tmp_path / "brief.pdf"
    path.write_bytes(make_pdf(["Kazakhstan review brief", "The review took place in Geneva."],
                              title="UPR brief", created="20141030120000"))
    ingest(store, [str(path)])
    doc = only_record(store)
    assert (doc["kind"], doc["title"], doc["published"]) == ("pdf", "UPR brief", "2014-10-30")
    assert "Geneva" in doc["text"]


def test_folder_is_walked_in_name_order_skipping_hidden_files(store, tmp_path):
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "b.txt").write_text("Tajikistan: second\n\nDushanbe text.", encoding="utf-8")
    (folder / "sub" / "c.txt").write_text("Uzbekistan: third\n\nTashkent text.", "utf-8")
    (folder / "a.txt").write_text("Kazakhstan: first\n\nAlmaty text.", encoding="utf-8")
    (folder / ".hidden").write_text("secret", encoding="utf-8")
    seen = []
    ingest(store, [str(folder)], report=lambda o: seen.append(o.input))
    assert [p.rsplit("/", 1)[-1] for p in seen] == ["a.txt", "b.txt", "c.txt"]


def test_place_spans_point_at_the_exact_words(store, tmp_path):
    path = tmp_path / "t.txt"
    text = "Report\n\nPolice in Almaty detained protesters, Kazakh media said."
    path.write_text(text, encoding="utf-8")
    ingest(store, [str(path)])
    doc = only_record(store)
    places = doc["places"]
    assert {(a["text"], a["code"]) for a in places} == {("Almaty", "KZ"), ("Kazakh", "KZ")}
    assert "places.v4" in doc["stages"]
    for a in places:
        assert doc["text"][a["start"]:a["end"]] == a["text"]
