"""A case dossier: the chronology of the events that name one actor as their target.

Each step is one event cluster (however many texts report it), labelled by the step of a
case its type tells (`data/link/steps.tsv`: detention, charges, trial, sentence, appeal,
release ...), dated by the most precise date its reports' texts give, with every report as a
source. A step no text dates has no date: the day its first report was published is kept
apart (`reported`), to order it among the others, never shown as when it happened.
"""

from __future__ import annotations

import csv
import re
from functools import cache
from pathlib import Path
from typing import Any

from ..store.base import ReportView

STEPS = Path(__file__).resolve().parent.parent / "data" / "link" / "steps.tsv"
_PRECISION = {10: 3, 7: 2, 4: 1}


@cache
def _rules() -> list[tuple[str, str, re.Pattern[str] | None]]:
    out = []
    with STEPS.open(encoding="utf-8") as fh:
        for row in csv.reader((ln for ln in fh if ln.strip() and not ln.startswith("#")),
                              delimiter="\t"):
            pattern = re.compile(row[2], re.I) if len(row) > 2 and row[2] else None
            out.append((row[0], row[1], pattern))
    return out


def step_of(type_: str | None, evidence: str) -> str:
    for t, step, pattern in _rules():
        if t == type_ and (pattern is None or pattern.search(evidence)):
            return step
    return (type_ or "event").replace("-", " ")


def _best_date(reports: list[ReportView]) -> str | None:
    """The most precise date a report's own text gives; None when none gives one."""
    told = [r.event_date for r in reports if r.event_date and r.date_source == "text"]
    return max(told, key=lambda d: (_PRECISION.get(len(d), 0), d)) if told else None


def _first_reported(reports: list[ReportView]) -> str | None:
    dates = sorted(r.date for r in reports if r.date)
    return dates[0] if dates else None


def steps(reports: list[ReportView]) -> list[dict[str, Any]]:
    """One step per cluster, oldest first (a step no text dates by when it was first
    reported); steps with neither last."""
    by: dict[int, list[ReportView]] = {}
    for r in reports:
        by.setdefault(r.cluster_id, []).append(r)
    out = []
    for cid, reps in by.items():
        first = reps[0]
        evidence = " ".join((r.evidence or {}).get("text", "") for r in reps)
        out.append({"cluster_id": cid, "step": step_of(first.type, evidence),
                    "type": first.type, "date": _best_date(reps),
                    "reported": _first_reported(reps), "reports": reps})
    out.sort(key=lambda s: (not (s["date"] or s["reported"]), s["date"] or s["reported"] or "",
                            s["cluster_id"]))
    return out
