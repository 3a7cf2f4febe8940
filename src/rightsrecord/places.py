"""Country mentions and a document's primary country, from a gazetteer kept as data.

ISO 3166-1 names come from pycountry; `data/country_aliases.tsv` adds short names,
demonyms and cities. Matching is case-sensitive on whole words, in one compiled regex.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from importlib import resources

import pycountry

STAGE = "places.v1"


@dataclass(frozen=True)
class CountryMention:
    code: str
    start: int
    end: int
    text: str


@cache
def _gazetteer() -> tuple[re.Pattern[str], dict[str, str]]:
    names: dict[str, str] = {}
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            name = getattr(country, attr, None)
            if name and "," not in name and "(" not in name:
                names.setdefault(name, country.alpha_2)
    data = resources.files("rightsrecord").joinpath("data/country_aliases.tsv").read_text("utf-8")
    for line in data.splitlines():
        if not line or line.startswith("#"):
            continue
        code, alias = line.split("\t", 1)
        names[alias.strip()] = code.strip()
    # Longest first, so "South Korea" wins over "Korea".
    alternation = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    pattern = re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])")
    return pattern, names


def country_name(code: str) -> str | None:
    country = pycountry.countries.get(alpha_2=code.upper())
    if country is None:
        return None
    return getattr(country, "common_name", None) or country.name


def find_countries(text: str) -> list[CountryMention]:
    """Every country mention in `text`, in order, with its character span."""
    pattern, names = _gazetteer()
    # Typographic apostrophes must not hide a name ("Kazakhstan’s" still matches).
    return [
        CountryMention(names[m.group(0)], m.start(), m.end(), m.group(0))
        for m in pattern.finditer(text)
    ]


def primary_country(text: str, title: str | None = None, fallback: str | None = None) -> str | None:
    """The most-mentioned country; title mentions count double, ties go to the earliest.

    `fallback` (the owning document's country) wins ties and is used when nothing matches.
    """
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    for offset, weight, chunk in ((0, 2, title or ""), (10**9, 1, text)):
        for m in find_countries(chunk):
            counts[m.code] += weight
            first.setdefault(m.code, offset + m.start)
    if not counts:
        return fallback
    best = max(counts.values())
    leaders = [c for c, n in counts.items() if n == best]
    if fallback in leaders:
        return fallback
    return min(leaders, key=lambda c: first[c])
