"""A learned, calibrated classifier of event type per sentence, with the rules' hits as features.

The trigger rules (`events.find_events`) are precise where their word lists reach and blind
beyond them. This model reads every sentence of a segment as hashed word and word-pair
features plus what the rules found there (the types they matched in the sentence and in the one
before, and the trigger words), and gives each covered type a calibrated probability:

* a rule event of a covered type is kept when the model agrees (probability at or above the
  type's threshold), with that probability as its `score`, and dropped otherwise;
* a sentence the rules missed becomes an event when the model is sure enough; its trigger is
  the word that weighed most for the type.

Types the model does not cover pass through as the rules made them. Weights, thresholds and
the Platt calibration ship in `data/events/model.npz`; `fit` makes a model from labelled
sentences (see `scripts/train_events.py` and `evaluation/events.py`, which fits one per fold).
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from rightsrecord.facts import Event

from . import models

MODEL_PATH = Path(__file__).resolve().parent.parent / "data" / "events" / "model.npz"
BITS = 18
_MASK = (1 << BITS) - 1
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?|\d+", re.UNICODE)
_SUFFIXES = ("ings", "ing", "edly", "ed", "ies", "es", "s", "ly")
MAX_SENTENCE_WORDS = 120
RULE_WEIGHT = 3  # a longer run is read by its first words only


def _stem(word: str) -> str:
    w = word.lower().replace("’", "'")
    if w.isdigit():
        return "0"
    if len(w) > 4:
        for suf in _SUFFIXES:
            if w.endswith(suf) and len(w) - len(suf) >= 3:
                return w[: -len(suf)]
    return w


def _h(feature: str) -> int:
    return zlib.crc32(feature.encode("utf-8", "surrogatepass")) & _MASK


@dataclass
class SentenceRules:
    """What the rules saw in one sentence: matched types and their trigger words."""

    types: frozenset[str]
    triggers: tuple[str, ...]


def features(words: list[str], here: SentenceRules, before: SentenceRules | None
             ) -> list[int]:
    stems = [_stem(w) for w in words[:MAX_SENTENCE_WORDS]]
    out = [_h("bias")]
    out.extend(_h("w:" + s) for s in stems)
    out.extend(_h(f"b:{a}_{b}") for a, b in zip(stems, stems[1:], strict=False))
    for t in here.types:  # the rules' verdict weighs as three words
        out.extend([_h("r:" + t)] * RULE_WEIGHT)
    for t in here.triggers:
        out.append(_h("rt:" + _stem(t)))
    if before is not None:
        out.extend(_h("p:" + t) for t in before.types)
    if not here.types:
        out.append(_h("r:none"))
    out.append(_h(f"len:{min(len(stems) // 10, 6)}"))
    return out


@dataclass
class EventModel:
    types: tuple[str, ...]
    weights: np.ndarray  # (2**BITS, T) float32
    platt: np.ndarray  # (T, 2): p = sigmoid(a * margin + b)
    thresholds: np.ndarray  # (T, 2): keep a rule's event at >= [0]; add a missed one at >= [1]

    def probabilities(self, rows: Sequence[list[int]]) -> np.ndarray:
        if not rows:
            return np.zeros((0, len(self.types)), dtype=np.float64)
        margins = np.stack([self.weights[r].sum(axis=0) for r in rows]).astype(np.float64)
        z = margins * self.platt[:, 0] + self.platt[:, 1]
        return 1.0 / (1.0 + np.exp(-z))

    def save(self, path: Path) -> None:
        nz = np.flatnonzero(np.any(self.weights != 0, axis=1))
        np.savez_compressed(path, types=np.array(self.types), idx=nz.astype(np.int32),
                            w=self.weights[nz].astype(np.float16), platt=self.platt,
                            thresholds=self.thresholds)

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> EventModel:
        with np.load(path) as z:
            types = tuple(str(t) for t in z["types"])
            weights = np.zeros((1 << BITS, len(types)), dtype=np.float32)
            weights[z["idx"]] = z["w"].astype(np.float32)
            return cls(types, weights, z["platt"].astype(np.float64),
                       z["thresholds"].astype(np.float64))


def _load() -> EventModel | None:
    return EventModel.load() if MODEL_PATH.exists() else None


def model() -> EventModel | None:
    """The events model in use: a fold's model during evaluation, else the shipped one."""
    return models.get("events", _load)


