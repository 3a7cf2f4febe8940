"""The bundled demo corpus: every document loads, names its source, and events repeat."""

from __future__ import annotations

import csv
from collections import Counter

from rightsrecord.demo import corpus_dir, corpus_files


def _rows():
    with (corpus_dir() / "sources.tsv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def test_every_listed_file_exists_and_names_the_source_it_retells():
    rows = _rows()
    assert len(rows) >= 24
    for row in rows:
        assert (corpus_dir() / row["path"]).is_file(), row["path"]
        assert row["retells"].strip(), row["path"]
        assert row["outlet"].strip(), row["path"]
    listed = {row["path"] for row in rows}
    on_disk = {str(p.relative_to(corpus_dir())) for p in corpus_dir().rglob("*")
               if p.is_file() and p.name not in ("README.md", "sources.tsv")}
    assert on_disk == listed


def test_corpus_covers_every_input_kind_and_repeats_events_across_outlets():
    rows = _rows()
    assert {"html", "text", "listing", "feed", "pdf"} <= {row["kind"] for row in rows}
    groups = Counter(row["event_group"] for row in rows if row["event_group"])
    assert sum(1 for n in groups.values() if n >= 2) >= 3
    for group, n in groups.items():
        if n >= 2:
            outlets = {row["outlet"] for row in rows if row["event_group"] == group}
            assert len(outlets) >= 2, group


def test_demo_command_loads_everything_without_a_rejection(cli):
    result = cli("demo")
    assert result.code == 0, result.err
    assert result.err == ""
    assert f"{len(list(corpus_files()))} stored" in result.out
    again = cli("demo")
    assert "0 stored, 0 new versions" in again.out
    kz = cli("show", "country", "KZ").out
    assert "Kazakhstan (KZ)" in kz and "•" in kz
