"""Errors a reader would see on a record, read at their cause through the real pipeline:
event dates a sentence states but the parse passed over, listing entries' events dated by
the page, headline words and plural nouns taken for actors, one body named four ways in one
text, and a page's entry sent to another country."""

from __future__ import annotations

from rightsrecord.document import Document, Segment, text_document
from rightsrecord.extract.actors import find_actors
from rightsrecord.extract.contract import record
from rightsrecord.extract.pipeline import Pipeline
from rightsrecord.ingest.pipeline import read


def _events(text: str, published: str) -> list[dict]:
    return record(Pipeline()(text_document(text, published=published)))["events"]


def _event(text: str, trigger: str, published: str) -> dict:
    at = text.rindex(trigger)
    return next(e for e in _events(text, published) if e["trigger"]["start"] == at)


# -- dates the sentence states -------------------------------------------------------------

def test_a_ruling_verb_that_takes_the_ruling_as_object_dates_it():
    # "confirmed" also reports speech; here it is what the judges did to the order.
    text = ("ALMATY — Judges at an appeals court in Almaty on Thursday confirmed a closure "
            "order against a media outlet with a record of critical articles.")
    ev = _event(text, "order", "2015-02-27")  # a Friday
    assert (ev["type"], ev["date"], ev["date_source"]) == ("court-ruling", "2015-02-26", "text")


def test_the_day_a_sentence_opens_with_dates_the_ruling_it_tells():
    text = ("Sitting last Thursday, February 26, the court confirmed an earlier order to shut "
            "a media outlet whose reporting was often critical of officials.")
    ev = _event(text, "order", "2015-03-02")
    assert (ev["date"], ev["date_source"]) == ("2015-02-26", "text")


def test_the_day_a_warning_was_given_is_not_the_day_of_the_ruling_it_mentions():
    text = ("On February 27, Human Rights Watch warned that an appeals court ruling in Almaty "
            "had weakened pluralism in the country’s press.")
    ev = _event(text, "ruling", "2015-03-02")
    assert ev["type"] == "court-ruling"
    assert ev["date"] != "2015-02-27"
    assert ev["date_source"] == "published"


def test_a_clause_describing_the_event_noun_dates_it():
    text = ("The arrest of the blogger, carried out on May 3, 2021, drew wide criticism "
            "from rights groups.")
    ev = _event(text, "arrest", "2021-06-01")
    assert (ev["type"], ev["date"], ev["date_source"]) == ("arrest", "2021-05-03", "text")


# -- a listing's entries -------------------------------------------------------------------

LISTING = """Kazakhstan updates

• Jun 23, 2024
    Human Rights Watch published a report on schools in the region.
• Apr 4, 2024
    Kazakhstan’s president has signed a law that labels foreign-funded groups.
• Jan 11, 2024
    A court in Almaty fined blogger Dinara Saidova over a post.
"""


def test_an_entry_of_a_listing_dates_its_events_in_the_page_by_its_own_date(tmp_path):
    path = tmp_path / "kazakhstan_updates.txt"
    path.write_text(LISTING, encoding="utf-8")
    [doc] = list(read([str(path)]))
    doc = Pipeline()(doc)
    assert [s.date for s in doc.items] == ["2024-06-23", "2024-04-04", "2024-01-11"]
    body = {e.type: e for e in doc.body.events}
    signed, fined = body["legislation"], body["fine"]
    assert (signed.date, signed.date_source) == ("2024-04-04", "published")
    assert (fined.date, fined.date_source) == ("2024-01-11", "published")
    # the entries themselves are dated the same way
    item_events = {e.type: (e.date, e.date_source) for s in doc.items for e in s.events}
    assert item_events["legislation"] == ("2024-04-04", "published")


# -- actors --------------------------------------------------------------------------------

def test_a_headline_opening_with_a_common_noun_names_no_organisation():
    text = ("Rights group urges Kazakh courts to drop suits over kissing poster\n"
            "Several lawsuits have been filed in Kazakhstan over a poster.")
    assert "Rights" not in [a.name for a in find_actors(text)]


def test_a_plural_of_an_institution_or_law_noun_is_no_personal_name():
    text = ("The government pointed to new Criminal and Criminal Procedure Codes that take "
            "effect in January 2015.")
    assert [a for a in find_actors(text) if a.type == "person"] == []


def test_a_short_name_of_the_one_body_a_text_names_in_full_joins_it():
    text = ("The Working Group adopted its report on Kazakhstan on Tuesday, November 4.\n"
            "Retells: Report of the Working Group on the Universal Periodic Review: "
            "Kazakhstan.")
    orgs = [a for a in find_actors(text) if a.type == "organisation"]
    assert [a.name for a in orgs] == ["Working Group on the Universal Periodic Review"]
    assert len(orgs[0].mentions) == 2


# -- countries -----------------------------------------------------------------------------

def _page(page_text: str, item_title: str, item_text: str) -> Document:
    body = Segment(page_text, published="2024-06-23")
    item = Segment(item_text, kind="item", title=item_title, date="2024-01-30",
                   published="2024-01-30")
    doc = Document(url="file:///tajikistan_updates.html", kind="listing", body=body,
                   segments=[item], title="Tajikistan", published="2024-06-23")
    for seg in doc.segments:
        seg.parent = doc
    body.parent = doc
    return doc


def test_an_entry_whose_title_names_its_pages_country_stays_on_the_page():
    doc = Pipeline()(_page(
        "Tajikistan\nIn 2023, Tajikistan’s government kept up its repression of critics and "
        "bloggers, and Tajik courts handed down long prison terms to opposition members.",
        "Deported from Germany, jailed in Tajikistan",
        "Opposition activist Abdullohi Shamsiddin was detained on arrival after Germany "
        "deported him on January 18, 2023, and was later sentenced to seven years; Human "
        "Rights Watch urges Berlin to press for his release."))
    assert doc.body.country == "TJ"
    assert doc.items[0].country == "TJ"
