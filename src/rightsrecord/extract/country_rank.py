"""A segment's countries, ranked by a small logistic regression over mention features.

Each candidate country of a segment (every country its text or title mentions) gets one
feature row (`FEATURES`) read from the Segment: how often and how early it is named, whether
the lead or the title names it (a title that gives an order, "Press Saudi Arabia on Rights",
apart), whether it is the place of writing (a dateline), the government addressed
("Kazakhstan should", "urged the Thai authorities"), the acting state ("Kazakh police"), a
nationality ("ethnic Uzbeks"), a city or region of it, named where events are told (a sentence
holding an events trigger word). The score is a dot product with the weights in
`data/places/country_rank.json`; `fit` learns them with a few Newton steps (numpy only), so
evaluation can refit them per fold. The model comes through `models.get("countries", load)`.

An item or summary of a page with a country keeps that country unless its own best country
is named outright (not only as a nationality, city or region) and out-scores the page's
country by the model's `margin` (fitted on folds, see evaluation/countries.py), and its title
does not name the page's country outright.
"""

from __future__ import annotations

import json
import math
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from .. import places
from ..facts import CountryMention
from . import models

NAME = "countries"
DATA = "data/places/country_rank.json"
FEATURES = ("bias", "count", "share", "top", "first", "lead", "title", "title_imperative",
            "dateline", "addressed", "state", "locative", "demonym", "place", "events")
# The dev items' titles lose their `Country:` prefix, so they never name the gold country: a
# title mention cannot be learned as evidence against a country, so its weight is kept >= 0.
NON_NEGATIVE = ("title",)
NAMED_KINDS = frozenset(("country", "alias", "contested"))
PLACE_KINDS = frozenset(("city", "region"))

# "Kazakhstan should", "Thailand's government must": the state addressed.
_ADDRESSED_AFTER = re.compile(
    r"(?:\s?[’']s)?\s+(?:\w+\s+){0,3}?(?:should|must|needs? to|ought to)\b")
# "urged Kazakhstan", "called on the Thai authorities", "pressed the government of Iran".
_ADDRESSED_BEFORE = re.compile(
    r"\b(?:urg\w*|call\w* on|call\w* upon|press\w*|ask\w*|appeal\w* to|government of)\s+"
    r"(?:the\s+)?$", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?](?=\s+[A-Z“\"‘(])|\n")
_TOKEN = re.compile(r"[a-z]+")


@cache
def _triggers() -> frozenset[str]:
    from .events_data import load as load_events

    return frozenset(load_events().trigger_words)


def _addressed(text: str, m: CountryMention) -> bool:
    return bool(_ADDRESSED_AFTER.match(text, m.end, m.end + 60)
                or _ADDRESSED_BEFORE.search(text, max(0, m.start - 40), m.start))


def _event_sentences(text: str) -> list[tuple[int, int]]:
    """Spans of the sentences that hold a trigger word of the events lexicon."""
    triggers, out, at = _triggers(), [], 0
    for end in [m.end() for m in _SENTENCE_END.finditer(text)] + [len(text)]:
        if end > at and not triggers.isdisjoint(_TOKEN.findall(text[at:end].lower())):
            out.append((at, end))
        at = end
    return out


def _within(spans: list[tuple[int, int]], starts: list[int], at: int) -> bool:
    """Whether `at` lies in one of the sorted, disjoint `spans` (a bisection)."""
    i = bisect_right(starts, at) - 1
    return i >= 0 and at < spans[i][1]


def features(text: str, title: str | None, mentions: list[CountryMention]
             ) -> dict[str, list[float]]:
    """Candidate country -> its feature row (in FEATURES order)."""
    title = title or ""
    title_mentions = places.find_countries(title) if title.strip() else []
    opener = title.split(maxsplit=1)[0].lower() if title.strip() else ""
    imperative = opener in places.imperatives()  # "Press Saudi Arabia on Rights"
    dl_start, dl_end, lead_end = places.lead_span(text)
    events = _event_sentences(text) if mentions else []
    starts = [s for s, _ in events]
    by_code: dict[str, list[CountryMention]] = {}
    for m in mentions:
        by_code.setdefault(m.code, []).append(m)
    codes = list(dict.fromkeys([m.code for m in title_mentions] + list(by_code)))
    order = {code: i for i, code in enumerate(by_code)}  # by first mention in the text
    total = max(1, len(mentions))
    most = max((len(v) for v in by_code.values()), default=0)
    in_lead = max(1, sum(dl_end <= m.start < lead_end for m in mentions))
    rows: dict[str, list[float]] = {}
    for code in codes:
        own = by_code.get(code, [])
        k = max(1, len(own))
        states = [places.acts_as_state(text, m.end) for m in own]
        in_title = max((places.WEIGHTS[m.kind] for m in title_mentions if m.code == code),
                       default=0.0)
        ev = sum(_within(events, starts, m.start) for m in own)
        row = {
            "bias": 1.0,
            "count": math.log1p(len(own)),
            "share": len(own) / total,
            "top": float(bool(own) and len(own) == most),
            "first": 1.0 / (1 + order[code]) if own else 0.0,
            "lead": sum(dl_end <= m.start < lead_end for m in own) / in_lead,
            "title": 0.0 if imperative else in_title,
            "title_imperative": in_title if imperative else 0.0,
            "dateline": float(any(dl_start <= m.start < dl_end for m in own)),
            "addressed": math.log1p(sum(_addressed(text, m) for m in own)
                                    + sum(_addressed(title, m) for m in title_mentions
                                          if m.code == code)),
            "state": sum(states) / k,
            "locative": sum(places.is_locative(text, m.start) for m in own) / k,
            # a nationality of people, not of the state acting: "Cambodian activists"
            "demonym": sum(m.kind == "demonym" and not st for m, st in zip(own, states,
                                                                        strict=True)) / k,
            "place": sum(m.kind in PLACE_KINDS for m in own) / k,
            "events": ev / k,
        }
        rows[code] = [row[f] for f in FEATURES]
    return rows


def named(mentions: list[CountryMention], code: str) -> bool:
    """Whether `code` is named outright (by a country name, alias or territory), not only by a
    nationality, a city or a region: only such a mention can move an entry off its page."""
    return any(m.code == code and m.kind in NAMED_KINDS for m in mentions)


@dataclass
class Model:
    weights: dict[str, float]
    margin: float = 2.0  # logit lead a page entry's own country needs over the page's
    note: str = ""
    _vector: list[float] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        self._vector = [self.weights.get(f, 0.0) for f in FEATURES]

    def score(self, row: list[float]) -> float:
        return sum(w * x for w, x in zip(self._vector, row, strict=True))

    def empty_score(self) -> float:
        """The score of a country the segment does not mention at all."""
        return self.weights.get("bias", 0.0)

    def rank(self, rows: dict[str, list[float]]) -> list[tuple[str, float]]:
        """(code, logit) best first; ties keep the candidates' order (title, then text)."""
        scored = [(code, self.score(row)) for code, row in rows.items()]
        return sorted(scored, key=lambda kv: -kv[1])

    def to_json(self) -> dict[str, Any]:
        return {"features": list(FEATURES), "weights": self.weights, "margin": self.margin,
                "note": self.note}


def probabilities(ranked: list[tuple[str, float]]) -> list[tuple[str, float]]:
    """Each logit as a share of the summed probabilities (what `CountryScore.score` shows)."""
    ps = [(code, 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, s))))) for code, s in ranked]
    total = sum(p for _, p in ps) or 1.0
    return [(code, p / total) for code, p in ps]


