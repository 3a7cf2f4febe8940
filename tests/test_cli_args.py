"""Bad command-line values are usage errors (exit 2, one clear message), never tracebacks."""

from __future__ import annotations

import pytest

NOT_UTF8 = b"\x80".decode("utf-8", "surrogateescape")  # how Python hands over such argv bytes


@pytest.mark.parametrize("args,message", [
    (["ingest", "x.txt", "--timeout", "-1"], "argument --timeout: '-1': must be a number of "
                                             "seconds above 0"),
    (["ingest", "x.txt", "--timeout", "0"], "must be a number of seconds above 0"),
    (["ingest", "x.txt", "--timeout", "nan"], "must be a number of seconds above 0"),
    (["ingest", "x.txt", "--timeout", "inf"], "must be a number of seconds above 0"),
    (["ingest", "x.txt", "--timeout", "soon"], "'soon' is not a number of seconds"),
    (["ingest", "x.txt", "--max-bytes", "-5"], "argument --max-bytes: '-5': must be a whole "
                                               "number of at least 1"),
    (["ingest", "x.txt", "--max-bytes", "0"], "must be a whole number of at least 1"),
    (["extract", "x.txt", "--max-bytes", "-5"], "must be a whole number of at least 1"),
    (["search", "court", "--limit", "99999999999999999999"],
     "argument --limit: '99999999999999999999': must be a whole number from 1 to 1,000"),
    (["search", "court", "--limit", "0"], "must be a whole number from 1 to 1,000"),
    (["search", "court", "--limit", "ten"], "'ten' is not a whole number"),
    (["show", "country", "KZ", "--limit", "-3"], "must be a whole number from 1 to 1,000"),
    (["show", "country", NOT_UTF8], r"argument code: '\udc80' is not a country code: use two "
                                    "letters (ISO 3166-1 alpha-2), e.g. KZ"),
    (["show", "country", "KAZ"], "'KAZ' is not a country code"),
    (["show", "country", "K1"], "'K1' is not a country code"),
    (["show", "country", "КZ"], "'КZ' is not a country code"),  # a Cyrillic К
])
def test_bad_values_are_usage_errors(cli, args, message):
    result = cli(*args)
    assert result.code == 2
    assert "Traceback" not in result.err
    assert result.err.startswith("usage: rightsrecord")
    assert message in result.err.splitlines()[-1]
    assert result.out == ""


def test_good_values_still_work(cli, tmp_path):
    page = tmp_path / "page.txt"
    page.write_text("Kazakhstan: a court in Almaty fined a journalist on Monday.",
                    encoding="utf-8")
    assert cli("ingest", str(page), "--timeout", "2.5", "--max-bytes", "1000").code == 0
    assert cli("search", "journalist", "--limit", "1000").code == 0
    shown = cli("show", "country", "kz", "--limit", "1", "--format", "json")
    assert shown.code == 0, shown.err
