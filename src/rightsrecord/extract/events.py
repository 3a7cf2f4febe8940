"""Typed human-rights events with their evidence sentence, read by trigger patterns.

`find_events(text)` returns `Event`s: the type (see `EVENT_TYPES`), the evidence sentence span,
a score in [0, 1] (how sure and how central: the main event of a short text scores highest),
the trigger span, and the agent and target when the sentence names them.

How: a fast lexical pass keeps only sentences holding a trigger word; those are cut into
lexicon chunks and matched against the patterns of `data/events/rules.tsv` (all lexicons and
patterns are data, see `events_data.py`). A match is dropped when negated ("no arrests were
made") or hypothetical ("demanded the arrest of", "will be detained"), and scored down when it
is only the reason for something else ("protest against the arrest of"). Protests are then
combined with what happened at them, in the same or the next sentence (`composites.tsv`):
tear gas or detentions make a protest-with-intervention, deaths or beatings a
force-against-protest, stone-throwing or arson a violent-demonstration. `date` and `country`
are left to the pipeline.
"""

from __future__ import annotations

from dataclasses import dataclass

from rightsrecord.extract.events_data import EventData, Rule, load
from rightsrecord.extract.events_match import Sent, chunk, locate, match, unless_hit, words_of
from rightsrecord.extract.events_text import FILL_IN_WORD, TOKEN, normalise
from rightsrecord.extract.sentences import sentence_spans
from rightsrecord.extract.types import Event

# Bounds that keep hostile input cheap: work per document stays linear and small.
_MAX_SENTENCE_CHARS = 3000  # a longer "sentence" is read in windows of this size
_MAX_TRIGGERS = 20000  # trigger positions examined per document
_NEG_WINDOW = 5
_REASON_WINDOW = 6
_HYPO_WINDOW = 6
_REASON_FACTOR = 0.6
_ROLE_WINDOW = 14


def event_types() -> dict[str, dict[str, str]]:
    """{type: {"case": CASE label or "", "ipe": IndiaPoliceEvents label or "", "definition"}}."""
    return load().types


EVENT_TYPES = tuple(event_types())


@dataclass
class _Hit:
    type: str
    score: float
    si: int
    p: int
    rule: Rule
    caps: dict[str, int]
    sent: Sent
    span: tuple[int, int]
    reason: bool = False
    n: int = 1


def _looks_back(sent: Sent, p: int, key: str, window: int,
                stops: tuple[str, ...] = ("@BREAK", "@CLAUSE")) -> bool:
    """Is there a `key` chunk among the `window` chunks before p, inside the same clause?"""
    i = p - 1
    stop = max(-1, p - 1 - window)
    while i > stop:
        k = sent.keys[i]
        if key in k:
            return True
        for s in stops:
            if s in k:
                return False
        i -= 1
    return False


_NEG_STOPS = ("@BREAK", "@CLAUSE", "@NEGSTOP")
_HYPO_STOPS = ("@BREAK", "@CLAUSE", "@SHIELD")


def _negated(sent: Sent, p: int) -> bool:
    """Negated ("no arrests", "did not fire"), denied or hypothetical ("demanded the arrest")."""
    if _looks_back(sent, p, "@NEG", _NEG_WINDOW, _NEG_STOPS):
        return True
    if _looks_back(sent, p, "@DENY", _NEG_WINDOW):
        return True
    if _looks_back(sent, p, "@MODAL", _HYPO_WINDOW) or _looks_back(
        sent, p, "@HYPO", _HYPO_WINDOW, _HYPO_STOPS
    ):
        return True
    # "arrests can be made", "my arrest would not be": a modal right after a noun trigger
    for i in range(p + 1, min(len(sent), p + 3)):
        k = sent.keys[i]
        if "@MODAL" in k:
            return True
        if "@BREAK" in k or "@CLAUSE" in k or "@BE" in k:
            break
    return False


