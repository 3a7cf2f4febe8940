"""Score the dates of the extract path on TempEval-3 TimeBank + AQUAINT (TBAQ-cleaned).

    python -m rightsrecord.evaluation.dates [--shared ../shared] [--subset TimeBank|AQUAINT]

The data is read at run time from ``shared / "eval/dates/tempeval3_tbaq"``. In each ``.tml``
file the document text is the content of ``<TEXT>`` with the tags removed (offsets are taken
in that string); the document creation time is the TIMEX3 whose ``functionInDocument`` is
``CREATION_TIME``: its value is passed as ``published`` and it is never scored. Gold is every
other TIMEX3 inside ``<TEXT>``. Each document is one input to ``extract_records``; the
predictions are its record's ``dates`` (start, end, type, value).

Scoring (fixed): a prediction matches a gold TIMEX3 when their spans overlap (relaxed) or are
equal (strict); each gold pairs with at most one prediction and each prediction with at most
one gold (greedy: exact spans first, then by overlap length). Value F1 counts the relaxed
matches whose value string equals the gold value; type accuracy is the share of relaxed
matches with the gold TIMEX3 type.
"""

from __future__ import annotations

import argparse
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..extract.types import Timex
from . import folds
from .common import MissingData, extract, f1

SUBSETS = ("TimeBank", "AQUAINT")
DATA_DIR = Path("eval") / "dates" / "tempeval3_tbaq"


@dataclass
class Doc:
    name: str
    subset: str
    text: str
    dct: str | None
    gold: list[Timex] = field(default_factory=list)


def _is_creation_time(el: ET.Element) -> bool:
    return el.get("functionInDocument") == "CREATION_TIME"


def _walk(el: ET.Element, parts: list[str], pos: int, gold: list[Timex]) -> int:
    """Append the text of `el`'s content (tags removed) to parts; collect TIMEX3 spans."""
    if el.text:
        parts.append(el.text)
        pos += len(el.text)
    for child in el:
        start = pos
        pos = _walk(child, parts, pos, gold)
        if child.tag == "TIMEX3" and not _is_creation_time(child):
            text = "".join(child.itertext())
            gold.append(Timex(start, pos, text, child.get("type", ""),
                                  child.get("value", "")))
        if child.tail:
            parts.append(child.tail)
            pos += len(child.tail)
    return pos


def load_doc(path: Path, subset: str = "") -> Doc:
    root = ET.parse(path).getroot()
    dct = None
    for t in root.iter("TIMEX3"):
        if _is_creation_time(t):
            dct = t.get("value")
            break
    text_el = root.find("TEXT")
    parts: list[str] = []
    gold: list[Timex] = []
    if text_el is not None:
        _walk(text_el, parts, 0, gold)
    text = "".join(parts)
    for g in gold:
        assert text[g.start:g.end] == g.text
    return Doc(path.stem, subset, text, dct, gold)


def load_corpus(shared: Path, subsets: Sequence[str] = SUBSETS) -> list[Doc]:
    base = Path(shared) / DATA_DIR
    docs: list[Doc] = []
    for subset in subsets:
        for path in sorted((base / subset).glob("*.tml")):
            docs.append(load_doc(path, subset))
    return docs


class Spanned:
    """What scoring needs of a prediction: start, end, type and value attributes."""

    start: int
    end: int
    type: str
    value: str


@dataclass
class Predicted:
    """One entry of a record's `dates`."""

    start: int
    end: int
    type: str
    value: str


@dataclass
class Counts:
    n_pred: int = 0
    n_gold: int = 0
    relaxed: int = 0
    strict: int = 0
    value: int = 0
    type: int = 0

    def add(self, other: Counts) -> None:
        for k in vars(self):
            setattr(self, k, getattr(self, k) + getattr(other, k))


def match(pred: Sequence[Spanned], gold: Sequence[Timex]) -> list[tuple[int, int]]:
    """One-to-one (pred index, gold index) pairs of overlapping spans, exact spans first."""
    cands = []
    for i, p in enumerate(pred):
        for j, g in enumerate(gold):
            overlap = min(p.end, g.end) - max(p.start, g.start)
            if overlap > 0:
                exact = p.start == g.start and p.end == g.end
                cands.append((not exact, -overlap, i, j))
    cands.sort()
    used_p: set[int] = set()
    used_g: set[int] = set()
    pairs = []
    for _, _, i, j in cands:
        if i in used_p or j in used_g:
            continue
        used_p.add(i)
        used_g.add(j)
        pairs.append((i, j))
    return pairs


def score_doc(pred: Sequence[Spanned], gold: Sequence[Timex]) -> Counts:
    c = Counts(n_pred=len(pred), n_gold=len(gold))
    for i, j in match(pred, gold):
        p, g = pred[i], gold[j]
        c.relaxed += 1
        c.strict += p.start == g.start and p.end == g.end
        c.value += p.value == g.value
        c.type += p.type == g.type
    return c