def load() -> Model:
    raw = json.loads(resources.files("rightsrecord").joinpath(DATA).read_text("utf-8"))
    return Model(dict(raw["weights"]), float(raw.get("margin", 2.0)), raw.get("note", ""))


def current() -> Model:
    return models.get(NAME, load)


def fit(rows: list[tuple[dict[str, list[float]], set[str]]], l2: float = 1.0,
        steps: int = 25) -> Model:
    """Logistic regression, one row per (segment, candidate), 1 where the candidate is gold;
    Newton steps with an L2 penalty on every weight but the bias. A NON_NEGATIVE weight that
    comes out negative is fixed at 0 and the rest refitted."""
    import numpy as np

    xs, ys = [], []
    for cands, gold in rows:
        for code, row in cands.items():
            xs.append(row)
            ys.append(1.0 if code in gold else 0.0)
    x = np.asarray(xs, dtype=np.float64).reshape(-1, len(FEATURES))
    y = np.asarray(ys, dtype=np.float64)
    free = list(range(len(FEATURES)))
    while True:
        w = np.zeros(len(FEATURES))
        w[free] = _newton(x[:, free], y, [FEATURES[i] == "bias" for i in free], l2, steps)
        negative = [i for i in free if FEATURES[i] in NON_NEGATIVE and w[i] < 0]
        if not negative:
            break
        free = [i for i in free if i not in negative]
    return Model({f: round(float(v), 5) for f, v in zip(FEATURES, w, strict=True)})


def _newton(x: Any, y: Any, unpenalised: list[bool], l2: float, steps: int) -> Any:
    import numpy as np

    w = np.zeros(x.shape[1])
    penalty = np.where(unpenalised, 1e-6, l2)
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ w, -30, 30)))
        grad = x.T @ (p - y) + penalty * w
        hess = (x * (p * (1 - p))[:, None]).T @ x + np.diag(penalty)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def keep_page(ranked: list[tuple[str, float]], page: str, mentions: list[CountryMention],
              model: Model, title: list[CountryMention] | None = None
              ) -> list[tuple[str, float]]:
    """`ranked` for an entry of a page about `page`: the page's country first unless the
    entry's own best country is named outright and leads it by the model's margin, and the
    entry's title (`title`: its mentions) does not name the page's country outright. The
    model gives a title no weight (its dev titles never name their country), so only this
    rule reads "Deported from Germany, jailed in Tajikistan" on a Tajikistan page."""
    best, best_score = ranked[0]
    if best == page:
        return ranked
    page_score = dict(ranked).get(page, model.empty_score())
    if named(mentions, best) and best_score - page_score >= model.margin and not named(
            title or [], page):
        return ranked
    return [(page, page_score), *((c, s) for c, s in ranked if c != page)]


def own_country(text: str, title: str | None, model: Model) -> str | None:
    """A text's best country on its own evidence (no page to fall back on)."""
    ranked = model.rank(features(text, title, places.find_countries(text)))
    return ranked[0][0] if ranked else None


def varied(entries: list[Any], model: Model, least: int = 3) -> bool:
    """Whether a list's entries are about varied countries: at least `least` of them have a
    country of their own, of two or more countries, and no one country covers most of them."""
    own = [c for c in (own_country(e.text, e.title, model) for e in entries) if c]
    if len(own) < least:
        return False
    top = max(own.count(c) for c in set(own))
    return len(set(own)) > 1 and top * 2 <= len(own)