def _windows(s: int, e: int, norm: str) -> list[tuple[int, int]]:
    if e - s <= _MAX_SENTENCE_CHARS:
        return [(s, e)]
    out = []
    while s < e:
        cut = min(e, s + _MAX_SENTENCE_CHARS)
        if cut < e:
            sp = norm.rfind(" ", s + _MAX_SENTENCE_CHARS // 2, cut)
            cut = sp if sp > s else cut
        out.append((s, cut))
        s = cut
    return out


def _imperative(sent: Sent) -> bool:
    """Does the sentence open with a bare verb ("Release all detained journalists", "Adopt a
    law on ...")? Recommendations and appeals tell what should happen, not what did."""
    for i in range(min(len(sent), 5)):
        k = sent.keys[i]
        word = sent.words[sent.ti[i]]
        if not sent.is_word(i) or "@NUM" in k or len(word) == 1:
            continue  # list markers: "1.", "(a)", "-"
        if "@ADV" in k or (word.endswith("ly") and not k):
            continue  # "Promptly adopt ..."
        return "@IMPERATIVE" in k and not (i + 1 < len(sent) and "of" in sent.keys[i + 1])
    return False


def _possible_rules(words: list[str], data: EventData) -> set[int]:
    """Ids of the rules whose every required element has a word in the sentence."""
    present = set(words)
    anchors = present.intersection(data.trigger_words)
    if not anchors:
        return set()
    phrase_bits = data.phrase_bits
    mask = 0
    for w in present & data.phrase_anchors:
        for rest, bits in phrase_bits[w]:
            if not rest or rest <= present:
                mask |= bits
    by_anchor = data.rules_by_anchor
    return {rule.id for w in anchors for rule in by_anchor[w] if rule.mask & mask == rule.mask}


def _sentence_hits(norm: str, span: tuple[int, int], si: int, data: EventData,
                   budget: list[int], words: list[str] | None = None) -> list[_Hit]:
    hits: list[_Hit] = []
    for ws, we in _windows(span[0], span[1], norm):
        if words is None or (ws, we) != span:
            words = words_of(norm, ws, we)
        possible = _possible_rules(words, data)
        if not possible:
            continue
        sent = chunk(words, (ws, we), data)
        if ws == span[0] and _imperative(sent):
            continue
        n_hits = len(hits)
        spent = False
        for p, rules in enumerate(sent.rules):
            if not rules:
                continue
            budget[0] -= 1
            if budget[0] < 0:  # out of budget: keep what this window found, read no further
                spent = True
                break
            for rule in rules:
                if rule.id not in possible:
                    continue
                caps = match(rule, sent, p)
                if caps is None:
                    continue
                if rule.unless and unless_hit(rule, sent, p):
                    continue
                if "neg_ok" not in rule.flags and _negated(sent, p):
                    continue
                reason = "main" not in rule.flags and _looks_back(
                    sent, p, "@REASON", _REASON_WINDOW
                )
                hits.append(_Hit(rule.type, rule.score, si, p, rule, caps, sent, span, reason))
        if len(hits) > n_hits:
            locate(sent, norm)  # every hit returned has offsets, also when the budget ran out
        if spent:
            break
    return hits


def _best_per_type(hits: list[_Hit]) -> list[_Hit]:
    best: dict[str, _Hit] = {}
    for h in hits:
        eff = h.score * (_REASON_FACTOR if h.reason else 1.0)
        b = best.get(h.type)
        if b is None:
            best[h.type] = h
            continue
        beff = b.score * (_REASON_FACTOR if b.reason else 1.0)
        if eff > beff or (eff == beff and h.p < b.p):
            h.n = b.n + 1
            best[h.type] = h
        else:
            b.n += 1
    return list(best.values())


# ---------------------------------------------------------------- agent and target


def _is_passive(sent: Sent, p: int, data: EventData) -> bool:
    w = sent.words[sent.ti[p]]
    participle = w.endswith(("ed", "en")) or w in data.lexicon.participles
    if not participle:
        return False
    if p + 1 < len(sent) and "by" in sent.keys[p + 1]:
        return True
    i = p - 1
    for _ in range(3):
        if i < 0:
            break
        k = sent.keys[i]
        if "@BE" in k:
            return True
        if "@ADV" not in k and "@NEG" not in k:
            break
        i -= 1
    return False


def _is_nominal(sent: Sent, p: int) -> bool:
    if p > 0 and "@DET" in sent.keys[p - 1]:
        return True
    return p + 1 < len(sent) and "of" in sent.keys[p + 1]


_SELF_ACTOR = ("@PERSONISH", "@ORG")


def _is_object(sent: Sent, i: int) -> bool:
    """Is the actor at i the object of a verb or preposition ("beat protesters", "of the bar
    association")? Looks left past determiners, numbers and plain words."""
    j = i - 1
    for _ in range(4):
        if j < 0:
            return False
        k = sent.keys[j]
        if "@PREP" in k:
            return True
        if sent.rules[j] and "@ACTOR" not in k and "@BE" not in k:
            return True
        if k and not ("@DET" in k or "@NUM" in k or "@NUMW" in k or "@MOD" in k):
            return False
        j -= 1
    return False


def _actor_left(sent: Sent, p: int, window: int = _ROLE_WINDOW,
                keys: tuple[str, ...] = ("@ACTOR",), subject: bool = False) -> int | None:
    """The nearest actor before p in the same clause; with subject=True, skip objects."""
    i = p - 1
    while i >= 0 and p - i <= window:
        k = sent.keys[i]
        if any(x in k for x in keys) and not (subject and _is_object(sent, i)):
            return i
        if "@BREAK" in k or "@CLAUSE" in k:
            return None
        i -= 1
    return None


def _actor_right(sent: Sent, p: int, window: int = 8, stop_by: bool = True,
                 keys: tuple[str, ...] = ("@ACTOR",)) -> int | None:
    i = p + 1
    while i < len(sent) and i - p <= window:
        k = sent.keys[i]
        if any(x in k for x in keys):
            return i
        if "@BREAK" in k or "@CLAUSE" in k or (stop_by and "by" in k):
            return None
        i += 1
    return None


def _after_by(sent: Sent, p: int) -> int | None:
    for i in range(p + 1, min(len(sent), p + 4)):
        if "by" in sent.keys[i]:
            return _actor_right(sent, i, 4, stop_by=False)
    return None


Role = int | tuple[int, int] | None  # an actor chunk, or a range of chunks naming someone


def _is_cap(text: str, sent: Sent, i: int) -> bool:
    """Does chunk i look like part of a name: a capitalised word, not a function word?"""
    k = sent.keys[i]
    return (sent.is_word(i) and "@FUNC" not in k and "@DET" not in k and not sent.rules[i]
            and text[sent.start[i]].isupper())


def _name_right(text: str, sent: Sent, p: int) -> tuple[int, int] | None:
    """A capitalised name right after p ("sentenced Kozlov", "arrested the blogger X")."""
    i = p + 1
    if i < len(sent) and "@DET" in sent.keys[i]:
        i += 1
    j = i
    while j < len(sent) and j - i < 4 and _is_cap(text, sent, j):
        j += 1
    return (i, j - 1) if j > i else None


def _name_left(text: str, sent: Sent, p: int) -> tuple[int, int] | None:
    """A capitalised name right before p, past auxiliaries ("Kozlov was sentenced")."""
    j = p - 1
    while j >= 0 and ("@BE" in sent.keys[j] or "@ADV" in sent.keys[j]) and p - j <= 3:
        j -= 1
    i = j
    while i >= 0 and j - i < 4 and _is_cap(text, sent, i):
        i -= 1
    return (i + 1, j) if i < j else None


def _roles(h: _Hit, data: EventData, text: str) -> tuple[Role, Role]:
    sent, p = h.sent, h.p
    agent, target = h.caps.get("A"), h.caps.get("T")
    if "noroles" in h.rule.flags:
        return agent, target
    if agent is not None and target is not None:
        return agent, target
    cased = text[h.span[0] : h.span[1]] != text[h.span[0] : h.span[1]].lower()
    a: Role
    t: Role
    if h.reason:  # "protest against the arrest of X": the actor nearby is not the agent
        a = _after_by(sent, p)
        t = _actor_right(sent, p + 1, 5) if p + 1 < len(sent) and "of" in sent.keys[p + 1] else None
    elif _is_nominal(sent, p):
        a = _after_by(sent, p)
        if a is None and p > 0 and "@ACTOR" in sent.keys[p - 1]:
            a = p - 1
        t = None
        if p + 1 < len(sent) and "of" in sent.keys[p + 1]:
            t = _actor_right(sent, p + 1, 5)
            if t is None and cased:
                t = _name_right(text, sent, p + 1)
    elif "passive" in h.rule.flags or _is_passive(sent, p, data):
        a = _after_by(sent, p)
        t = _actor_left(sent, p)
        if t is None and cased:
            t = _name_left(text, sent, p)
    else:
        a = _actor_left(sent, p, subject=True)
        t = _actor_right(sent, p)
        if cased:
            if a is None:
                a = _name_left(text, sent, p)
            if t is None:
                t = _name_right(text, sent, p)
    if "self" in h.rule.flags:  # protests: the actor is the one doing it, and there is no target
        if "@ACTOR" in sent.keys[p]:
            a = p
        else:
            a = _actor_left(sent, p, keys=_SELF_ACTOR)
            if a is None:
                a = _actor_right(sent, p, 4, keys=_SELF_ACTOR)
        t = None
    if agent is None:
        agent = a
    if "notarget" in h.rule.flags:
        return agent, None
    if target is None and t != agent:
        target = t
    return agent, target


def _actor_text(text: str, sent: Sent, role: Role) -> str | None:
    if role is None:
        return None
    if isinstance(role, tuple):  # a name
        out = " ".join(text[sent.start[role[0]] : sent.end[role[1]]].split())
        return out[:60] or None
    i = role
    keys = sent.keys[i]
    if "@STATE_FIRE" in keys and "@ACTOR" not in keys:
        return _state_fire_actor(text, sent, i)
    start, end = sent.start[i], sent.end[i]
    j = i - 1
    for _ in range(2):  # modifiers before: "riot police", "Israeli forces"
        if j < 0:
            break
        pk = sent.keys[j]
        if not sent.is_word(j) or "@FUNC" in pk or sent.rules[j]:
            break
        if "@MOD" in pk or ("@ACTOR" not in pk and text[sent.start[j]].isupper() and j > 0):
            start = sent.start[j]
            j -= 1
            continue
        break
    j = i + 1  # a name after: "opposition leader Vladimir Kozlov"
    while j < len(sent) and j - i <= 3 and _is_cap(text, sent, j):
        end = sent.end[j]
        j += 1
    out = " ".join(text[start:end].split())
    return out[:60] or None


def _state_fire_actor(text: str, sent: Sent, i: int) -> str | None:
    """"police" from "police firing", "the army" from "firing by the army"."""
    trie = load().lexicon.trie
    words = sent.words_at(i)
    for k in range(len(words), 0, -1):
        for part in (words[:k], words[-k:]):
            node = trie
            for w in part:
                node = node.get(w) if node is not None else None
            hit = node.get("\0") if node is not None else None
            if hit is not None and "@STATE_SECURITY" in hit[1]:
                seg = text[sent.start[i] : sent.end[i]]
                pos = seg.lower().find(part[0])
                if pos >= 0:
                    end = seg.lower().find(part[-1], pos) + len(part[-1])
                    return " ".join(seg[pos:end].split()) or None
    return None


# ---------------------------------------------------------------- composites and scoring


def _combine(hits: list[_Hit], paragraph_of: list[int], data: EventData) -> list[tuple]:
    """Protests joined with what happened at them: (result type, protest hit, cue hit, score).

    Each protest looks at the hits of its own sentence and, for the cues that allow it, of the
    sentences right before and after it in the same paragraph; the cue of highest priority
    (composites.tsv) decides the type.
    """
    same_map: dict[str, str] = {}
    near_map: dict[str, str] = {}
    for typ, cue, scope in data.cue_map:
        same_map[typ] = cue
        if scope == "adjacent":
            near_map[typ] = cue
    prio = {c: (r, pr) for b, c, r, pr in data.composites if b == "protest"}
    by_sentence: dict[int, list[_Hit]] = {}
    for g in hits:
        by_sentence.setdefault(g.si, []).append(g)
    out = []
    for h in hits:
        if h.type != "protest":
            continue
        best = None
        for si in (h.si - 1, h.si, h.si + 1):
            near = si != h.si
            if near and (si not in by_sentence or paragraph_of[si] != paragraph_of[h.si]):
                continue
            for g in by_sentence.get(si, ()):
                if g is h or g.reason:
                    continue
                cue = (near_map if near else same_map).get(g.type)
                if cue is None or cue not in prio:
                    continue
                res, pr = prio[cue]
                key = (pr, not near, g.score)
                if best is None or key > best[0]:
                    best = (key, res, g)
        if best is not None:
            top = max(
                (_salience(g) * g.score for si in {h.si, best[2].si} for g in by_sentence[si]
                 if not g.reason and (g.type in same_map or g is h)),
                default=0.0,
            )
            out.append((best[1], h, best[2], top))
    return out


def _salience(h: _Hit) -> float:
    """How central the hit is: earlier sentences first, reasons ("protest over the arrest of")
    far down, a little more when several patterns agree."""
    f = 1.0 - 0.05 * min(h.si, 10)
    if h.reason:
        f *= _REASON_FACTOR
    f += 0.01 * min(h.n - 1, 2)
    return f


def _given(text: str, sentences: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The caller's sentence spans, clamped to the text; one too long to be a sentence (a
    splitter that found no boundary in lower-case text) is split again here."""
    n = len(text)
    out: list[tuple[int, int]] = []
    for s, e in sentences:
        s, e = max(0, int(s)), min(n, int(e))
        if e - s > _MAX_SENTENCE_CHARS:
            out.extend((s + a, s + b) for a, b in sentence_spans(text[s:e]))
        elif e > s:
            out.append((s, e))
    return out


def find_events(text: str, sentences: list[tuple[int, int]] | None = None) -> list[Event]:
    """Events of text, each with its evidence sentence span; see the module docstring."""
    if not text or text.isspace():
        return []
    data = load()
    norm = normalise(text)
    spans = sentence_spans(text) if sentences is None else _given(text, sentences)
    budget = [_MAX_TRIGGERS]
    trig = data.trigger_words
    hits: list[_Hit] = []
    filled = FILL_IN_WORD in norm
    for si, (s, e) in enumerate(spans):
        if e <= s:
            continue
        words = words_of(norm, s, e) if filled else TOKEN.findall(norm, s, e)
        if trig.isdisjoint(words):  # the common case: nothing to read here
            continue
        hits.extend(_best_per_type(_sentence_hits(norm, (s, e), si, data, budget, words)))
        if budget[0] < 0:
            break
    if not hits:
        return []
    paragraph_of = []
    par = 0
    prev_end = None
    for s, _e in spans:
        if prev_end is not None and "\n\n" in text[prev_end:s].replace("\r", ""):
            par += 1
        paragraph_of.append(par)
        prev_end = _e
    combos = _combine(hits, paragraph_of, data)
    replaced = {id(h) for _r, h, _g, _top in combos}
    events: list[Event] = []
    for h in hits:
        if h.type.startswith("_") or id(h) in replaced:
            continue
        a, t = _roles(h, data, text)
        events.append(Event(
            type=h.type, start=h.span[0], end=h.span[1],
            score=round(max(0.0, min(1.0, h.score * _salience(h))), 4),
            trigger=(h.sent.start[h.p], h.sent.end[h.p]),
            agent=_actor_text(text, h.sent, a), target=_actor_text(text, h.sent, t),
        ))
    for res, h, g, top in combos:
        ha, _ht = _roles(h, data, text)
        ga, gt = _roles(g, data, text)
        score = min(1.0, top + 0.1)
        agent = _actor_text(text, g.sent, ga)
        if g.type == "_protester_violence" or g.type == "mob-violence":
            agent, target = _actor_text(text, h.sent, ha) or agent, None
        else:
            target = _actor_text(text, h.sent, ha) or _actor_text(text, g.sent, gt)
        events.append(Event(
            type=res, start=min(h.span[0], g.span[0]), end=max(h.span[1], g.span[1]),
            score=round(score, 4), trigger=(h.sent.start[h.p], h.sent.end[h.p]),
            agent=agent, target=target,
        ))
    events.sort(key=lambda ev: (ev.start, -ev.score, ev.type))
    return events
