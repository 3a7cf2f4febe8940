"""The seed's country page, end to end through the CLI (the acceptance of issue 2)."""

from __future__ import annotations

import json
from datetime import date


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
    items = page["items"]["data"]
    assert len(items) == 10
    assert sum(1 for i in items if i["text"]) == 7
    assert sum(1 for i in items if not i["text"]) == 3
    dates = [i["date"] for i in items]
    assert all(date.fromisoformat(d).isoformat() == d for d in dates)
    assert dates == sorted(dates, reverse=True)
    assert dates[0] == "2015-02-27" and dates[-1] == "2014-10-01"
    for item in items:
        assert {"date", "title", "text", "url"} <= item.keys()
    untitled = {i["date"] for i in items if not i["text"]}
    assert untitled == {"2015-02-13", "2015-01-19", "2014-12-03"}


def test_country_page_text_lists_summaries_then_feed(cli, seed_path):
    cli("ingest", str(seed_path))
    out = cli("show", "country", "kz").out
    assert out.startswith("Kazakhstan (KZ)")
    assert out.index("[2014]") < out.index("[2011]") < out.index("• 2015-02-27")
    assert out.index("• 2015-02-27") < out.index("• 2014-10-01")


def test_unknown_country_code_is_a_clear_error(cli):
    result = cli("show", "country", "QQ")
    assert result.code == 2
    assert "unknown country code" in result.err


def test_country_with_nothing_stored_says_so(cli):
    result = cli("show", "country", "FR")
    assert result.code == 0 and "Nothing stored" in result.out
