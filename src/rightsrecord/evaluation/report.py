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

PARTS = ("themes", "dates", "events", "countries", "throughput", "whodid", "listings",
         "linking", "nearmiss", "aliases")
# The first dot-separated piece of a figure's key names the part that measures it.
PART_OF = {"themes": "themes", "dates": "dates", "ipe": "events", "case": "events",
           "countries": "countries", "throughput": "throughput", "whodid": "whodid",
           "listings": "listings", "linking": "linking", "nearmiss": "nearmiss",
           "aliases": "aliases"}
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
    return {"themes.micro_f1": r["micro_kfold"], "themes.macro_f1": r["macro_kfold"],
            "themes.docs_per_s": r.get("docs_per_s"), "themes.failed": r["failed"]}


def _dates(shared: Path) -> dict[str, Any]:
    from .dates import evaluate

    r = evaluate(shared)
    return {"dates.relaxed_f1": r["relaxed_kfold"], "dates.strict_f1": r["strict_kfold"],
            "dates.value_f1": r["value_kfold"], "dates.docs_per_s": r.get("docs_per_s"),
            "dates.failed": r["failed"]}


def _events(shared: Path) -> dict[str, Any]:
    from .events import evaluate_case, evaluate_ipe

    out: dict[str, Any] = {}
    ipe = evaluate_ipe(shared)
    for cls in ("ARREST", "KILL", "FORCE", "FAIL"):
        out[f"ipe.{cls}.f1"] = ipe["classes"][cls]["kfold"]
    out["ipe.failed"] = ipe["failed"]
    case = evaluate_case(shared)
    for cls, m in case["classes"].items():
        out[f"case.{cls}.f1"] = m["kfold"]
    out["case.macro_f1"] = case["macro_kfold"]
    out["case.failed"] = case["failed"]
    return out


def _countries(shared: Path) -> dict[str, Any]:
    from .countries import evaluate

    r = evaluate(shared)
    return {"countries.accuracy": r["accuracy"], "countries.handset_accuracy":
            r["handset_accuracy"], "countries.page_accuracy": r["page_accuracy"],
            "countries.n": r["n"], "countries.failed": r["failed"]}


def _throughput(shared: Path) -> dict[str, Any]:
    from .throughput import evaluate

    r = evaluate(shared)
    out = {"throughput.docs_per_s": r["docs_per_s"], "throughput.mean_kb": r["mean_kb"],
           "throughput.failed": r["failed"]}
    if "spacy_ratio" in r:
        out["throughput.spacy_ratio"] = r["spacy_ratio"]
    return out


def _whodid(shared: Path) -> dict[str, Any]:
    from .whodid import evaluate

    return evaluate(shared)


def _listings(shared: Path) -> dict[str, Any]:
    from .listings import evaluate

    r = evaluate()  # the pages ship with the package: `shared` is not needed
    return {f"listings.{k}": r[k] for k in ("items_dated", "items_country", "summaries_right",
                                            "summary_years", "boilerplate", "items_extra",
                                            "failed")}


def _linking(shared: Path) -> dict[str, Any]:
    from .linking import evaluate

    return evaluate(shared)


def _nearmiss(shared: Path) -> dict[str, Any]:
    from .nearmiss import evaluate_store

    out = evaluate_store(None)  # the set ships with the package
    for half in (1, 2):
        r = evaluate_store(half)
        out.update({f"nearmiss.half{half}_{k.split('_')[-1]}": r[k]
                    for k in ("nearmiss.link_p", "nearmiss.link_r")})
    return out


def _aliases(shared: Path) -> dict[str, Any]:
    from .actor_aliases import evaluate

    return evaluate()


