"""What followed a recommendation: which later events of its themes are about what it asks,
and the words that say what followed.

An event shares a theme with a recommendation when the text of its main report has one of the
recommendation's themes; the themes stage reads the whole text, so a text about a press
closure also carries the other themes it touches on. To keep to events
about what the recommendation is about, an event also has to share two content words with it:
words of the recommendation (stemmed; the words every recommendation uses, such as "ensure",
"rights" or "law", left out) found in the words its reports quote for it or in its title. One
shared word is not enough: "women" or "court" alone joins a law on domestic violence to a call
for more women in parliament, or a ruling over a poster to a call about press closures.
`docs/recommendations.md` gives the precision this was measured at.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from .. import places

# Words of recommendations that name no subject: what to do, to whom, how much.
_STOP_WORDS = """
a about above according accordance across act action actions activities adequate adopt adopted
adopting adoption after again against all also an and any appropriate are area areas as at
available be been before being best bring by can carry case cases competent complete
comply compliance concerned concerning consider considering consistent continue continued
continuing country countries create creation current develop developed developing development
do done due during each effective effectively efforts eliminate end enhance ensure ensuring
establish established establishing every existing extend facilitate field fields for from full
fully further general give guarantee guaranteed guarantees has have in including increase
into is it its itself law laws legal legislation legislative level line
made make making management manner mean means measure measures mechanism mechanisms more
national necessary new no not of on one ones or order other others out particular particularly
persons plan possible practice practices principle principles prior priority process programme
programmes promote promoting protect protection provide provided provisions put question
rapid recommendation recommendations regard regarding related relevant republic respect
review right rights same seek so special standard standards state states step steps
strengthen strengthening such support take taking that the their them these they this those
through to towards under undertake up upon use view well which while who with within without
work world human international
"""
STOP = frozenset(_STOP_WORDS.split())
# Spellings whose stems differ though they name one thing.
SAME = {"woman": "women", "child": "children", "detain": "detention", "violent": "violence",
        "religious": "relig", "religion": "relig", "closur": "clos", "closure": "clos",
        "journalism": "journalist", "torturing": "torture", "tortur": "torture"}
_SUFFIXES = ("ations", "ation", "ions", "ion", "ings", "ing", "ies", "es", "ed", "s")
_WORD = re.compile(r"[a-z]+")
MIN_SHARED = 2  # shared content words that make an event about what a recommendation asks


@lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """A word's stem, for matching: a few English suffixes taken off."""
    word = SAME.get(word, word)
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)] + ("y" if suffix == "ies" else "")
            break
    return SAME.get(word, word)


def content_words(text: str) -> set[str]:
    """The stems of a text's words that name a subject (at least four letters; the names of
    places, which the country's events share with its recommendations anyway, left out)."""
    for m in reversed(places.find_countries(text)):
        text = text[:m.start] + " " + text[m.end:]
    return {stem(w) for w in _WORD.findall(text.lower()) if len(w) >= 4 and w not in STOP}


def event_words(title: str | None, evidence: list[str]) -> set[str]:
    """The content words of an event: of its title and the words its reports quote for it."""
    return content_words(" ".join([title or "", *evidence]))


def about_the_same(recommendation: set[str], event: set[str]) -> bool:
    """Whether an event's content words share at least `MIN_SHARED` with a recommendation's."""
    return len(recommendation & event) >= MIN_SHARED


# -- in words ----------------------------------------------------------------------------


# Event type (data/record/event_types.tsv) → (one, several), as `followed_by` counts them.
NOUNS = {
    "killing": ("killing", "killings"),
    "abduction-disappearance": ("abduction or disappearance", "abductions or disappearances"),
    "torture-ill-treatment": ("case of torture or ill-treatment",
                              "cases of torture or ill-treatment"),
    "sexual-violence": ("case of sexual violence", "cases of sexual violence"),
    "force-against-protest": ("use of force against a protest", "uses of force against protests"),
    "attack-on-civilians": ("attack on civilians", "attacks on civilians"),
    "mob-violence": ("case of mob violence", "cases of mob violence"),
    "use-of-force": ("use of force", "uses of force"),
    "arrest": ("arrest", "arrests"),
    "conviction-sentence": ("conviction", "convictions"),
    "protest-with-intervention": ("protest broken up", "protests broken up"),
    "prosecution": ("prosecution", "prosecutions"),
    "media-closure-censorship": ("media closure or act of censorship",
                                 "media closures or acts of censorship"),
    "ban-restriction": ("ban or restriction", "bans or restrictions"),
    "failure-to-protect": ("failure to protect", "failures to protect"),
    "fine": ("fine", "fines"),
    "violent-demonstration": ("violent demonstration", "violent demonstrations"),
    "court-ruling": ("court ruling", "court rulings"),
    "legislation": ("law", "laws"),
    "international-review": ("international review", "international reviews"),
    "protest": ("protest", "protests"),
    "diplomatic-engagement": ("diplomatic engagement", "diplomatic engagements"),
    "release": ("release", "releases"),
}
OTHER = ("other development", "other developments")


def counted(types: list[str | None]) -> str:
    """"2 convictions, 1 court ruling": events counted by type, the most frequent first."""
    parts = []
    for type_, n in sorted(Counter(types).items(),
                           key=lambda t: (-t[1], t[0] is None, t[0] or "")):
        words = type_.replace("-", " ") if type_ else ""
        one, many = NOUNS.get(type_ or "", (words, words + "s") if words else OTHER)
        parts.append(f"{n} {one if n == 1 else many}")
    return ", ".join(parts)


def followed_by(response: str | None, date: str | None, types: list[str | None]) -> str:
    """What followed a recommendation, in words: its response and year, then its later
    events by type."""
    said = (response or "made").capitalize()
    if date is None:
        return f"{said}; undated, so no later events can be told"
    head = f"{said} in {date[:4]}"
    if not types:
        return f"{head}; no later events of its themes in the record"
    return f"{head}; since then: {counted(types)}"
