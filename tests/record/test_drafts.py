"""Yearly draft summaries: every sentence cited, its names, numbers and dates in the words it
cites, one sentence per event, kept while the record stands and drafted again as it grows."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from rightsrecord.cli import main
from rightsrecord.read import services
from rightsrecord.read.models import DraftYear
from rightsrecord.record import drafts
from rightsrecord.record.drafts import STAGE, clean, draft_summary, to_markdown
from rightsrecord.record.faithful import fold, unsupported
from rightsrecord.store import open_store

HRW = Path(__file__).resolve().parents[3] / "shared" / "eval" / "news" / "hrw_2024_dev.jsonl"
ALMATY = """Almaty police detain blogger Aigerim Seitkali after protest post

Police in Almaty detained the blogger Aigerim Seitkali on March 3, 2024, hours after she called \
on her followers to join a peaceful rally against rising utility prices in Kazakhstan. Her \
lawyer said she was held overnight at a police station in the city's Bostandyk district and \
charged with organising an unsanctioned gathering.
"""


def _problems(years: list[DraftYear]) -> list[str]:
    """What breaks the promises of a draft: a sentence without a source, a name, number or
    date not in the evidence it cites, a word its best source does not hold, two sentences
    about one event, years out of order, a year's sentences out of date order."""
    out = []
    seen: set[int] = set()
    if [y.year for y in years] != sorted((y.year for y in years), reverse=True):
        out.append("years not newest first")
    for y in years:
        assert y.draft is True and y.stage == STAGE
        for s in y.sentences:
            if not s.sources:
                out.append(f"uncited: {s.text}")
                continue
            missing = unsupported(s.text, [c.evidence for c in s.sources])
            if missing:
                out.append(f"unsupported {missing}: {s.text}")
            held = set(re.findall(r"\w+", fold(s.sources[0].evidence)))
            added = set(re.findall(r"\w+", fold(s.text))) - held
            if added:
                out.append(f"words added {sorted(added)}: {s.text}")
            if s.event_id in seen:
                out.append(f"event {s.event_id} told twice")
            seen.add(s.event_id or 0)
            for c in s.sources:
                if not c.evidence.strip() or c.end <= c.start:
                    out.append(f"a source without its words: {c.document_id}")
    return out


def _footnotes_read_back(markdown: str, years: list[DraftYear]) -> None:
    body, _, _ = markdown.partition("\n[^1]: ")
    used = re.findall(r"\[\^(\d+)\]", body)
    defined = re.findall(r"^\[\^(\d+)\]: ", markdown, flags=re.MULTILINE)
    assert used == defined == [str(n) for n in range(1, len(used) + 1)]
    assert len(used) == sum(len(s.sources) for y in years for s in y.sentences)
    for y in years:  # each sentence is followed by a mark for each of its sources
        paragraph = re.search(rf"^## {y.year}\n\n(.+)$", markdown, flags=re.MULTILINE)
        assert paragraph and re.search(r"\]$", paragraph.group(1))
        marks = re.findall(r"((?:\[\^\d+\])+)", paragraph.group(1))
        assert [m.count("[^") for m in marks] == [len(s.sources) for s in y.sentences]


