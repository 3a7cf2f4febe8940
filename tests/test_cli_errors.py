"""The command line against hostile values: every one is one clear line, never a traceback,
and no password of a store's URL is ever printed."""

from __future__ import annotations

import base64
import random
import sqlite3

import pytest

from rightsrecord.cli import main

BIG = "99999999999999999999"  # beyond 2**63 - 1, the largest id either store holds
ID_RANGE = "must be a whole number from 1 to 9,223,372,036,854,775,807"
KZ_NEWS = "Kazakhstan: a court in Almaty fined a journalist on Monday."


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """The real command in-process, for what needs no test store: (exit code, out, err)."""
    capsys.readouterr()
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_line(err: str) -> None:
    assert "Traceback" not in err
    assert err.startswith("error: ") and err.count("\n") == 1, err


def nested_cursor(depth: int) -> str:
    raw = b"[" * depth + b"]" * depth
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


# -- cursors ------------------------------------------------------------------------------------


@pytest.fixture
def kz(cli, tmp_path):
    """The test's store, holding one Kazakhstan story."""
    page = tmp_path / "kz.txt"
    page.write_text(KZ_NEWS, encoding="utf-8")
    assert cli("ingest", str(page)).code == 0
    return cli


@pytest.mark.parametrize("command", [["show", "country", "KZ"], ["search", "journalist"]],
                         ids=" ".join)
def test_a_deeply_nested_cursor_is_a_usage_error(kz, command):
    for cursor in (nested_cursor(100_000), nested_cursor(1_500), "WyJhIiwiYiJd"):
        result = kz(*command, "--cursor", cursor)
        assert result.code == 2
        assert result.err == "error: --cursor: not a cursor this store made\n"
        assert result.out == ""
    assert kz(*command).code == 0


# -- whole numbers ------------------------------------------------------------------------------


@pytest.mark.parametrize("args,message", [
    (["show", "document", BIG], f"argument id: '{BIG}': {ID_RANGE}"),
    (["show", "document", "0"], f"argument id: '0': {ID_RANGE}"),
    (["show", "document", "1", "--version", BIG], f"argument --version: '{BIG}': {ID_RANGE}"),
    (["show", "event", BIG], f"argument id: '{BIG}': {ID_RANGE}"),
    (["show", "event", "-1"], f"argument id: '-1': {ID_RANGE}"),
    (["ingest", "x.txt", "--batch-size", BIG], "must be a whole number from 1 to 10,000"),
    (["annotate", "--batch-size", "0"], "must be a whole number from 1 to 10,000"),
    (["serve", "--port", BIG], "argument --port: "
                               f"'{BIG}': must be a whole number from 1 to 65,535"),
    (["serve", "--port", "0x50"], "'0x50' is not a whole number"),
])
def test_whole_numbers_out_of_range_are_usage_errors(cli, args, message):
    result = cli(*args)
    assert result.code == 2
    assert "Traceback" not in result.err
    assert result.err.startswith("usage: rightsrecord")
    assert message in result.err.splitlines()[-1]
    assert result.out == ""


@pytest.mark.parametrize("ids,message", [
    ([BIG, "1"], f"error: link merge takes two event ids: '{BIG}': {ID_RANGE}\n"),
    (["1", BIG], f"error: link merge takes two event ids: '{BIG}': {ID_RANGE}\n"),
    (["1", "x"], "error: link merge takes two event ids: 'x' is not a whole number\n"),
    (["7", "8"], "error: no event 7 in the store\n"),
])
def test_link_merge_of_ids_out_of_range_is_one_line(kz, ids, message):
    result = kz("link", "merge", *ids)
    assert (result.code, result.err, result.out) == (2, message, "")


@pytest.mark.parametrize("actor", ["²", BIG, "٣"])
def test_an_actor_that_is_no_id_of_ours_is_not_found(kz, actor):
    result = kz("show", "actor", actor)
    assert (result.code, result.err) == (2, f"error: no actor {actor!r} in the store\n")


# -- stores that cannot be used -----------------------------------------------------------------


@pytest.mark.parametrize("url", [
    "postgresql://u:secret@127.0.0.1:1/x",
    "postgres://u:secret@127.0.0.1:1/x",
    "postgresql://u@127.0.0.1:1/x?password=secret",
    "postgresql://u:s%65cret@127.0.0.1:1/x?sslmode=disable&password=secret",
])
def test_a_postgresql_store_that_cannot_be_reached_is_one_line_without_its_password(
        capsys, url):
    code, out, err = run(capsys, "--db", url, "search", "x")
    assert code == 1 and out == ""
    assert_one_line(err)
    assert "secret" not in err and "s%65cret" not in err
    assert "127.0.0.1" in err


