"""The near-miss linking set is well formed, and its scorer counts pairs within groups."""

from __future__ import annotations

from collections import Counter

from rightsrecord.evaluation import nearmiss


def test_set_is_well_formed():
    docs = nearmiss.load()
    groups = Counter(d["group"] for d in docs)
    assert len(groups) >= 34
    assert {d["half"] for d in docs} == {1, 2}
    assert len({d["group"] for d in nearmiss.load(1)}) >= 15
    assert len({d["group"] for d in nearmiss.load(2)}) >= 15
    assert min(groups.values()) >= 2
    assert len({d["id"] for d in docs}) == len(docs)
    for d in docs:
        assert d["event"].startswith(d["group"] + "-E"), d["id"]
        assert 60 <= len(d["text"].split()) <= 200, d["id"]
        assert d["title"] and d["published"][:2] == "20"
    for g in groups:  # a group lies in one half
        assert len({d["half"] for d in docs if d["group"] == g}) == 1, g


def test_perfect_prediction_scores_one():
    docs = nearmiss.load()
    got = nearmiss.score(docs, {d["id"]: d["event"] for d in docs})
    assert got["nearmiss.link_p"]["value"] == 1.0
    assert got["nearmiss.link_r"]["value"] == 1.0
    assert got["nearmiss.link_f1"]["value"] == 1.0
    assert got["nearmiss.cross_group_links"] == 0
    assert got["nearmiss.groups"] == len({d["group"] for d in docs})


def test_one_cluster_per_group_loses_precision():
    docs = nearmiss.load()
    got = nearmiss.score(docs, {d["id"]: d["group"] for d in docs})
    assert got["nearmiss.link_p"]["value"] < 1.0
    assert got["nearmiss.link_r"]["value"] == 1.0
    assert got["nearmiss.cross_group_links"] == 0


def test_counts_of_a_mixed_group_and_a_cross_group_link():
    docs = [{"id": "a", "group": "g1", "event": "g1-E1"},
            {"id": "b", "group": "g1", "event": "g1-E1"},
            {"id": "c", "group": "g1", "event": "g1-E2"},
            {"id": "d", "group": "g2", "event": "g2-E1"},
            {"id": "e", "group": "g2", "event": "g2-E2"}]
    pred = {"a": "x", "b": "y", "c": "x", "d": "x", "e": "z"}
    g1, g2 = nearmiss.units(docs, pred)
    assert (g1["tp"], g1["fp"], g1["fn"]) == (0, 1, 1)
    assert (g2["tp"], g2["fp"], g2["fn"]) == (0, 0, 0)
    # d is linked to a and to c: two cross-group pairs, half of each counted on either side
    assert g1["xfp"] + g2["xfp"] == 2
    assert nearmiss.score(docs, pred)["nearmiss.cross_group_links"] == 2
