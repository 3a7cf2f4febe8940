"""`rightsrecord recommendations ingest|list`, run for real against both stores."""

from __future__ import annotations

import json
from pathlib import Path

ROW = {"state_under_review": "Kazakhstan", "recommending_state": "Norway",
       "text": "Let journalists and media outlets work free of harassment, and close an outlet "
               "only by an independent court's decision.",
       "response": "Accepted", "action_category": "4", "session": 20,
       "themes": ["Freedom of the press"]}


def test_ingest_prints_counts_and_every_rejected_line(tmp_path: Path, cli):
    path = tmp_path / "recs.jsonl"
    path.write_text(json.dumps(ROW) + "\n"
                    + json.dumps({**ROW, "state_under_review": "Atlantis"}) + "\n"
                    + json.dumps({**ROW, "text": "Free every jailed journalist."}) + "\n",
                    encoding="utf-8")
    first = cli("recommendations", "ingest", str(path))
    assert first.code == 1
    assert first.out.strip() == "stored 2, unchanged 0, rejected 1"
    assert first.err.strip() == "rejected LINE 2: unknown state under review 'Atlantis'"
    again = cli("recommendations", "ingest", str(path))
    assert again.code == 1 and again.out.strip() == "stored 0, unchanged 2, rejected 1"


def test_ingest_reads_csv_by_extension_or_as_told(tmp_path: Path, cli):
    text = ("state_under_review,recommending_state,text,response,action_category,session,themes\n"
            'Kazakhstan,Norway,"Free every jailed journalist.",Noted,4,20,'
            '"Freedom of the press; Detention"\n')
    (tmp_path / "recs.csv").write_text(text, encoding="utf-8")
    (tmp_path / "recs.txt").write_text(text, encoding="utf-8")
    ok = cli("recommendations", "ingest", str(tmp_path / "recs.csv"))
    assert (ok.code, ok.out.strip()) == (0, "stored 1, unchanged 0, rejected 0")
    unknown = cli("recommendations", "ingest", str(tmp_path / "recs.txt"))
    assert unknown.code == 2 and "--format" in unknown.err
    told = cli("recommendations", "ingest", str(tmp_path / "recs.txt"), "--format", "csv")
    assert (told.code, told.out.strip()) == (0, "stored 0, unchanged 1, rejected 0")
    missing = cli("recommendations", "ingest", str(tmp_path / "nope.csv"))
    assert missing.code == 2 and "no such file" in missing.err


def test_list_shows_what_followed_each_recommendation(tmp_path: Path, cli):
    assert cli("demo").code == 0
    path = tmp_path / "recs.jsonl"
    path.write_text(json.dumps(ROW) + "\n", encoding="utf-8")
    assert cli("recommendations", "ingest", str(path)).code == 0
    text = cli("recommendations", "list", "kz")
    assert text.code == 0
    assert "Kazakhstan (KZ): 10 recommendations" in text.out  # the demo's nine, and this one
    assert "Supported in 2014; since then: 1 court ruling" in text.out
    assert "2015-02-26  court-ruling: Almaty appeals court lets closure" in text.out
    as_json = cli("recommendations", "list", "KZ", "--format", "json")
    [rec] = [r for r in json.loads(as_json.out) if r["recommending_state"] == "NO"]
    assert rec["recommending_state"] == "NO" and rec["date"] == "2014-10-27"
    assert rec["date_basis"] == "session" and rec["theme_basis"] == "given"
    [event] = rec["later_events"]
    assert event["date"] == "2015-02-26" and event["href"] == f"/events/{event['event_id']}"
    empty = cli("recommendations", "list", "UZ")
    assert empty.code == 0 and "no recommendations" in empty.out
    bad = cli("recommendations", "list", "K1")
    assert bad.code == 2
