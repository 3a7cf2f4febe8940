"""The faithfulness check: a sentence's names, numbers and dates must be in its evidence."""

from __future__ import annotations

import pytest

from rightsrecord.record.faithful import names, unsupported

EVIDENCE = ("On August 2, a Kazakh court sentenced Duman Mukhammedkarim, a journalist held in "
            "pretrial detention since June 2023, to seven years in prison on charges of "
            "“financing extremist activities.”")
BEINA = ("The Special Criminal Court in the Central African Republic has announced that on "
         "June 16, 2024, it arrested a former anti-balaka leader, Edmond Beïna, for crimes "
         "committed in 2014.")


def test_an_extract_of_the_evidence_is_supported() -> None:
    assert unsupported(EVIDENCE, [EVIDENCE]) == []
    assert unsupported("On August 2, a court sentenced Duman Mukhammedkarim to seven years in "
                       "prison.", [EVIDENCE]) == []


@pytest.mark.parametrize(("sentence", "added"), [
    ("On August 2, a court in Almaty sentenced Duman Mukhammedkarim to seven years.",
     ["Almaty"]),
    ("On August 2, a court sentenced Duman Mukhammedkarim and Marat Zhylanbaev.",
     ["Marat Zhylanbaev"]),
    ("On August 2, a court sentenced Duman Mukhammedkarim to eight years.", ["eight"]),
    ("On August 2, a court sentenced Duman Mukhammedkarim to 8 years.", ["8"]),
    ("On August 3, a court sentenced Duman Mukhammedkarim to seven years.", ["3"]),
    ("On September 2, a court sentenced Duman Mukhammedkarim to seven years.",
     ["September"]),
    ("On August 2, 2024, a court sentenced Duman Mukhammedkarim to seven years.", ["2024"]),
    ("On Friday, August 2, a court sentenced Duman Mukhammedkarim to seven years.",
     ["Friday"]),
    ("A court sentenced Duman Mukhammedkarim to seven years on 2024-08-02.", ["2024-08-02"]),
    ("Yesterday a court sentenced Duman Mukhammedkarim to seven years.", ["Yesterday"]),
    ("President Tokayev's court sentenced Duman Mukhammedkarim to 7 years and 300 lashes.",
     ["President Tokayev's", "300"]),
])
def test_an_added_name_number_or_date_is_found(sentence: str, added: list[str]) -> None:
    assert unsupported(sentence, [EVIDENCE]) == added


def test_numbers_compare_by_value_in_words_or_digits() -> None:
    assert unsupported("A court sentenced him to 7 years.", [EVIDENCE]) == []
    assert unsupported("He was held for seven years.", ["He was held for 7 years."]) == []
    assert unsupported("Police received 99026 complaints and fined twenty-one people.",
                       ["Police received 99,026 complaints and fined 21 people."]) == []
    assert unsupported("Police received 99,025 complaints.",
                       ["Police received 99,026 complaints."]) == ["99,025"]


def test_dates_compare_by_the_day_and_month_they_name() -> None:
    assert unsupported("The court ruled on Aug. 2, 2024.", ["The court ruled on 2024-08-02."]) \
        == []
    assert unsupported("The court ruled on 2024-08-02.", ["The court ruled on 2 August 2024."]) \
        == []
    assert unsupported("The court ruled on 2024-09-02.", ["The court ruled on 2 August 2024."]) \
        == ["2024-09-02"]


def test_case_diacritics_possessives_and_plurals_are_ignored() -> None:
    assert unsupported("EDMOND BEINA was arrested on June 16, 2024.", [BEINA]) == []
    assert unsupported("Beïna's arrest came in 2024.", [BEINA]) == []
    assert unsupported("Kazakhs protested.", ["A Kazakh woman protested."]) == []
    assert unsupported("Kazakhstan’s court ruled.", ["A court in Kazakhstan ruled."]) == []


def test_a_capitalised_function_word_opening_a_sentence_is_no_name() -> None:
    assert unsupported("The court ruled. In June it met. “But it was late,” she said.",
                       ["a court ruled in June; it met but it was late, she said"]) == []
    # a content word that opens the sentence is a name: it must be in the evidence
    assert unsupported("Police arrested him.", ["Officers arrested him."]) == ["Police"]


def test_every_evidence_text_counts() -> None:
    assert unsupported("Edmond Beïna and Duman Mukhammedkarim were held in 2014 and 2023.",
                       [BEINA, EVIDENCE]) == []
    assert unsupported("Edmond Beïna and Duman Mukhammedkarim were held in 2014 and 2023.",
                       [BEINA]) == ["Duman Mukhammedkarim", "2023"]


def test_names_are_runs_of_capitalised_words() -> None:
    assert names("The Ministry of Internal Affairs said Sheikh Ali Salman of the Al-Wefaq "
                 "party met Kazakhstan’s President Kasym-Jomart Tokayev in May.") == [
        "Ministry of Internal Affairs", "Sheikh Ali Salman", "Al-Wefaq", "Kazakhstan’s",
        "President Kasym-Jomart Tokayev"]
