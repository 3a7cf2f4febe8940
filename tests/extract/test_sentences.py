"""The shared sentence segmenter: what each sentence's text is, on small texts of each kind."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from rightsrecord.casing import is_lower_cased
from rightsrecord.extract.events import find_events
from rightsrecord.extract.run import extract_records
from rightsrecord.extract.sentences import sentence_spans

SRC = Path(__file__).resolve().parents[2] / "src" / "rightsrecord"


def sents(text: str) -> list[str]:
    return [text[s:e] for s, e in sentence_spans(text)]


def test_plain_sentences_and_offsets_index_the_text():
    text = "  Police detained 25 activists. They were released!  Why? Nobody knows.\n"
    assert sents(text) == ["Police detained 25 activists.", "They were released!", "Why?",
                           "Nobody knows."]


def test_lower_cased_text_splits_at_punctuation():
    text = ("police arrested 50 persons on tuesday in the old city. two persons were killed in "
            "police firing. the sp said the situation was under control. curfew continues.")
    assert is_lower_cased(text)
    assert sents(text) == [
        "police arrested 50 persons on tuesday in the old city.",
        "two persons were killed in police firing.",
        "the sp said the situation was under control.", "curfew continues."]


def test_a_short_lower_cased_text_splits_too():
    assert sents("police came. they left.") == ["police came.", "they left."]


def test_lower_cased_article_with_capitalised_boilerplate_is_lower_cased():
    body = " ".join(f"the police arrested {n} persons in the old city on monday." for n in
                    range(12))
    text = f"This Story Is From March 10, 2002\n\nlucknow: {body}\n\nFacebook Twitter Linkedin Mail"
    assert is_lower_cased(text)
    assert len(sents(text)) == 14


def test_cased_text_does_not_split_before_a_small_letter():
    text = "They seized approx. five kilos, i.e. most of it. The case goes on."
    assert sents(text) == ["They seized approx. five kilos, i.e. most of it.",
                           "The case goes on."]


def test_mojibake_quotes():
    text = ("the meeting discussed a demand for permission.â€œbut the demand was dropped as "
            "it violated the order,â€\ufffd said the convenor. â€œwe had no choice.â€\ufffd he "
            "said. the police left.")
    assert sents(text) == [
        "the meeting discussed a demand for permission.",
        "â€œbut the demand was dropped as it violated the order,â€\ufffd said the convenor.",
        "â€œwe had no choice.â€\ufffd he said.", "the police left."]


def test_mojibake_apostrophe_is_not_a_boundary():
    text = "Kazakhstanâ€™s police detained 25 activists. Theyâ€™re free."
    assert sents(text) == ["Kazakhstanâ€™s police detained 25 activists.", "Theyâ€™re free."]


def test_quotes_keep_their_closing_mark_and_speech_clause():
    assert sents("“We were beaten,” he said. “Then they took our phones.”") == [
        "“We were beaten,” he said.", "“Then they took our phones.”"]
    assert sents("“We were beaten.” He said. Police denied it.") == [
        "“We were beaten.” He said.", "Police denied it."]
    assert sents('"Stop." Police then fired tear gas.') == [
        '"Stop."', "Police then fired tear gas."]
    # a clause that opens the next quote is not the quote's own
    assert sents('i am surprised." raval insisted, "give rs 2 lakh." the rest agreed.') == [
        'i am surprised."', 'raval insisted, "give rs 2 lakh."', "the rest agreed."]


def test_abbreviations_and_initials():
    text = ("Dr. J. Smith met Mr. Jones on Jan. 5 in the U.S. Embassy. He paid Rs. 500 at "
            "5 p.m. yesterday. Commissioner M.N. Singh was away. Prices rose 3.5 percent.")
    assert sents(text) == [
        "Dr. J. Smith met Mr. Jones on Jan. 5 in the U.S. Embassy.",
        "He paid Rs. 500 at 5 p.m. yesterday.", "Commissioner M.N. Singh was away.",
        "Prices rose 3.5 percent."]


def test_numbered_and_bulleted_lists():
    text = "The demands:\n1. Release the detainees.\n2. End torture\n- Allow visits\n• Pay"
    assert sents(text) == ["The demands:", "1. Release the detainees.", "2. End torture",
                           "- Allow visits", "• Pay"]
    assert sents("It ended. 2. Police also left.") == ["It ended.", "2. Police also left."]


def test_line_broken_pdf_text_and_blank_lines():
    text = ("Police arrested the\nprotesters who had gathered near\nthe parliament on Monday\n"
            "and took them away. Then\nthey left.\n\nA new paragraph without a stop\n\nLast")
    assert sents(text) == [
        "Police arrested the\nprotesters who had gathered near\nthe parliament on Monday\n"
        "and took them away.", "Then\nthey left.", "A new paragraph without a stop", "Last"]


@pytest.mark.parametrize(("text", "expected"), [
    ("ALMATY, Kazakhstan (AP) — Police detained 25 activists on Monday. They were released.",
     ["ALMATY, Kazakhstan (AP) — Police detained 25 activists on Monday.",
      "They were released."]),
    ("Kyrgyzstan: Free Jailed Journalists\n(Geneva, May 3, 2024) – Kyrgyz authorities should "
     "release four journalists held since January. The four face charges.",
     ["Kyrgyzstan: Free Jailed Journalists",
      "(Geneva, May 3, 2024) – Kyrgyz authorities should release four journalists held since "
      "January.", "The four face charges."]),
    ("Kyrgyzstan: Free Jailed Journalists (Geneva, May 3, 2024) – Kyrgyz authorities should "
     "release them.",
     ["Kyrgyzstan: Free Jailed Journalists",
      "(Geneva, May 3, 2024) – Kyrgyz authorities should release them."]),
    ("Bishkek: Police detained a journalist. He was charged.",
     ["Bishkek: Police detained a journalist.", "He was charged."]),
    ("Officials said nothing\nALMATY, Kazakhstan (AP) — Police detained 25 activists.",
     ["Officials said nothing", "ALMATY, Kazakhstan (AP) — Police detained 25 activists."]),
])
def test_a_dateline_opens_the_sentence_of_its_lead(text, expected):
    assert sents(text) == expected


@pytest.mark.parametrize("text", [
    "", "   ", "\n\n\n", ".", "...", "?!", "\x00\x01", "â€", "Â", "(", "“", "1.", "a.b.c.d",
])
def test_degenerate_input(text):
    spans = sentence_spans(text)
    assert all(0 <= s < e <= len(text) for s, e in spans)
    assert "".join(text[s:e] for s, e in spans) == "".join(text.split())


def test_spans_cover_all_non_blank_text_in_order():
    text = ("“We were beaten,” he said.\n\n1. Dr. Smith left. 2. Police fired.â€œno.â€\ufffd "
            "said he. x" * 20)
    spans = sentence_spans(text)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:], strict=False))
    covered = "".join(text[s:e] for s, e in spans)
    assert re.sub(r"\s", "", covered) == re.sub(r"\s", "", text)


def test_events_take_their_evidence_from_the_segmenter():
    text = ("police arrested 50 persons on tuesday in the old city. two persons were killed in "
            "police firing. the sp said the situation was under control.")
    (record,) = extract_records([{"id": "x", "text": text}])
    assert "sentences.v2" in record["stages"]
    sentences = {text[s:e] for s, e in sentence_spans(text)}
    evidence = {e["type"]: e["evidence"]["text"] for e in record["events"]}
    assert evidence["killing"] == "two persons were killed in police firing."
    assert evidence["arrest"] == "police arrested 50 persons on tuesday in the old city."
    assert set(evidence.values()) <= sentences
    assert {text[e.start:e.end] for e in find_events(text)} <= sentences


def test_the_lower_case_decision_is_one_function():
    """No module but `casing` counts capitals to decide whether a text is lower-cased."""
    capital_count = re.compile(r"map\(str\.isupper|_UPPER\.findall|isupper\(\) for")
    owners = []
    for path in SRC.rglob("*.py"):
        if capital_count.search(path.read_text("utf-8")):
            owners.append(path.relative_to(SRC).as_posix())
    assert owners == ["casing.py"]
    callers = [p.relative_to(SRC).as_posix() for p in SRC.rglob("*.py")
               if "is_lower_cased(" in p.read_text("utf-8")]
    assert sorted(callers) == ["casing.py", "extract/sentences.py", "places.py"]
