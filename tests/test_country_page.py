"""The seed's country page, end to end: through the CLI, and as a person reads it on the web."""

from __future__ import annotations

import html
import json
import re
from datetime import date

import httpx


def test_seed_country_page_has_two_summaries_and_ten_dated_items(cli, seed_path):
    assert cli("ingest", str(seed_path)).code == 0
    result = cli("show", "country", "KZ", "--format", "json")
    assert result.code == 0
    page = json.loads(result.out)
    assert page["code"] == "KZ" and page["name"] == "Kazakhstan"
    summaries = page["summaries"]["data"]
    assert len(summaries) == 2
    assert all(s["text"] for s in summaries)
    assert [s["year"] for s in summaries] == [2014, 2011]  # newest first
    items = page["feed"]["data"]
    assert len(items) == 10
    assert sum(1 for i in items if i["teaser"]) == 7
    assert sum(1 for i in items if not i["teaser"]) == 3
    dates = [i["published"] for i in items]
    assert all(date.fromisoformat(d).isoformat() == d for d in dates)
    assert dates == sorted(dates, reverse=True)
    assert dates[0] == "2015-02-27" and dates[-1] == "2014-10-01"
    for item in items:
        assert {"published", "title", "teaser", "source"} <= item.keys()
        assert "/" not in item["source"]["name"]  # a file's own name, never its path
    untitled = {i["published"] for i in items if not i["teaser"]}
    assert untitled == {"2015-02-13", "2015-01-19", "2014-12-03"}


def test_country_page_text_lists_summaries_then_feed(cli, seed_path):
    cli("ingest", str(seed_path))
    out = cli("show", "country", "kz").out
    assert out.startswith("Kazakhstan (KZ)")
    assert out.index("[2014]") < out.index("[2011]") < out.index("• 2015-02-27")
    assert out.index("• 2015-02-27") < out.index("• 2014-10-01")


def test_the_web_page_shows_the_seed_in_its_layout(cli, seed_path, web_server):
    assert cli("ingest", str(seed_path)).code == 0
    page = httpx.get(f"{web_server}/countries/KZ").text
    summaries = re.findall(r'<article class="summary">\s*<h3>(\d{4})</h3>', page)
    assert summaries == ["2014", "2011"]
    feed = page[page.index('<section class="feed"'):]
    dates = re.findall(r'<p class="when"><time datetime="([\d-]+)">', feed)
    assert len(dates) == 10 and dates == sorted(dates, reverse=True)
    assert page.index('<article class="summary">') < page.index('<section class="feed"')
    # each entry says where it is listed, by the file's own name
    listed = re.findall(r'Listed in <a href="(/documents/\d+/versions/1)">([^<]+)</a>', feed)
    assert len(listed) == 10 and {html.unescape(n) for _, n in listed} == {seed_path.name}


def test_unknown_country_code_is_a_clear_error(cli):
    result = cli("show", "country", "QQ")
    assert result.code == 2
    assert "unknown country code" in result.err


def test_country_with_nothing_stored_says_so(cli):
    result = cli("show", "country", "FR")
    assert result.code == 0 and "Nothing stored" in result.out