def sentence_rules(text: str, sentences: Sequence[tuple[int, int]], found: Sequence[Event]
                   ) -> list[SentenceRules]:
    """Per sentence, the rule events whose trigger lies in it."""
    from bisect import bisect_right

    starts = [s for s, _ in sentences]
    types: list[set[str]] = [set() for _ in sentences]
    trig: list[list[str]] = [[] for _ in sentences]
    for ev in found:
        anchor = ev.trigger[0] if ev.trigger else ev.start
        i = bisect_right(starts, anchor) - 1
        if 0 <= i < len(sentences) and anchor < sentences[i][1]:
            types[i].add(ev.type)
            if ev.trigger:
                trig[i].append(text[ev.trigger[0]:ev.trigger[1]])
    return [SentenceRules(frozenset(t), tuple(w)) for t, w in zip(types, trig, strict=True)]


def sentence_rows(text: str, sentences: Sequence[tuple[int, int]], found: Sequence[Event]
                  ) -> tuple[list[list[int]], list[list[tuple[int, int, str]]]]:
    """The feature rows of every sentence, and each sentence's words with their spans."""
    rules = sentence_rules(text, sentences, found)
    rows, spans = [], []
    for i, (s, e) in enumerate(sentences):
        ws = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text, s, e)]
        spans.append(ws)
        rows.append(features([w for _, _, w in ws], rules[i], rules[i - 1] if i else None))
    return rows, spans


def _trigger_word(m: EventModel, j: int, words: list[tuple[int, int, str]]
                  ) -> tuple[int, int] | None:
    best, where = 0.0, None
    for s, e, w in words[:MAX_SENTENCE_WORDS]:
        weight = float(m.weights[_h("w:" + _stem(w)), j])
        if weight > best:
            best, where = weight, (s, e)
    return where


def classify(text: str, sentences: Sequence[tuple[int, int]], found: list[Event]
             ) -> list[Event]:
    """The rule events re-scored, filtered and completed by the model (see module doc)."""
    m = model()
    if m is None or not sentences:
        return found
    covered = set(m.types)
    rows, words = sentence_rows(text, sentences, found)
    probs = m.probabilities(rows)
    starts = [s for s, _ in sentences]
    from bisect import bisect_right

    out: list[Event] = []
    seen: set[tuple[int, str]] = set()
    # Where the rules combined a protest with what happened at it, they have read the scene
    # whole: their events there stand as they are, and the model adds nothing.
    combined = _combined_types()
    ruled_scene: set[int] = set()
    for ev in found:
        if ev.type in combined:
            lo = bisect_right(starts, ev.start) - 1
            for i in range(max(lo, 0), len(sentences)):
                if sentences[i][0] >= ev.end:
                    break
                ruled_scene.add(i)
    for ev in found:
        if ev.type not in covered:
            out.append(ev)
            continue
        anchor = ev.trigger[0] if ev.trigger else ev.start
        i = bisect_right(starts, anchor) - 1
        if i < 0 or anchor >= sentences[i][1] or i in ruled_scene:
            out.append(ev)
            if i >= 0:
                seen.add((i, ev.type))
            continue
        j = m.types.index(ev.type)
        p = float(probs[i, j])
        if p >= m.thresholds[j, 0] and (i, ev.type) not in seen:
            seen.add((i, ev.type))
            ev.score = round(p, 4)
            out.append(ev)
    seen.update((i, t) for i in ruled_scene for t in m.types)
    for i, (s, e) in enumerate(sentences):
        for j, t in enumerate(m.types):
            p = float(probs[i, j])
            if p >= m.thresholds[j, 1] and (i, t) not in seen:
                seen.add((i, t))
                out.append(Event(type=t, start=s, end=e, score=round(p, 4),
                                 trigger=_trigger_word(m, j, words[i])))
    out.sort(key=lambda ev: (ev.start, -ev.score, ev.type))
    return out