def test_demo_drafts_are_cited_faithful_and_read_back_as_markdown(db_file: Path | str) -> None:
    assert main(["demo", "--db", str(db_file)]) == 0
    with open_store(str(db_file)) as store:
        codes = [c.code for c in services.countries(store) if c.events]
        every = {code: draft_summary(store, code) for code in codes}
        kz = every["KZ"]
        assert kz and all(y.sentences for y in kz)
        problems = [p for years in every.values() for p in _problems(years)]
        assert problems == []
        sentences = [s for years in every.values() for y in years for s in y.sentences]
        assert len({s.event_id for s in sentences}) == len(sentences) > 5
        # the law signed on April 15, 2024, told by two outlets, is in the 2024 draft, cited
        year = next(y for y in kz if y.year == 2024)
        law = next(s for s in year.sentences if "April 15, 2024" in s.text)
        assert {c.source.name for c in law.sources} == {"Central Asia Rights Desk",
                                                        "Steppe Monitor"}
        dates = [s.text for s in year.sentences]
        assert dates.index(law.text) < dates.index(next(t for t in dates if "August 2" in t))
        markdown = to_markdown("Kazakhstan", "KZ", kz)
        assert markdown.startswith("# Kazakhstan (KZ)") and "draft" in markdown.lower()
        assert STAGE in markdown.split("\n## ")[0]
        _footnotes_read_back(markdown, kz)
        assert "Central Asia Rights Desk" in markdown.split("\n[^1]: ")[1]
        # a country the record holds nothing dated about, and a code that is none
        assert draft_summary(store, "FR") == [] and draft_summary(store, "F1") == []
        assert "No event" in to_markdown("France", "FR", [])


def test_a_draft_is_kept_while_the_record_stands_and_made_again_as_it_grows(
        db_file: Path | str, tmp_path: Path) -> None:
    assert main(["demo", "--db", str(db_file)]) == 0
    with open_store(str(db_file)) as store:
        first = draft_summary(store, "KZ")
        kind = f"{drafts.KIND}:public:4"
        kept = store.derived("KZ", kind)
        assert kept and kept["stage"] == STAGE and kept["stamp"] == store.record_stamp("KZ")
        assert [DraftYear.model_validate(y) for y in json.loads(kept["body"])] == first
        # while the stamp and stage hold, the kept body is what is served
        marked = [first[0].model_copy(update={"events": 999})]
        store.put_derived("KZ", kind, kept["stamp"], STAGE,
                          json.dumps([y.model_dump(mode="json") for y in marked]))
        assert draft_summary(store, "KZ")[0].events == 999
        # a body kept by another stage is drafted again
        store.put_derived("KZ", kind, kept["stamp"], "drafts.v0", kept["body"])
        assert draft_summary(store, "KZ") == first
        before = store.record_stamp("KZ")
    text = tmp_path / "almaty_blogger_detained.txt"
    text.write_text(ALMATY, encoding="utf-8")
    assert main(["ingest", str(text), "--db", str(db_file)]) == 0
    with open_store(str(db_file)) as store:
        assert store.record_stamp("KZ") != before
        again = draft_summary(store, "KZ")
        assert again != first
        year = next(y for y in again if y.year == 2024)
        new = next(s for s in year.sentences if "Aigerim Seitkali" in s.text)
        assert new.text.startswith("Police in Almaty detained the blogger Aigerim Seitkali on "
                                   "March 3, 2024")
        assert [c.source.name for c in new.sources] == ["almaty_blogger_detained.txt"]
        assert year.events == next(y for y in first if y.year == 2024).events + 1
        assert _problems(again) == []
        assert store.derived("KZ", kind)["stamp"] == store.record_stamp("KZ")


@pytest.mark.parametrize(("evidence", "title", "expected"), [
    ("ALMATY — Judges at an appeals court in Almaty on Thursday confirmed a closure order.",
     None, "Judges at an appeals court in Almaty on Thursday confirmed a closure order."),
    ("(Berlin, April 23, 2024) – Kazakhstan’s President signed a new law on April 15, 2024, "
     "Human Rights Watch said today.", None,
     "Kazakhstan’s President signed a new law on April 15, 2024, Human Rights Watch said."),
    ("Click to expand Image Protesters demonstrate in New Delhi, India, December 27, 2019. "
     "© 2019 AP Photo/Manish Swarup, File", None,
     "Protesters demonstrate in New Delhi, India, December 27, 2019."),
    ("The group sees a broader pattern: on August 2, journalist Duman Mukhammedkarim was "
     "sentenced to seven years.", None,
     "On August 2, journalist Duman Mukhammedkarim was sentenced to seven years."),
    ("Today, the United Nations Human Rights Council adopted a resolution on Belarus.", None,
     "The United Nations Human Rights Council adopted a resolution on Belarus."),
])
def test_cleaning_only_removes_words(evidence: str, title: str | None, expected: str) -> None:
    assert clean(evidence, title).text == expected
    assert unsupported(expected, [evidence]) == []


