"""Countries of a segment: the learned ranker, contested territories, country pages."""

from __future__ import annotations

import pytest

from rightsrecord.document import Document, text_document
from rightsrecord.extract import country_rank, models
from rightsrecord.extract.pipeline import Pipeline
from rightsrecord.extract.run import extract_records
from rightsrecord.ingest.readers import read_text
from rightsrecord.places import find_countries

PLACES = Pipeline(("places",))


def primary(text: str, title: str | None = None) -> str | None:
    return PLACES(text_document(text, title=title)).country


def test_dateline_city_is_not_the_subject():
    text = ("(Geneva, May 3, 2024) – Uzbekistan’s authorities should release the blogger "
            "detained in Tashkent last week, Human Rights Watch said today. Police in Tashkent "
            "held him for four days without a lawyer.\n\nThe blogger had criticised officials "
            "in Uzbekistan for months.")
    rec = next(extract_records([{"id": "a", "text": text}]))
    assert next(c["code"] for c in rec["countries"] if c["primary"]) == "UZ"
    assert rec["country"] == "UZ"


def test_addressed_government_wins_over_the_victims_nationality():
    text = ("Thailand should not deport three Cambodian activists who face arrest at home, "
            "Human Rights Watch said today. The Cambodian dissidents fled after Cambodian "
            "courts convicted other opposition members. Rights groups urged the Thai "
            "authorities to let the UN refugee agency see them.")
    # Three mentions of the victims' nationality against two of the state addressed.
    assert primary(text) == "TH"


def test_a_contested_territory_keeps_its_name_and_is_marked():
    text = ("Russian forces detained three Crimean Tatar activists in Crimea on Monday; "
            "searches in Crimea continued.")
    found = [m for m in find_countries(text) if m.text == "Crimea"]
    assert found and all(m.code == "UA" and m.kind == "contested" for m in found)
    rec = next(extract_records([{"id": "c", "text": text}]))
    assert {(p["text"], p["code"], p["kind"]) for p in rec["places"]} >= {
        ("Crimea", "UA", "contested")}
    sahara = find_countries("Moroccan police dispersed a protest in Western Sahara.")
    assert ("EH", "Western Sahara", "contested") in {(m.code, m.text, m.kind) for m in sahara}


KYRGYZ_PAGE = """• In 2023, the authorities of Kyrgyzstan tightened control over media and civil
  society, and courts in Bishkek jailed several journalists after closed trials.

• Mar 5, 2024
    Police in Osh detained ethnic Uzbeks after a clash at a market.
• Feb 1, 2024
    A court sentenced the French author of a book on corruption in absentia.
• Jan 15, 2024
    Parliament adopted a law on "foreign representatives" in Bishkek.
"""


def listing(text: str) -> Document:
    doc = read_text(text.encode("utf-8"), "page.txt")
    assert doc.kind == "listing"
    return PLACES(doc)


def test_an_entry_keeps_its_page_country_despite_a_passing_mention():
    doc = listing(KYRGYZ_PAGE)
    assert doc.country == "KG"
    assert [i.country for i in doc.items] == ["KG", "KG", "KG"]
    assert [s.country for s in doc.summaries] == ["KG"]


MIXED_LIST = """• Mar 5, 2024
    Police in Kenya shot protesters in Nairobi.
• Feb 1, 2024
    Peru's Congress passed an amnesty law for abuses by soldiers in Peru.
• Jan 15, 2024
    Nepal's courts delayed justice for victims of the conflict in Nepal.
• Jan 9, 2024
    Hungary's government restricted the rights of LGBT people in Hungary.
• Jan 2, 2024
    A global report on the death penalty, from Geneva.
"""


def test_a_multi_country_list_gives_entries_their_own_countries_and_the_page_none():
    doc = listing(MIXED_LIST)
    assert doc.country is None
    assert not any(c.primary for c in doc.body.countries)
    assert [i.country for i in doc.items][:4] == ["KE", "PE", "NP", "HU"]


def test_shipped_weights_load_and_the_cross_fitted_ranker_holds_up_against_the_hand_set():
    model = country_rank.load()
    assert set(model.weights) == set(country_rank.FEATURES)
    assert model.note.startswith("fitted on") and model.margin > 0
    assert models.get(country_rank.NAME, country_rank.load).weights == model.weights
    from rightsrecord.evaluation import countries
    from rightsrecord.evaluation.common import MissingData, shared_path

    try:
        shared = shared_path()
    except MissingData as exc:
        pytest.skip(str(exc))
    result = countries.evaluate(shared)
    learned, hand = result["accuracy"], result["handset_accuracy"]
    # The hand-set weights were tuned on these very items; the learned ones never saw the fold
    # they are scored on. On some fold the learned ranker is at least as right.
    assert any(a >= b for a, b in zip(learned["folds"], hand["folds"], strict=True))
    assert learned["value"] >= 0.9 and learned["ci95"][0] <= learned["value"] <= learned["ci95"][1]
    assert result["page_accuracy"]["value"] >= 0.95