def _combined_types() -> frozenset[str]:
    """The types the rules make by combining a protest with what happened at it."""
    from .events_data import load

    return frozenset(result for _base, _cue, result, _priority in load().composites)


def fit(rows: Sequence[list[int]], labels: Sequence[set[str]], types: Sequence[str],
        known: Sequence[frozenset[str]] | None = None, c: float = 0.5, seed: int = 0,
        groups: Sequence[str] | None = None) -> EventModel:
    """One logistic regression per type over the hashed rows (a row counts for a type only
    when `known` says its labels speak for it); Platt scaling and the F1-best thresholds come
    from 3-fold predictions within the rows given, folded by `groups` (the rows' documents,
    so sentences of one document never sit on both sides), never from other data."""
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedGroupKFold

    indptr = np.cumsum([0] + [len(r) for r in rows])
    indices = np.concatenate([np.asarray(r, dtype=np.int64) for r in rows]) if rows else \
        np.zeros(0, dtype=np.int64)
    x = csr_matrix((np.ones(len(indices)), indices, indptr), shape=(len(rows), 1 << BITS))
    x.sum_duplicates()
    x.data = np.minimum(x.data, 3.0)
    weights = np.zeros((1 << BITS, len(types)), dtype=np.float32)
    platt = np.zeros((len(types), 2))
    thresholds = np.ones((len(types), 2))
    for j, t in enumerate(types):
        use = np.array([known is None or t in known[i] for i in range(len(rows))])
        xt = x[use]
        y = np.array([t in lab for lab, u in zip(labels, use, strict=True) if u],
                     dtype=np.int64)
        g = np.array([groups[i] if groups is not None else str(i)
                      for i in range(len(rows)) if use[i]])
        if y.sum() < 3:
            platt[j] = (1.0, -10.0)
            thresholds[j] = (0.0, 1.0)  # too few examples: the rules alone decide
            continue
        margins = np.zeros(len(y))
        splits = StratifiedGroupKFold(3, shuffle=True, random_state=seed).split(xt, y, g)
        for tr, te in splits:
            inner = LogisticRegression(C=c, solver="liblinear", class_weight="balanced",
                                       random_state=seed)
            inner.fit(xt[tr], y[tr])
            margins[te] = inner.decision_function(xt[te])
        platt[j] = _platt(margins, y)
        probs = 1.0 / (1.0 + np.exp(-(margins * platt[j, 0] + platt[j, 1])))
        ruled = np.array([_h("r:" + t) in r for r, u in zip(rows, use, strict=True) if u])
        thresholds[j] = _best_thresholds(probs, y, ruled)
        clf = LogisticRegression(C=c, solver="liblinear", class_weight="balanced",
                                       random_state=seed)
        clf.fit(xt, y)
        w = clf.coef_[0].astype(np.float32)
        w[_h("bias")] += float(clf.intercept_[0])
        weights[:, j] = w
    return EventModel(tuple(types), weights, platt, thresholds)


def _platt(margins: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    from sklearn.linear_model import LogisticRegression

    lr = LogisticRegression(C=1e6)
    lr.fit(margins.reshape(-1, 1), y)
    return float(lr.coef_[0, 0]), float(lr.intercept_[0])


def _best_thresholds(probs: np.ndarray, y: np.ndarray, ruled: np.ndarray
                     ) -> tuple[float, float]:
    """The (keep, add) pair with the best F1: a sentence the rules hit is positive at
    probability >= keep, one they missed at >= add."""
    grid = np.linspace(0.0, 0.95, 20)
    add_grid = np.append(np.linspace(0.3, 0.95, 14), 1.01)
    best, at = -1.0, (0.0, 1.01)
    pos = y == 1
    for keep in grid:
        kept = ruled & (probs >= keep)
        for add in add_grid:
            pred = kept | (~ruled & (probs >= add))
            tp = float(np.sum(pred & pos))
            f = 2 * tp / (tp + float(pred.sum()) + float(pos.sum())) if tp else 0.0
            if f > best + 1e-9:
                best, at = f, (float(keep), float(add))
    return at
