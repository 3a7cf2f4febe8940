"""Listing pages in the layouts organisations use, read by the real reader.

Each page of `evaluation/data/listings/` reads to its expected entries (date, title), summary
years and no page furniture; small pages pin the cases the set does not hold.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rightsrecord.document import Document
from rightsrecord.evaluation.listings import expected_pages, pages_dir
from rightsrecord.ingest.fetch import Fetched
from rightsrecord.ingest.furniture import is_furniture_text
from rightsrecord.ingest.pipeline import parse, read

PAGES = expected_pages()


def _read(path: Path) -> Document:
    doc = next(read([str(path)]))
    assert isinstance(doc, Document), doc
    return doc


def _page(tmp_path: Path, name: str, content: str) -> Document:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return _read(path)


def test_the_set_has_two_halves_of_at_least_eight_pages():
    halves = [sum(p["half"] == h for p in PAGES.values()) for h in (1, 2)]
    assert min(halves) >= 8
    assert any(name.endswith(".txt") for name in PAGES)
    assert any(name.endswith(".html") for name in PAGES)


@pytest.mark.parametrize("name", sorted(PAGES))
def test_layout_reads_to_its_entries_and_summaries(name: str):
    want = PAGES[name]
    doc = _read(pages_dir() / name)
    assert doc.kind == "listing"
    got = [(i.date, i.title or i.text) for i in doc.items]
    assert len(got) == len(want["items"])
    for (day, start), (want_day, want_start, _) in zip(got, want["items"], strict=True):
        assert day == want_day
        assert start.startswith(want_start) if want_start else True
    assert [s.year for s in doc.summaries] == want["summaries"]
    for segment in doc.segments:
        shown = f"{segment.title or ''} {segment.text}"
        assert not any(b.casefold() in shown.casefold() for b in want["boilerplate"]), shown
        if segment.title:
            assert not is_furniture_text(segment.title)


def test_featured_block_repeating_an_entry_gives_it_once():
    path = pages_dir() / "a02_amnesty_cards.html"
    # Read as served from its site: the entries' relative links resolve against its address.
    doc = parse(Fetched(path.read_bytes(), "https://www.amnesty.org/en/location/", ""), "page")
    titles = [i.title for i in doc.items]
    assert titles.count("Egypt: Release Alaa Abd El-Fattah now") == 1
    assert doc.items[0].text.startswith("The Egyptian authorities must immediately release")
    assert doc.items[0].url == (
        "https://www.amnesty.org/en/latest/news/2023/03/egypt-alaa-abd-el-fattah/")
    # Read from a local file that names no canonical address, a relative link is no address:
    # never one into the reading machine's own folders.
    assert _read(path).items[0].url is None


def test_type_labels_and_bylines_stay_out_of_titles_and_teasers():
    fidh = _read(pages_dir() / "a03_fidh_text.txt")
    assert fidh.items[0].title == ("Belarus: Viasna human rights defenders face trumped-up tax "
                                   "charges")
    assert fidh.items[1].text.endswith("called the searches a campaign of intimidation.")
    blog = _read(pages_dir() / "a08_ngo_blog.html")
    assert [i.text for i in blog.items][1] == ("At least 40 people were arrested in Kisumu after a "
                                               "demonstration against the cost of living turned "
                                               "violent.")
    assert blog.items[2].text == ""


def test_summary_year_is_its_heading_or_the_year_it_covers_not_an_old_massacre():
    hrw = _read(pages_dir() / "b12_hrw_text_weekdays.txt")
    assert hrw.summaries[0].year == 2016 and "2005 Andijan massacre" in hrw.summaries[0].text
    fh = _read(pages_dir() / "a06_freedomhouse_summary.html")
    assert [s.year for s in fh.summaries] == [2023] and not fh.items
    assert "Key Developments" not in fh.summaries[0].text
    assert "El Chipote" in fh.summaries[0].text


def test_numeric_dates_month_first_on_a_us_page_day_first_elsewhere(tmp_path):
    rows = "".join(f"<li><span>{d}</span> <a href='/n{i}'>Statement number {i} on detention</a>"
                   "</li>" for i, d in enumerate(("03/05/2024", "02/01/2024")))
    us = _page(tmp_path, "us.html", f"<html lang='en-US'><body><ul>{rows}</ul></body></html>")
    assert [i.date for i in us.items] == ["2024-03-05", "2024-02-01"]
    uk = _page(tmp_path, "uk.html", f"<html lang='en-GB'><body><ul>{rows}</ul></body></html>")
    assert [i.date for i in uk.items] == ["2024-05-03", "2024-01-02"]
    # a day over 12 settles it, whatever the language
    settled = rows + "<li><span>03/14/2024</span> <a href='/x'>Another statement here</a></li>"
    page = _page(tmp_path, "s.html", f"<html lang='en-GB'><body><ul>{settled}</ul></body></html>")
    assert [i.date for i in page.items] == ["2024-03-05", "2024-02-01", "2024-03-14"]


def test_text_dates_alone_on_their_line_with_weekdays_iso_and_titles_after(tmp_path):
    doc = _page(tmp_path, "feed.txt",
                "Tue, 05/03/2024\nCourt jails two lawyers in Baku\nThe lawyers were convicted "
                "of fraud.\n\n2024-02-20\nPolice disperse protest in Ganja\n\n"
                "Monday 14 September 2009\nDetention of Emin Huseynov\n")
    assert [(i.date, i.title) for i in doc.items] == [
        ("2024-03-05", "Court jails two lawyers in Baku"),
        ("2024-02-20", "Police disperse protest in Ganja"),
        ("2009-09-14", "Detention of Emin Huseynov")]
    assert [i.text for i in doc.items] == ["The lawyers were convicted of fraud.", "", ""]


def test_titles_before_their_dates_in_text(tmp_path):
    doc = _page(tmp_path, "blog.txt",
                "Activists detained in Kampala\nPosted on 28/02/2024 by admin\nPolice held 27 "
                "people.\n\nJournalist beaten in Jinja\nPosted on 12/02/2024 by admin\n\n"
                "Statement on the court ruling\nPosted on 05/02/2024 by admin\n")
    assert [(i.date, i.title, i.text) for i in doc.items] == [
        ("2024-02-28", "Activists detained in Kampala", "Police held 27 people."),
        ("2024-02-12", "Journalist beaten in Jinja", ""),
        ("2024-02-05", "Statement on the court ruling", "")]


def test_an_article_with_one_date_is_not_a_listing(tmp_path):
    doc = _page(tmp_path, "a.html",
                "<html><body><article><h1>Police detain activists in Almaty</h1>"
                "<time datetime='2024-03-05'>5 March 2024</time><p>Police in Almaty detained "
                "five activists on Tuesday, their lawyer said.</p><h2>Background: 2019</h2><p>"
                + "Protests over the election were dispersed and dozens were detained. " * 3
                + "</p>"
                "</article></body></html>")
    assert doc.kind == "html" and not doc.segments


@pytest.mark.parametrize("text", [
    "Skip to main content", "Share this", "Home | About us | Regions | Issues",
    "The boundaries and names shown on this map do not imply official endorsement",
    "© 2019 Reuters", "Click to expand Image", "Load more", "We use cookies on this site",
])
def test_page_furniture_is_recognised(text: str):
    assert is_furniture_text(text)


@pytest.mark.parametrize("text", [
    "Police detained 27 activists in Kampala", "Belarus: Viasna defenders face tax charges",
    "Share of detainees released rose in 2023, the group said.",
])
def test_content_is_not_furniture(text: str):
    assert not is_furniture_text(text)


def _cards(n: int) -> str:
    """n article cards with their own header and footer, a featured copy of the first, and
    a year section before them."""
    card = ("<article><header><span>Press release</span> · <time datetime='2024-03-{d:02d}'>"
            "{d} March 2024</time></header><h3><a href='/n/{i}'>Police detain {i} activists"
            "</a></h3><p>Police in Almaty detained {i} activists.</p><footer>Share this</footer>"
            "</article>\n")
    cards = "".join(card.format(i=i, d=1 + i % 28) for i in range(n))
    section = "<h2>2023</h2>" + "<p>In 2023 the authorities jailed critics in Almaty.</p>" * n
    return f"<html><body><nav>Home</nav>{section}<div>{card.format(i=0, d=1)}</div>{cards}" \
           "</body></html>"


def _titles_first_text(n: int) -> str:
    return "".join(f"Police detain {i} activists\nPosted on {1 + i % 28:02d}/03/2024 by admin\n"
                   f"Police in Almaty detained {i} people.\n\n" for i in range(n))


def test_new_layouts_read_in_linear_time():
    from lxml import html as lxml_html

    from rightsrecord.ingest.listing import parse_html_listing, parse_text_listing
    from tests.extract.linear_util import assert_linear

    def html_cards(markup: str) -> object:
        return parse_html_listing(lxml_html.document_fromstring(markup), None)

    summaries, items = html_cards(_cards(40))
    assert len(items) == 40 and [s.year for s in summaries] == [2023]
    assert len(parse_text_listing(_titles_first_text(40))[1]) == 40
    assert_linear(html_cards, _cards, 300, "html_cards")
    assert_linear(parse_text_listing, _titles_first_text, 800, "text_titles_first")


def test_flat_entries_of_sibling_headings_dates_and_teasers(tmp_path):
    doc = _page(tmp_path, "flat.html",
                "<html><body><div class='news'>"
                "<h3><a href='/a'>Court jails two lawyers in Baku</a></h3><p>5 March 2024</p>"
                "<p>The lawyers were convicted of fraud after a closed trial.</p>"
                "<h3><a href='/b'>Police disperse protest in Ganja</a></h3><p>20 February 2024</p>"
                "<h3><a href='/c'>Blogger detained in Sumgait</a></h3><p>2 February 2024</p>"
                "<p>He was held for 30 days.</p></div></body></html>")
    assert [(i.date, i.title, i.text) for i in doc.items] == [
        ("2024-03-05", "Court jails two lawyers in Baku",
         "The lawyers were convicted of fraud after a closed trial."),
        ("2024-02-20", "Police disperse protest in Ganja", ""),
        ("2024-02-02", "Blogger detained in Sumgait", "He was held for 30 days.")]


def test_definition_lists_and_dates_inside_links(tmp_path):
    dl = _page(tmp_path, "dl.html",
               "<html><body><dl><dt>5 March 2024</dt><dd><a href='/a'>Court jails two lawyers"
               "</a></dd><dt>20 February 2024</dt><dd><a href='/b'>Police disperse protest</a>"
               "</dd></dl></body></html>")
    assert [(i.date, i.title) for i in dl.items] == [
        ("2024-03-05", "Court jails two lawyers"), ("2024-02-20", "Police disperse protest")]
    links = _page(tmp_path, "links.html",
                  "<html><body><ul><li><a href='/a'>5 March 2024: Court jails two lawyers</a>"
                  "</li><li><a href='/b'>20 February 2024 – Police disperse protest</a></li>"
                  "</ul></body></html>")
    assert [(i.date, i.title, i.text) for i in links.items] == [
        ("2024-03-05", "Court jails two lawyers", ""),
        ("2024-02-20", "Police disperse protest", "")]


def test_text_summaries_under_year_headings(tmp_path):
    para = ("The authorities jailed journalists and closed independent outlets, and courts "
            "convicted protesters after unfair trials in {y}.")
    doc = _page(tmp_path, "country.txt",
                f"Tajikistan\n\n2019\n{para.format(y=2019)}\n\nThe 1992 civil war was recalled"
                f".\n\n2018\n{para.format(y=2018)}\n\n• Mar 5, 2024\n    A teaser.\n"
                "• Feb 1, 2024\n")
    assert [s.year for s in doc.summaries] == [2019, 2018]
    assert "1992 civil war" in doc.summaries[0].text
    assert [i.date for i in doc.items] == ["2024-03-05", "2024-02-01"]