def test_an_unreachable_store_from_the_environment_hides_its_password_too(
        capsys, monkeypatch):
    monkeypatch.setenv("RIGHTSRECORD_DB", "postgresql://u:secret@127.0.0.1:1/x")
    code, _, err = run(capsys, "show", "document", "1")
    assert code == 1
    assert_one_line(err)
    assert "secret" not in err


def test_a_sqlite_file_of_random_bytes_is_one_line(capsys, tmp_path):
    bad = tmp_path / "random.db"
    bad.write_bytes(random.Random(15).randbytes(16_384))
    for argv in (["search", "x"], ["show", "country", "KZ"], ["demo"]):
        code, out, err = run(capsys, "--db", str(bad), *argv)
        assert code == 1 and out == "", argv
        assert_one_line(err)
        assert str(bad) in err


def test_a_sqlite_store_damaged_after_its_first_pages_is_one_line(capsys, tmp_path):
    """The store opens (its schema is intact) and fails in the middle of a read."""
    path = tmp_path / "damaged.db"
    pages = tmp_path / "pages"
    pages.mkdir()
    for n in range(12):
        (pages / f"kz{n}.txt").write_text(
            f"{KZ_NEWS} Report {n}. " + "The appeal was rejected. " * 200, encoding="utf-8")
    code, _, err = run(capsys, "--db", str(path), "ingest", str(pages))
    assert code == 0, err
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = db.execute("PRAGMA page_size").fetchone()[0]
        schema_pages = {r[0] for r in db.execute(
            "SELECT rootpage FROM sqlite_schema WHERE rootpage > 0")}
    data = bytearray(path.read_bytes())
    noise = random.Random(15)
    for number in range(2, len(data) // page_size + 1):
        if number not in schema_pages:  # the tables' roots stay, their contents go
            start = (number - 1) * page_size
            data[start:start + page_size] = noise.randbytes(page_size)
    path.write_bytes(bytes(data))
    for argv in (["search", "appeal"], ["show", "country", "KZ"]):
        code, out, err = run(capsys, "--db", str(path), *argv)
        assert code == 1, (argv, out, err)
        assert_one_line(err)
        assert str(path) in err


# -- store values that are not stores -----------------------------------------------------------


@pytest.mark.parametrize("value", [
    "host=localhost password=secret dbname=x",
    "dbname=x user=u password=secret",
    "  host = localhost password='secret'",
])
def test_a_keyword_connection_string_is_refused_not_made_a_file(capsys, tmp_path, monkeypatch,
                                                                value):
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "--db", value, "search", "x")
    assert code == 2 and out == ""
    assert "Traceback" not in err and "secret" not in err
    last = err.splitlines()[-1]
    assert last.startswith("rightsrecord: error: argument --db: ")
    assert "a keyword connection string" in last and "postgresql://" in last
    assert list(tmp_path.iterdir()) == []


def test_a_keyword_connection_string_in_the_environment_is_refused(capsys, tmp_path,
                                                                  monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("RIGHTSRECORD_DB", "host=localhost password=secret dbname=x")
    code, out, err = run(capsys, "search", "x")
    assert code == 2 and out == ""
    assert_one_line(err)
    assert err.startswith("error: RIGHTSRECORD_DB: ")
    assert "a keyword connection string" in err
    assert "secret" not in err
    assert list(tmp_path.iterdir()) == []


def test_a_url_of_another_database_is_refused_without_its_password(capsys, tmp_path,
                                                                   monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "--db", "mysql://u:secret@localhost/x", "search", "x")
    assert code == 2
    last = err.splitlines()[-1]
    assert "argument --db: mysql://u:***@localhost/x" in last and "not a store" in last
    assert "secret" not in err
    assert list(tmp_path.iterdir()) == []


def test_a_sqlite_file_whose_name_has_an_equals_sign_is_still_a_store(capsys, tmp_path,
                                                                     monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "--db", "./a=b.db", "search", "x")
    assert (code, out) == (0, "no matches\n"), err
    assert (tmp_path / "a=b.db").exists()
