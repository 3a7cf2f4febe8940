"""Actor names across documents: folded keys, same-person scores, script aliases, the set."""

from __future__ import annotations

import pytest

from rightsrecord.evaluation.actor_aliases import evaluate, load
from rightsrecord.names import (
    AUTO_LINK,
    fold,
    name_parts,
    same_organisation,
    same_person,
    script_aliases,
)


@pytest.mark.parametrize("variants", [
    ("Nazarbayev", "Nazarbaev", "Назарбаев"),
    ("Mamadshoeva", "Mamadshoyeva", "Мамадшоева"),
    ("Kassym-Jomart", "Kasym-Zhomart", "Qasym-Jomart"),
    ("Yevgeny", "Evgeny", "Евгений"),
    ("Tokayev", "Tokaev", "Токаев"),
    ("Mukhammedkarim", "Mukhamedkarim"),
    ("Aleksandr", "Alexandr", "Александр"),
    ("Sánchez", "Sanchez"),
    ("O'Neil", "ONeil"),
    ("Sarsenova", "Сәрсенова"),
    ("Jamshed Hasanov", "Ҷамшед Ҳасанов"),
])
def test_spelling_variants_fold_to_one_key(variants: tuple[str, ...]) -> None:
    assert len({fold(v) for v in variants}) == 1


@pytest.mark.parametrize("a,b", [("Akhmedov", "Akhmetov"), ("Aliev", "Alimov"),
                                 ("Aleksandr", "Aleksei"), ("Nazarbayev", "Nazarbayeva")])
def test_different_names_keep_different_keys(a: str, b: str) -> None:
    assert fold(a) != fold(b)


def test_titles_are_dropped_and_patronymics_kept_as_middle_names() -> None:
    assert name_parts("President Kassym-Jomart Tokayev") == (("kasimjomart",), "tokaev")
    assert name_parts("journalist Aliya Sarsenova") == name_parts("Aliya Sarsenova")
    assert name_parts("Vladimir Ivanovich Kozlov") == (("vladimir", "ivanovich"), "kozlov")
    assert name_parts("V. Kozlov") == (("v.",), "kozlov")
    assert same_person("Dr. Ahmed Hussein", "Ahmed Hussein") == 1.0


def test_same_person_scale() -> None:
    assert same_person("Nursultan Nazarbayev", "Нұрсұлтан Назарбаев") == 1.0
    assert same_person("V. Kozlov", "Vladimir Kozlov") >= AUTO_LINK
    assert same_person("Vladimir Ivanovich Kozlov", "Vladimir Kozlov") >= AUTO_LINK
    assert same_person("Zh. Suleimenov", "Zhanibek Suleimenov") >= AUTO_LINK
    # shared surname, different people
    assert same_person("Vladimir Kozlov", "Sergei Kozlov") == 0.0
    assert same_person("V. Kozlov", "S. Kozlov") == 0.0
    assert same_person("Yerlan Bolatuly Kaliyev", "Yerlan Serikuly Kaliyev") == 0.0
    # a surname alone, or another order: only context may join them
    assert 0.0 < same_person("President Tokayev", "Kassym-Jomart Tokayev") < AUTO_LINK
    assert 0.0 < same_person("Kozlov Vladimir", "Vladimir Kozlov") < AUTO_LINK


def test_same_organisation() -> None:
    assert same_organisation("the Committee to Protect Journalists", "CPJ") >= AUTO_LINK
    assert same_organisation("Human Rights Watch", "HRW") >= AUTO_LINK
    assert same_organisation("NeMolchi.kz", "NeMolchiKz") >= AUTO_LINK
    assert same_organisation("Supreme Court", "Constitutional Court") == 0.0
    assert same_organisation("Amnesty International",
                             "Amnesty International Kazakhstan") < AUTO_LINK


def test_script_aliases_found_in_sentences() -> None:
    text = ("Former president Nursultan Nazarbayev (Нұрсұлтан Назарбаев) resigned in 2019. "
            "Опрос провёл Назарбаев (Nazarbayev). "
            "The blogger Aliya Sarsenova (also spelled Aliya Sarsenova) and Tokayev (or "
            "Tokaev) spoke. The Committee to Protect Journalists (CPJ) said.")
    assert script_aliases(text) == [
        ("Nursultan Nazarbayev", "Нұрсұлтан Назарбаев"),
        ("Nazarbayev", "Назарбаев"),
        ("Aliya Sarsenova", "Aliya Sarsenova"),
        ("Tokayev", "Tokaev"),
    ]


def test_script_aliases_stay_linear_on_long_input() -> None:
    text = "Aa " * 20000 + "(Бб Вв) " + "(Гг) " * 5000 + "(" + "Дд " * 30
    found = script_aliases(text)
    assert found[0] == ("Aa Aa", "Бб Вв")
    assert len(found) == 1


def test_alias_set_loads_with_both_halves_and_scores() -> None:
    pairs = load()
    assert len(pairs) >= 150
    assert {p["half"] for p in pairs} == {1, 2}
    assert len({p["id"] for p in pairs}) == len(pairs)
    assert {p["kind"] for p in pairs} == {"translit", "partial", "title", "script",
                                         "shared-surname", "different", "org"}
    for half in (1, 2):
        rows = [p for p in pairs if p["half"] == half]
        assert any(p["same"] for p in rows) and any(not p["same"] for p in rows)
    figures = evaluate()
    for key in ("aliases.link_p", "aliases.link_r", "aliases.link_f1",
                "aliases.half2_p", "aliases.half2_r"):
        assert 0.0 <= figures[key]["value"] <= 1.0
        assert len(figures[key]["folds"]) == 5