def summarise(c: Counts, n_docs: int, seconds: float) -> dict:
    out: dict = {"n_docs": n_docs, "n_gold": c.n_gold, "n_pred": c.n_pred}
    for name, hits in (("relaxed", c.relaxed), ("strict", c.strict), ("value", c.value)):
        p, r, f = f1(hits, c.n_pred - hits, c.n_gold - hits)
        out[f"{name}_precision"] = round(p, 4)
        out[f"{name}_recall"] = round(r, 4)
        out[f"{name}_f1"] = round(f, 4)
    out["precision"] = out["relaxed_precision"]
    out["recall"] = out["relaxed_recall"]
    out["type_accuracy"] = round(c.type / c.relaxed, 4) if c.relaxed else 0.0
    out["seconds"] = round(seconds, 4)
    out["docs_per_s"] = round(n_docs / seconds, 1) if seconds > 0 else float("inf")
    out["ms_per_doc"] = round(1000 * seconds / n_docs, 3) if n_docs else 0.0
    return out


Tagger = Callable[[str, str | None], Sequence[Spanned]]


def run_tagger(tagger: Tagger, docs: Iterable[Doc]) -> dict[str, dict]:
    """Per-subset and union summaries of a tagger (text, dct) -> predictions, timed per doc:
    {"TimeBank": {...}, "AQUAINT": {...}, "all": {...}}."""
    scored = []
    for doc in docs:
        t0 = time.perf_counter()
        pred = tagger(doc.text, doc.dct)
        scored.append((doc, pred, time.perf_counter() - t0))
    return score_all(scored)


def score_all(scored: Iterable[tuple[Doc, Sequence[Spanned], float]]) -> dict[str, dict]:
    """Summaries of (doc, predictions, seconds) triples, per subset and "all"."""
    totals: dict[str, Counts] = {}
    secs: dict[str, float] = {}
    ndocs: dict[str, int] = {}
    for doc, pred, dt in scored:
        c = score_doc(pred, doc.gold)
        for key in (doc.subset, "all"):
            totals.setdefault(key, Counts()).add(c)
            secs[key] = secs.get(key, 0.0) + dt
            ndocs[key] = ndocs.get(key, 0) + 1
    return {k: summarise(totals[k], ndocs[k], secs[k]) for k in totals}


def evaluate(shared: Path, subsets: Sequence[str] = SUBSETS) -> dict:
    """Union figures of the extract path's dates on TBAQ, plus per-subset ones under "subsets"."""
    docs = load_corpus(Path(shared), subsets)
    if not docs:
        raise MissingData(f"no .tml files under {Path(shared) / DATA_DIR}")
    done = extract([{"id": d.name, "text": d.text, "published": d.dct} for d in docs])
    res = score_all(
        (doc, [Predicted(t["start"], t["end"], t["type"], t["value"]) for t in rec["dates"]], dt)
        for doc, rec, dt in zip(docs, done.records, done.seconds, strict=True))
    out = dict(res["all"])
    units, ids = [], []
    for doc, rec in zip(docs, done.records, strict=True):
        pred = [Predicted(t["start"], t["end"], t["type"], t["value"]) for t in rec["dates"]]
        units.append({k: float(v) for k, v in vars(score_doc(pred, doc.gold)).items()})
        ids.append(doc.name)
    for name in ("relaxed", "strict", "value"):
        out[f"{name}_kfold"] = folds.summary(units, ids, _f1_stat(name))
    out["failed"] = len(done.failures)
    chars = sum(len(d.text) for d in docs)
    out["ms_per_10kb"] = round(1000 * out["seconds"] / chars * 10_000, 3) if chars else 0.0
    out["subsets"] = {k: v for k, v in res.items() if k != "all"}
    return out


def _f1_stat(name: str) -> Callable[[dict[str, float]], float]:
    def stat(c: dict[str, float]) -> float:
        hits = c.get(name, 0.0)
        return f1(hits, c.get("n_pred", 0.0) - hits, c.get("n_gold", 0.0) - hits)[2]
    return stat


def _default_shared() -> Path:
    return Path(__file__).resolve().parents[3].parent / "shared"


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path, default=_default_shared())
    ap.add_argument("--subset", choices=SUBSETS, action="append")
    args = ap.parse_args(argv)
    if not (args.shared / DATA_DIR).is_dir():
        print(f"data not found: {args.shared / DATA_DIR}", file=sys.stderr)
        return 2
    res = evaluate(args.shared, args.subset or SUBSETS)
    rows = [("union", res)] + sorted(res["subsets"].items())
    keys = ["n_docs", "n_gold", "n_pred", "relaxed_precision", "relaxed_recall", "relaxed_f1",
            "strict_f1", "value_f1", "type_accuracy", "seconds", "docs_per_s"]
    heads = ["docs", "gold", "pred", "P", "R", "relaxed_F1", "strict_F1", "value_F1",
             "type_acc", "seconds", "docs/s"]
    print(f"{'':10}" + "".join(f"{k:>11}" for k in heads))
    for name, r in rows:
        print(f"{name:10}" + "".join(f"{r[k]!s:>11}" for k in keys))
    print(f"\n{res['ms_per_10kb']} ms per 10 KB (the whole extract path)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
