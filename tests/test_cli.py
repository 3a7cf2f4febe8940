"""The command line: help everywhere, store selection, search."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from rightsrecord.cli import build_parser

COMMANDS = [["ingest"], ["demo"], ["show"], ["show", "country"], ["search"], ["serve"]]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_subcommand_has_help_with_an_example(cli, command):
    result = cli(*command, "--help", db=False)
    assert result.code == 0
    assert "usage: rightsrecord" in result.out
    assert "example: rightsrecord" in result.out


def test_parser_lists_every_subcommand():
    help_text = build_parser().format_help()
    for name in ("ingest", "demo", "show", "search", "serve"):
        assert name in help_text


def test_installed_entry_point_runs(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "rightsrecord", "--db", str(tmp_path / "x.db"), "search", "x"],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "no matches" in result.stdout


def test_store_is_chosen_by_env_variable(tmp_path, monkeypatch, cli, seed_path):
    target = tmp_path / "from-env.db"
    monkeypatch.setenv("RIGHTSRECORD_DB", str(target))
    assert cli("ingest", str(seed_path), db=False).code == 0
    assert target.exists()
    page = json.loads(cli("show", "country", "KZ", "--format", "json", db=False).out)
    assert len(page["feed"]["data"]) == 10


def test_db_flag_wins_over_env_variable(tmp_path, monkeypatch, cli, seed_path, db_file):
    monkeypatch.setenv("RIGHTSRECORD_DB", str(tmp_path / "other.db"))
    cli("ingest", str(seed_path))
    assert _documents(db_file) == 1 and not (tmp_path / "other.db").exists()


def _documents(db_file) -> int:
    from rightsrecord.store import open_store

    with open_store(str(db_file)) as store:
        return store.counts().documents


def test_db_flag_is_accepted_before_the_command(cli, db_file, seed_path):
    result = cli("--db", str(db_file), "ingest", str(seed_path), db=False)
    assert result.code == 0 and _documents(db_file) == 1


def test_search_finds_listing_items(cli, seed_path):
    cli("ingest", str(seed_path))
    hits = json.loads(cli("search", "appeals court", "--format", "json").out)["hits"]["data"]
    assert hits and hits[0]["kind"] == "item" and hits[0]["published"] == "2015-02-27"
    assert "[appeals]" in hits[0]["snippet"]


def test_search_survives_fts_syntax_in_the_query(cli, seed_path):
    cli("ingest", str(seed_path))
    for query in ['"unbalanced', "NEAR(a b", "*", "a AND OR", "-", "Kazakh*"]:
        result = cli("search", query)
        assert result.code == 0, (query, result.err)


def test_unusable_store_is_a_clear_error(cli, tmp_path):
    bad = tmp_path / "not-a-db.db"
    bad.write_bytes(b"this is not a database" * 100)
    result = cli("--db", str(bad), "search", "x", db=False)
    assert result.code == 1
    assert result.err.startswith(f"error: {bad}: ") and result.err.count("\n") == 1
