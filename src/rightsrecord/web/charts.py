"""Charts drawn on the server as inline SVG: no script, nothing from another host.

`grid` turns a country's chart cells (distinct events per theme per year) into one table of
numbers; `theme_year_svg` draws that same grid as bars, one row of bars per theme, one bar
per year, and the page sets the table beside it, so the picture and the numbers agree.
The SVG scales with its box (a viewBox, no fixed width) and names itself for screen readers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from html import escape
from typing import Any

from markupsafe import Markup

WIDTH = 400
LEFT, RIGHT = 4, 4
LABEL_H, BAR_H, ROW_GAP = 16, 34, 8
AXIS_H = 18
MAX_SPAN = 30  # up to this many years the axis is continuous; beyond it, only years with data
BAR = "#8a1c1c"
RULE = "#b9c0c6"
INK = "#1d2327"
RULE_DARK = "#4f5b66"


def counted(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else many or one + 's'}"


def grid(cells: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """The chart's numbers: its years (oldest first; `found`, only those with events), and
    per theme (most events first) its label and its count for each year (`counts`, and
    `found` for the years with events)."""
    counts: dict[str, dict[int, int]] = {}
    labels: dict[str, str] = {}
    for c in cells:
        theme = str(c["theme"])
        labels[theme] = str(c.get("label") or theme)
        counts.setdefault(theme, {})
        counts[theme][int(c["year"])] = counts[theme].get(int(c["year"]), 0) + int(c["events"])
    found = sorted({y for per in counts.values() for y in per})
    if found and found[-1] - found[0] < MAX_SPAN:
        years = list(range(found[0], found[-1] + 1))
    else:
        years = found
    order = sorted(counts, key=lambda t: (-sum(counts[t].values()), labels[t].lower()))
    rows: list[dict[str, Any]] = [
            {"theme": t, "label": labels[t], "counts": [counts[t].get(y, 0) for y in years],
             "found": [counts[t].get(y, 0) for y in found],
             "total": sum(counts[t].values())} for t in order]
    return {"years": years, "found": found, "rows": rows,
            "max": max((n for r in rows for n in r["counts"]), default=0)}


def theme_year_svg(cells: Iterable[Mapping[str, Any]], title: str) -> Markup:
    """Bars of distinct events per year, one row per theme; empty markup with no cells."""
    g = grid(cells)
    years, rows, top = g["years"], g["rows"], g["max"]
    if not rows or not top:
        return Markup("")
    slot = (WIDTH - LEFT - RIGHT) / len(years)
    bar_w = max(1.0, slot * 0.7)
    row_h = LABEL_H + BAR_H + ROW_GAP
    height = len(rows) * row_h + AXIS_H
    label = (f"{title}: " + "; ".join(
        f"{r['label']} " + ", ".join(f"{y} {n}" for y, n in zip(years, r["counts"],
                                                                  strict=True) if n)
        for r in rows))
    out = [f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" width="100%" '
           f'preserveAspectRatio="xMinYMin meet" role="img" aria-label="{escape(label)}" '
           'xmlns="http://www.w3.org/2000/svg">',
           f"<title>{escape(title)}</title>"]
    for i, r in enumerate(rows):
        y0 = i * row_h
        base = y0 + LABEL_H + BAR_H
        out.append(f'<text x="{LEFT}" y="{y0 + LABEL_H - 4}" font-size="12" fill="{INK}">'
                   f"{escape(r['label'])} ({counted(r['total'], 'event')})</text>")
        out.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{base}" y2="{base}" '
                   f'stroke="{RULE}" stroke-width="1"/>')
        for j, (year, n) in enumerate(zip(years, r["counts"], strict=True)):
            if not n:
                continue
            out += _bar(j, slot, bar_w, base, (BAR_H - 10) * n / top, BAR, n,
                        f"{r['label']}, {year}: {counted(n, 'event')}")
    out += _axis(years, slot, len(rows) * row_h + AXIS_H - 5)
    out.append("</svg>")
    return Markup("".join(out))


def _bar(j: int, slot: float, bar_w: float, base: float, height: float, fill: str, n: int,
         title: str) -> list[str]:
    """The `j`th bar of a row whose baseline is `base`, named by `title`, its count above it
    where there is room."""
    h = max(2.0, height)
    x = LEFT + j * slot + (slot - bar_w) / 2
    out = [f'<rect x="{x:.1f}" y="{base - h:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
           f'fill="{fill}"><title>{escape(title)}</title></rect>']
    if slot >= 12:
        out.append(f'<text x="{x + bar_w / 2:.1f}" y="{base - h - 2:.1f}" font-size="9" '
                   f'text-anchor="middle" fill="{INK}">{n}</text>')
    return out


def _axis(years: list[int], slot: float, y: float) -> list[str]:
    """The years under the bars, as many as fit."""
    every = next(k for k in (1, 2, 5, 10, 20, 50, 100, 1000) if slot * k >= 30)
    return [f'<text x="{LEFT + j * slot + slot / 2:.1f}" y="{y}" font-size="10" '
            f'text-anchor="middle" fill="{INK}">{year}</text>'
            for j, year in enumerate(years) if j % every == 0]


def trend_table(rows: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """A country's trend rows laid out: the years (oldest first) of the row of all events,
    that row by year, and per theme with events its latest year and direction."""
    every = sorted((r for r in rows if r.get("theme") is None and r.get("event_type") is None),
                   key=lambda r: int(r["year"]))
    latest: dict[str, Mapping[str, Any]] = {}
    for r in rows:
        if r.get("theme") and int(r["events"]) and (
                r["theme"] not in latest or int(r["year"]) > int(latest[r["theme"]]["year"])):
            latest[str(r["theme"])] = r
    themes = sorted(latest.values(), key=lambda r: (-int(r["year"]), -int(r["events"]),
                                                    str(r["label"]).lower()))
    return {"years": every, "themes": themes}


def trend_svg(rows: Iterable[Mapping[str, Any]], title: str) -> Markup:
    """Two rows of bars over the same years, each on its own scale: the distinct events a
    source dates to each year, and the documents the record holds about that year, so that
    a year the press wrote more about cannot pass for a year with more events."""
    every = trend_table(rows)["years"]
    if not every:
        return Markup("")
    years = [int(r["year"]) for r in every]
    span = list(range(years[0], years[-1] + 1)) if years[-1] - years[0] < MAX_SPAN else years
    series = [("Distinct events", {int(r["year"]): int(r["events"]) for r in every}),
              ("Documents held", {int(r["year"]): int(r["documents"]) for r in every})]
    slot = (WIDTH - LEFT - RIGHT) / len(span)
    bar_w = max(1.0, slot * 0.7)
    row_h = LABEL_H + BAR_H + ROW_GAP
    height = len(series) * row_h + AXIS_H
    label = f"{title}: " + "; ".join(
        f"{name} " + ", ".join(f"{y} {per.get(y, 0)}" for y in years) for name, per in series)
    out = [f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" width="100%" '
           f'preserveAspectRatio="xMinYMin meet" role="img" aria-label="{escape(label)}" '
           'xmlns="http://www.w3.org/2000/svg">', f"<title>{escape(title)}</title>"]
    for i, (name, per) in enumerate(series):
        top = max(per.values(), default=0) or 1
        y0 = i * row_h
        base = y0 + LABEL_H + BAR_H
        out.append(f'<text x="{LEFT}" y="{y0 + LABEL_H - 4}" font-size="12" fill="{INK}">'
                   f"{escape(name)} (each row on its own scale)</text>" if i == 0 else
                   f'<text x="{LEFT}" y="{y0 + LABEL_H - 4}" font-size="12" fill="{INK}">'
                   f"{escape(name)}</text>")
        out.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{base}" y2="{base}" '
                   f'stroke="{RULE}" stroke-width="1"/>')
        for j, year in enumerate(span):
            n = per.get(year, 0)
            if not n:
                continue
            out += _bar(j, slot, bar_w, base, (BAR_H - 10) * n / top,
                        BAR if i == 0 else RULE_DARK, n, f"{name}, {year}: {n}")
    out += _axis(span, slot, len(series) * row_h + AXIS_H - 5)
    out.append("</svg>")
    return Markup("".join(out))
