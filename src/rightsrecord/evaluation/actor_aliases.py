"""Actor aliases: do `names` scores link name pairs that name one actor, and only those?

`data/actor_aliases.jsonl` holds hand-written name pairs (persons and organisations) with
whether they name one actor: transliteration and script variants, initials, titles,
shared surnames of different people, near-identical surnames, organisation acronyms. A pair
is predicted linked when `same_person` (or `same_organisation`) gives at least
`names.AUTO_LINK`, the score at which a store links automatically. Units are pairs; folds
are over pair ids (`folds.fold_of`). Half 2 of the set was written before the rules were
tuned and was not used to tune them: `half2_*` is the figure to trust.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from . import folds

DATA = "evaluation/data/actor_aliases.jsonl"


def load() -> list[dict[str, Any]]:
    text = resources.files("rightsrecord").joinpath(DATA).read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def score(pair: dict[str, Any]) -> float:
    from ..names import same_organisation, same_person

    fn = same_organisation if pair["type"] == "organisation" else same_person
    return fn(pair["a"], pair["b"])


def unit(pair: dict[str, Any]) -> folds.Counts:
    from ..names import AUTO_LINK

    linked, same = score(pair) >= AUTO_LINK, bool(pair["same"])
    return {"tp": float(linked and same), "fp": float(linked and not same),
            "fn": float(same and not linked), "pred": float(linked), "gold": float(same)}


def _figures(pairs: list[dict[str, Any]], key: str) -> dict[str, Any]:
    units, ids = [unit(p) for p in pairs], [p["id"] for p in pairs]
    return {f"aliases.{key}_p": folds.summary(units, ids, folds.ratio_of("tp", "pred")),
            f"aliases.{key}_r": folds.summary(units, ids, folds.ratio_of("tp", "gold")),
            f"aliases.{key}_f1": folds.summary(units, ids, folds.f1_of(""))}


def failures(half: int | None = None) -> list[tuple[str, str, str, bool, float]]:
    """(id, a, b, gold same, score) of pairs the auto-link threshold gets wrong."""
    out = []
    for p in load():
        if half is not None and p["half"] != half:
            continue
        u = unit(p)
        if u["fp"] or u["fn"]:
            out.append((p["id"], p["a"], p["b"], bool(p["same"]), score(p)))
    return out


def evaluate() -> dict[str, Any]:
    pairs = load()
    out: dict[str, Any] = {"aliases.pairs": len(pairs)}
    out.update(_figures(pairs, "link"))
    for half in (1, 2):
        out.update(_figures([p for p in pairs if p["half"] == half], f"half{half}"))
    return out
