"""Trends: a country's events counted per year, per theme and per event type, and whether a
year is worse or better than the one before by a stated test.

What is counted is events (clusters: one real-world event however many texts report it),
each in the year a text states for it (the year of its `When`, the date the event's page
shows; events no text dates are left out). Documents are counted beside them, for the rate,
and never enter the direction: the press writing three times as much about a country moves
no trend. See `TREND_TEST` for the test in plain words.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from functools import cache
from pathlib import Path

from ..read import vocab
from ..read.models import TrendRow
from ..read.provenance import when
from ..store.base import PUBLIC, Scope, Store

ALPHA = 0.05
EVENT_TYPES = Path(__file__).resolve().parents[1] / "data" / "record" / "event_types.tsv"
ALL_LABEL = "All events"
PLAIN_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")  # a date `When` may state


def _min_events(alpha: float) -> int:
    """The fewest events two years can hold between them for the two-sided test to reach
    `alpha` at all: all of them in one year gives p = 2 * 0.5**n."""
    n = 1
    while 2 * 0.5 ** n > alpha:
        n += 1
    return n


MIN_EVENTS = _min_events(ALPHA)  # 6 at 0.05
EXACT_UP_TO = 2000

TREND_TEST = (
    "Each year is compared with the year before by counting distinct events, never documents: "
    "an event counts once however many texts report it, so the press writing more about a "
    "country moves no direction, and only events a text dates to the year are counted. On a "
    "theme's row and on the row of all events, the events compared are those whose type is an "
    "abuse (a violation or restriction of rights, such as an arrest or a killing); on an event "
    "type's row, that type's events, more of an abuse being worse and more of a remedy (a "
    "release, an acquittal) better, while a type that is neither (a ruling, a law, a protest) "
    "gets no direction. A year with no such events counts zero. The test is the conditional "
    "exact binomial test: were both years' underlying rates equal, this year's count out of the "
    "two years' total would follow a binomial distribution with probability one half; it is "
    f"two-sided, at the {ALPHA:g} level. With fewer than {MIN_EVENTS} events in the two years "
    "together the test could never reach that level, and the direction is \"too few to say\"; "
    "otherwise a significant rise is \"worse\" and a significant fall \"better\" (the reverse "
    "for a remedy), and anything else \"no clear change\". The first year of a series, and a "
    "year after one the record holds nothing about for the country (no document, no dated "
    "event), get no direction."
)


def p_value(k: int, n: int) -> float:
    """The two-sided p-value of `k` events of `n` in one year under equal rates: what
    `scipy.stats.binomtest(k, n, 0.5)` answers (the probability of a split at least as
    uneven, either way). For a half the distribution is symmetric, so it is twice the tail
    beyond the rarer side: summed exactly in integers up to `EXACT_UP_TO` events, else read
    from the binomial distribution's function."""
    m = min(k, n - k)
    if n > EXACT_UP_TO:
        from scipy.stats import binom

        return min(1.0, 2 * float(binom.cdf(m, n, 0.5)))
    term = tail = 1
    for i in range(m):
        term = term * (n - i) // (i + 1)
        tail += term
    return min(1.0, 2 * tail / 2 ** n)


def direction(previous: int, current: int) -> tuple[str, float | None]:
    """The direction from `previous` abuse events to `current` ones, by the test of
    `TREND_TEST`, and its p-value (None where the counts are too few to test)."""
    if previous < 0 or current < 0:
        raise ValueError("event counts cannot be negative")
    n = previous + current
    if n < MIN_EVENTS:
        return "too few to say", None
    p = p_value(current, n)
    if p < ALPHA:
        return ("worse" if current > previous else "better"), p
    return "no clear change", p


@cache
def polarity() -> dict[str, str]:
    """Event type → abuse, remedy or neutral (data/record/event_types.tsv)."""
    with EVENT_TYPES.open(encoding="utf-8", newline="") as fh:
        rows = csv.reader((ln for ln in fh if ln.strip() and not ln.startswith("#")),
                          delimiter="\t")
        return {row[0]: row[2] for row in rows if len(row) >= 3}


