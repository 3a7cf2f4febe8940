"""Train the rights-theme classifier (UPR Info's 54 issues) and write its artefact.

    .venv/bin/python scripts/train_themes.py [--data PATH] [--out DIR] [--select] [--jobs N]

Data: UPR Info's database of UPR recommendations, sessions 1-14 (``upr_info_train.jsonl``, one
recommendation a line with ``text``, ``session`` and ``themes``). Nothing else is read: the dev
file (sessions 15-16) is for the final measurement only (``python -m
rightsrecord.evaluation.themes``).

What it does (deterministic: fixed seeds, no randomness left):

1. Featurise every recommendation with ``rightsrecord.extract.themes.hashed_features`` (the
   run-time code), keep the hashed buckets that occur in at least ``--min-df`` recommendations,
   and weight them by sublinear tf-idf (``tfidf_block``, the run-time code again).
2. With ``--select``: pick the SVM's C on a time split of the training file (fit on sessions
   1-12, score sessions 13-14), the way the dev split is later in time than train.
3. First stage, one class-balanced linear SVM per label. Its out-of-fold scores come from
   4 folds grouped by session (session mod 4).
4. Second stage, to turn scores into probabilities: either a sigmoid per label (Platt) or a
   logistic regression per label over all 54 first-stage scores and their positive parts
   (label co-occurrence), fitted on the out-of-fold scores. Their own out-of-fold probabilities
   (same folds) choose between the two, one global threshold and the floor of the
   at-least-one rule, maximising the sum of micro- and macro-F1.
5. Refit the first stage on all of train; quantise its weights to int8 (a scale per label) and
   write ``labels.json``, ``model.json`` and ``weights.npz`` (no pickle) to ``--out``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from joblib import Parallel, delayed
from sklearn.linear_model import LogisticRegression
from sklearn.svm import LinearSVC

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from rightsrecord.extract.pipeline import stage_id  # noqa: E402
from rightsrecord.extract.themes import (  # noqa: E402
    FeatureConfig,
    hashed_features,
    slugify,
    tfidf_block,
)

DEFAULT_DATA = ROOT.parent / "shared" / "eval" / "themes" / "upr_info_train.jsonl"
DEFAULT_OUT = ROOT / "src" / "rightsrecord" / "data" / "themes"
SEED = 0
N_FOLDS = 4
SELECT_GRID = (0.25, 0.5, 1.0)


# --- metrics (sklearn-style: macro over the labels present in gold or prediction) -------------
def f1_scores(gold: np.ndarray, pred: np.ndarray) -> dict[str, float]:
    gold = gold.astype(bool)
    pred = pred.astype(bool)
    tp = (gold & pred).sum(0)
    fp = (~gold & pred).sum(0)
    fn = (gold & ~pred).sum(0)
    p = tp.sum() / max(tp.sum() + fp.sum(), 1)
    r = tp.sum() / max(tp.sum() + fn.sum(), 1)
    micro = 2 * p * r / max(p + r, 1e-12)
    present = (tp + fp + fn) > 0
    per = 2 * tp / np.maximum(2 * tp + fp + fn, 1)
    macro = float(per[present].mean()) if present.any() else 0.0
    return {"micro_f1": float(micro), "macro_f1": macro, "precision": float(p), "recall": float(r)}


def decide(prob: np.ndarray, threshold: float, floor: float) -> np.ndarray:
    pred = prob >= threshold
    empty = ~pred.any(1)
    top = prob.argmax(1)
    rows = np.flatnonzero(empty & (prob[np.arange(len(prob)), top] >= floor))
    pred[rows, top[rows]] = True
    return pred


def load_training(path: Path):
    """Rows with a text, sorted label names, the label matrix, sessions and texts."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    rows = [r for r in rows if r.get("text")]
    labels = sorted({t for r in rows for t in r["themes"]})
    col = {label: j for j, label in enumerate(labels)}
    Y = np.zeros((len(rows), len(labels)), dtype=np.int8)
    for i, r in enumerate(rows):
        for t in r["themes"]:
            Y[i, col[t]] = 1
    session = np.array([int(r["session"]) for r in rows])
    return rows, labels, Y, session, [r["text"] for r in rows]


