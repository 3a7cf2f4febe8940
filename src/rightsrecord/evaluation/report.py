"""`rightsrecord eval`: every measurement of the engine in one table.

Every part runs the shipped extract path (`extract_records`) over its data; see the
Measurement section of docs/extract.md for what each figure means. `--check` compares each
figure that has a floor in floors.json (or in the file `RIGHTSRECORD_FLOORS` names) with it,
for every part that ran, and exits 1 when one is under or missing.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

from .common import MissingData, shared_path

PARTS = ("themes", "dates", "events", "countries", "throughput")
# The first dot-separated piece of a figure's key names the part that measures it.
PART_OF = {"themes": "themes", "dates": "dates", "ipe": "events", "case": "events",
           "countries": "countries", "throughput": "throughput"}
FLOORS_ENV = "RIGHTSRECORD_FLOORS"


def floors(path: str | Path | None = None) -> dict[str, float]:
    """The floors: `path`, else the file $RIGHTSRECORD_FLOORS names, else floors.json."""
    path = path or os.environ.get(FLOORS_ENV)
    if path:
        raw = Path(path).read_text(encoding="utf-8")
    else:
        raw = resources.files("rightsrecord").joinpath("evaluation/floors.json").read_text(
            "utf-8")
    return {k: v for k, v in json.loads(raw).items() if not k.startswith("_")}


def part_of(key: str) -> str | None:
    return PART_OF.get(key.split(".")[0])


def _themes(shared: Path) -> dict[str, Any]:
    from .themes import evaluate

    r = evaluate(shared)
    return {"themes.micro_f1": r["micro_f1"], "themes.macro_f1": r["macro_f1"],
            "themes.docs_per_s": r.get("docs_per_s"), "themes.failed": r["failed"]}


def _dates(shared: Path) -> dict[str, Any]:
    from .dates import evaluate

    r = evaluate(shared)
    return {"dates.relaxed_f1": r["relaxed_f1"], "dates.strict_f1": r["strict_f1"],
            "dates.value_f1": r["value_f1"], "dates.docs_per_s": r.get("docs_per_s"),
            "dates.failed": r["failed"]}


def _events(shared: Path) -> dict[str, Any]:
    from .events import evaluate_case, evaluate_ipe

    out: dict[str, Any] = {}
    ipe = evaluate_ipe(shared)
    for cls in ("ARREST", "KILL", "FORCE", "FAIL"):
        out[f"ipe.{cls}.f1"] = ipe["classes"][cls]["f1"]
    out["ipe.failed"] = ipe["failed"]
    case = evaluate_case(shared)
    for cls, m in case["classes"].items():
        out[f"case.{cls}.f1"] = m["f1"]
    out["case.macro_f1"] = case["macro_f1"]
    out["case.failed"] = case["failed"]
    return out


def _countries(shared: Path) -> dict[str, Any]:
    from .countries import evaluate

    r = evaluate(shared)
    return {"countries.accuracy": r["accuracy"], "countries.n": r["n"],
            "countries.failed": r["failed"]}


def _throughput(shared: Path) -> dict[str, Any]:
    from .throughput import evaluate

    r = evaluate(shared)
    return {"throughput.docs_per_s": r["docs_per_s"], "throughput.mean_kb": r["mean_kb"],
            "throughput.failed": r["failed"]}


RUNNERS: dict[str, Callable[[Path], dict[str, Any]]] = {
    "themes": _themes, "dates": _dates, "events": _events, "countries": _countries,
    "throughput": _throughput,
}
LABELS = {
    "themes.micro_f1": "themes: UPR Info dev micro F1",
    "themes.macro_f1": "themes: UPR Info dev macro F1",
    "dates.relaxed_f1": "dates: TBAQ relaxed span F1",
    "dates.strict_f1": "dates: TBAQ strict span F1",
    "dates.value_f1": "dates: TBAQ value F1",
    "countries.accuracy": "countries: HRW 2024 primary accuracy",
    "case.macro_f1": "events: CASE 2021 in-scope macro F1",
    "throughput.docs_per_s": "throughput: extract docs/s (HRW texts)",
}


def measure(shared: Path, only: list[str]) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    for part in only:
        try:
            figures.update(RUNNERS[part](shared))
        except MissingData as exc:
            figures[f"{part}.error"] = str(exc)
    return figures


def table(figures: dict[str, Any], pins: dict[str, float] | None = None) -> str:
    pins = floors() if pins is None else pins
    lines = [f"{'measure':<44} {'value':>8} {'target':>8}  ", "-" * 66]
    for key, value in figures.items():
        if key.endswith(".error"):
            lines.append(f"{key[:-6]:<44} {'n/a':>8} {'':>8}  {value}")
            continue
        if key.endswith(".failed"):
            if value:
                lines.append(f"{key[:-7]}: {value} input(s) failed in extract (no prediction)")
            continue
        if not isinstance(value, float) or key.endswith(("docs_per_s", "mean_kb")) and \
                key != "throughput.docs_per_s":
            continue
        label = LABELS.get(key) or _label(key)
        floor = pins.get(key)
        verdict = "" if floor is None else ("ok" if value >= floor else "SHORT")
        target = "" if floor is None else f">= {floor:g}"
        lines.append(f"{label:<44} {value:>8.3f} {target:>8}  {verdict}")
    return "\n".join(lines)


def _label(key: str) -> str:
    part, *rest = key.split(".")
    if part == "ipe":
        return f"events: IndiaPoliceEvents {rest[0]} sentence F1"
    if part == "case":
        return f"events: CASE {rest[0]} F1"
    return key


def shortfalls(figures: dict[str, Any], parts: list[str] | None = None,
               pins: dict[str, float] | None = None) -> list[str]:
    """Floor keys of the parts that ran (all parts when None) whose figure is missing or under
    its floor; a key that names no part is always reported."""
    pins = floors() if pins is None else pins
    short = []
    for key, floor in pins.items():
        part = part_of(key)
        if part is not None and parts is not None and part not in parts:
            continue
        value = figures.get(key)
        if part is None or not _number(value) or value < floor:
            short.append(key)
    return short


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def run_all(shared: str | None, only: str | None = None, as_json: bool = False,
            check: bool = False, floors_path: str | Path | None = None) -> int:
    try:
        root = shared_path(shared)
    except MissingData as exc:
        print(f"error: {exc}; pass --shared PATH", file=sys.stderr)
        return 2
    parts = [p.strip() for p in (only or ",".join(PARTS)).split(",") if p.strip()]
    unknown = [p for p in parts if p not in RUNNERS]
    if unknown:
        print(f"error: unknown part(s) {', '.join(unknown)}; known: {', '.join(PARTS)}",
              file=sys.stderr)
        return 2
    pins = floors(floors_path)
    figures = measure(root, parts)
    if as_json:
        print(json.dumps(figures, indent=2))
    else:
        print(table(figures, pins))
    if check:
        short = shortfalls(figures, parts, pins)
        if short:
            detail = ", ".join(f"{k} ({_shown(figures.get(k))} < {pins[k]:g})"
                               if part_of(k) else f"{k} (no part measures it)" for k in short)
            print(f"under the floor: {detail}", file=sys.stderr)
            return 1
    return 0


def _shown(value: Any) -> str:
    return f"{value:.3f}" if _number(value) else "not measured"