def _remedy_direction(previous: int, current: int) -> tuple[str, float | None]:
    """`direction` for a remedy: more of it is better."""
    label, p = direction(previous, current)
    return {"worse": "better", "better": "worse"}.get(label, label), p


def event_years(store: Store, code: str) -> dict[int, tuple[int, str | None]]:
    """Each of the country's events a text dates: cluster id → (the year of its `When`, its
    type). The year is the one the event's page shows: the most precise date a text states,
    the latest of equals."""
    stated: dict[int, list[tuple[str | None, str | None, str | None]]] = defaultdict(list)
    types: dict[int, str | None] = {}
    for r in store.trend_event_dates(code):
        cid = int(r["cluster_id"])
        stated[cid].append((r["date"], "text", r["stage"]))
        types[cid] = r["type"]
    out: dict[int, tuple[int, str | None]] = {}
    for cid, dates in stated.items():
        if len({d for d, _, _ in dates}) == 1:  # one date (most events): `when` keeps it
            date = dates[0][0] if PLAIN_DATE.match(dates[0][0] or "") else None
        else:
            date = when(dates, []).date
        if date and vocab.plausible_year(int(date[:4])):
            out[cid] = (int(date[:4]), types[cid])
    return out


def trends(store: Store, code: str, scope: Scope = PUBLIC) -> list[TrendRow]:
    """A country's trend rows: the row of all events per year, then each theme's, then each
    event type's; each series from the first year it has events to the last year the record
    holds anything about the country, over the years it holds something (a document or a
    dated event)."""
    cc = vocab.country_code(code)
    if cc is None:
        return []
    events = event_years(store, cc)
    documents = {int(y): n for y, n in store.trend_documents(cc).items()
                 if y.isdigit() and vocab.plausible_year(int(y))}
    years = sorted({*documents, *(y for y, _ in events.values())})
    if not years:
        return []
    kinds = polarity()
    themes = store.trend_themes(cc)
    labels = vocab.themes()

    # series key → year → (events, abuse events)
    counts: dict[tuple[str, str], dict[int, list[int]]] = {}
    theme_labels: dict[str, str] = {}
    for cid, (year, type_) in events.items():
        abuse = int(kinds.get(type_ or "") == "abuse")
        keys = [("all", "")] + [("theme", t) for t in themes.get(cid, {})]
        if type_:
            keys.append(("type", type_))
        for key in keys:
            cell = counts.setdefault(key, {}).setdefault(year, [0, 0])
            cell[0] += 1
            cell[1] += abuse
        for t, label in themes.get(cid, {}).items():
            theme_labels[t] = labels.get(t, label)

    held = set(years)
    rows: list[TrendRow] = []
    order = sorted(counts, key=lambda k: (("all", "theme", "type").index(k[0]),
                                          theme_labels.get(k[1], k[1]).lower()))
    for kind, value in order:
        series = counts[(kind, value)]
        polar = kinds.get(value, "neutral") if kind == "type" else "abuse"
        label = {"all": ALL_LABEL, "theme": theme_labels.get(value, value)}.get(
            kind, value.replace("-", " "))
        first = min(series)
        for year in (y for y in years if y >= first):
            n_events, n_abuse = series.get(year, [0, 0])
            compared = None if polar not in ("abuse", "remedy") else (
                n_events if kind == "type" else n_abuse)
            way, p = None, None
            if compared is not None and year > first and year - 1 in held:
                prev = series.get(year - 1, [0, 0])
                before = prev[0] if kind == "type" else prev[1]
                way, p = (_remedy_direction if polar == "remedy" else direction)(before, compared)
            docs = documents.get(year, 0)
            rows.append(TrendRow(
                theme=value if kind == "theme" else None, label=label,
                event_type=value if kind == "type" else None, year=year, events=n_events,
                documents=docs, rate=round(100 * n_events / docs, 2) if docs else None,
                compared=compared, direction=way,  # type: ignore[arg-type]
                p_value=round(p, 6) if p is not None else None))
    return rows