# --- features ---------------------------------------------------------------------------------
def build_matrix(texts: list[str], cfg: FeatureConfig, min_df: int, weights: tuple[float, float]):
    feats = [hashed_features(t, cfg) for t in texts]
    n = len(texts)
    buckets = []
    for b in (0, 1):
        u, c = np.unique(np.concatenate([np.unique(f[b]) for f in feats]), return_counts=True)
        buckets.append(u[c >= min_df])
    vocab = np.concatenate(buckets)  # sorted: word buckets < char buckets
    table = np.full(1 << cfg.bits, -1, dtype=np.int64)
    table[vocab] = np.arange(len(vocab))
    rows_per_doc = [[table[f[b]][table[f[b]] >= 0] for b in (0, 1)] for f in feats]
    df = np.zeros(len(vocab), dtype=np.int64)
    for rows in rows_per_doc:
        for r in rows:
            df[np.unique(r)] += 1
    idf = (np.log((1.0 + n) / (1.0 + df)) + 1.0).astype(np.float32)
    indptr, indices, data = [0], [], []
    for rows in rows_per_doc:
        for r, w in zip(rows, weights, strict=True):
            u, v = tfidf_block(r, idf, w)
            indices.append(u)
            data.append(v)
        indptr.append(indptr[-1] + sum(len(x) for x in indices[-2:]))
    X = sp.csr_matrix(
        (np.concatenate(data), np.concatenate(indices), np.array(indptr)), shape=(n, len(vocab))
    )
    X.sort_indices()
    return X, vocab, idf


# --- models -----------------------------------------------------------------------------------
def _fit_one(X, y, C):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        m = LinearSVC(C=C, class_weight="balanced", random_state=SEED, max_iter=5000).fit(X, y)
    return m.coef_.ravel().astype(np.float32), float(m.intercept_[0])


def fit_svms(X, Y, C, jobs):
    out = Parallel(n_jobs=jobs)(delayed(_fit_one)(X, Y[:, j], C) for j in range(Y.shape[1]))
    W = np.stack([w for w, _ in out], axis=1)
    b = np.array([c for _, c in out], dtype=np.float32)
    return W, b


def stack_features(S: np.ndarray) -> np.ndarray:
    return np.hstack([S, np.maximum(S, 0.0)])


def fit_stacker(S, Y, C):
    Z = stack_features(S)
    W = np.zeros((Z.shape[1], Y.shape[1]), dtype=np.float64)
    b = np.zeros(Y.shape[1])
    for j in range(Y.shape[1]):
        m = LogisticRegression(C=C, max_iter=5000).fit(Z, Y[:, j])
        W[:, j] = m.coef_.ravel()
        b[j] = m.intercept_[0]
    return W, b


