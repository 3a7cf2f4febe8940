"""The `whodid` scorer on hand-made records, and the well-formedness of its annotation set."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rightsrecord.evaluation import whodid

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
NEWS = SHARED / whodid.NEWS
TYPES = Path(whodid.__file__).resolve().parents[1] / "data" / "events" / "types.tsv"


def _gold(typ: str, ev: list[int], agent: list[int] | None, target: list[int] | None,
          date: str | None = None, also: list[list[int]] | None = None) -> dict:
    def role(span: list[int] | None) -> dict | None:
        return None if span is None else {"start": span[0], "end": span[1], "text": "x"}

    return {"type": typ, "evidence": ev, "also": also or [], "agent": role(agent),
            "target": role(target), "date": date, "country": "MM", "check": "x"}


def _pred(typ: str, ev: tuple[int, int], agent: tuple[int, int] | None = None,
          target: tuple[int, int] | None = None, date: str | None = None,
          source: str = "text", country: str = "MM") -> dict:
    def role(span: tuple[int, int] | None) -> dict | None:
        return None if span is None else {"start": span[0], "end": span[1], "text": "x",
                                          "actor": None}

    return {"type": typ, "evidence": {"start": ev[0], "end": ev[1]}, "date": date,
            "date_source": source, "country": country,
            "roles": {"agent": role(agent), "target": role(target)}}


def test_one_match_one_wrong_type_one_missed():
    gold = [_gold("arrest", [0, 50], [0, 6], [16, 26], "2023-10-15"),
            _gold("conviction-sentence", [60, 120], [70, 90], [100, 110], "2024-01"),
            _gold("torture-ill-treatment", [130, 200], None, [140, 150])]
    preds = [_pred("arrest", (0, 50), agent=(0, 6), target=(40, 45), date="2023-10-15"),
             _pred("prosecution", (60, 120), agent=(70, 90)),  # right sentence, wrong type
             _pred("killing", (300, 340))]  # outside the scope below
    scoped = whodid.in_scope(preds, (0, 250))
    assert len(scoped) == 2
    assert whodid.match(gold, scoped) == [(0, 0)]
    c = whodid.score_item(gold, scoped)
    assert (c["tp"], c["fp"], c["fn"]) == (1, 1, 2)
    assert (c["date"], c["agent"], c["target"], c["country"]) == (1, 1, 0, 1)


def test_matching_is_one_to_one_by_overlap_and_accepts_retellings():
    gold = [_gold("arrest", [0, 40], None, None, also=[[100, 140]]),
            _gold("arrest", [50, 90], None, None)]
    # The first prediction overlaps both gold events; the second only a retelling of the first.
    preds = [_pred("arrest", (30, 80)), _pred("arrest", (110, 130))]
    assert whodid.match(gold, preds) == [(0, 1), (1, 0)]
    assert whodid.score_item(gold, preds)["tp"] == 2


def test_role_and_date_rules():
    assert whodid.role_right(None, None)
    assert not whodid.role_right({"start": 0, "end": 5}, None)
    assert not whodid.role_right(None, {"start": 0, "end": 5})
    assert whodid.role_right({"start": 0, "end": 5}, {"start": 4, "end": 9})
    assert not whodid.role_right({"start": 0, "end": 5}, {"start": 5, "end": 9})
    g = _gold("arrest", [0, 1], None, None, "2024-03")
    assert whodid.date_right(g, _pred("arrest", (0, 1), date="2024-03-08"))
    assert not whodid.date_right(g, _pred("arrest", (0, 1), date="2024-04-08"))
    assert not whodid.date_right(g, _pred("arrest", (0, 1), date=None))
    undated = _gold("arrest", [0, 1], None, None, None)
    assert whodid.date_right(undated, _pred("arrest", (0, 1), date="2024-05-01",
                                            source="published"))
    assert not whodid.date_right(undated, _pred("arrest", (0, 1), date="2022-05-01"))


def test_published_date_from_the_url():
    url = "https://www.hrw.org/news/2024/01/12/myanmar-filmmaker-sentenced-life-prison"
    assert whodid.published(url) == "2024-01-12"
    assert whodid.published("https://www.hrw.org/the-day-in-human-rights/2024/01/29") is None


def test_annotations_are_well_formed():
    gold = whodid.load_gold()
    types = {line.split("\t")[0] for line in TYPES.read_text("utf-8").splitlines()
             if line.strip() and not line.startswith("#")}
    assert len(gold) >= 60 and len({g["url"] for g in gold}) >= 25
    scopes: dict[str, list[int]] = {}
    for g in gold:
        assert g["type"] in types, g
        assert scopes.setdefault(g["url"], g["scope"]) == g["scope"], g  # one scope an item
        lo, hi = g["scope"]
        for s, e in [g["evidence"], *g["also"]]:
            assert lo <= s < e <= hi, g
        for role in ("agent", "target"):
            r = g[role]
            if r is not None:
                assert lo <= r["start"] < r["end"] <= hi and len(r["text"].split()) <= 6, g
                assert r["end"] - r["start"] == len(r["text"]), g
        assert g["date"] is None or len(g["date"]) in (4, 7, 10), g
        assert len(g["check"].split()) <= 6 and len(g["country"]) == 2, g


def test_annotations_match_the_texts():
    if not NEWS.exists():
        pytest.skip(f"../shared is absent: {NEWS} is needed for this test")
    texts = {}
    with NEWS.open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            texts[row["url"]] = row["text"]
    for g in whodid.load_gold():
        text = texts[g["url"]]
        s, e = g["evidence"]
        assert text[s:e].startswith(g["check"]), g["check"]
        for role in ("agent", "target"):
            r = g[role]
            if r is not None:
                assert text[r["start"]:r["end"]] == r["text"], r


def test_a_tie_in_overlap_goes_to_the_prediction_whose_roles_agree():
    gold = [_gold("arrest", [0, 40], [0, 6], [16, 26])]
    preds = [_pred("arrest", (0, 40), agent=(0, 6), target=(30, 36)),
             _pred("arrest", (0, 40), agent=(0, 6), target=(16, 26))]
    assert whodid.match(gold, preds) == [(0, 1)]
    c = whodid.score_item(gold, preds)
    assert (c["tp"], c["fp"], c["agent"], c["target"]) == (1, 1, 1, 1)
