"""Who did what to whom, when and where: events on Human Rights Watch 2024 news items.

The gold set (`data/hrw_events.jsonl`, see `data/README.md`) annotates every event told in a
scope (a character range) of 25 dev items, by offsets into each item's text. Each item runs
through the shipped extract path with its publication date from the URL; predicted events
whose evidence overlaps the scope are matched one to one with gold events of the same type
whose evidence (or a retelling in `also`) overlaps theirs, greedily by overlap. Over matched
events the date, the agent, the target and the country are scored. Items are the units:
figures are k-fold over items with a bootstrap 95% interval (`folds.summary`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from . import folds
from .common import extract, read_jsonl, shared_path

Span = tuple[int, int]
Counts = dict[str, float]

DATA = "evaluation/data/hrw_events.jsonl"
NEWS = "eval/news/hrw_2024_dev.jsonl"
_PUBLISHED = re.compile(r"/news/(\d{4})/(\d{2})/(\d{2})/")


def load_gold() -> list[dict[str, Any]]:
    text = resources.files("rightsrecord").joinpath(DATA).read_text("utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def published(url: str) -> str | None:
    """The YYYY-MM-DD of a /news/YYYY/MM/DD/ URL (what a page's metadata gives)."""
    m = _PUBLISHED.search(url)
    return "-".join(m.groups()) if m else None


def overlap(a: Sequence[int], b: Sequence[int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _evidence(pred: dict[str, Any]) -> Span:
    ev = pred["evidence"]
    return (ev["start"], ev["end"])


def _gold_overlap(gold: dict[str, Any], span: Span) -> int:
    return max(overlap(s, span) for s in [gold["evidence"], *gold.get("also", [])])


def in_scope(preds: list[dict[str, Any]], scope: Sequence[int]) -> list[dict[str, Any]]:
    return [p for p in preds if overlap(_evidence(p), scope) > 0]


def _roles_right(gold: dict[str, Any], pred: dict[str, Any]) -> int:
    roles = pred.get("roles") or {}
    return sum(role_right(gold[r], roles.get(r)) for r in ("agent", "target"))


def match(gold: list[dict[str, Any]], preds: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """One-to-one (gold index, prediction index) pairs: same type and overlapping evidence,
    the largest overlaps first (on a tie, the pair whose roles agree more)."""
    pairs = sorted(((_gold_overlap(g, _evidence(p)), _roles_right(g, p), gi, pi)
                    for gi, g in enumerate(gold) for pi, p in enumerate(preds)
                    if g["type"] == p["type"] and _gold_overlap(g, _evidence(p)) > 0),
                   key=lambda t: (-t[0], -t[1], t[2], t[3]))
    used_g: set[int] = set()
    used_p: set[int] = set()
    out = []
    for _, _, gi, pi in pairs:
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            out.append((gi, pi))
    return sorted(out)


def date_right(gold: dict[str, Any], pred: dict[str, Any]) -> bool:
    """The predicted date agrees with gold at gold's precision; a gold null is right when the
    prediction fell back to the publication date or gave none."""
    want = gold.get("date")
    if want is None:
        return pred.get("date_source") == "published" or pred.get("date") is None
    got = pred.get("date") or ""
    return got[:len(want)] == want


def role_right(gold: dict[str, Any] | None, pred: dict[str, Any] | None) -> bool:
    if gold is None or pred is None:
        return gold is None and pred is None
    return overlap((gold["start"], gold["end"]), (pred["start"], pred["end"])) > 0


def score_item(gold: list[dict[str, Any]], preds: list[dict[str, Any]]) -> Counts:
    """Additive counts for one item: tp/fp/fn and the right counts over matched events.
    `preds` are the item's predicted events already limited to its scope."""
    pairs = match(gold, preds)
    c: Counts = {"tp": len(pairs), "fp": len(preds) - len(pairs), "fn": len(gold) - len(pairs),
                 "matched": len(pairs), "date": 0, "agent": 0, "target": 0, "country": 0,
                 "gold": len(gold)}
    for gi, pi in pairs:
        g, p = gold[gi], preds[pi]
        roles = p.get("roles") or {}
        c["date"] += date_right(g, p)
        c["agent"] += role_right(g["agent"], roles.get("agent"))
        c["target"] += role_right(g["target"], roles.get("target"))
        c["country"] += g["country"] == p.get("country")
    return c


def _items(shared: Path) -> tuple[list[dict[str, Any]], dict[str, list[dict[str, Any]]]]:
    """The annotated items (url, title, text, scope) and their gold events by url."""
    gold = load_gold()
    by_url: dict[str, list[dict[str, Any]]] = {}
    for g in gold:
        by_url.setdefault(g["url"], []).append(g)
    rows = {r["url"]: r for r in read_jsonl(shared / NEWS) if r["url"] in by_url}
    items = [{**rows[u], "scope": evs[0]["scope"]} for u, evs in by_url.items()]
    return items, by_url


def run(shared: Path | None = None) -> dict[str, Any]:
    """Per item: the counts, the gold events, the in-scope predictions and the pairs."""
    shared = shared_path(shared)
    items, by_url = _items(shared)
    done = extract([{"id": it["url"], "url": it["url"], "title": it["title"],
                     "text": it["text"], "published": published(it["url"])} for it in items])
    out = []
    for it, rec in zip(items, done.records, strict=True):
        if rec.get("text", it["text"]) != it["text"]:
            raise RuntimeError(f"the record's text is not the input text: {it['url']}")
        gold = by_url[it["url"]]
        preds = in_scope(rec["events"], it["scope"])
        out.append({"url": it["url"], "text": it["text"], "gold": gold, "preds": preds,
                    "pairs": match(gold, preds), "counts": score_item(gold, preds)})
    return {"items": out, "failed": len(done.failures), "seconds": done.total_seconds}


def figures(items: list[dict[str, Any]]) -> dict[str, Any]:
    units = [i["counts"] for i in items]
    ids = [i["url"] for i in items]

    def stat(fn: Any) -> dict[str, Any]:
        return folds.summary(units, ids, fn)

    def precision(c: Counts) -> float:
        return folds.prf(c.get("tp", 0.0), c.get("fp", 0.0), c.get("fn", 0.0))[0]

    def recall(c: Counts) -> float:
        return folds.prf(c.get("tp", 0.0), c.get("fp", 0.0), c.get("fn", 0.0))[1]

    out: dict[str, Any] = {"whodid.event_f1": stat(folds.f1_of("")),
                           "whodid.precision": stat(precision), "whodid.recall": stat(recall)}
    for field in ("date", "agent", "target", "country"):
        out[f"whodid.{field}_acc"] = stat(folds.ratio_of(field, "matched"))
    out["whodid.events"] = int(sum(u["gold"] for u in units))
    return out


def evaluate(shared: Path | None = None) -> dict[str, Any]:
    r = run(shared)
    return {**figures(r["items"]), "whodid.failed": r["failed"]}


def _role_text(role: dict[str, Any] | None) -> str:
    return "-" if role is None else repr(role["text"][:40])


def errors(item: dict[str, Any]) -> list[str]:
    """One line per gold or predicted event that is missed, spurious, or wrong in a field."""
    text, lines = item["text"], []
    paired = dict(item["pairs"])
    hit = set(paired.values())
    for gi, g in enumerate(item["gold"]):
        head = f"{g['type']} @{g['evidence'][0]} {g['check']!r}"
        if gi not in paired:
            lines.append(f"  MISSED {head}")
            continue
        p = item["preds"][paired[gi]]
        roles = p.get("roles") or {}
        bad = []
        if not date_right(g, p):
            bad.append(f"date {g['date']} vs {p.get('date')} ({p.get('date_source')})")
        for role in ("agent", "target"):
            if not role_right(g[role], roles.get(role)):
                bad.append(f"{role} {_role_text(g[role])} vs {_role_text(roles.get(role))}")
        if g["country"] != p.get("country"):
            bad.append(f"country {g['country']} vs {p.get('country')}")
        if bad:
            lines.append(f"  WRONG  {head}: " + "; ".join(bad))
    for pi, p in enumerate(item["preds"]):
        if pi not in hit:
            s, e = _evidence(p)
            words = " ".join(text[s:e].split()[:6])
            lines.append(f"  EXTRA  {p['type']} @{s} {words!r}")
    return lines


def main() -> None:
    r = run()
    for item in r["items"]:
        lines = errors(item)
        if lines:
            print(item["url"])
            print("\n".join(lines))
    for key, value in figures(r["items"]).items():
        shown = value if isinstance(value, int) else (
            f"{value['value']:.3f} [{value['ci95'][0]:.3f}, {value['ci95'][1]:.3f}]")
        print(f"{key:<20} {shown}")
    if r["failed"]:
        print(f"{r['failed']} item(s) failed in extract")


if __name__ == "__main__":
    main()
