"""Near-duplicate documents: reposts and lightly edited copies, by MinHash LSH (datasketch).

A body's shingles are its word 4-grams after folding case and punctuation; 64 permutations
are cut into 16 bands of 4 rows, so two bodies whose shingles overlap by half are likely to
share a band. A candidate sharing a band is a copy when the signatures estimate a Jaccard
similarity of at least `COPY_AT`. Bands and signatures are kept in the store, so a new
document is compared with the earlier ones it shares a band with, not with all of them.
"""

from __future__ import annotations

import hashlib
import re

import numpy as np
from datasketch import MinHash

PERMUTATIONS = 64
BANDS, ROWS = 16, 4
SHINGLE = 4
COPY_AT = 0.8  # estimated Jaccard of word 4-grams at and above which a body is a copy
MIN_WORDS = 40  # shorter bodies (teasers, headlines) are not compared
_WORD = re.compile(r"\w+", re.UNICODE)
_SEED = 1


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def signature(text: str) -> np.ndarray | None:
    """The body's MinHash, or None for a text too short to compare."""
    words = _words(text)
    if len(words) < MIN_WORDS:
        return None
    m = MinHash(num_perm=PERMUTATIONS, seed=_SEED)
    m.update_batch([" ".join(words[i:i + SHINGLE]).encode("utf-8")
                    for i in range(len(words) - SHINGLE + 1)])
    return m.hashvalues.astype(np.uint64)


def bands(sig: np.ndarray) -> list[str]:
    """One key per band: the band's number and a short hash of its rows."""
    out = []
    for b in range(BANDS):
        rows = sig[b * ROWS:(b + 1) * ROWS].tobytes()
        out.append(f"{b}:{hashlib.blake2b(rows, digest_size=8).hexdigest()}")
    return out


def encode(sig: np.ndarray) -> str:
    return sig.astype("<u8").tobytes().hex()


def decode(raw: str) -> np.ndarray:
    return np.frombuffer(bytes.fromhex(raw), dtype="<u8").astype(np.uint64)


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """The estimated Jaccard similarity of two signatures' shingle sets."""
    return float(np.mean(a == b))
