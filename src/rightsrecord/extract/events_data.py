"""Loads the events stage's data files (src/rightsrecord/data/events/) and compiles them.

* `types.tsv`: each event type, its definition and the peer labels it corresponds to.
* `lexicon.tsv`: word classes. `CLASS <tab> pos <tab> phrase, phrase, ...`; pos `v` inflects the
  first word as a verb, `n` the last word as a noun, `vn` both, `x` keeps the phrase as written,
  `c` makes CLASS the union of the listed classes.
* `irregular.tsv`: irregular inflections, `lemma <tab> form, form, ...`.
* `rules.tsv`: patterns, `type <tab> score <tab> pattern <tab> unless <tab> flags`.
* `composites.tsv`: how a protest combines with what happened to or at it.
* `common_words.txt`: very common words, avoided as the word a phrase or rule is looked up by.

Every phrase is expanded to its inflected surface forms once and put in a trie keyed on
surface words, so matching needs no lemmatiser: "arrested", "arrests" and "arresting" all lead
to the lemma "arrest" and the classes of that phrase. Every literal word of a pattern is added
to the lexicon (inflected as verb and noun) so that patterns and lexicon share one trie.

For the fast pass, each phrase is indexed under its rarest word, and each rule gets a bit mask
of its required elements (`_phrase_bits`): a sentence is chunked only when, for some rule, the
phrases whose words are all present cover the rule's mask.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data" / "events"
_VOWELS = set("aeiou")
MAX_GAP = 15


def _tsv_rows(name: str) -> list[list[str]]:
    rows = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        rows.append([c.strip() for c in line.split("\t")])
    return rows


@functools.lru_cache(maxsize=1)
def irregular() -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for row in _tsv_rows("irregular.tsv"):
        out.setdefault(row[0], set()).update(f.strip() for f in row[1].split(",") if f.strip())
    return out


def verb_forms(lemma: str) -> set[str]:
    """The lemma and its regular inflections, generously (both spellings where unsure)."""
    forms = {lemma}
    forms |= irregular().get(lemma, set())
    n = len(lemma)
    if n < 2:
        return forms
    last, prev = lemma[-1], lemma[-2]
    if lemma.endswith(("s", "x", "z", "ch", "sh", "o")):
        forms.add(lemma + "es")
    elif last == "y" and prev not in _VOWELS:
        forms.add(lemma[:-1] + "ies")
    else:
        forms.add(lemma + "s")
    if last == "e":
        forms.add(lemma + "d")
        if lemma.endswith("ie"):
            forms.add(lemma[:-2] + "ying")
        elif lemma.endswith(("ee", "ye", "oe")):
            forms.add(lemma + "ing")
        else:
            forms.add(lemma[:-1] + "ing")
    elif last == "y" and prev not in _VOWELS:
        forms.update((lemma[:-1] + "ied", lemma + "ing"))
    else:
        forms.update((lemma + "ed", lemma + "ing"))
        if last not in _VOWELS and last not in "wxy" and prev in _VOWELS and (
            n < 3 or lemma[-3] not in _VOWELS
        ):
            forms.update((lemma + last + "ed", lemma + last + "ing"))
    if last == "c":
        forms.update((lemma + "ked", lemma + "king"))
    return forms


def noun_forms(lemma: str) -> set[str]:
    forms = {lemma}
    forms |= irregular().get(lemma, set())
    if len(lemma) < 2:
        return forms
    if lemma.endswith("man"):
        forms.add(lemma[:-3] + "men")
    if lemma.endswith(("s", "x", "z", "ch", "sh")):
        forms.add(lemma + "es")
    elif lemma[-1] == "y" and lemma[-2] not in _VOWELS:
        forms.add(lemma[:-1] + "ies")
    else:
        forms.add(lemma + "s")
    return forms


_WORD = re.compile("[^\\W_]+")


def phrase_variants(phrase: str, pos: str) -> set[tuple[str, ...]]:
    words = tuple(_WORD.findall(phrase.lower()))
    if not words:
        return set()
    out = {words}
    if "v" in pos:
        out |= {(f,) + words[1:] for f in verb_forms(words[0])}
    if "n" in pos:
        out |= {words[:-1] + (f,) for f in noun_forms(words[-1])}
    return out


@dataclass
class Lexicon:
    # surface word tuple -> lemma -> classes
    entries: dict[tuple[str, ...], dict[str, set[str]]] = field(default_factory=dict)
    trie: dict = field(default_factory=dict)
    max_len: int = 1
    class_members: dict[str, set[str]] = field(default_factory=dict)  # class -> subclasses
    participles: set[str] = field(default_factory=set)
    anchors: dict[tuple[str, ...], str] = field(default_factory=dict)  # phrase -> rarest word

    def add(self, phrase: str, pos: str, cls: str | None) -> None:
        lemma = " ".join(_WORD.findall(phrase.lower()))
        if not lemma:
            return
        for var in phrase_variants(phrase, pos):
            d = self.entries.setdefault(var, {})
            s = d.setdefault(lemma, set())
            if cls:
                s.add(cls)
            self.max_len = max(self.max_len, len(var))

    def expand(self, cls: str) -> set[str]:
        """cls and every class it includes through `c` rows, transitively."""
        out, todo = set(), [cls]
        while todo:
            c = todo.pop()
            if c in out:
                continue
            out.add(c)
            todo.extend(self.class_members.get(c, ()))
        return out

    def build(self) -> None:
        parents: dict[str, set[str]] = {}
        for parent, members in self.class_members.items():
            for m in members:
                parents.setdefault(m, set()).add(parent)

        def ancestors(c: str) -> set[str]:
            out, todo = set(), [c]
            while todo:
                x = todo.pop()
                for p in parents.get(x, ()):
                    if p not in out:
                        out.add(p)
                        todo.append(p)
            return out

        anc_cache: dict[str, set[str]] = {}
        for var, lemmas in self.entries.items():
            keys: set[str] = set()
            for lemma, classes in lemmas.items():
                keys.add(lemma)
                for c in classes:
                    if c not in anc_cache:
                        anc_cache[c] = ancestors(c)
                    keys.add("@" + c)
                    keys.update("@" + a for a in anc_cache[c])
            node = self.trie
            for w in var:
                node = node.setdefault(w, {})
            node["\0"] = (frozenset(lemmas), frozenset(keys))


@dataclass
class Item:
    """One pattern element: `keys` to match (None for a gap), repetition, capture, negation."""

    keys: frozenset[str] | None
    lo: int = 1
    hi: int = 1
    neg: bool = False
    cap: str | None = None
    excl: frozenset[str] | None = None  # for a gap: chunks it may not run over


@dataclass
class Rule:
    id: int
    type: str
    score: float
    trigger: Item
    left: list[Item]  # nearest to the trigger first
    right: list[Item]
    unless: list[tuple[frozenset[str], tuple[int, str] | None]]
    flags: frozenset[str]
    pattern: str
    required: tuple[frozenset[str], ...] = ()  # keys of every element that must match
    anchor_words: frozenset[str] = frozenset()  # a sentence needs one of these words
    required_words: tuple[frozenset[str], ...] = ()  # and one word of each of these sets
    mask: int = 0  # the bits of those sets (see EventData.word_mask)


@dataclass
class EventData:
    lexicon: Lexicon
    rules: list[Rule]
    rules_by_key: dict[str, list[Rule]]
    trigger_words: frozenset[str]  # a sentence without any of these words holds no event
    types: dict[str, dict[str, str]]
    composites: list[tuple[str, str, str, float]]  # base, cue, result, priority
    cue_map: list[tuple[str, str, str]]  # event type, cue, scope
    rules_by_anchor: dict[str, tuple[Rule, ...]] = field(default_factory=dict)
    # anchor word -> (the phrase's other words, bits of the required elements the phrase
    # can match): a rule can match a sentence only if the phrases whose words are all in the
    # sentence cover every bit of the rule's mask
    phrase_bits: dict[str, tuple[tuple[frozenset[str], int], ...]] = field(default_factory=dict)
    phrase_anchors: frozenset[str] = frozenset()


def _parse_element(tok: str, lex: Lexicon, literals: set[str]) -> Item:
    cap = None
    neg = False
    if tok.startswith("~"):
        neg, tok = True, tok[1:]
    if tok[:2] in ("A:", "T:"):
        cap, tok = tok[0], tok[2:]
    lo = hi = 1
    if tok.endswith("?") and len(tok) > 1:
        lo, tok = 0, tok[:-1]
    keys: set[str] = set()
    for alt in tok.split("|"):
        if alt.startswith("@"):
            keys.add(alt)
        else:
            literal = " ".join(_WORD.findall(alt.lower())) or alt
            keys.add(literal)
            literals.add(alt)
    return Item(frozenset(keys), lo, hi, neg, cap)


def compile_pattern(pattern: str, lex: Lexicon, literals: set[str]) -> tuple[Item, list, list]:
    items: list[Item] = []
    trig_at = None
    for tok in pattern.split():
        gap = re.fullmatch(r"\*(\d+)(?:-(.+))?", tok)
        if gap:
            excl = None
            if gap.group(2):
                excl = _parse_element(gap.group(2), lex, literals).keys
            items.append(Item(None, 0, min(int(gap.group(1)), MAX_GAP), excl=excl))
            continue
        if tok == ".":  # exactly one chunk, whatever it is
            items.append(Item(None, 1, 1))
            continue
        is_trig = tok.startswith("!")
        if is_trig:
            tok = tok[1:]
        if is_trig:
            trig_at = len(items)
        items.append(_parse_element(tok, lex, literals))
    if trig_at is None:
        trig_at = next(i for i, it in enumerate(items) if it.keys is not None and not it.neg)
    trig = items[trig_at]
    if trig.keys is None or trig.neg or trig.lo != 1:
        raise ValueError(f"bad trigger in pattern {pattern!r}")
    return trig, list(reversed(items[:trig_at])), items[trig_at + 1 :]


@functools.lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    words: set[str] = set()
    for line in (DATA / "common_words.txt").read_text(encoding="utf-8").splitlines():
        if not line.lstrip().startswith("#"):
            words.update(_WORD.findall(line.lower()))
    return frozenset(words)


def _anchor_rules(rules: list[Rule], lex: Lexicon) -> None:
    """Give each rule its required element keys and the words of its rarest required element.

    A phrase is represented by its least common word (a phrase can only be present when that
    word is), an element by the anchor words of every phrase that can match it; the element
    with the fewest common anchor words, then the fewest anchor words, is the rule's anchor.
    """
    common = common_words()
    function_classes = {"@FUNC", "@DET", "@BE", "@PRON", "@MODAL", "@NEG", "@CLAUSE", "@ADV",
                        "@NUMW", "@NEGSTOP", "@FAIL_V"}
    function_words = {var[0] for var, lemmas in lex.entries.items() if len(var) == 1
                      and any(function_classes & {"@" + c for c in cs} for cs in lemmas.values())}

    def weight(w: str) -> int:
        return 1000 if w in function_words else 20 if w in common else 1

    key_words: dict[str, set[str]] = {}
    for var in lex.entries:
        anchor = min(var, key=lambda w: (weight(w), -len(w)))  # the phrase's rarest word
        lex.anchors[var] = anchor
        node = lex.trie
        for w in var:
            node = node[w]
        for k in node["\0"][1]:
            key_words.setdefault(k, set()).add(anchor)
    for r in rules:
        items = [r.trigger] + r.left + r.right
        req = [it.keys for it in items if it.keys is not None and not it.neg and it.lo >= 1]
        r.required = tuple(req)
        best = None
        req_words = []
        for keys in req:
            words: set[str] = set()
            for k in keys:
                if k == "@NUM":  # digits: any number, not a lexicon word
                    words = set()
                    break
                words |= key_words.get(k, {k} if not k.startswith("@") else set())
            if not words:
                continue
            req_words.append(frozenset(words))
            rank = sum(weight(w) for w in words)
            if best is None or rank < best[0]:
                best = (rank, words)
        r.anchor_words = frozenset(best[1]) if best else frozenset()
        r.required_words = tuple(sorted(req_words, key=len))


def _phrase_bits(rules: list[Rule], lex: Lexicon) -> dict:
    """Index every lexicon phrase under its rarest word with the required elements it fits."""
    bit_of: dict[frozenset[str], int] = {}
    for r in rules:
        for keys in r.required:
            if keys not in bit_of:
                bit_of[keys] = 1 << len(bit_of)
            r.mask |= bit_of[keys]
    by_key: dict[str, int] = {}
    for keys, bit in bit_of.items():
        for k in keys:
            by_key[k] = by_key.get(k, 0) | bit
    index: dict[str, dict[frozenset[str], int]] = {}
    for var, anchor in lex.anchors.items():
        node = lex.trie
        for w in var:
            node = node[w]
        bits = 0
        for k in node["\0"][1]:
            bits |= by_key.get(k, 0)
        if bits:
            rest = frozenset(var) - {anchor}
            slot = index.setdefault(anchor, {})
            slot[rest] = slot.get(rest, 0) | bits
    return {w: tuple(d.items()) for w, d in index.items()}


def _attach_rules(trie: dict, by_key: dict[str, list[Rule]]) -> None:
    todo = [trie]
    while todo:
        node = todo.pop()
        for w, child in node.items():
            if w == "\0":
                lemmas, keys = child
                rs: dict[int, Rule] = {}
                for k in keys:
                    for r in by_key.get(k, ()):
                        rs[r.id] = r
                node["\0"] = (lemmas, keys, tuple(rs.values()))
            else:
                todo.append(child)


@functools.lru_cache(maxsize=1)
def load() -> EventData:
    lex = Lexicon()
    for row in _tsv_rows("lexicon.tsv"):
        cls, pos, phrases = row[0], row[1], row[2]
        names = [p.strip() for p in phrases.split(",") if p.strip()]
        if pos == "c":
            lex.class_members.setdefault(cls, set()).update(names)
            continue
        for p in names:
            lex.add(p, pos, cls)
    for forms in irregular().values():
        lex.participles.update(forms)
    types = {}
    for row in _tsv_rows("types.tsv"):
        types[row[0]] = {"case": row[1], "ipe": row[2], "definition": row[3]}
    rules: list[Rule] = []
    literals: set[str] = set()
    for i, row in enumerate(_tsv_rows("rules.tsv")):
        row = row + [""] * (5 - len(row))
        typ, score, pattern, unless, flags = row[:5]
        if typ not in types and not typ.startswith("_"):
            raise ValueError(f"rules.tsv: unknown type {typ!r}")
        trig, left, right = compile_pattern(pattern, lex, literals)
        unl = []
        for u in unless.split(","):
            u = u.strip()
            if not u:
                continue
            win = None
            if "/" in u:  # N: within N chunks either side; +N: after the trigger; -N: before
                u, w = u.split("/", 1)
                side = w[0] if w[0] in "+-" else ""
                win = (int(w.lstrip("+-")), side)
            if not u.startswith("@"):
                literals.add(u)
                u = " ".join(_WORD.findall(u.lower()))
            unl.append((frozenset([u]), win))
        rules.append(
            Rule(i, typ, float(score), trig, left, right, unl,
                 frozenset(f for f in flags.split(",") if f), pattern)
        )
    # literal pattern words are inflected as both verb and noun unless written with "="
    for lit in literals:
        if lit.startswith("="):
            lex.add(lit[1:], "x", None)
        else:
            lex.add(lit, "vn", None)
    lex.build()
    by_key: dict[str, list[Rule]] = {}
    for r in rules:
        for k in r.trigger.keys or ():
            by_key.setdefault(k, []).append(r)
    _anchor_rules(rules, lex)
    # each trie entry lists the rules its chunk can trigger, so matching needs no key lookups
    _attach_rules(lex.trie, by_key)
    anchor_words = frozenset().union(*(r.anchor_words for r in rules))
    by_anchor: dict[str, dict[int, Rule]] = {}
    for r in rules:
        for w in r.anchor_words:
            by_anchor.setdefault(w, {})[r.id] = r
    phrase_bits = _phrase_bits(rules, lex)
    composites = [(r[0], r[1], r[2], float(r[3])) for r in _tsv_rows("composites.tsv")
                  if r[0] != "cue"]
    cue_map = [(r[1], r[2], r[3]) for r in _tsv_rows("composites.tsv") if r[0] == "cue"]
    return EventData(lex, rules, by_key, anchor_words, types, composites, cue_map,
                     {w: tuple(d.values()) for w, d in by_anchor.items()}, phrase_bits,
                     frozenset(phrase_bits))
