"""Primary-country accuracy on Human Rights Watch 2024 dev items titled `Country: ...`.

The gold country is the title's prefix (either one when it names two, `Israel/Palestine:`);
the engine sees the title without that prefix, and the text.
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

from ..places import find_countries, primary_country
from .common import read_jsonl, shared_path

_SPLIT = re.compile(r"\s*(?:/|,|&|\band\b)\s*")


def gold_countries(prefix: str) -> set[str] | None:
    """The codes a title prefix names, or None when any part of it is not a country."""
    codes: set[str] = set()
    for part in filter(None, _SPLIT.split(prefix.strip())):
        mentions = find_countries(part)
        if len(mentions) != 1 or mentions[0].kind not in ("country", "alias") or (
            mentions[0].end - mentions[0].start != len(part)
        ):
            return None
        codes.add(mentions[0].code)
    return codes or None


def cases(shared: Path) -> list[tuple[str, str, set[str]]]:
    out = []
    for row in read_jsonl(shared / "eval/news/hrw_2024_dev.jsonl"):
        prefix, sep, rest = row["title"].partition(":")
        gold = gold_countries(prefix) if sep else None
        if gold:
            out.append((rest.strip(), row["text"], gold))
    return out


def evaluate(shared: Path | None = None) -> dict[str, Any]:
    shared = shared_path(shared)
    data = cases(shared)
    started = time.perf_counter()
    right, misses = 0, []
    for title, text, gold in data:
        predicted = primary_country(text, title)
        if predicted in gold:
            right += 1
        else:
            misses.append((title[:60], sorted(gold), predicted))
    seconds = time.perf_counter() - started
    return {"accuracy": right / len(data) if data else 0.0, "n": len(data), "misses": misses,
            "seconds": seconds}


if __name__ == "__main__":
    result = evaluate()
    print(f"primary country accuracy {result['accuracy']:.3f} on {result['n']} items")
    for miss in result["misses"]:
        print("  miss:", miss)
