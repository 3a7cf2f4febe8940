"""Document-level k-fold figures with bootstrap 95% intervals.

Every part of `rightsrecord eval` scores documents one by one into additive counts (a unit);
a figure is a function of the summed counts. `fold_of` puts a document in one of K folds by a
hash of its id, so the folds are the same in every run and on every machine. `summary` gives
the figure over all documents, its value on each fold, and a percentile bootstrap interval
that resamples documents (not sentences), since sentences of one document are not
independent. Learned parts fit on K-1 folds and predict the held-out one (`cross_fit`), so no
document is scored by a model that saw it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from typing import Any

K = 5
RESAMPLES = 1000

Counts = dict[str, float]


def fold_of(doc_id: object, k: int = K) -> int:
    digest = hashlib.sha1(str(doc_id).encode("utf-8", "surrogatepass")).digest()
    return int.from_bytes(digest[:4], "big") % k


def add(total: Counts, unit: Counts) -> Counts:
    for key, value in unit.items():
        total[key] = total.get(key, 0.0) + value
    return total


def _sum(units: Sequence[Counts]) -> Counts:
    total: Counts = {}
    for u in units:
        add(total, u)
    return total


def bootstrap(units: Sequence[Counts], stat: Callable[[Counts], float],
              resamples: int = RESAMPLES, seed: int = 0) -> tuple[float, float]:
    """The 2.5th and 97.5th percentiles of `stat` over documents drawn with replacement."""
    if not units:
        return (0.0, 0.0)
    import numpy as np

    keys = sorted({k for u in units for k in u})
    rows = np.array([[u.get(k, 0.0) for k in keys] for u in units], dtype=np.float64)
    n = len(units)
    rng = np.random.default_rng(seed)
    values = []
    for _ in range(resamples):
        weights = np.bincount(rng.integers(0, n, n), minlength=n)
        sums = weights @ rows
        values.append(stat(dict(zip(keys, sums.tolist(), strict=True))))
    values.sort()
    return (values[int(0.025 * (resamples - 1))], values[int(0.975 * (resamples - 1))])


def summary(units: Sequence[Counts], ids: Sequence[object],
            stat: Callable[[Counts], float], k: int = K) -> dict[str, Any]:
    """{"value", "ci95": [lo, hi], "folds": [value on fold 0..k-1]} of `stat`."""
    by_fold: list[list[Counts]] = [[] for _ in range(k)]
    for u, i in zip(units, ids, strict=True):
        by_fold[fold_of(i, k)].append(u)
    lo, hi = bootstrap(units, stat)
    return {
        "value": round(stat(_sum(units)), 4),
        "ci95": [round(lo, 4), round(hi, 4)],
        "folds": [round(stat(_sum(f)), 4) if f else None for f in by_fold],
    }


def prf(tp: float, fp: float, fn: float) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def f1_of(prefix: str) -> Callable[[Counts], float]:
    """F1 from the counts `{prefix}tp`, `{prefix}fp`, `{prefix}fn`."""
    def stat(c: Counts) -> float:
        return prf(c.get(prefix + "tp", 0.0), c.get(prefix + "fp", 0.0),
                   c.get(prefix + "fn", 0.0))[2]
    return stat


def ratio_of(num: str, den: str) -> Callable[[Counts], float]:
    def stat(c: Counts) -> float:
        d = c.get(den, 0.0)
        return c.get(num, 0.0) / d if d else 0.0
    return stat


def mean_of(stats: Sequence[Callable[[Counts], float]]) -> Callable[[Counts], float]:
    def stat(c: Counts) -> float:
        return sum(s(c) for s in stats) / len(stats) if stats else 0.0
    return stat


def cross_fit(ids: Sequence[object], fit: Callable[[list[int]], Any],
              k: int = K) -> list[tuple[Any, list[int]]]:
    """For each fold, (the model fitted on the other folds' indices, the fold's indices)."""
    folds = [fold_of(i, k) for i in ids]
    out = []
    for f in range(k):
        held = [j for j, g in enumerate(folds) if g == f]
        if held:
            out.append((fit([j for j, g in enumerate(folds) if g != f]), held))
    return out
