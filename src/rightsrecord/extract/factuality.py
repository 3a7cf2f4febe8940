"""Is an event told as something that happened? Asserted, or denied, demanded, hypothetical, a
legal norm, or only a word in the name of an organisation or law.

The trigger rules already drop negated and modal triggers close to them; this step reads the
whole stretch of the sentence before the trigger, with the cues of
`data/events/factuality.tsv`, and the shape of names around the trigger: a capitalised
trigger word inside a run of capitalised words ("World Organisation Against Torture",
"Act on Torture and Enforced Disappearances") names something rather than tells an act.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from rightsrecord.facts import Event

DATA = Path(__file__).resolve().parent.parent / "data" / "events" / "factuality.tsv"
ASSERTED = "asserted"
_CLAUSE_END = re.compile(r"[;:]\s|\.\s")
_NAME_WORD = re.compile(r"[A-Z][\w'’-]*")
_LINKS = {"of", "on", "and", "against", "for", "the", "to", "in", "&"}


@functools.lru_cache(maxsize=1)
def cues() -> list[tuple[str, int, re.Pattern[str]]]:
    out = []
    for line in DATA.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, reach, pattern = line.split("\t")
        out.append((kind, int(reach), re.compile(pattern, re.IGNORECASE)))
    return out


def _in_name(text: str, start: int, end: int, sentence_start: int) -> bool:
    """Is the word at [start, end) capitalised, not the sentence's first, and inside a run of
    three or more capitalised words (linked by of/on/and/against...)?"""
    if start <= sentence_start or not text[start:start + 1].isupper():
        return False
    words = list(re.finditer(r"[\w'’&-]+", text[max(sentence_start, start - 80):end + 80]))
    base = max(sentence_start, start - 80)
    at = next((i for i, m in enumerate(words) if base + m.start() <= start < base + m.end()),
              None)
    if at is None:
        return False

    def capital(i: int) -> bool:
        return bool(_NAME_WORD.fullmatch(words[i].group()))

    def extent(step: int) -> int:
        n, i = 0, at + step
        while 0 <= i < len(words):
            w = words[i].group()
            if capital(i):
                n += 1
            elif w.lower() not in _LINKS:
                break
            i += step
        return n

    return extent(-1) + extent(1) >= 2


def factuality(text: str, event: Event) -> str:
    """ASSERTED, or the kind of cue that says the event did not (or not yet) happen."""
    trig_start, trig_end = event.trigger if event.trigger else (event.start, event.start)
    if event.trigger and _in_name(text, trig_start, trig_end, event.start):
        return "name"
    prefix = text[event.start:trig_start]
    clause_start = 0
    for m in _CLAUSE_END.finditer(prefix):
        clause_start = m.end()
    for kind, reach, pattern in cues():
        scope = prefix if reach == 0 else prefix[max(clause_start, len(prefix) - reach):]
        if pattern.search(scope):
            return kind
    return ASSERTED


def asserted(text: str, events: list[Event]) -> list[Event]:
    """The events told as having happened."""
    return [e for e in events if factuality(text, e) == ASSERTED]
