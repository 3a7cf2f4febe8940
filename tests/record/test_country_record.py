"""A country's whole record keeps what it derives (trends, recommendations followed up) and
makes it again as soon as anything it reads changes: a recommendation, a document, a link."""

from __future__ import annotations

import json
from pathlib import Path

from rightsrecord.record import country
from rightsrecord.store import open_store

TEXT = ("Journalist detained in Almaty\n2024-09-02\n\nPolice in Almaty detained the journalist "
        "Aigerim Tleuzhan on September 1, 2024 after she reported on a protest, her lawyer "
        "said.\n")
REC = {"state_under_review": "Kazakhstan", "recommending_state": "Norway",
       "text": "Stop detaining journalists who report on protests.", "response": "Accepted",
       "session": 20, "themes": ["Freedom of the press", "Detention"]}


def test_what_is_kept_is_made_again_when_the_record_moves(cli, db_file, tmp_path: Path):
    assert cli("demo").code == 0
    with open_store(str(db_file)) as store:
        before = country.country(store, "KZ")
        again = country.country(store, "KZ")  # kept: the same answer
        assert again.trends == before.trends
        assert again.recommendations == before.recommendations
        assert store.derived("KZ", "trends:public")["stamp"] == store.living_stamp("KZ")

    recs = tmp_path / "recs.jsonl"
    recs.write_text(json.dumps(REC) + "\n", encoding="utf-8")
    assert cli("recommendations", "ingest", str(recs)).code == 0
    with open_store(str(db_file)) as store:
        after = country.country(store, "KZ")
    assert len(after.recommendations) == len(before.recommendations) + 1
    assert any(r.text == REC["text"] for r in after.recommendations)

    story = tmp_path / "story.txt"
    story.write_text(TEXT, encoding="utf-8")
    assert cli("ingest", str(story)).code == 0
    with open_store(str(db_file)) as store:
        latest = country.country(store, "KZ")
    year = {t.year: t for t in latest.trends if t.theme is None and t.event_type is None}
    old = {t.year: t for t in after.trends if t.theme is None and t.event_type is None}
    assert year[2024].documents == old[2024].documents + 1
    assert year[2024].events == old[2024].events + 1
    assert any(s.text.startswith("Police in Almaty detained the journalist Aigerim Tleuzhan")
               for y in latest.draft_summary if y.year == 2024 for s in y.sentences)
