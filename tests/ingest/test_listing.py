"""The listing parser: the seed, and layouts of our own in text and HTML."""

from __future__ import annotations

from lxml import html

from rightsrecord.ingest.listing import (
    looks_like_text_listing,
    parse_html_listing,
    parse_text_listing,
    summary_year,
)
from rightsrecord.process import ingest


def test_seed_parses_into_two_summaries_and_ten_items(seed_path):
    text = seed_path.read_text(encoding="utf-8")
    assert looks_like_text_listing(text)
    summaries, items = parse_text_listing(text)
    assert [s.year for s in summaries] == [2011, 2014]
    assert summaries[0].text.startswith("Kazakhstan’s human rights record")
    assert summaries[1].text.endswith("remained in detention after unfair trials.")
    assert len(items) == 10
    assert [i.date for i in items][:3] == ["2015-02-27", "2015-02-13", "2015-01-29"]
    assert items[1].text == "" and items[0].text.startswith("The February 26, 2015 decision")
    assert items[-1].text.endswith("two male cultural icons kissing.")


OWN_LAYOUT = """• In 2023, the authorities of Kyrgyzstan tightened control over media and civil
  society, and courts jailed several journalists after closed trials.

• Mar 5, 2024
    A Bishkek court ordered the closure of an investigative outlet.
    The outlet said it would appeal.
• 1 February 2024
• 2024-01-15
    Parliament adopted a law on "foreign representatives".
* December 9 2023
"""


def test_own_text_layout_with_other_date_styles_and_bullets():
    summaries, items = parse_text_listing(OWN_LAYOUT)
    assert len(summaries) == 1 and summaries[0].year == 2023
    assert "closed trials." in summaries[0].text
    assert [i.date for i in items] == ["2024-03-05", "2024-02-01", "2024-01-15", "2023-12-09"]
    assert items[0].text == ("A Bishkek court ordered the closure of an investigative outlet. "
                             "The outlet said it would appeal.")
    assert items[1].text == "" and items[3].text == ""


def test_a_bullet_list_without_dates_is_not_a_listing():
    assert not looks_like_text_listing("• one point\n• another point\n• Feb 30, 2015\n")


def test_impossible_dates_are_not_items():
    _, items = parse_text_listing("• Feb 30, 2015\n    teaser\n• Feb 27, 2015\n")
    assert [i.date for i in items] == ["2015-02-27"]


HTML_LISTING = """<html><body><nav><ul><li><a href="/">Home</a></li><li>About</li></ul></nav>
<div class="country"><h1>Tajikistan</h1>
<p class="summary">In 2023, Tajikistan's government continued to jail critics, including
lawyers and journalists, and pressed relatives of exiled activists in Dushanbe.</p>
<ul class="feed">
<li><span>Mar 5, 2024</span> <a href="/news/a">Lawyer sentenced</a>
  <p>A court in Dushanbe sentenced a human rights lawyer.</p></li>
<li><span>Feb 1, 2024</span> <a href="https://example.org/b">Report on Gorno-Badakhshan</a></li>
<li>Jan 9, 2024 Journalists detained in Khujand after reporting on protests.</li>
</ul></div></body></html>"""


def test_html_list_layout():
    tree = html.document_fromstring(HTML_LISTING)
    summaries, items = parse_html_listing(tree, "https://example.org/tj/")
    assert len(summaries) == 1 and summaries[0].year == 2023
    assert [(i.date, i.title) for i in items] == [
        ("2024-03-05", "Lawyer sentenced"), ("2024-02-01", "Report on Gorno-Badakhshan"),
        ("2024-01-09", None)]
    assert items[0].url == "https://example.org/news/a"
    assert items[0].text == "A court in Dushanbe sentenced a human rights lawyer."
    assert items[1].text == ""
    assert items[2].text == "Journalists detained in Khujand after reporting on protests."


def test_html_seed_layout_as_lists_reaches_the_country_page(store, tmp_path):
    page = tmp_path / "kg.html"
    page.write_text(
        "<html><body><ul><li>In 2023, Kyrgyzstan's authorities pressed independent media and "
        "detained journalists in Bishkek over their reporting.</li></ul>"
        "<ul><li>Mar 5, 2024<p>Bishkek court orders an outlet closed.</p></li>"
        "<li>Feb 1, 2024</li></ul></body></html>", encoding="utf-8")
    ingest(store, [str(page)])
    country = store.country("KG")
    assert [s.year for s in country.summaries.data] == [2023]
    assert [(i.date, i.text) for i in country.items.data] == [
        ("2024-03-05", "Bishkek court orders an outlet closed."), ("2024-02-01", "")]


def test_summary_year_prefers_the_year_it_opens_with():
    assert summary_year("In 2014, authorities closed newspapers after the 2011 clashes.") == 2014
    assert summary_year("Clashes in December 2011 and trials in 2012.") == 2012
    assert summary_year("No year here.") is None