def stacker_prob(S, W, b):
    return 1.0 / (1.0 + np.exp(-(stack_features(S) @ W + b)))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--C", type=float, default=0.5, help="SVM C (chosen with --select)")
    ap.add_argument("--stack-C", type=float, default=0.3)
    ap.add_argument("--min-df", type=int, default=2)
    ap.add_argument("--select", action="store_true", help="time-split search over C first")
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args(argv)
    t0 = time.time()

    rows, labels, Y, session, texts = load_training(args.data)
    ids = [slugify(label) for label in labels]
    assert len(set(ids)) == len(ids), "theme ids collide"
    print(f"{len(rows)} recommendations, {len(labels)} labels, sessions "
          f"{session.min()}-{session.max()}", flush=True)

    cfg = FeatureConfig(bits=22, char_min=3, char_max=5, word_bigrams=True)
    block_w = (1.0, 1.0)
    X, vocab, idf = build_matrix(texts, cfg, args.min_df, block_w)
    print(f"features: {X.shape[1]} ({X.nnz / X.shape[0]:.0f} per recommendation), "
          f"{time.time() - t0:.0f}s", flush=True)

    report: dict = {}
    C = args.C
    if args.select:
        fit_idx = np.flatnonzero(session <= 12)
        val_idx = np.flatnonzero(session > 12)
        grid = {}
        for c in SELECT_GRID:
            W, b = fit_svms(X[fit_idx], Y[fit_idx], c, args.jobs)
            s = f1_scores(Y[val_idx], (X[val_idx] @ W + b) > 0)
            grid[str(c)] = s
            print(f"select C={c}: {s}", flush=True)
        C = float(max(grid, key=lambda k: grid[k]["micro_f1"] + grid[k]["macro_f1"]))
        report["selection"] = {"split": "fit sessions 1-12, score 13-14", "grid": grid, "C": C}

    # out-of-fold first-stage scores, folds grouped by session
    fold = session % N_FOLDS
    oof = np.zeros(Y.shape, dtype=np.float32)
    for k in range(N_FOLDS):
        tr, te = fold != k, fold == k
        W, b = fit_svms(X[tr], Y[tr], C, args.jobs)
        oof[te] = X[te] @ W + b
        print(f"fold {k}: {time.time() - t0:.0f}s", flush=True)
    stage1_cv = f1_scores(Y, decide(oof, 0.0, -np.inf))

    # second stage, two candidates, both judged on out-of-fold data:
    # "platt": each label's own score through a sigmoid fitted on the out-of-fold scores
    #          (monotone: the same decisions as one margin threshold on the SVM scores);
    # "stacked": a logistic regression over all 54 scores (fitted and scored fold by fold).
    def platt(S, Y):
        W2 = np.zeros((2 * Y.shape[1], Y.shape[1]))
        b2 = np.zeros(Y.shape[1])
        for j in range(Y.shape[1]):
            m = LogisticRegression(C=100.0, max_iter=5000).fit(S[:, j : j + 1], Y[:, j])
            W2[j, j] = m.coef_[0, 0]
            b2[j] = m.intercept_[0]
        return W2, b2

    prob_oof = {"platt": np.zeros(Y.shape), "stacked": np.zeros(Y.shape)}
    for k in range(N_FOLDS):
        tr, te = fold != k, fold == k
        for name, fit in (("platt", platt), ("stacked", lambda S, Yk: fit_stacker(
                S, Yk, args.stack_C))):
            W2, b2 = fit(oof[tr], Y[tr])
            prob_oof[name][te] = stacker_prob(oof[te], W2, b2)
    candidates = {}
    for name, prob in prob_oof.items():
        best = None
        for thr in np.round(np.arange(0.20, 0.62, 0.02), 2):
            for floor in (0.0, 0.05, 0.1, 0.15, 0.2, 1.01):
                s = f1_scores(Y, decide(prob, thr, floor))
                key = s["micro_f1"] + s["macro_f1"]
                if best is None or key > best[0] + 1e-9:
                    best = (key, float(thr), float(floor), s)
        candidates[name] = best
        print(f"CV {name} (thr {best[1]}, floor {best[2]}): {best[3]}", flush=True)
    second = max(candidates, key=lambda k: candidates[k][0])
    _, threshold, floor, stacked_cv = candidates[second]
    print(f"CV first stage at margin 0: {stage1_cv}\nchosen: {second}", flush=True)

    # refit on all of train
    W, b = fit_svms(X, Y, C, args.jobs)
    W2, b2 = platt(oof, Y) if second == "platt" else fit_stacker(oof, Y, args.stack_C)
    scale = np.maximum(np.abs(W).max(0), 1e-12) / 127.0
    Wq = np.clip(np.rint(W / scale), -127, 127).astype(np.int8)
    train_fit = f1_scores(Y, decide(stacker_prob(X @ (Wq * scale) + b, W2, b2), threshold, floor))

    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    (out / "labels.json").write_text(
        json.dumps(
            {"taxonomy": "UPR Info database issues",
             "labels": [{"id": i, "label": lab} for i, lab in zip(ids, labels, strict=True)]},
            indent=1, ensure_ascii=False,
        ) + "\n",
        encoding="utf-8",
    )
    np.savez_compressed(
        out / "weights.npz",
        buckets=vocab.astype(np.uint32),
        idf=idf.astype(np.float32),
        w_q=Wq,
        w_scale=scale.astype(np.float32),
        b=b.astype(np.float32),
        s2_W=W2.astype(np.float32),
        s2_b=b2.astype(np.float32),
        thresholds=np.full(len(labels), threshold, dtype=np.float32),
    )
    meta = {
        "stage": stage_id("themes"),
        "trained_on": "UPR Info database of UPR recommendations, sessions 1-14 "
        "(rochelleterman/uprs), " + args.data.name,
        "n_train": len(rows),
        "features": cfg.to_json(),
        "block_weights": {"word": block_w[0], "char": block_w[1]},
        "min_df": args.min_df,
        "n_features": int(len(vocab)),
        "first_stage": {"model": "LinearSVC, class_weight=balanced, one per label", "C": C},
        "second_stage": {
            "chosen": second,
            "platt": "each label's score through a sigmoid fitted on out-of-fold scores",
            "stacked": "LogisticRegression on [s, max(s, 0)] of all 54 first-stage scores, "
            f"one per label, C={args.stack_C}",
        },
        "threshold": threshold,
        "at_least_one": floor <= 1.0,
        "at_least_one_floor": floor,
        "cv": {"folds": f"{N_FOLDS} folds grouped by session (session mod {N_FOLDS})",
               "first_stage_at_margin_0": stage1_cv,
               "candidates": {k: {"threshold": v[1], "floor": v[2], **v[3]}
                              for k, v in candidates.items()},
               "chosen": stacked_cv},
        "train_fit": train_fit,
        **report,
        "seconds": round(time.time() - t0, 1),
    }
    (out / "model.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    size = sum(p.stat().st_size for p in out.iterdir() if p.is_file())
    print(f"wrote {out} ({size / 1e6:.1f} MB) in {time.time() - t0:.0f}s", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
