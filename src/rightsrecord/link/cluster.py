"""Group extraction records that report the same real-world event.

Every pair of documents gets a few signals (text similarity, shared names and actors, main
event type, dates, countries); a logistic combination of them, fitted on annotated document
clusters (`fit`), gives the pair's probability of one event. Average-linkage agglomerative
clustering over 1 - probability, cut at a fitted distance, groups the documents without being
told how many events there are. One rule is not fitted: two documents whose main events the
texts date to days over a day apart never share a group (merging distinct events is the worse
error).
The shipped weights and cut are in data/link/cluster.json; evaluation swaps in fold-fitted
ones with `models.override(MODEL, ...)`.
"""

from __future__ import annotations

import contextlib
import functools
import json
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ..extract import models
from ..store.sql import plausible_date

MODEL = "link.cluster"
WEIGHTS = Path(__file__).resolve().parent.parent / "data" / "link" / "cluster.json"
SIGNALS = ("text", "names", "actors", "other_people", "same_type", "other_type", "same_day",
           "day_conflict", "year_conflict", "same_country", "other_country")
# A pair with this signal is never linked (two reports of one event do not give it days
# apart); it is a rule, not fitted: the annotated set has too few resolved days to learn it.
VETO = SIGNALS.index("day_conflict")
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][\w'-]+", re.M)
_YEAR = re.compile(r"^(\d{4})")
_FULL = re.compile(r"^\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Linker:
    """The fitted combination: one weight per signal, a bias, and the distance cut."""

    weights: tuple[float, ...]
    bias: float
    threshold: float

    def score(self, x: np.ndarray) -> np.ndarray:
        """P(same event) for signal rows `x` (..., len(SIGNALS))."""
        p = 1.0 / (1.0 + np.exp(-(x @ np.asarray(self.weights) + self.bias)))
        return p * (1.0 - x[..., VETO])

    def to_json(self) -> dict[str, Any]:
        return {"signals": list(SIGNALS), "weights": [round(w, 4) for w in self.weights],
                "bias": round(self.bias, 4), "threshold": round(self.threshold, 4)}


def _load() -> Linker:
    raw = json.loads(WEIGHTS.read_text(encoding="utf-8"))
    if raw["signals"] != list(SIGNALS):
        raise ValueError("data/link/cluster.json was fitted on other signals")
    return Linker(tuple(raw["weights"]), raw["bias"], raw["threshold"])


def linker() -> Linker:
    return models.get(MODEL, _load)


def _text(rec: dict[str, Any]) -> str:
    return " ".join(filter(None, [rec.get("title") or "", rec.get("text") or ""]))


def _names(rec: dict[str, Any]) -> str:
    """Capitalised words not opening a sentence, plus actor keys and place names."""
    words = _NAME.findall(_text(rec))
    words += [a["key"].replace(" ", "_") for a in rec.get("actors") or []]
    words += [p["text"] for p in rec.get("places") or []]
    return " ".join(w.lower() for w in words)


def _main_type(rec: dict[str, Any]) -> str | None:
    events = rec.get("events") or []
    return max(events, key=lambda e: e.get("score") or 0.0)["type"] if events else None


def _values(rec: dict[str, Any]) -> list[str]:
    """The plausible dates of a record (others are kept as text, and never link)."""
    out = [e["date"] for e in rec.get("events") or [] if plausible_date(e.get("date"))]
    out += [d["value"] for d in rec.get("dates") or [] if plausible_date(d.get("value"))]
    return out


def _stated_days(rec: dict[str, Any]) -> set[date]:
    """The full dates the text states (not an event's date taken from publication)."""
    out = set()
    for d in rec.get("dates") or []:
        m = _FULL.match(d.get("value") or "")
        if m and plausible_date(m.group(0)):
            with contextlib.suppress(ValueError):
                out.add(date.fromisoformat(m.group(0)))
    return out


def _main_days(rec: dict[str, Any]) -> set[date]:
    """The day the text gives the record's main event (its best-scored event dated from the
    text to the day), else nothing: background dates do not keep two reports apart."""
    for e in sorted(rec.get("events") or [], key=lambda e: -e.get("score", 0.0)):
        m = _FULL.match(e.get("date") or "")
        if e.get("date_source") == "text" and m and plausible_date(m.group(0)):
            with contextlib.suppress(ValueError):
                return {date.fromisoformat(m.group(0))}
    return set()


def _countries(rec: dict[str, Any]) -> set[str]:
    if rec.get("country"):
        return {rec["country"]}
    return {c["code"] for c in rec.get("countries") or [] if c.get("primary")}


@functools.cache
def analyzer() -> Callable[[str], list[str]]:
    """The words TF-IDF counts: lower-case, two letters or more, English stop words out."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(stop_words="english").build_analyzer()


def terms(rec: dict[str, Any]) -> set[str]:
    """The distinct words of a record's text and (prefixed `n:`) of its names: what a store
    counts document frequencies of."""
    words = analyzer()
    return set(words(_text(rec))) | {"n:" + w for w in words(_names(rec))}


def _first_cosine(docs: list[str], idf: Callable[[str], float]) -> np.ndarray:
    """Cosine of the first document with each other one, with given IDF weights and
    TfidfVectorizer's sublinear weighting (the other pairs are left at 0)."""
    words = analyzer()
    vecs = []
    for d in docs:
        counts: dict[str, int] = {}
        for w in words(d):
            counts[w] = counts.get(w, 0) + 1
        v = {w: (1.0 + math.log(c)) * idf(w) for w, c in counts.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        vecs.append({w: x / norm for w, x in v.items()})
    out = np.zeros((len(docs), len(docs)))
    for j in range(1, len(docs)):
        a, b = (vecs[0], vecs[j]) if len(vecs[0]) <= len(vecs[j]) else (vecs[j], vecs[0])
        out[0, j] = out[j, 0] = sum(x * b.get(w, 0.0) for w, x in a.items())
    return out


def _cosine(docs: list[str], idf: Callable[[str], float] | None = None) -> np.ndarray:
    from sklearn.feature_extraction.text import TfidfVectorizer

    if idf is not None:
        return _first_cosine(docs, idf)
    if not any(d.strip() for d in docs):
        return np.zeros((len(docs), len(docs)))
    try:
        m = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(docs)
    except ValueError:  # nothing but stop words
        return np.zeros((len(docs), len(docs)))
    return np.asarray((m @ m.T).todense())


def _overlap(sets: list[set[Any]]) -> np.ndarray:
    """Jaccard of each pair of sets; 0 where either is empty."""
    n = len(sets)
    out = np.zeros((n, n))
    for i in range(n):
        for j in range(i + 1, n):
            if sets[i] and sets[j]:
                out[i, j] = out[j, i] = len(sets[i] & sets[j]) / len(sets[i] | sets[j])
    return out


def _apart(days: list[set[date]]) -> np.ndarray:
    """1 where both state full dates and none of one is within a day of one of the other."""
    n = len(days)
    out = np.zeros((n, n))
    for i in range(n):
        for j in range(i + 1, n):
            if days[i] and days[j] and all(abs((a - b).days) > 1
                                           for a in days[i] for b in days[j]):
                out[i, j] = out[j, i] = 1.0
    return out


def _both(flags: list[Any]) -> np.ndarray:
    has = np.array([bool(f) for f in flags], dtype=float)
    return np.outer(has, has)


def signals(records: Sequence[dict[str, Any]],
            idf: Callable[[str], float] | None = None) -> np.ndarray:
    """The (n, n, len(SIGNALS)) pair signals of `records`. IDF is taken over `records`, or
    given by `idf` (of a word, and of a name as `n:` + word); with `idf` the text signals
    are computed for the first record's pairs only, which is what incremental linking
    compares."""
    n = len(records)
    types = [_main_type(r) for r in records]
    values = [_values(r) for r in records]
    years = [{m.group(1) for v in vs if (m := _YEAR.match(v))} for vs in values]
    days = [_stated_days(r) for r in records]
    countries = [_countries(r) for r in records]
    people = [{a["key"] for a in r.get("actors") or [] if a.get("type") == "person"}
              for r in records]
    same_type = np.array([[float(a is not None and a == b) for b in types] for a in types])
    same_day = (_overlap(days) > 0).astype(float)
    same_country = (_overlap(countries) > 0).astype(float)
    year_conflict = _both(years) * (_overlap(years) == 0)
    out = np.stack([
        _cosine([_text(r) for r in records], idf),
        _cosine([_names(r) for r in records], idf and (lambda w: idf("n:" + w))),
        _overlap([{a["key"] for a in r.get("actors") or []
                   if a.get("type") in ("person", "organisation")} for r in records]),
        _both(people) * (_overlap(people) == 0),
        same_type,
        _both(types) - same_type,
        same_day,
        _apart([_main_days(r) for r in records]),
        year_conflict,
        same_country,
        _both(countries) - same_country,
    ], axis=-1)
    out[np.arange(n), np.arange(n)] = 0.0
    return out


def _groups(prob: np.ndarray, threshold: float, veto: np.ndarray | None = None) -> np.ndarray:
    """Average-linkage groups under the cut; no group holds a vetoed pair."""
    n = len(prob)
    if n < 2:
        return np.zeros(n, dtype=int)
    from sklearn.cluster import AgglomerativeClustering

    dist = 1.0 - prob
    if veto is not None:
        dist = dist + n * veto  # any average over such a pair stays above every cut
    np.fill_diagonal(dist, 0.0)
    return AgglomerativeClustering(n_clusters=None, distance_threshold=threshold,
                                   linkage="average", metric="precomputed").fit_predict(dist)


def cluster(records: Sequence[dict[str, Any]], model: Linker | None = None) -> list[str]:
    """A cluster id per record, in order: `c` + the id of the cluster's first record."""
    if not records:
        return []
    model = model or linker()
    x = signals(records)
    labels = _groups(model.score(x), model.threshold, x[..., VETO])
    first: dict[int, str] = {}
    for rec, label in zip(records, labels, strict=True):
        first.setdefault(int(label), str(rec.get("id")))
    return [f"c{first[int(label)]}" for label in labels]


def explain(records: Sequence[dict[str, Any]], i: int, j: int,
            model: Linker | None = None) -> dict[str, Any]:
    """Why records i and j are (not) linked: each signal, the score and the cut."""
    model = model or linker()
    x = signals(records)[i, j]
    return {"a": records[i].get("id"), "b": records[j].get("id"),
            "signals": {k: round(float(v), 4) for k, v in zip(SIGNALS, x, strict=True)},
            "score": round(float(model.score(x)), 4),
            "linkable": bool(1.0 - model.score(x) <= model.threshold)}


# --- fitting ---------------------------------------------------------------------------

CUTS = tuple(np.round(np.arange(0.30, 0.96, 0.05), 2))


def bcubed(pred: ArrayLike, gold: ArrayLike) -> list[tuple[float, float]]:
    """Each document's B-cubed (precision, recall)."""
    pred_a, gold_a = np.asarray(pred, dtype=object), np.asarray(gold, dtype=object)
    out = []
    for p, g in zip(pred_a, gold_a, strict=True):
        same_p, same_g = pred_a == p, gold_a == g
        both = float((same_p & same_g).sum())
        out.append((both / same_p.sum(), both / same_g.sum()))
    return out


def _f1(pr: list[tuple[float, float]]) -> float:
    p = float(np.mean([a for a, _ in pr]))
    r = float(np.mean([b for _, b in pr]))
    return 2 * p * r / (p + r) if p + r else 0.0


def fit(records: Sequence[dict[str, Any]], gold: Sequence[Any],
        groups: Sequence[Sequence[int]] = ()) -> Linker:
    """Weights from the pairs of `records` (label: same `gold` event), then the cut with the
    best B-cubed F1. With `groups` (index lists, e.g. topics) the signals are also taken
    within each group, as a small batch gives them, and the cut is the one best on average
    over clustering everything at once and clustering each group alone."""
    from sklearn.linear_model import LogisticRegression

    g = np.asarray(gold, dtype=object)
    settings = [[list(range(len(records)))]] + ([[list(p) for p in groups]] if groups else [])
    batches = []  # (setting, indices, pair signals over those records alone)
    for k, parts in enumerate(settings):
        batches += [(k, idx, signals([records[i] for i in idx])) for idx in parts]
    xs, ys = [], []
    for _, idx, x in batches:
        iu = np.triu_indices(len(idx), 1)
        xs.append(x[iu])
        ys.append((g[idx][:, None] == g[idx][None, :])[iu])
    x_all, y_all = np.concatenate(xs), np.concatenate(ys)
    keep = x_all[:, VETO] == 0  # vetoed pairs are never linked: fit on the rest
    x_fit = np.delete(x_all[keep], VETO, axis=1)
    lr = LogisticRegression(C=1.0, max_iter=1000).fit(x_fit, y_all[keep])
    weights = tuple(float(w) for w in np.insert(lr.coef_[0], VETO, 0.0))
    bias = float(lr.intercept_[0])
    probs = [(k, idx, Linker(weights, bias, 0.5).score(x), x[..., VETO])
             for k, idx, x in batches]

    def mean_f1(cut: float) -> float:
        pr: list[list[tuple[float, float]]] = [[] for _ in settings]
        for k, idx, prob, veto in probs:
            pr[k] += bcubed(_groups(prob, cut, veto), g[idx])
        return float(np.mean([_f1(p) for p in pr]))

    return Linker(weights, bias, max((float(c) for c in CUTS), key=mean_f1))
