"""Rights themes of a text in UPR Info's 54-issue taxonomy (multi-label).

A linear model over hashed TF-IDF features (word 1-2 grams and character n-grams) with a
sigmoid per label. For a short text (at most ``encoder.max_chars`` characters and 128
WordPiece tokens: a recommendation, a title, a listing item) its scores are blended with the
logits of a fine-tuned MiniLM encoder (:mod:`rightsrecord.extract.encoder`, numpy; the mean
logits when the artefact holds several fine-tuned members), and one sigmoid, threshold and
at-least-one floor chosen on a time split of the training data turn the blend into
probabilities. Longer texts keep the linear model alone: the encoder's cost grows
with length, and the linear model reads the whole text.

Everything the model needs ships in ``rightsrecord/data/themes/`` as JSON, ``tokenizer.json``
and ``.npz`` (loaded with ``allow_pickle=False``); inference needs numpy and ``tokenizers``.
``scripts/train_themes.py`` and ``scripts/train_theme_encoder.py`` build the artefact and import
the featurisation from this module, so training and run time share one implementation.

Featurisation, in order:

1. Control characters become spaces; known acronyms of human-rights instruments and bodies
   (``CPED``, ``OP-CAT``, ``CEDAW``, ``ICC`` ...) are followed by their spelled-out names, so a
   spelling seen in training carries over to the other (:func:`expand_acronyms`).
2. Lower case; every run of characters that are not letters or digits becomes one space.
3. Word unigrams and bigrams, and character n-grams of that string (with a space at each end),
   hashed with a 64-bit polynomial hash (numpy, vectorised: linear time in the text length) into
   ``2**(bits-1)`` buckets per block (words in the lower half of ``2**bits``, characters in the
   upper half); each feature kind has its own salt.
4. Per block (words, characters): sublinear tf (``1 + log count``) times idf, L2-normalised,
   times the block's weight.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from rightsrecord.extract.types import Theme

from .shared import SharedInstance

DATA_DIR = Path(__file__).resolve().parents[1] / "data" / "themes"

__all__ = [
    "predict",
    "predict_many",
    "tfidf_block",
    "codepoints",
    "Theme",
    "ThemeModel",
    "FeatureConfig",
    "expand_acronyms",
    "normalise",
    "hashed_features",
    "slugify",
    "load_labels",
]


def slugify(label: str) -> str:
    """Theme id of a label: lower case, ``&`` -> ``and``, non-alphanumeric runs -> ``-``."""
    s = label.lower().replace("&", " and ")
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-")


# --- acronyms ---------------------------------------------------------------------------------
# Keys are the acronym upper-cased with hyphens, slashes and dots removed (a plural s dropped).
_CRC = "convention on the rights of the child"
_OP = "optional protocol to the "
_ED = "international convention for the protection of all persons from enforced disappearance"
_MW = (
    "international convention on the protection of the rights of all migrant workers and "
    "members of their families"
)
_OPSC = _OP + _CRC + " on the sale of children child prostitution and child pornography"
_OPAC = _OP + _CRC + " on the involvement of children in armed conflict"
_OPIC = _OP + _CRC + " on a communications procedure"
_OP2 = (
    "second optional protocol to the international covenant on civil and political rights "
    "aiming at the abolition of the death penalty"
)
_ACRONYMS: dict[str, str] = {
    "CAT": "convention against torture",
    "OPCAT": _OP + "convention against torture national preventive mechanism detention",
    "CATOP": _OP + "convention against torture national preventive mechanism detention",
    "NPM": "national preventive mechanism against torture",
    "CPED": _ED,
    "CED": _ED,
    "ICPPED": _ED,
    "ICPED": _ED,
    "ICED": _ED,
    "WGEID": "working group on enforced or involuntary disappearances",
    "WGED": "working group on enforced or involuntary disappearances",
    "WGAD": "working group on arbitrary detention",
    "CRC": _CRC,
    "OPCRC": _OP + _CRC,
    "CRCOP": _OP + _CRC,
    "OPCRCSC": _OPSC,
    "CRCOPSC": _OPSC,
    "OPSC": _OPSC,
    "CRCSC": _OPSC,
    "OPSCR": _OPSC,
    "OPCRCAC": _OPAC,
    "CRCOPAC": _OPAC,
    "OPAC": _OPAC,
    "CRCAC": _OPAC,
    "OPCRCIC": _OPIC,
    "OP3CRC": _OPIC,
    "OPIC": _OPIC,
    "CEDAW": "convention on the elimination of all forms of discrimination against women",
    "OPCEDAW": _OP + "convention on the elimination of all forms of discrimination against women",
    "CRPD": "convention on the rights of persons with disabilities",
    "CPRD": "convention on the rights of persons with disabilities",
    "ICRPD": "convention on the rights of persons with disabilities",
    "OPCRPD": _OP + "convention on the rights of persons with disabilities",
    "CRPDOP": _OP + "convention on the rights of persons with disabilities",
    "ICERD": "international convention on the elimination of all forms of racial discrimination",
    "CERD": "committee on the elimination of racial discrimination",
    "ICCPR": "international covenant on civil and political rights",
    "CCPR": "international covenant on civil and political rights",
    "ICCPROP": _OP + "international covenant on civil and political rights",
    "OPICCPR": _OP + "international covenant on civil and political rights",
    "ICCPROP1": "first " + _OP + "international covenant on civil and political rights",
    "ICCPROP2": _OP2,
    "OP2ICCPR": _OP2,
    "OP2": _OP2,
    "ICESCR": "international covenant on economic social and cultural rights",
    "ICESR": "international covenant on economic social and cultural rights",
    "CESCR": "committee on economic social and cultural rights",
    "OPICESCR": _OP + "international covenant on economic social and cultural rights",
    "OPCESCR": _OP + "international covenant on economic social and cultural rights",
    "ESC": "economic social and cultural",
    "ESCR": "economic social and cultural rights",
    "ICRMW": _MW,
    "ICMW": _MW,
    "CMW": _MW,
    "ICPRMW": _MW,
    "MWC": _MW,
    "ICC": "international criminal court rome statute",
    "ILO": "international labour organization",
    "OHCHR": "office of the high commissioner for human rights",
    "UNHCR": "united nations high commissioner for refugees",
    "UNICEF": "united nations children fund",
    "UNESCO": "united nations educational scientific and cultural organization",
    "UPR": "universal periodic review",
    "HRC": "human rights council",
    "UDHR": "universal declaration of human rights",
    "UNDRIP": "united nations declaration on the rights of indigenous peoples",
    "NHRI": "national human rights institution",
    "NHRC": "national human rights commission",
    "NHRAP": "national human rights action plan",
    "NAP": "national action plan",
    "NPA": "national plan of action",
    "NGO": "non governmental organization",
    "CSO": "civil society organization",
    "HRD": "human rights defender",
    "IDP": "internally displaced persons",
    "IHL": "international humanitarian law",
    "ICRC": "international committee of the red cross",
    "MDG": "millennium development goals",
    "SDG": "sustainable development goals",
    "ODA": "official development assistance",
    "FGM": "female genital mutilation",
    "FGMC": "female genital mutilation cutting",
    "GBV": "gender based violence",
    "SGBV": "sexual and gender based violence",
    "LGBT": "lesbian gay bisexual and transgender persons",
    "LGBTI": "lesbian gay bisexual transgender and intersex persons",
    "LGBTIQ": "lesbian gay bisexual transgender intersex and queer persons",
    "LGBTQ": "lesbian gay bisexual transgender and queer persons",
    "LGBTQI": "lesbian gay bisexual transgender queer and intersex persons",
    "SOGI": "sexual orientation and gender identity",
    "HIV": "hiv aids",
    "AIDS": "hiv aids",
    "HIVAIDS": "hiv aids",
    "TIP": "trafficking in persons",
    "SR": "special rapporteur",
}
# A candidate: a token that starts with a capital and has another capital or a digit, with
# optional -/. joined parts and a plural s. The lookbehind comes after the first character so
# that the scan skips everything that is not a capital letter cheaply.
_ACRO_RE = re.compile(
    r"[A-Z](?<![\w-][A-Z])[A-Za-z0-9]*[A-Z0-9]s?(?:[-/.][A-Za-z0-9]+)*(?![\w-])"
)


def _acro_key(token: str) -> str:
    key = re.sub(r"[-/.]", "", token).upper()
    if key not in _ACRONYMS and len(key) > 2 and token.endswith("s"):
        key = key[:-1]
    return key


def _expand(m: re.Match[str]) -> str:
    tok = m.group(0)
    exp = _ACRONYMS.get(_acro_key(tok))
    if exp is None:
        # a joined list such as HIV/AIDS or CAT/OP-CAT that is not itself a key: its parts
        parts = [_ACRONYMS.get(_acro_key(p)) for p in tok.split("/")] if "/" in tok else []
        parts = [p for p in parts if p]
        return f"{tok} ({' '.join(parts)})" if parts else tok
    return f"{tok} ({exp})"


def expand_acronyms(text: str) -> str:
    """Follow each known acronym by its spelled-out name (in brackets)."""
    return _ACRO_RE.sub(_expand, text)


# Which code points are word characters. ASCII: letters and digits. Beyond ASCII: everything
# but the Latin-1 controls and symbols, general punctuation, arrows/maths/technical symbols,
# CJK punctuation, fullwidth ASCII punctuation, surrogates, specials and pictographs. (NFKC
# has already folded compatibility forms.) An approximation of str.isalnum() that runs in numpy.
_ASCII_WORD = np.zeros(128, dtype=bool)
for _ch in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789":
    _ASCII_WORD[ord(_ch)] = True
_NONWORD_RANGES = np.array(
    [
        (0x80, 0xBF), (0xD7, 0xD7), (0xF7, 0xF7), (0x2000, 0x206F), (0x20A0, 0x20CF),
        (0x2100, 0x214F), (0x2190, 0x2BFF), (0x2E00, 0x2E7F), (0x3000, 0x3003),
        (0x3008, 0x3020), (0x3030, 0x3030), (0xD800, 0xDFFF), (0xFE10, 0xFE1F),
        (0xFE30, 0xFE4F), (0xFE50, 0xFE6F), (0xFEFF, 0xFEFF), (0xFF00, 0xFF0F),
        (0xFF1A, 0xFF20), (0xFF3B, 0xFF40), (0xFF5B, 0xFF65), (0xFFF0, 0xFFFF),
        (0x1F000, 0x1FAFF),
    ],
    dtype=np.uint32,
)
_RANGE_BOUNDS = _NONWORD_RANGES.ravel().copy()
_RANGE_BOUNDS[1::2] += 1  # half-open: [lo, hi + 1)


def _is_word(c: np.ndarray) -> np.ndarray:
    word = np.zeros(len(c), dtype=bool)
    ascii_ = c < 128
    word[ascii_] = _ASCII_WORD[c[ascii_]]
    hi = ~ascii_
    if hi.any():
        # inside a non-word range when the insertion point is odd
        pos = np.searchsorted(_RANGE_BOUNDS, c[hi], side="right")
        word[hi] = (pos & 1) == 0
    return word


def codepoints(text: str) -> np.ndarray:
    """Code points of the normalised text: acronyms expanded, NFKC, lower case, every run of
    non-word characters one space, a space at each end (uint64)."""
    text = unicodedata.normalize("NFKC", expand_acronyms(text)).lower()
    c = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    word = _is_word(c)
    # keep word characters, and the first non-word character after a word (as a space)
    keep = word.copy()
    keep[1:] |= word[:-1]
    out = np.full(int(keep.sum()) + 2, 32, dtype=np.uint64)
    out[1 : len(out) - 1] = np.where(word[keep], c[keep], 32)
    if out[-2] == 32:  # the text ended in a gap (or had no word character at all)
        out = out[:-1]
    return out


def normalise(text: str) -> str:
    """The normalised text features are read from (see :func:`codepoints`)."""
    c = codepoints(text).astype(np.uint32)
    return c.tobytes().decode("utf-32-le", "surrogatepass")


# --- hashing ----------------------------------------------------------------------------------
_P = 0x100000001B3  # odd: invertible modulo 2**64
_P_INV = pow(_P, -1, 1 << 64)
_Q = 0x9E3779B97F4A7C15
_SALT_UNI = 0x243F6A8885A308D3
_SALT_BI = 0x13198A2E03707344
_SALT_CHAR = 0xA4093822299F31D0
_U64 = np.uint64
_POW_CACHE: dict[bool, np.ndarray] = {}


def _powers(n: int, inverse: bool) -> np.ndarray:
    """P**i (or P**-i) modulo 2**64 for i < n."""
    arr = _POW_CACHE.get(inverse)
    if arr is None or len(arr) < n:
        size = max(n, 4096, 2 * (0 if arr is None else len(arr)))
        base = np.full(size, _P_INV if inverse else _P, dtype=np.uint64)
        base[0] = 1
        with np.errstate(over="ignore"):
            arr = np.cumprod(base, dtype=np.uint64)
        _POW_CACHE[inverse] = arr
    return arr[:n]


@dataclass(frozen=True)
class FeatureConfig:
    bits: int = 22
    char_min: int = 2
    char_max: int = 5
    word_bigrams: bool = True

    def to_json(self) -> dict:
        return {
            "bits": self.bits,
            "char_min": self.char_min,
            "char_max": self.char_max,
            "word_bigrams": self.word_bigrams,
        }


def hashed_features(text: str, cfg: FeatureConfig) -> tuple[np.ndarray, np.ndarray]:
    """Bucket ids (int64, with repeats) of the word features and of the character features."""
    c = codepoints(text)
    n = len(c)
    shift = _U64(64 - cfg.bits + 1)
    q = _U64(_Q)
    with np.errstate(over="ignore"):
        # words: the spans between spaces, a polynomial hash from prefix sums
        sp = np.flatnonzero(c == 32)
        starts = sp[:-1] + 1
        ends = sp[1:]
        nonempty = ends > starts
        starts, ends = starts[nonempty], ends[nonempty]
        if len(starts):
            pref = np.zeros(n + 1, dtype=np.uint64)
            np.cumsum(c * _powers(n, False), out=pref[1:])
            wh = (pref[ends] - pref[starts]) * _powers(n, True)[starts]
            wh += (ends - starts).astype(np.uint64) * q
            parts = [((wh ^ _U64(_SALT_UNI)) * q) >> shift]
            if cfg.word_bigrams and len(wh) > 1:
                bi = (wh[:-1] * _U64(_P)) ^ wh[1:] ^ _U64(_SALT_BI)
                parts.append((bi * q) >> shift)
            wb = np.concatenate(parts)
        else:
            wb = np.zeros(0, dtype=np.uint64)
        # characters: n-grams of the whole normalised string
        chars = []
        h = np.zeros(n, dtype=np.uint64)
        for k in range(cfg.char_max):
            m = n - k
            if m <= 0:
                break
            h = h[:m] * _U64(_P) + c[k:]
            if k + 1 >= cfg.char_min:
                chars.append(((h ^ _U64(_SALT_CHAR + k)) * q) >> shift)
        cb = np.concatenate(chars) if chars else np.zeros(0, dtype=np.uint64)
    return wb.astype(np.int64), cb.astype(np.int64) + (1 << (cfg.bits - 1))


def tfidf_block(rows: np.ndarray, idf: np.ndarray, weight: float) -> tuple[np.ndarray, np.ndarray]:
    """Feature rows (with repeats, all known) -> unique rows and their values: sublinear tf
    times idf, L2-normalised, times the block weight. Linear time in ``len(rows)``."""
    if not len(rows):
        return rows.astype(np.int64), np.zeros(0, dtype=np.float32)
    if len(rows) > len(idf) // 8:
        counts = np.bincount(rows, minlength=len(idf))
        uniq = np.flatnonzero(counts)
        counts = counts[uniq]
    else:
        uniq, counts = np.unique(rows, return_counts=True)
    v = (1.0 + np.log(counts.astype(np.float32))) * idf[uniq]
    v *= np.float32(weight / max(float(np.sqrt(np.dot(v, v))), 1e-12))
    return uniq.astype(np.int64), v.astype(np.float32)


# --- model ------------------------------------------------------------------------------------


def load_labels(path: Path | None = None) -> list[dict]:
    """The 54 labels as ``[{"id": ..., "label": ...}, ...]`` in model column order."""
    path = path or DATA_DIR / "labels.json"
    return json.loads(path.read_text(encoding="utf-8"))["labels"]


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * z))


class ThemeModel(SharedInstance):
    """The shipped theme classifier. ``ThemeModel.load()`` returns one shared instance."""

    def __init__(self, directory: Path = DATA_DIR, use_encoder: bool = True) -> None:
        meta = json.loads((directory / "model.json").read_text(encoding="utf-8"))
        labels = load_labels(directory / "labels.json")
        self.meta = meta
        self.ids = [lab["id"] for lab in labels]
        self.labels = [lab["label"] for lab in labels]
        self.cfg = FeatureConfig(**meta["features"])
        with np.load(directory / "weights.npz", allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files}
        self._block_w = (float(meta["block_weights"]["word"]), float(meta["block_weights"]["char"]))
        buckets = arrays["buckets"].astype(np.int64)
        self.n_features = len(buckets)
        # bucket -> row (or -1), a dense table of 2**bits int32
        table = np.full(1 << self.cfg.bits, -1, dtype=np.int32)
        table[buckets] = np.arange(len(buckets), dtype=np.int32)
        self._table = table
        self._idf = arrays["idf"].astype(np.float32)
        scale = arrays["w_scale"].astype(np.float32)
        self._W = arrays["w_q"].astype(np.float32) * scale[None, :]
        self._b = arrays["b"].astype(np.float32)
        self._s2_W = arrays["s2_W"].astype(np.float32)
        self._s2_b = arrays["s2_b"].astype(np.float32)
        self._thr = arrays["thresholds"].astype(np.float32)
        self._min_one = bool(meta.get("at_least_one", True))
        self._min_one_floor = float(meta.get("at_least_one_floor", 0.0))
        # the fine-tuned encoder, blended in for short texts (see module docstring)
        enc = meta.get("encoder")
        self._enc = enc if use_encoder and enc and (directory / "encoder.npz").is_file() else None
        self._enc_dir = directory

    # features -> first-stage scores
    def _vector(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Sparse TF-IDF vector of ``text``: (rows, values)."""
        rows_parts, vals_parts = [], []
        for buckets, weight in zip(hashed_features(text, self.cfg), self._block_w, strict=True):
            rows = self._table[buckets]
            rows = rows[rows >= 0]
            uniq, vals = tfidf_block(rows, self._idf, weight)
            rows_parts.append(uniq)
            vals_parts.append(vals)
        return np.concatenate(rows_parts), np.concatenate(vals_parts)

    def decision(self, text: str) -> np.ndarray:
        """First-stage linear scores, one per label (the biases alone when no feature is known)."""
        rows, vals = self._vector(text)
        return vals @ self._W[rows] + self._b if len(rows) else self._b.copy()

    def _stage2(self, s1: np.ndarray) -> np.ndarray:
        z = np.concatenate([s1, np.maximum(s1, 0.0)], axis=1)
        return _sigmoid(z @ self._s2_W + self._s2_b)

    def probabilities(self, text: str) -> np.ndarray:
        """Probability of every label, in [0, 1], in ``self.ids`` order (blended with the
        encoder's when the text is short enough for it)."""
        s1 = self.decision(text)[None, :]
        if self._enc is not None and len(text) <= self._enc["max_chars"] and text.strip():
            keep, p = self._blend(s1, [text])
            if len(keep):
                return p[0]
        return self._stage2(s1)[0]

    def _decide(self, p: np.ndarray, blended: bool = False) -> list[Theme]:
        if blended:
            assert self._enc is not None
            chosen = np.flatnonzero(p >= self._enc["threshold"])
            floor = float(self._enc["floor"])
        else:
            chosen = np.flatnonzero(p >= self._thr)
            floor = self._min_one_floor
        if not len(chosen) and self._min_one:
            j = int(np.argmax(p))
            if p[j] >= floor:
                chosen = np.array([j])
        order = chosen[np.argsort(-p[chosen], kind="stable")]
        return [Theme(self.ids[j], self.labels[j], float(min(1.0, max(0.0, p[j])))) for j in order]

    def predict(self, text: str) -> list[Theme]:
        """The themes the model asserts for ``text``, highest score first ([] for a text with no
        feature the model knows, such as an empty one)."""
        return self.predict_many([text])[0]

    def predict_many(self, texts: Iterable[str]) -> list[list[Theme]]:
        """:meth:`predict` for many texts (the second stage and the encoder run batched)."""
        texts = list(texts)
        vecs = []
        for text in texts:
            if not isinstance(text, str):
                raise TypeError(f"text must be str, not {type(text).__name__}")
            vecs.append(self._vector(text))
        if not vecs:
            return []
        s1 = np.vstack(
            [vals @ self._W[rows] + self._b if len(rows) else self._b for rows, vals in vecs]
        )
        probs = self._stage2(s1)
        blended = np.zeros(len(vecs), dtype=bool)
        if self._enc is not None:
            short = [i for i, (rows, _) in enumerate(vecs)
                     if len(rows) and len(texts[i]) <= self._enc["max_chars"]]
            if short:
                rows_, p_ = self._blend(s1[short], [texts[i] for i in short])
                idx = np.array(short)[rows_]
                probs[idx] = p_
                blended[idx] = True
        return [
            self._decide(p, bool(b)) if len(rows) else []
            for p, b, (rows, _) in zip(probs, blended, vecs, strict=True)
        ]

    def _blend(self, s1: np.ndarray, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Blended probabilities of the texts short enough for the encoder: (their positions in
        ``texts``, probabilities)."""
        from .encoder import TextEncoder

        assert self._enc is not None
        enc = TextEncoder.load() if self._enc_dir == DATA_DIR else TextEncoder(self._enc_dir)
        ids = enc.token_ids(texts)
        keep = np.array([i for i, x in enumerate(ids) if len(x) <= enc.max_tokens], dtype=int)
        if not len(keep):
            return keep, np.zeros((0, s1.shape[1]), dtype=np.float32)
        z = enc.logits_ids([ids[i] for i in keep])
        a, c = self._enc["platt"]
        m = s1[keep] + float(self._enc["blend"]) * z
        return keep, _sigmoid(float(a) * m + float(c)).astype(np.float32)

    def scores(self, text: str) -> dict[str, float]:
        """Probability of every theme id, asserted or not."""
        return dict(zip(self.ids, map(float, self.probabilities(text)), strict=True))


def predict(text: str) -> list[Theme]:
    """Themes of ``text`` by the shipped model (see :meth:`ThemeModel.predict`)."""
    return ThemeModel.load().predict(text)


def predict_many(texts: Sequence[str]) -> list[list[Theme]]:
    """Themes of each text by the shipped model (see :meth:`ThemeModel.predict_many`)."""
    return ThemeModel.load().predict_many(texts)