RUNNERS: dict[str, Callable[[Path], dict[str, Any]]] = {
    "themes": _themes, "dates": _dates, "events": _events, "countries": _countries,
    "throughput": _throughput, "whodid": _whodid, "listings": _listings,
    "linking": _linking, "nearmiss": _nearmiss, "aliases": _aliases,
}
LABELS = {
    "themes.micro_f1": "themes: UPR Info dev micro F1",
    "themes.macro_f1": "themes: UPR Info dev macro F1",
    "dates.relaxed_f1": "dates: TBAQ relaxed span F1",
    "dates.strict_f1": "dates: TBAQ strict span F1",
    "dates.value_f1": "dates: TBAQ value F1",
    "countries.accuracy": "countries: HRW 2024 primary acc. (cross-fit)",
    "countries.handset_accuracy": "countries: HRW 2024 primary acc., hand-set",
    "countries.page_accuracy": "countries: HRW items put on country pages",
    "case.macro_f1": "events: CASE 2021 in-scope macro F1",
    "throughput.docs_per_s": "throughput: extract docs/s (HRW texts)",
    "throughput.spacy_ratio": "throughput: docs per CPU-s, times spaCy sm's",
    "whodid.event_f1": "whodid: HRW 2024 event F1 (annotated scopes)",
    "whodid.date_acc": "whodid: matched events, date accuracy",
    "whodid.agent_acc": "whodid: matched events, agent accuracy",
    "whodid.target_acc": "whodid: matched events, target accuracy",
    "listings.items_dated": "listings: own layouts, items with right date",
    "listings.items_country": "listings: dated items, segment country right",
    "listings.summaries_right": "listings: pages with right summary count",
    "listings.summary_years": "listings: summaries with right year",
    "listings.boilerplate": "listings: boilerplate segments (want 0)",
    "listings.items_extra": "listings: items matching no expected one",
    "linking.bcubed_f1": "linking: ECB+ dev B-cubed F1 (all docs, cross-fit)",
    "linking.bcubed_p": "linking: ECB+ dev B-cubed precision",
    "linking.bcubed_r": "linking: ECB+ dev B-cubed recall",
    "linking.pairwise_f1": "linking: ECB+ dev pairwise F1",
    "linking.topic_bcubed_f1": "linking: ECB+ dev B-cubed F1 within topics",
    "nearmiss.link_p": "near misses: event-link precision (store, incremental)",
    "nearmiss.link_r": "near misses: event-link recall",
    "nearmiss.link_f1": "near misses: event-link F1",
    "nearmiss.half1_p": "near misses, half 1 (tuned on): precision",
    "nearmiss.half1_r": "near misses, half 1 (tuned on): recall",
    "nearmiss.half2_p": "near misses, half 2 (held out): precision",
    "nearmiss.half2_r": "near misses, half 2 (held out): recall",
    "aliases.link_p": "actor aliases: link precision (own pairs)",
    "aliases.link_r": "actor aliases: link recall",
    "aliases.link_f1": "actor aliases: link F1",
    "aliases.half2_p": "actor aliases, half 2 (held out): precision",
    "aliases.half2_r": "actor aliases, half 2 (held out): recall",
}


def measure(shared: Path, only: list[str]) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    for part in only:
        try:
            figures.update(RUNNERS[part](shared))
        except MissingData as exc:
            figures[f"{part}.error"] = str(exc)
    return figures


def value_of(figure: Any) -> Any:
    """A figure's number: itself, or the "value" of a k-fold summary."""
    return figure.get("value") if isinstance(figure, dict) else figure


def table(figures: dict[str, Any], pins: dict[str, float] | None = None) -> str:
    pins = floors() if pins is None else pins
    lines = [f"{'measure':<46} {'value':>6} {'95% interval':>14} {'folds':>13} {'floor':>8}",
             "-" * 94]
    for key, figure in figures.items():
        if key.endswith(".error"):
            lines.append(f"{key[:-6]:<46} {'n/a':>6}  {figure}")
            continue
        if key.endswith(".failed"):
            if figure:
                lines.append(f"{key[:-7]}: {figure} input(s) failed in extract (no prediction)")
            continue
        value = value_of(figure)
        if not isinstance(value, float) or key.endswith(("docs_per_s", "mean_kb")) and \
                key != "throughput.docs_per_s":
            continue
        interval = folds_shown = ""
        if isinstance(figure, dict):
            lo, hi = figure.get("ci95") or (None, None)
            if lo is not None:
                interval = f"[{lo:.3f}, {hi:.3f}]"
            per_fold = [f for f in figure.get("folds") or [] if f is not None]
            if per_fold:
                folds_shown = f"{min(per_fold):.3f}-{max(per_fold):.3f}"
        label = LABELS.get(key) or _label(key)
        floor = pins.get(key)
        verdict = "" if floor is None else ("ok" if value >= floor else "SHORT")
        target = "" if floor is None else f">= {floor:g}"
        lines.append(f"{label:<46} {value:>6.3f} {interval:>14} {folds_shown:>13} "
                     f"{target:>8}  {verdict}")
    lines.append("intervals: bootstrap over documents (1,000 resamples); folds: min-max over the "
                 "5 document folds; learned parts are scored on folds they were not fitted on")
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
        value = value_of(figures.get(key))
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
            detail = ", ".join(f"{k} ({_shown(value_of(figures.get(k)))} < {pins[k]:g})"
                               if part_of(k) else f"{k} (no part measures it)" for k in short)
            print(f"under the floor: {detail}", file=sys.stderr)
            return 1
    return 0


def _shown(value: Any) -> str:
    return f"{value:.3f}" if _number(value) else "not measured"
