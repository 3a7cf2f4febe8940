"""Chunks and pattern matching for the events stage.

A sentence is read as a list of chunks: the longest lexicon phrase starting at each word (so
"taken into custody" is one chunk), or the word alone. A chunk carries `keys`: its lemmas and
`@CLASS` names. A rule's pattern is anchored on its trigger element and matched outwards, left
and right, with bounded gaps, as a set of reachable positions: the work per trigger is bounded
by the pattern's length times its gaps, whatever the text.
"""

from __future__ import annotations

from rightsrecord.extract.events_data import EventData, Item, Rule
from rightsrecord.extract.events_text import FILL_IN_WORD, TOKEN

_PUNCT_KEYS = {
    ",": frozenset({",", "@PUNCT", "@COMMA"}),
    ";": frozenset({";", "@PUNCT", "@BREAK"}),
    ":": frozenset({":", "@PUNCT", "@BREAK"}),
    "(": frozenset({"(", "@PUNCT", "@BREAK"}),
    ")": frozenset({")", "@PUNCT", "@BREAK"}),
    '"': frozenset({'"', "@PUNCT", "@QUOTE"}),
    "\u201c": frozenset({'"', "@PUNCT", "@QUOTE"}),
    "\u201d": frozenset({'"', "@PUNCT", "@QUOTE"}),
    "?": frozenset({"?", "@PUNCT", "@BREAK"}),
    "!": frozenset({"!", "@PUNCT", "@BREAK"}),
}


_NO_RULES: tuple = ()
_NO_KEYS: frozenset[str] = frozenset()
_NUM_KEYS = frozenset(("@NUM",))


class Sent:
    """A sentence (or a window of a long one) as chunks, held in parallel lists.

    keys[i]: the lemmas and @CLASS names of chunk i; rules[i]: the rules it can trigger;
    ti[i]..tj[i]: its first and last token; start[i], end[i]: its character offsets, set by
    locate() once the sentence holds a hit.
    """

    __slots__ = ("words", "keys", "rules", "ti", "tj", "start", "end", "span")

    def __init__(self, words: list[str], span: tuple[int, int]) -> None:
        self.words = words
        self.span = span
        self.keys: list[frozenset[str]] = []
        self.rules: list[tuple] = []
        self.ti: list[int] = []
        self.tj: list[int] = []
        self.start: list[int] = []
        self.end: list[int] = []

    def __len__(self) -> int:
        return len(self.keys)

    def words_at(self, i: int) -> list[str]:
        return self.words[self.ti[i] : self.tj[i] + 1]

    def is_word(self, i: int) -> bool:
        return "@PUNCT" not in self.keys[i]


def words_of(norm: str, start: int, end: int) -> list[str]:
    words = TOKEN.findall(norm, start, end)
    if FILL_IN_WORD in norm[start:end]:
        words = [w.replace(FILL_IN_WORD, "") for w in words]
    return words


def chunk(words: list[str], span: tuple[int, int], data: EventData) -> Sent:
    """Longest lexicon phrase at each word, else the word itself (offsets not yet set)."""
    trie_get = data.lexicon.trie.get
    max_len = data.lexicon.max_len
    sent = Sent(words, span)
    add_keys, add_rules = sent.keys.append, sent.rules.append
    add_ti, add_tj = sent.ti.append, sent.tj.append
    punct = _PUNCT_KEYS
    i, n = 0, len(words)
    while i < n:
        w = words[i]
        node = trie_get(w)
        if node is None:  # not a lexicon word: no pattern can name it, only count it
            if len(w) == 1 and w in punct:
                add_keys(punct[w])
            else:
                add_keys(_NUM_KEYS if w.isdigit() else _NO_KEYS)
            add_rules(_NO_RULES)
            add_ti(i)
            add_tj(i)
            i += 1
            continue
        if len(node) == 1 and "\0" in node:  # a one-word phrase that no longer one extends
            best = (i, node["\0"])
        else:
            best = None
            j = i
            while node is not None:
                hit = node.get("\0")
                if hit is not None:
                    best = (j, hit)
                j += 1
                if j >= n or j - i >= max_len:
                    break
                node = node.get(words[j])
        add_ti(i)
        if best is None:
            add_keys(_NUM_KEYS if w.isdigit() else _NO_KEYS)
            add_rules(_NO_RULES)
            add_tj(i)
            i += 1
        else:
            j, (_lemmas, keys, rules) = best
            add_keys(keys | _NUM_KEYS if w.isdigit() else keys)
            add_rules(rules)
            add_tj(j)
            i = j + 1
    return sent


def locate(sent: Sent, norm: str) -> None:
    """Set the character offsets of the chunks of sent."""
    if sent.start or not sent.keys:
        return
    spans = [m.span() for m in TOKEN.finditer(norm, sent.span[0], sent.span[1])]
    sent.start = [spans[i][0] for i in sent.ti]
    sent.end = [spans[j][1] for j in sent.tj]


def _side(items: list[Item], keys_at: list[frozenset[str]], start: int,
          step: int) -> dict | None:
    """Positions reachable after matching items from `start` going `step` (+1 or -1).

    Returns {position: captures} or None when nothing matches.
    """
    n = len(keys_at)
    states: dict[int, tuple] = {start: ()}
    for it in items:
        new: dict[int, tuple] = {}
        keys = it.keys
        for pos, caps in states.items():
            if it.neg:
                if 0 <= pos < n and not keys_at[pos].isdisjoint(keys):
                    continue
                new.setdefault(pos, caps)
                continue
            if it.lo == 0:
                new.setdefault(pos, caps)
            if keys is None:  # gap: lo..hi chunks of anything
                excl = it.excl
                for k in range(1, it.hi + 1):
                    q = pos + k * step
                    if q > n or q < -1:
                        break
                    if excl is not None and not keys_at[q - step].isdisjoint(excl):
                        break
                    if k >= it.lo:
                        new.setdefault(q, caps)
                continue
            if 0 <= pos < n and not keys_at[pos].isdisjoint(keys):
                new.setdefault(pos + step, caps + ((it.cap, pos),) if it.cap else caps)
        if not new:
            return None
        states = new
    return states


def match(rule: Rule, sent: Sent, p: int) -> dict[str, int] | None:
    """Match rule with its trigger at chunk p; return the captures ({'A': i, 'T': j}) or None."""
    keys_at = sent.keys
    right = _side(rule.right, keys_at, p + 1, 1) if rule.right else {p + 1: ()}
    if right is None:
        return None
    left = _side(rule.left, keys_at, p - 1, -1) if rule.left else {p - 1: ()}
    if left is None:
        return None
    caps: dict[str, int] = {}
    for c, i in next(iter(left.values())) + next(iter(right.values())):
        caps.setdefault(c, i)
    if rule.trigger.cap:
        caps.setdefault(rule.trigger.cap, p)
    return caps


def unless_hit(rule: Rule, sent: Sent, p: int) -> bool:
    keys_at = sent.keys
    n = len(keys_at)
    for keys, win in rule.unless:
        if win is None:
            lo, hi = 0, n
        else:
            w, side = win
            lo = p + 1 if side == "+" else max(0, p - w)
            hi = p if side == "-" else min(n, p + w + 1)
        for i in range(lo, hi):
            if i != p and not keys_at[i].isdisjoint(keys):
                return True
    return False