def test_a_long_sentence_is_clipped_at_a_clause_boundary_only() -> None:
    long = ("In a letter dated March 7, 2024, the Office of the President sent Human Rights "
            "Watch a letter outlining the steps his office has taken to ensure the rights of "
            "those facing the death penalty, including creating a dedicated email address "
            "whereby those sentenced to death, their families, or lawyers may request "
            "retrials; forming a committee with the Ministry of Justice, the Ministry of "
            "Interior and the Supreme Judicial Council to follow up on releases.")
    # cut at the last boundary within MAX_CHARS (", including"), not at the later ";"
    assert clean(long).text == (
        "In a letter dated March 7, 2024, the Office of the President sent Human Rights Watch "
        "a letter outlining the steps his office has taken to ensure the rights of those facing"
        " the death penalty.")
    assert len(long) > drafts.MAX_CHARS
    unbroken = "A court sentenced " + ", ".join(f"defendant {n}" for n in range(60)) + "."
    assert clean(unbroken).text == unbroken  # no clause boundary: left whole


def test_of_two_sentences_the_one_naming_the_stated_date_is_drawn() -> None:
    evidence = ("Thousands took to the streets of N’Djamena on October 20, 2022. Since April "
                "2021, the government has often suppressed protests.")
    assert clean(evidence, None, "2022-10-20").text == (
        "Thousands took to the streets of N’Djamena on October 20, 2022.")
    assert clean(evidence, None, "2021-04").text == (
        "Since April 2021, the government has often suppressed protests.")


# -- the HRW 2024 development items ---------------------------------------------------------


@pytest.fixture(scope="module")
def hrw_store(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The HRW 2024 development items (all of them) ingested into a SQLite store. The items
    are read from ../shared at run time, never copied."""
    if not HRW.exists():
        pytest.skip(f"../shared is absent: {HRW} is needed for this test")
    folder = tmp_path_factory.mktemp("hrw")
    items = folder / "items.jsonl"
    with HRW.open(encoding="utf-8") as src, items.open("w", encoding="utf-8") as out:
        for n, line in enumerate(src):
            row = json.loads(line)
            seen = row.get("seen_date") or ""  # 20240104T014500Z: the day it was published
            day = f"{seen[:4]}-{seen[4:6]}-{seen[6:8]}" if seen[:8].isdigit() else None
            out.write(json.dumps({"id": f"hrw-{n}", "text": row["text"], "title": row["title"],
                                  "url": row["url"], "published": day}) + "\n")
    db = str(folder / "hrw.db")
    assert main(["ingest", "--input-format", "jsonl", str(items), "--db", db]) == 0
    return db


def test_hrw_drafts_are_cited_and_faithful(hrw_store: str) -> None:
    with open_store(hrw_store) as store:
        codes = [c.code for c in services.countries(store) if c.events]
        every = {code: draft_summary(store, code) for code in codes}
    years = [y for ys in every.values() for y in ys]
    sentences = [s for y in years for s in y.sentences]
    unsupported_count = sum(bool(unsupported(s.text, [c.evidence for c in s.sources]))
                            for s in sentences)
    print(f"\nHRW 2024 dev drafts: {sum(bool(ys) for ys in every.values())} countries, "
          f"{len(years)} years, {len(sentences)} sentences, {unsupported_count} unsupported")
    assert len(sentences) > 50 and sum(bool(ys) for ys in every.values()) > 20
    assert unsupported_count == 0
    assert [p for ys in every.values() for p in _problems(ys)] == []
    assert all(len(y.sentences) <= 4 for y in years)
    assert len({s.event_id for s in sentences}) == len(sentences)
