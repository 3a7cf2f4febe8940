"""Listing pages in the layouts organisations use: does each read to its items and summaries?

The pages are our own (`data/listings/`, with `expected.json`), modelled on the country and
news-list pages of human-rights organisations. Each goes through the real read path
(`ingest.pipeline.read`) and the extract pipeline (what `rightsrecord extract` runs), and is
scored as one document, its file name the id for the folds:

- `items_dated`: expected items found with the right date (and a title, or text, that starts
  as expected), over the expected items;
- `items_country`: of those, the ones whose segment country (`Segment.country`) is the
  expected one;
- `summaries_right`: pages with the right number of summaries; `summary_years`: expected
  summaries whose year is right (in page order);
- `boilerplate`: titles, summaries and items holding page furniture the page lists (must be
  0); `items_extra`: items that match no expected one.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

from . import folds

HALVES = (1, 2)


def pages_dir() -> Path:
    return Path(str(resources.files("rightsrecord").joinpath("evaluation/data/listings")))


def expected_pages(root: Path | None = None) -> dict[str, dict[str, Any]]:
    root = root or pages_dir()
    raw = json.loads((root / "expected.json").read_text(encoding="utf-8"))
    return {k: v for k, v in raw.items() if not k.startswith("_")}


def _norm(text: str | None) -> str:
    return " ".join((text or "").split()).casefold()


def read_page(path: Path) -> Any:
    """The page as the shipped path reads and extracts it (a Document, or a Rejection)."""
    from ..document import Document
    from ..extract.pipeline import Pipeline
    from ..ingest.pipeline import read

    doc = next(read([str(path)]))
    if not isinstance(doc, Document):
        return doc
    return next(iter(Pipeline().pipe([doc])))


def score_page(doc: Any, want: dict[str, Any]) -> dict[str, float]:
    """One page's counts."""
    from ..document import Document

    expected = want.get("items", [])
    unit = {"items": float(len(expected)), "dated": 0.0, "country": 0.0, "pages": 1.0,
            "summaries_right": 0.0, "summaries": float(len(want.get("summaries", []))),
            "summary_years": 0.0, "boilerplate": 0.0, "extra": 0.0}
    if not isinstance(doc, Document):
        return unit
    items = doc.items
    used: set[int] = set()
    for day, title, country in expected:
        start = _norm(title)
        for j, item in enumerate(items):
            if j in used or item.date != day:
                continue
            if _norm(item.title).startswith(start) or _norm(item.text).startswith(start):
                used.add(j)
                unit["dated"] += 1
                unit["country"] += item.country == country
                break
    unit["extra"] = float(len(items) - len(used))
    years = [s.year for s in doc.summaries]
    unit["summaries_right"] = float(len(years) == len(want.get("summaries", [])))
    unit["summary_years"] = float(sum(a == b for a, b in zip(years, want.get("summaries", []),
                                                              strict=False)))
    furniture = [_norm(b) for b in want.get("boilerplate", [])]
    for seg in doc.segments:
        shown = _norm(seg.title) + " " + _norm(seg.text)
        unit["boilerplate"] += any(b in shown for b in furniture)
    return unit


def _count(key: str) -> Callable[[folds.Counts], float]:
    return lambda c: c.get(key, 0.0)


def evaluate(root: Path | None = None, half: int | None = None) -> dict[str, Any]:
    """The figures over every page (or over one half of them), with per-page detail."""
    root = root or pages_dir()
    pages = {k: v for k, v in expected_pages(root).items() if half is None or v["half"] == half}
    ids, units, failed = [], [], 0
    for name, want in pages.items():
        doc = read_page(root / name)
        failed += not hasattr(doc, "segments")
        ids.append(name)
        units.append(score_page(doc, want))
    # A share is summarised over the pages that have its denominator, so a fold without
    # such pages shows no value rather than 0.
    def over(num: str, den: str) -> dict[str, Any]:
        kept = [(u, i) for u, i in zip(units, ids, strict=True) if u.get(den)]
        return folds.summary([u for u, _ in kept], [i for _, i in kept],
                             folds.ratio_of(num, den))

    return {
        "items_dated": over("dated", "items"),
        "items_country": over("country", "dated"),
        "summaries_right": over("summaries_right", "pages"),
        "summary_years": over("summary_years", "summaries"),
        "boilerplate": folds.summary(units, ids, _count("boilerplate")),
        "items_extra": folds.summary(units, ids, _count("extra")),
        "pages": len(ids), "failed": failed,
        "per_page": dict(zip(ids, units, strict=True)),
    }


def main() -> None:
    import sys

    half = int(sys.argv[1]) if len(sys.argv) > 1 else None
    r = evaluate(half=half)
    for name, unit in r.pop("per_page").items():
        print(name, {k: v for k, v in unit.items() if v})
    print(json.dumps({k: (v["value"] if isinstance(v, dict) else v) for k, v in r.items()}))


if __name__ == "__main__":
    main()
