"""A long run (`-m slow`): random texts from real vocabulary stay linear in every stage.

Hypothesis draws a pool of tokens (trigger words, dates, country names, names, prose words,
punctuation, "<", quotes, line breaks, runs of spaces, mojibake) and a seed; the text of size
n is drawn from that pool by the seed, so the text of size 4n begins with it. Every stage,
and the whole extract path, must take under 7 times as long on 4n as on n (CPU time, best
of 3, n doubled until the first takes 20 ms; quadratic work gives 16).

    .venv/bin/python -m pytest -m slow tests/extract/test_linear_fuzz.py
"""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from tests.extract.linear_util import (
    BOUND,
    COUNTRIES,
    DATES,
    NAMES,
    PROSE,
    TRIGGERS,
    cpu,
)
from tests.extract.test_linear import STAGES

PUNCT = [".", ",", ";", ":", "?", "!", "(", ")", "<", ">", "</p>", '"', "'", "“", "”", "’s",
         "-", "—", "\n", "\n\n", "\t", " " * 40, "...", "U.S.", "Mr.", "Dr.", "â€™", "Ã©",
         "\u00ad", "1", "12", "2024", "3/4", "10:30"]
VOCAB = sorted(set(TRIGGERS + DATES + COUNTRIES + NAMES + PUNCT
                   + [w for s in PROSE for w in s.split()]))
SEPARATORS = [" "] * 8 + ["", "\n", "  "]


def text_of(pool: list[str], seed: int, size: int) -> str:
    """Tokens drawn from pool by seed until size characters: a prefix of any longer one."""
    r = random.Random(seed)
    out: list[str] = []
    n = 0
    while n < size:
        token = r.choice(pool) + r.choice(SEPARATORS)
        out.append(token)
        n += len(token)
    return "".join(out)


def ratio(fn: Callable[[str], object], pool: list[str], seed: int, n: int,
          min_time: float = 0.02) -> tuple[float, float, float, int]:
    """(t(4n) / t(n), t(n), t(4n), n), n doubled until t(n) reaches min_time."""
    fn(text_of(pool, seed, n))
    t1 = cpu(fn, text_of(pool, seed, n))
    while t1 < min_time and n < 1 << 22:
        n *= 2
        t1 = cpu(fn, text_of(pool, seed, n))
    t4 = cpu(fn, text_of(pool, seed, 4 * n))
    return t4 / max(t1, 1e-9), t1, t4, n


@pytest.mark.slow
@settings(max_examples=25, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(pool=st.lists(st.sampled_from(VOCAB), min_size=1, max_size=30),
       seed=st.integers(0, 2**32 - 1))
def test_random_texts_stay_linear(pool: list[str], seed: int) -> None:
    for stage, (fn, n) in STAGES.items():
        for _attempt in range(2):  # a busy machine can slow one run: measure twice
            r, t1, t4, size = ratio(fn, pool, seed, n // 2)
            if r < BOUND:
                break
        note(f"{stage}: t(4n)/t(n) = {r:.1f} at n = {size} ({t1 * 1000:.1f} / {t4 * 1000:.1f} ms)")
        assert r < BOUND, f"{stage}: t(4n)/t(n) = {r:.1f} at n = {size}"
