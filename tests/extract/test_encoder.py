"""The numpy text encoder behind the themes stage, and how the stage blends it in."""

from __future__ import annotations

import numpy as np
import pytest

from rightsrecord.extract import themes as T
from rightsrecord.extract.encoder import TextEncoder, quantise_rows
from rightsrecord.extract.themes import ThemeModel


@pytest.fixture(scope="module")
def enc() -> TextEncoder:
    return TextEncoder.load()


def test_artefact_is_numpy_only_and_matches_its_config(enc):
    with np.load(T.DATA_DIR / "encoder.npz", allow_pickle=False) as z:
        assert all(z[k].dtype != object for k in z.files)
        assert z["word.q"].dtype == np.int8 and z["word.q"].shape == (30522, 384)
    assert enc.config["layers"] == 6 and enc.heads == 12 and enc.max_tokens == 128
    assert len(enc.members) == enc.config["members"] >= 1
    for layers, head_w, head_b in enc.members:
        assert len(layers) == 6 - enc.config["shared_layers"]
        assert head_w.shape == (54, 384) and head_b.shape == (54,)


def test_logits_are_the_members_mean(enc):
    ids = enc.token_ids(["Abolish the death penalty.", "Protect the rights of migrants."])
    each = [enc.embed_ids(ids, member=k) @ w.T + b for k, (_, w, b) in enumerate(enc.members)]
    assert np.allclose(enc.logits_ids(ids), np.mean(each, axis=0), atol=1e-4)


def test_tokens_are_wordpieces_with_cls_and_sep(enc):
    ids = enc.token_ids(["Ratify the Convention against Torture.", "", "\ud800 lone"])
    assert ids[0][0] == 101 and ids[0][-1] == 102 and len(ids[0]) > 5
    assert ids[1] == [101, 102]
    assert ids[2][0] == 101 and len(ids[2]) >= 4  # the surrogate became "?"
    assert enc.token_ids(["TORTURE"]) == enc.token_ids(["torture"])  # uncased


def test_padding_does_not_change_a_vector(enc):
    short = "Abolish the death penalty."
    long = "Guarantee the independence of the judiciary and fair trials for all " * 3
    ids = enc.token_ids([short, long])
    alone = enc.embed_ids(ids[:1])[0]
    batched = enc.embed_ids(ids)[0]  # padded to the longer text
    assert np.allclose(alone, batched, atol=1e-4)
    assert not np.allclose(batched, enc.embed_ids(ids[1:])[0], atol=1e-2)


def test_similar_texts_are_closer_than_unrelated_ones(enc):
    a, b, c = enc.embed_ids(enc.token_ids([
        "Abolish the death penalty.",
        "Put an end to capital punishment and executions.",
        "Improve access to clean water in rural schools.",
    ]))

    def cos(x, y):
        return float(x @ y / np.linalg.norm(x) / np.linalg.norm(y))

    assert cos(a, b) > cos(a, c) + 0.1


def test_over_long_input_is_refused_not_truncated(enc):
    ids = enc.token_ids(["word " * 300])
    with pytest.raises(ValueError, match="tokens"):
        enc.embed_ids(ids)


def test_quantised_rows_round_trip_within_half_a_step():
    rng = np.random.default_rng(0)
    w = rng.normal(size=(20, 50)).astype(np.float32)
    w[3] = 0.0
    q, s = quantise_rows(w)
    assert q.dtype == np.int8 and s.shape == (20,)
    assert np.all(np.abs(q.astype(np.float32) * s[:, None] - w) <= s[:, None] / 2 + 1e-7)


def test_short_texts_are_blended_and_long_ones_are_not():
    model = ThemeModel.load()
    cfg = model.meta["encoder"]
    short = "Combat trafficking in women and children and protect the victims."
    linear = model._stage2(model.decision(short)[None, :])[0]
    blended = model.probabilities(short)
    assert not np.allclose(linear, blended)
    assert {t.id for t in model.predict(short)} == {
        model.ids[j] for j in np.flatnonzero(blended >= cfg["threshold"])
    }
    long = (short + " ") * (cfg["max_chars"] // len(short) + 1)
    assert len(long) > cfg["max_chars"]
    assert np.allclose(model.probabilities(long), model._stage2(model.decision(long)[None, :])[0])
