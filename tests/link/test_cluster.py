"""`rightsrecord cluster` on a few hand-written reports, through the real command."""

from __future__ import annotations

import io
import json
import sys

import pytest

from rightsrecord.cli import main
from rightsrecord.extract.run import extract_records
from rightsrecord.link.cluster import SIGNALS, cluster, explain

DOCS = [
    {"id": "arrest-1", "published": "2024-03-12",
     "title": "Journalist Aida Serikova arrested in Almaty",
     "text": "Police in Almaty arrested the journalist Aida Serikova on 11 March 2024, her "
             "lawyer said. Officers detained Serikova at her home and took her to the city "
             "police department. Serikova, who reports on corruption for an independent news "
             "site, faces charges of spreading false information."},
    {"id": "protest-1", "published": "2024-07-02", "title": "Farmers rally in Nairobi",
     "text": "Thousands of farmers marched through Nairobi on Tuesday to protest against "
             "rising fertiliser prices. The demonstrators carried banners and sang songs "
             "outside parliament before dispersing peacefully in the evening."},
    {"id": "arrest-2", "published": "2024-03-13", "title": "Kazakhstan: reporter detained",
     "text": "Kazakh authorities detained reporter Aida Serikova in Almaty on 11 March 2024. "
             "According to her lawyer, police officers searched Serikova's home and took her "
             "into custody. Serikova has written about corruption and is accused of "
             "disseminating false information."},
    {"id": "arrest-3", "published": "2024-03-28",
     "title": "Blogger Marat Zhumabekov detained in Almaty",
     "text": "Police in Almaty detained the blogger Marat Zhumabekov on 27 March 2024 after "
             "he posted videos about a land dispute. Zhumabekov was held at a police station "
             "overnight and charged with hooliganism, his brother said."},
]


def _run_cli(monkeypatch, capsys, lines: list[str]) -> tuple[int, str, str]:
    """The real `rightsrecord cluster` command, in-process, with `lines` as standard input."""
    stdin = io.TextIOWrapper(io.BytesIO(("\n".join(lines) + "\n").encode("utf-8")))
    monkeypatch.setattr(sys, "stdin", stdin)
    capsys.readouterr()
    code = main(["cluster", "--input-format", "jsonl", "--format", "jsonl", "-"])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cluster_command_groups_reports_of_one_arrest(monkeypatch, capsys):
    code, out, err = _run_cli(monkeypatch, capsys, [json.dumps(d) for d in DOCS])
    assert code == 0, err
    rows = [json.loads(line) for line in out.splitlines()]
    assert rows == [
        {"id": "arrest-1", "cluster": "carrest-1"},   # one arrest, told twice
        {"id": "protest-1", "cluster": "cprotest-1"},  # an unrelated protest: alone
        {"id": "arrest-2", "cluster": "carrest-1"},
        {"id": "arrest-3", "cluster": "carrest-3"},   # another person, same city and month
    ]


def test_cluster_command_reports_bad_lines_and_clusters_the_rest(monkeypatch, capsys):
    code, out, err = _run_cli(monkeypatch, capsys, [json.dumps(DOCS[1]), "not json"])
    assert code == 1
    assert json.loads(out) == {"id": "protest-1", "cluster": "cprotest-1"}
    assert "line 2: not JSON" in err


def test_cluster_help_has_an_example(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["cluster", "--help"])
    assert exit_.value.code == 0
    assert "example: rightsrecord cluster" in capsys.readouterr().out


def test_every_link_is_explained():
    recs = [{**r, "text": d["text"]} for r, d in zip(extract_records(DOCS), DOCS, strict=True)]
    assert cluster(recs) == ["carrest-1", "cprotest-1", "carrest-1", "carrest-3"]
    same = explain(recs, 0, 2)
    assert same["linkable"] and same["signals"]["actors"] == 1.0
    apart = explain(recs, 0, 3)
    assert not apart["linkable"] and apart["signals"]["day_conflict"] == 1.0
    assert set(same["signals"]) == set(SIGNALS)
    assert cluster([]) == []
