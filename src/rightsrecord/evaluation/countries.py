"""Primary-country accuracy of the extract path on Human Rights Watch 2024 dev items titled
`Country: ...`.

The gold country is the title's prefix (either one when it names two, `Israel/Palestine:`).
Each item is one input to `extract_records`: its text, and its title without that prefix;
the prediction is the record's country marked `primary` (none counts as a miss).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..places import find_countries
from .common import extract, read_jsonl, shared_path

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
    """(title without the prefix, text, gold codes) of every item with a country prefix."""
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
    done = extract([{"id": str(i), "title": title, "text": text}
                    for i, (title, text, _) in enumerate(data)])
    right, misses = 0, []
    for (title, _, gold), rec in zip(data, done.records, strict=True):
        predicted = next((c["code"] for c in rec["countries"] if c["primary"]), None)
        if predicted in gold:
            right += 1
        else:
            misses.append((title[:60], sorted(gold), predicted))
    return {"accuracy": right / len(data) if data else 0.0, "n": len(data), "misses": misses,
            "failed": len(done.failures), "seconds": done.total_seconds}


if __name__ == "__main__":
    result = evaluate()
    print(f"primary country accuracy {result['accuracy']:.3f} on {result['n']} items")
    for miss in result["misses"]:
        print("  miss:", miss)
