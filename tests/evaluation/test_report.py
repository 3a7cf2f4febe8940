"""`rightsrecord eval --check`: every part that runs is held to its floors in floors.json."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from rightsrecord.cli import main
from rightsrecord.evaluation import report
from rightsrecord.evaluation.report import FLOORS_ENV, PARTS, floors, part_of

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
HRW = SHARED / "eval" / "news" / "hrw_2024_dev.jsonl"


@pytest.fixture
def run_eval(capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, str]]:
    """The real `rightsrecord eval` command, in process: (exit code, stdout, stderr)."""

    def run(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = main(["eval", *args])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


def _floors_file(tmp_path: Path, pins: dict[str, float]) -> Path:
    path = tmp_path / "floors.json"
    path.write_text(json.dumps({"_comment": "test floors", **pins}), encoding="utf-8")
    return path


def test_every_floor_belongs_to_a_part_and_every_part_has_one():
    pins = floors()
    assert pins and all(part_of(k) in PARTS for k in pins), pins
    assert {part_of(k) for k in pins} == set(PARTS)


def test_floors_file_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv(FLOORS_ENV, str(_floors_file(tmp_path, {"countries.accuracy": 0.5})))
    assert floors() == {"countries.accuracy": 0.5}


def test_check_compares_the_parts_that_ran(tmp_path, monkeypatch, run_eval):
    """No data needed: the countries part is replaced by fixed figures."""
    (tmp_path / "eval").mkdir()
    monkeypatch.setitem(report.RUNNERS, "countries",
                        lambda shared: {"countries.accuracy": 0.9, "countries.failed": 0})
    pins = {"countries.accuracy": 0.85, "themes.micro_f1": 2.0}  # themes does not run
    monkeypatch.setenv(FLOORS_ENV, str(_floors_file(tmp_path, pins)))
    args = ("--shared", str(tmp_path), "--only", "countries", "--check")
    assert run_eval(*args)[0] == 0

    pins["countries.accuracy"] = 0.95
    monkeypatch.setenv(FLOORS_ENV, str(_floors_file(tmp_path, pins)))
    code, out, err = run_eval(*args)
    assert code == 1 and "countries.accuracy" in err and "themes" not in err
    assert "SHORT" in out

    pins["countries.recall"] = 0.1  # a floor whose figure the part does not give
    pins["countries.accuracy"] = 0.5
    monkeypatch.setenv(FLOORS_ENV, str(_floors_file(tmp_path, pins)))
    code, _, err = run_eval(*args)
    assert code == 1 and "countries.recall" in err and "countries.accuracy" not in err


def test_check_on_real_data(tmp_path, monkeypatch, run_eval):
    """The countries part on the HRW 2024 dev items, through the extract path."""
    if not HRW.exists():
        pytest.skip(f"../shared is absent: the evaluation data {HRW} is needed for this test")
    code, out, _ = run_eval("--shared", str(SHARED), "--only", "countries", "--json")
    assert code == 0
    measured = report.value_of(json.loads(out)["countries.accuracy"])
    assert 0.5 < measured <= 1.0

    above = _floors_file(tmp_path, {"countries.accuracy": measured + 0.001})
    monkeypatch.setenv(FLOORS_ENV, str(above))
    code, out, err = run_eval("--shared", str(SHARED), "--only", "countries", "--check")
    assert code == 1, (out, err)
    assert "under the floor: countries.accuracy" in err and "SHORT" in out

    below = _floors_file(tmp_path, {"countries.accuracy": measured - 0.001})
    monkeypatch.setenv(FLOORS_ENV, str(below))
    code, out, err = run_eval("--shared", str(SHARED), "--only", "countries", "--check")
    assert code == 0, (out, err)
