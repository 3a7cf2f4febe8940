"""`rightsrecord eval`: every measurement of the engine in one table."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

from .common import MissingData, shared_path

PARTS = ("themes", "dates", "events", "countries", "throughput")


def floors() -> dict[str, float]:
    raw = resources.files("rightsrecord").joinpath("evaluation/floors.json").read_text("utf-8")
    return {k: v for k, v in json.loads(raw).items() if not k.startswith("_")}


def _themes(shared: Path) -> dict[str, Any]:
    from .themes import evaluate

    r = evaluate(shared)
    return {"themes.micro_f1": r["micro_f1"], "themes.macro_f1": r["macro_f1"],
            "themes.docs_per_s": r.get("docs_per_s")}


def _dates(shared: Path) -> dict[str, Any]:
    from .dates import evaluate

    r = evaluate(shared)
    return {"dates.relaxed_f1": r["relaxed_f1"], "dates.strict_f1": r["strict_f1"],
            "dates.value_f1": r["value_f1"], "dates.docs_per_s": r.get("docs_per_s")}


def _events(shared: Path) -> dict[str, Any]:
    from .events import evaluate_case, evaluate_ipe

    out: dict[str, Any] = {}
    ipe = evaluate_ipe(shared)
    for cls in ("ARREST", "KILL", "FORCE", "FAIL"):
        out[f"ipe.{cls}.f1"] = ipe["classes"][cls]["f1"]
    case = evaluate_case(shared)
    for cls, m in case["classes"].items():
        out[f"case.{cls}.f1"] = m["f1"]
    out["case.macro_f1"] = case["macro_f1"]
    return out


def _countries(shared: Path) -> dict[str, Any]:
    from .countries import evaluate

    r = evaluate(shared)
    return {"countries.accuracy": r["accuracy"], "countries.n": r["n"]}


def _throughput(shared: Path) -> dict[str, Any]:
    from .throughput import evaluate

    r = evaluate(shared)
    return {"throughput.docs_per_s": r["docs_per_s"], "throughput.mean_kb": r["mean_kb"]}


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


def table(figures: dict[str, Any]) -> str:
    pins = floors()
    lines = [f"{'measure':<44} {'value':>8} {'target':>8}  ", "-" * 66]
    for key, value in figures.items():
        if key.endswith(".error"):
            lines.append(f"{key[:-6]:<44} {'n/a':>8} {'':>8}  {value}")
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


def shortfalls(figures: dict[str, Any]) -> list[str]:
    return [key for key, floor in floors().items()
            if not isinstance(figures.get(key), float) or figures[key] < floor]


def run_all(shared: str | None, only: str | None = None, as_json: bool = False,
            check: bool = False) -> int:
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
    figures = measure(root, parts)
    if as_json:
        print(json.dumps(figures, indent=2))
    else:
        print(table(figures))
    if check:
        pinned = {k for k in floors() if k.split(".")[0] in
                  {"ipe" if p == "events" else p for p in parts} | ({"case"} if "events" in
                                                                   parts else set())}
        short = [k for k in shortfalls(figures) if k in pinned]
        if short:
            print(f"under the floor: {', '.join(short)}", file=sys.stderr)
            return 1
    return 0
