"""A small BERT-style text encoder run with numpy alone (no torch at run time).

It runs the themes stage's fine-tuned MiniLM (6 layers, 384 wide, 12 heads, mean pooling)
from ``rightsrecord/data/themes/encoder.npz``: every matrix stored as int8 with one scale per
output row, everything else float32; loaded with ``allow_pickle=False``. WordPiece tokenising
is done by the ``tokenizers`` library from the shipped ``tokenizer.json``.

The artefact is an ensemble that shares its lower part: the embeddings and the lower
``shared_layers`` layers (``layer{i}``, left as pre-trained) run once per text, then each
member's own fine-tuned upper layers and head (``m{k}.layer{i}``, ``m{k}.head``) run on that
output, and the members' logits are averaged.

Inference is batched: texts are sorted by length and padded per batch, so a batch costs what its
longest text costs. Cost grows with the square of the length in attention, which is why callers
cap the length (``max_tokens``) rather than truncate silently.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

from .shared import SharedInstance


def one_blas_thread() -> threadpool_limits:
    """BLAS on one thread while the encoder runs: its matrices are small, and on a busy
    machine extra BLAS threads spin and cost several times the work they share."""
    return threadpool_limits(limits=1, user_api="blas")

DATA_DIR = Path(__file__).resolve().parents[1] / "data" / "themes"
_SQRT_2_OVER_PI = np.float32(np.sqrt(2.0 / np.pi))

__all__ = ["TextEncoder", "quantise_rows"]


def quantise_rows(w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """int8 rows and one float32 scale per row (symmetric, round to nearest)."""
    w = np.asarray(w, dtype=np.float32)
    scale = np.maximum(np.abs(w).max(axis=1), 1e-12) / 127.0
    q = np.clip(np.rint(w / scale[:, None]), -127, 127).astype(np.int8)
    return q, scale.astype(np.float32)


def _dequant(arrays: dict[str, np.ndarray], name: str) -> np.ndarray:
    return arrays[name + ".q"].astype(np.float32) * arrays[name + ".s"][:, None]


def _layer_norm(x: np.ndarray, w: np.ndarray, b: np.ndarray, eps: float) -> np.ndarray:
    mu = x.mean(-1, keepdims=True)
    xc = x - mu
    var = (xc * xc).mean(-1, keepdims=True)
    return xc / np.sqrt(var + eps) * w + b


def _gelu(x: np.ndarray) -> np.ndarray:
    # the tanh form; within 1e-3 of the erf form the model was trained with
    return 0.5 * x * (1.0 + np.tanh(_SQRT_2_OVER_PI * (x + 0.044715 * x * x * x)))


class _Layer:
    def __init__(self, arrays: dict[str, np.ndarray], p: str) -> None:
        # query, key and value in one matrix (input 384 -> 3 x 384), stored transposed for x @ W
        self.qkv = np.concatenate([_dequant(arrays, p + n) for n in ("q", "k", "v")]).T.copy()
        self.qkv_b = np.concatenate([arrays[p + n + ".b"] for n in ("q", "k", "v")])
        self.o = _dequant(arrays, p + "o").T.copy()
        self.o_b = arrays[p + "o.b"]
        self.ln1 = (arrays[p + "ln1.w"], arrays[p + "ln1.b"])
        self.up = _dequant(arrays, p + "up").T.copy()
        self.up_b = arrays[p + "up.b"]
        self.down = _dequant(arrays, p + "down").T.copy()
        self.down_b = arrays[p + "down.b"]
        self.ln2 = (arrays[p + "ln2.w"], arrays[p + "ln2.b"])


class TextEncoder(SharedInstance):
    """Mean-pooled sentence vectors, and the classifier head's logits over them."""

    def __init__(self, directory: Path = DATA_DIR) -> None:
        from tokenizers import Tokenizer

        with np.load(directory / "encoder.npz", allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files}
        cfg = json.loads(str(arrays["config"]))
        self.config = cfg
        self.heads = int(cfg["heads"])
        self.eps = float(cfg["layer_norm_eps"])
        self.max_tokens = int(cfg["max_tokens"])
        self._word_q = arrays["word.q"]  # int8 rows, dequantised on lookup
        self._word_s = arrays["word.s"]
        self._pos = arrays["pos"]
        self._type0 = arrays["type0"]
        self._ln = (arrays["ln.w"], arrays["ln.b"])
        shared = int(cfg["shared_layers"])
        self._shared = [_Layer(arrays, f"layer{i}.") for i in range(shared)]
        # each member: its upper layers, and its head's weights (labels, hidden) and biases
        self.members = [
            (
                [_Layer(arrays, f"m{k}.layer{i}.") for i in range(shared, int(cfg["layers"]))],
                arrays[f"m{k}.head.w"],
                arrays[f"m{k}.head.b"],
            )
            for k in range(int(cfg["members"]))
        ]
        self._tok = Tokenizer.from_file(str(directory / "tokenizer.json"))
        self._tok.no_padding()
        self._tok.no_truncation()

    def token_ids(self, texts: Sequence[str]) -> list[list[int]]:
        """WordPiece ids of each text, with [CLS] and [SEP], not truncated. Lone surrogates,
        which no UTF-8 string can hold, become ``?``."""
        clean = [t.encode("utf-8", "replace").decode("utf-8") for t in texts]
        return [e.ids for e in self._tok.encode_batch(clean)]

    def _layer(self, layer: _Layer, x: np.ndarray, bias: np.ndarray) -> np.ndarray:
        n, t, width = x.shape
        h = self.heads
        d = width // h
        qkv = (x @ layer.qkv + layer.qkv_b).reshape(n, t, 3, h, d).transpose(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
        s = q @ k.transpose(0, 1, 3, 2) * np.float32(d**-0.5) + bias
        s -= s.max(-1, keepdims=True)
        np.exp(s, out=s)
        s /= s.sum(-1, keepdims=True)
        a = (s @ v).transpose(0, 2, 1, 3).reshape(n, t, width)
        x = _layer_norm(x + a @ layer.o + layer.o_b, *layer.ln1, self.eps)
        f = _gelu(x @ layer.up + layer.up_b) @ layer.down + layer.down_b
        return _layer_norm(x + f, *layer.ln2, self.eps)

    def _forward(
        self, ids: np.ndarray, mask: np.ndarray, members: Sequence[int] | None = None
    ) -> list[np.ndarray]:
        """The mean-pooled vectors (n, hidden) of one padded batch by each member named (by
        default all of them)."""
        t = ids.shape[1]
        x = self._word_q[ids].astype(np.float32) * self._word_s[ids][..., None]
        x += self._pos[:t][None] + self._type0
        x = _layer_norm(x, *self._ln, self.eps)
        bias = np.where(mask, 0.0, -1e4).astype(np.float32)[:, None, None, :]
        for layer in self._shared:
            x = self._layer(layer, x, bias)
        m = mask[..., None].astype(np.float32)
        pooled = []
        for k in range(len(self.members)) if members is None else members:
            y = x
            for layer in self.members[k][0]:
                y = self._layer(layer, y, bias)
            pooled.append((y * m).sum(1) / np.maximum(m.sum(1), 1.0))
        return pooled

    def _batches(self, ids: Sequence[Sequence[int]], batch_size: int):
        """(positions, padded ids, mask) per batch of similar lengths."""
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        for start in range(0, len(order), batch_size):
            batch = order[start : start + batch_size]
            width = max(len(ids[i]) for i in batch)
            if width > self.max_tokens:
                raise ValueError(f"a text has {width} tokens; the encoder takes {self.max_tokens}")
            arr = np.zeros((len(batch), width), dtype=np.int64)
            mask = np.zeros((len(batch), width), dtype=bool)
            for r, i in enumerate(batch):
                arr[r, : len(ids[i])] = ids[i]
                mask[r, : len(ids[i])] = True
            yield batch, arr, mask

    def embed_ids(
        self, ids: Sequence[Sequence[int]], member: int = 0, batch_size: int = 64
    ) -> np.ndarray:
        """One member's mean-pooled vectors (n, hidden) of token-id sequences (each at most
        ``max_tokens``)."""
        out = np.zeros((len(ids), self._pos.shape[1]), dtype=np.float32)
        with one_blas_thread():
            for batch, arr, mask in self._batches(ids, batch_size):
                out[batch] = self._forward(arr, mask, [member])[0]
        return out

    def logits_ids(self, ids: Sequence[Sequence[int]], batch_size: int = 64) -> np.ndarray:
        """The members' mean classifier logits (n, labels) for token-id sequences."""
        labels = self.members[0][1].shape[0]
        out = np.zeros((len(ids), labels), dtype=np.float32)
        with one_blas_thread():
            for batch, arr, mask in self._batches(ids, batch_size):
                vecs = self._forward(arr, mask)
                out[batch] = np.mean(
                    [v @ w.T + b for v, (_, w, b) in zip(vecs, self.members, strict=True)],
                    axis=0,
                )
        return out
