"""Actors of a document: people, organisations, courts, state bodies, media and groups.

A rule-based chunker, no statistical model: one regex pass finds runs of capitalised words
(with the small words that hold names together: "Ministry of Justice", "al-Sisi"), each run
is split and classified from lexicons under `data/actors/` (role titles, institution head
nouns, media words, known actors, nationality words, places), and a second regex pass finds
common-noun actors ("police", "prosecutors", "protesters"). Mentions are then grouped:
surnames and titled mentions join the full name, acronyms join the name they abbreviate
("Committee Against Torture (CAT)"), "the Committee" joins the one committee named, a short
name joins the one longer name it shortens ("the Working Group", "Working Group on the
Universal Periodic Review"), a bare "authorities" joins "Kazakh authorities" when that is the
only such actor. A capitalised run is no name when it only opens a sentence with common words
("Rights group urges ...") or ends in the plural of a head noun ("Criminal Procedure Codes").

Every regex is linear (no nested unbounded repetition) and every look at the context is a
bounded window, so the time is linear in the input: about 4 ms for 10 KB of news text on one
(busy) core, where spaCy's statistical NER (en_core_web_sm, tok2vec+ner only) takes 300-400
ms; see bench/actors_bench.py for both, and for quality on a hand-labelled sample.

Public API: `find_actors(text) -> list[Actor]` (types.Actor: name, type, role, mentions),
in order of first mention. The stage and its version are declared in `stages.py`.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from rightsrecord.extract.actors_lexicon import (
    CONNECTORS,
    DETERMINERS,
    PARTICLES,
    STRONG_CONNECTORS,
    WEAK_CONNECTORS,
    Lexicon,
    lexicon,
)
from rightsrecord.extract.types import Actor

__all__ = ["find_actors"]

_NONSPACE = re.compile(r"\S+")
_NEWLINE = re.compile(r"\n")
_NEXT_WORDS = re.compile(r"[ \t\u00a0]+([\w’'-]+)(?:[ \t\u00a0]+([\w’'-]+))?")
_WEBSITE = re.compile(r"\w\.(?:[a-z]{2,4}|news|info|online)$")
_ALPHA_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_ACRONYM_DEF = re.compile(r"[ \t\u00a0]*\((?:the[ \t]+)?([^\s()]{2,14})\)")
_COMMA = re.compile(r",[ \t\u00a0]+")
_APPOSITION_END = re.compile(r"[,;.:()\[\]\n\"“”!?]")
_SPACE_WORD = re.compile(r"[ \t\u00a0]+([\w’'-]+)")
_MAX_SEQ_WORDS = 16
_MAX_NAME_WORDS = 4
_HEAD_SPLIT = frozenset({"of", "for", "on", "against", "to", "in", "and"})
_APPOSITION_STOP = frozenset({
    "at", "of", "for", "with", "in", "who", "which", "from", "on", "and", "since", "whose",
    "was", "is", "has", "had", "said", "says", "were", "are", "to", "told", "whom", "but",
})
_SKIP_BEFORE = frozenset(" \t\u00a0\"“”‘’'([*•·-–—\r")
_SENTENCE_END = frozenset(".!?:;…\n")
_NAME_MARKS = str.maketrans("", "", "-'’.")
_QUOTE = str.maketrans({"’": "'", "‘": "'"})


@dataclass(slots=True)
class _M:
    """One mention before grouping."""

    start: int
    end: int
    kind: str  # inst | person | single | acronym | group | qual | backref | title
    name: str
    type: str
    role: str | None = None
    key: str = ""
    evidence: bool = False


@dataclass
class _A:
    name: str
    type: str
    role: str | None = None
    mentions: list[tuple[int, int]] = field(default_factory=list)
    rank: int = 0  # how sure the name/type is: known 3, full name 2, other 1


def find_actors(text: str) -> list[Actor]:
    """Every actor of `text` with its type, role (when the text gives one) and mention spans.

    Actors come in order of first mention; each mention `(start, end)` satisfies
    `text[start:end]` being the words for that actor.
    """
    if not isinstance(text, str) or not text:
        return []
    doc = _Doc(text, lexicon())
    return doc.run()


def _key(name: str) -> str:
    key = " ".join(name.translate(_QUOTE).lower().split())
    return key[4:] if key.startswith("the ") else key


def _norm_role(words: list[str]) -> str:
    """Title words as a role: "Deputy Prime Minister" -> "deputy prime minister"."""
    return " ".join(w if len(w) > 1 and w.isupper() else w.lower() for w in words)


def _acronym_like(word: str) -> bool:
    """"KNB", "RFE/RL", "U.S", "NGOs": capitals, at most one small letter at the end."""
    if len(word) < 2 or not word[1].isupper():
        return False
    if not word.isupper():
        if not word[:-1].isupper() or not word[-1].islower():
            return False
        word = word[:-1]
    return sum(1 for c in word if c.isalpha()) >= 2


class _Doc:
    def __init__(self, text: str, lex: Lexicon) -> None:
        self.text = text
        self.lex = lex
        self._lower: frozenset[str] | None = None
        self._newlines: list[int] | None = None
        self._headings: dict[int, bool] = {}
        self._before: dict[int, list[str]] = {}
        self.defs: dict[str, str | None] = {}  # acronym -> key of its expansion (None: no actor)

    # --- document-level helpers -------------------------------------------------------

    def is_heading(self, pos: int) -> bool:
        """Whether the line holding `pos` reads as a title: short, mostly capitalised."""
        if self._newlines is None:
            self._newlines = [m.start() for m in _NEWLINE.finditer(self.text)]
        nl = self._newlines
        li = bisect_right(nl, pos)
        cached = self._headings.get(li)
        if cached is not None:
            return cached
        start = nl[li - 1] + 1 if li > 0 else 0
        end = nl[li] if li < len(nl) else len(self.text)
        line = self.text[start:end].strip()
        heading = False
        if line and len(line) <= 200 and line[-1] not in ".!?\"”:":
            words = [w for w in _ALPHA_WORD.findall(line) if w.lower() not in CONNECTORS]
            if len(words) >= 2:
                caps = sum(1 for w in words if w[0].isupper())
                heading = caps >= 0.75 * len(words)
        self._headings[li] = heading
        return heading

    def sentence_initial(self, s: int) -> bool:
        text = self.text
        i = s - 1
        limit = max(-1, s - 12)
        while i > limit and text[i] in _SKIP_BEFORE:
            i -= 1
        if i < 0:
            return True
        if i == limit:
            return True
        return text[i] in _SENTENCE_END

    def words_before(self, s: int) -> list[str]:
        """The words right before `s` on the same line (punctuation kept on them); a copy."""
        words = self._before.get(s)
        if words is None:
            pre = self.text[max(0, s - 64):s]
            if not pre or pre[-1] not in " \t\u00a0":
                words = []
            else:
                cut = pre.rfind("\n")
                if cut >= 0:
                    pre = pre[cut + 1:]
                words = pre.split()
                if s > 64 and cut < 0 and words:
                    words = words[1:]  # the first one may be cut
            self._before[s] = words
        return list(words)

    def word_before(self, s: int) -> str:
        words = self._before.get(s)
        if words is None:
            words = self._before[s] = self.words_before(s)
        return words[-1] if words else ""

    # --- roles and evidence ------------------------------------------------------------

    def role_words(self, words: list[str], titles: bool = False) -> int:
        """How many leading words of `words` (lower-case) form a role: modifiers then a head
        (with `titles`, a head that is also written as a title before a name)."""
        lex = self.lex
        heads = lex.role_titles if titles else lex.role_heads
        best = 0
        i = 0
        n = len(words)
        while i < n:
            # longest head starting at i
            for h in (3, 2, 1):
                if i + h <= n and " ".join(words[i:i + h]) in heads:
                    best = i + h
                    break
            if i + 2 <= n and " ".join(words[i:i + 2]) in lex.role_mods:
                i += 2
            elif words[i] in lex.role_mods:
                i += 1
            else:
                break
        return best

    def is_role(self, words: list[str]) -> bool:
        return bool(words) and self.role_words(words) == len(words)

    def role_before(self, s: int) -> str | None:
        words = self.words_before(s)
        if not words:
            return None
        last = words[-1]
        if last.endswith(","):
            words[-1] = last[:-1]
        best = None
        for k in range(1, min(5, len(words)) + 1):
            w = words[-k]
            if not w or not (w[0].islower() or w[0].isdigit()) or not _plain(w):
                break
            cand = [x.lower() for x in words[-k:]]
            if self.is_role(cand):
                best = words[-k:]
        return " ".join(best) if best else None

    def role_after(self, e: int) -> str | None:
        m = _COMMA.match(self.text, e)
        if not m:
            return None
        seg = self.text[m.end():m.end() + 100]
        cut = _APPOSITION_END.search(seg)
        if cut:
            seg = seg[:cut.start()]
        words = seg.split()
        if words and words[0].lower() in ("a", "an", "the"):
            words = words[1:]
        for i, w in enumerate(words):
            if w.lower() in _APPOSITION_STOP:
                words = words[:i]
                break
        if not words or len(words) > 5 or not words[0][:1].islower():
            return None
        for w in words:
            low = w.lower()
            if low in ("a", "an", "the") or (low.endswith(("ing", "ed")) and len(low) > 5):
                return None  # a clause, not a title: ", killing a soldier"
        lows = [w.lower() for w in words]
        for h in (3, 2, 1):
            if len(lows) >= h and " ".join(lows[-h:]) in self.lex.role_heads:
                return " ".join(words)
        return None

    def appositive_type(self, e: int) -> str | None:
        """The type an apposition gives a name: "Adil Soz, a free speech group," ->
        organisation; "Kloop, an investigative outlet," -> media."""
        m = _COMMA.match(self.text, e)
        if not m:
            return None
        seg = self.text[m.end():m.end() + 60]
        cut = _APPOSITION_END.search(seg)
        words = (seg[:cut.start()] if cut else seg).split()
        if len(words) < 2 or words[0].lower() not in ("a", "an", "the"):
            return None
        cues = self.lex.cues_before
        lows = [w.lower() for w in words[1:6]]
        for i, w in enumerate(lows):
            if w in _APPOSITION_STOP:
                break
            kind = cues.get(" ".join(lows[i:i + 2])) or cues.get(w)
            if kind is not None:
                return kind
        return None

    def honorific_before(self, s: int) -> bool:
        return self.word_before(s).rstrip(".").lower() in self.lex.honorifics

    def speech_near(self, s: int, e: int) -> bool:
        m = _SPACE_WORD.match(self.text, e)
        if m and m.group(1) in self.lex.speech:
            return True
        return self.word_before(s) in self.lex.speech_before

    def locative_before(self, s: int) -> bool:
        return self.word_before(s) in self.lex.locative

    def used_in_lower_case(self, word: str) -> bool:
        """Whether the text also has `word` (lower-case) as a word of its own."""
        if self._lower is None:
            self._lower = frozenset(self.text.split())
        lower = self._lower
        return word in lower or word + "," in lower or word + "." in lower or \
            word + ";" in lower or word + ":" in lower or word + ")" in lower

    def cue_before(self, s: int) -> str | None:
        """The type a cue word right before a name gives it: "the newspaper X" -> media."""
        words = self.words_before(s)
        for k in (2, 1):
            if len(words) >= k:
                kind = self.lex.cues_before.get(" ".join(words[-k:]).lower())
                if kind:
                    return kind
        return None

    def cue_after(self, e: int) -> str | None:
        """The type a cue word right after a name gives it: "X newspaper", "X party"."""
        m = _NEXT_WORDS.match(self.text, e)
        if not m:
            return None
        cues = self.lex.cues_after
        first = m.group(1).lower()
        if m.group(2):
            kind = cues.get(first + " " + m.group(2).lower())
            if kind:
                return kind
        return cues.get(first)

    # --- chunking ----------------------------------------------------------------------

    def run(self) -> list[Actor]:
        text = self.text
        lex = self.lex
        mentions: list[_M] = []
        pos = 0
        n = len(text)
        seq_re = lex.seq_re
        strip = lex.strip_words | DETERMINERS
        places, demonyms = lex.places, lex.demonyms
        while pos < n:
            m = seq_re.search(text, pos)
            if not m:
                break
            s, e = m.span()
            pos = e
            # "Prosecutor General's Office": a possessive inside an institution name
            if text[e:e + 2] in ("'s", "’s"):
                nxt = seq_re.match(text, e + 3) if text[e + 2:e + 3] == " " else None
                if nxt and self.possessive_joins(s, e, nxt.group(0)):
                    e = pos = nxt.end()
            word = m.group(0) if e == m.end() else text[s:e]
            single = " " not in word and "\t" not in word and "\u00a0" not in word
            if single:  # one word: the common cases first
                if word.lower() in strip:
                    continue  # "The", "However", "In"
                if word in places or word in demonyms:
                    mentions.extend(self.qualified(s, e))  # "Kazakh authorities"
                    continue
            mentions.extend(self.sequence(s, e, single))
        mentions.extend(self.group_terms(mentions))
        return self.group(mentions)

    def possessive_joins(self, s: int, e: int, following: str) -> bool:
        lex = self.lex
        if " " in following or lex.heads.get(following.lower()) not in ("state-body", "court"):
            return False
        lows = self.text[s:e].lower().split()
        return all(w in lex.role_heads or w in lex.role_mods for w in lows)

    def sequence(self, s: int, e: int, single: bool) -> list[_M]:
        text = self.text
        if single:
            words = [(s, e)]
        else:
            words = [(m.start(), m.end()) for m in _NONSPACE.finditer(text, s, e)]
        if len(words) > _MAX_SEQ_WORDS:
            return []
        initial = self.sentence_initial(s)
        kind = self.cue_after(e)
        if kind is not None and not self.is_heading(s) and not (
                initial and self.common_words(words)):  # "Rights group urges ...": no name
            out = self.cued(words, kind)  # "the Democratic Choice of Kazakhstan movement"
            if out is not None:
                return out
        if len(words) == 1:
            return self.single(s, e, initial)
        out = []
        for i, part in enumerate(self.split(words)):
            out.extend(self.part(part, initial and i == 0))
        if len(out) > 1 and any(m.kind == "person" and m.evidence for m in out):
            for m in out:  # "Daler Imomali and Abdullo Ghurbati": one sign does for both
                if m.kind == "person":
                    m.evidence = True
        return out

    def common_words(self, words: list[tuple[int, int]]) -> bool:
        """Whether every word is a common word, capitalised only as a sentence opens."""
        return all(self.text[a:b].lower() in self.lex.common for a, b in words)

    def cued(self, words: list[tuple[int, int]], kind: str) -> list[_M] | None:
        text = self.text
        lex = self.lex
        while words and text[words[0][0]:words[0][1]].lower() in lex.strip_words:
            words = words[1:]
        if not words:
            return None
        s, e = words[0][0], words[-1][1]
        name = text[s:e]
        if name in lex.places or name in lex.demonyms or name in lex.geo_phrases:
            return None
        last = text[words[-1][0]:e]
        if "-" in last and last.rsplit("-", 1)[1][:1].islower():
            return None  # "the ISIS-affiliated group", "a Saudi-led coalition"
        if name in lex.known:
            canonical, known_kind = lex.known[name]
            return self.institution(s, e, canonical, known_kind, known=True)
        return self.institution(s, e, name, kind)

    def split(self, words: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
        """Cut a capitalised run at small words that do not belong to one name."""
        text = self.text
        parts: list[list[tuple[int, int]]] = []
        cur: list[tuple[int, int]] = []
        pending: list[tuple[int, int]] = []
        for span in words:
            w = text[span[0]:span[1]]
            if w in CONNECTORS:
                pending.append(span)
                continue
            if pending and cur:
                conns = [text[a:b] for a, b in pending]
                joined = text[cur[0][0]:span[1]]
                if joined in self.lex.known_prefixes or joined in self.lex.known:
                    keep = True
                elif conns[-1] in ("on", "in", "at") and w.lower() in self.lex.strip_words:
                    keep = False  # "the Supreme Court on January 5"
                elif "and" in conns and (conns[-1] != "and" or w.lower() in self.lex.heads):
                    keep = False  # "the Government of X and the Government of Y"
                else:
                    keep = self.keep_connectors([text[a:b].lower() for a, b in cur], conns)
                if keep:
                    cur.extend(pending)
                    cur.append(span)
                else:
                    parts.append(cur)
                    cur = [span]
                pending = []
            else:
                cur.append(span)
        if cur:
            parts.append(cur)
        return parts

    def keep_connectors(self, lows: list[str], conns: list[str]) -> bool:
        heads = self.lex.heads
        inst = any(w in heads for w in lows)
        inner = any(w in ("of", "for", "on") for w in lows)
        if any(c in WEAK_CONNECTORS for c in conns):
            if "to" in conns:
                return inst and len(lows) <= 2 and conns == ["to"]
            return inner and inst
        if all(c in PARTICLES for c in conns):
            return not inst
        if inst:
            return all(c in STRONG_CONNECTORS for c in conns)
        return conns == ["of"] and self.is_role(lows)

    def single(self, s: int, e: int, initial: bool) -> list[_M]:
        """`part` for a run of one word, the most common case, in fewer steps."""
        lex = self.lex
        name = self.text[s:e]
        low = name.lower()
        if low in DETERMINERS or low in lex.strip_words:
            return []
        if name in lex.places or name in lex.demonyms:
            return self.qualified(s, e)
        if name[1:2].isupper() and _acronym_like(name):
            return [_M(s, e, "acronym", name, "")]
        known = lex.known.get(name)
        if known is not None:
            return self.institution(s, e, known[0], known[1], known=True)
        if "." in name and _WEBSITE.search(name):
            return self.institution(s, e, name, "media")
        kind = lex.heads.get(low)
        if kind is not None:
            return [] if kind == "none" else self.single_head(s, e, low)
        if name in lex.groups or low in lex.groups or low in lex.honorifics:
            return []
        if not self.is_heading(s):
            cue = self.cue_before(s)
            if cue is not None:
                return self.institution(s, e, name, cue)
        if low in lex.role_titles:
            if initial or self.is_heading(s):
                return []
            role = _norm_role([name])
            return [_M(s, e, "title", role, "person", role)]
        return self.part([(s, e)], initial)

    def part(self, words: list[tuple[int, int]], initial: bool) -> list[_M]:
        text = self.text
        lex = self.lex
        while words and text[words[0][0]:words[0][1]].lower() in DETERMINERS:
            words = words[1:]
            initial = False
        if not words:
            return []
        s, e = words[0][0], words[-1][1]
        name = text[s:e]
        n = len(words)
        toks = [text[a:b] for a, b in words]
        lows = [t.lower() for t in toks]
        # a place or nationality: no actor, unless a state noun follows ("Kazakh authorities")
        if name in lex.places or name in lex.demonyms or name in lex.geo_phrases:
            return self.qualified(s, e)
        if n == 1 and _acronym_like(name):
            return [_M(s, e, "acronym", name, "")]
        if n == 1 and _WEBSITE.search(name):
            return self.institution(s, e, name, "media")  # "Vlast.kz", "Turkmen.news"
        known = lex.known.get(name)
        if known is not None:
            return self.institution(s, e, known[0], known[1], known=True)
        if lows[0] in lex.strip_words:  # "Image Campaign to ...", "When Kozlov"
            return self.part(words[1:], False) if n > 1 else []
        if sum(1 for t in toks if len(t) > 1 and t.isupper()) >= 2:
            return []  # shouting or a heading in capitals
        known_first = n > 1 and toks[0] in lex.known_first
        if known_first:  # a known name, then a title: "Human Rights Watch Director X"
            for j in range(min(n - 1, 8), 0, -1):
                prefix = text[s:words[j - 1][1]]
                if prefix in lex.known and (self.role_words(lows[j:], True)
                                            or lows[j] in lex.honorifics):
                    return self.known_prefix(words, j)
        head = lows[-1]
        for i in range(1, n):
            if lows[i] in _HEAD_SPLIT:
                head = lows[i - 1]
                break
        kind = lex.heads.get(head)
        if kind is None and n > 1 and lex.heads.get(lows[0]) == "media":
            kind = "media"
        if kind is not None:
            if kind == "none":
                return []
            if n == 1:
                return self.single_head(s, e, head)
            if kind == "state-body" and any(_has(name, marker) for marker in lex.intl):
                kind = "organisation"
            return self.institution(s, e, name, kind)
        if n == 1 and (name in lex.groups or lows[0] in lex.groups):
            return []  # "Demonstrators clashed": the common-noun pass has it
        if n <= 5 and not self.is_heading(s):
            cue = self.cue_before(s)
            if cue is not None:
                return self.institution(s, e, name, cue)
        if known_first:  # a known name leads the run: "AP Photo"
            for j in range(min(n - 1, 8), 0, -1):
                if text[s:words[j - 1][1]] in lex.known:
                    return self.known_prefix(words, j)
        if n > 1 and toks[0] in lex.place_first:  # "Israeli Prime Minister Benjamin Netanyahu"
            for j in (3, 2, 1):
                if j < n:
                    prefix = text[s:words[j - 1][1]]
                    if prefix in lex.places or prefix in lex.demonyms:
                        return self.part(words[j:], False)
        # a title leads: "President Kassym-Jomart Tokayev", "Dr Ahmed"
        if lows[0] in lex.honorifics:
            if n == 1:
                return []
            return self.person(words[1:], False, None, True)
        t = self.role_words(lows, True)
        if t:
            role = _norm_role(toks[:t])
            j = t
            if j < n and lows[j] == "of":  # "President of Kazakhstan", "Minister of Justice"
                j += 1
                while j < n and (toks[j] in lex.places or lows[j] in lex.common
                                 or lows[j] in lex.role_mods or lows[j] in CONNECTORS):
                    j += 1
            if j >= n:
                if initial or self.is_heading(s):
                    return []
                return [_M(s, e, "title", role, "person", role)]
            return self.person(words[j:], False, role, True)
        court = self.lex.qual_re.match(text, e)
        if court and court.group(1) and lex.qualified[court.group(2)][1] == "court" \
                and all(_name_shaped(t) for t in toks) and not initial:
            return self.qualified(s, e)  # "the Yunusabad district court"
        return self.person(words, initial, None, False)

    def known_prefix(self, words: list[tuple[int, int]], j: int) -> list[_M]:
        s, e = words[0][0], words[j - 1][1]
        prefix = self.text[s:e]
        if j == 1 and _acronym_like(prefix):
            first = [_M(s, e, "acronym", prefix, "")]
        else:
            canonical, kind = self.lex.known[prefix]
            first = self.institution(s, e, canonical, kind, known=True)
        return first + self.part(words[j:], False)

    def institution(self, s: int, e: int, name: str, kind: str, known: bool = False) -> list[_M]:
        m = _M(s, e, "inst", name, kind, key=_key(name), evidence=known)
        acr = _ACRONYM_DEF.match(self.text, e)
        if acr and _acronym_like(acr.group(1)):
            self.defs.setdefault(acr.group(1), m.key)
        return [m]

    def single_head(self, s: int, e: int, head: str) -> list[_M]:
        """A lone head word: "the Committee" refers back to the one committee named."""
        before = self.text[max(0, s - 4):s].lower()
        if before.endswith("the ") and head in self.lex.heads:
            return [_M(s, e, "backref", self.text[s:e], "", key=head)]
        return []

    def qualified(self, s: int, e: int) -> list[_M]:
        """A place or nationality and a state noun: "Kazakh authorities", "Almaty appeals court"."""
        m = self.lex.qual_re.match(self.text, e)
        if not m:
            acr = _ACRONYM_DEF.match(self.text, e)
            if acr:
                self.defs.setdefault(acr.group(1), None)
            return []
        canonical, kind, allowed = self.lex.qualified[m.group(2)]
        mods = m.group(1).split()
        if any(md not in allowed for md in mods):
            return []
        nxt = _SPACE_WORD.match(self.text, m.end())
        if nxt and nxt.group(1).lower() in self.lex.role_heads:
            return []  # "Tajikistan opposition activist X", "German police officer X"
        name = self.text[s:m.end()]
        return [_M(s, m.end(), "qual", name, kind, key=_key(name) + "\t" + canonical)]

    def person(self, words: list[tuple[int, int]], initial: bool, role: str | None,
               titled: bool) -> list[_M]:
        """A personal name, if the words look like one and something says it is one: a title
        or role, "said", a given name, a surname ending, or (checked when grouping) the name
        coming back."""
        text = self.text
        lex = self.lex
        if not titled and words and self.is_heading(words[0][0]):
            return []
        if initial and words:
            low = text[words[0][0]:words[0][1]].lower()
            if low in lex.common or self.used_in_lower_case(low):
                words = words[1:]
                initial = False
        n = len(words)
        if not n or n > _MAX_NAME_WORDS + 2:
            return []
        toks = [text[a:b] for a, b in words]
        names = 0
        demonyms = 0
        for i, t in enumerate(toks):
            if t in PARTICLES and 0 < i < n - 1:
                continue
            if not _name_shaped(t) or t.lower() in lex.common or t in lex.geo_words \
                    or t in lex.places or t.lower() in lex.heads:
                return []
            if t in lex.demonyms:
                if i == 0:
                    return []
                demonyms += 1
            names += 1
        if names > _MAX_NAME_WORDS:
            return []
        s, e = words[0][0], words[-1][1]
        name = text[s:e]
        if not titled:
            kind = self.appositive_type(e)
            if kind is not None:  # "Adil Soz, a free speech group, said"
                return self.institution(s, e, name, kind)
        if role is None:
            role = self.role_before(s) or self.role_after(e)
        strong = titled or role is not None or self.honorific_before(s)
        if demonyms and not strong:
            return []  # "Babar Baloch" only with a title or role
        if not strong:
            if name in lex.geo_phrases or (name in lex.cities and name not in lex.given_names):
                return []
            if self.locative_before(s):
                return []
            if any(t.lower().endswith(lex.nonname_endings) for t in toks):
                return []
            if n > 1 and _plural_of(toks[-1].lower(), lex.heads) and not any(
                    t in lex.given_names for t in toks):
                return []  # "Criminal Procedure Codes": a plural noun, not a surname
        speech = strong or self.speech_near(s, e)
        if n == 1:
            # a lone word: a surname to join when grouping, or a person if a title says so
            return [_M(s, e, "single", name, "person", role,
                       evidence=strong or (speech and not initial))]
        evidence = speech
        if not strong:
            if any(self.used_in_lower_case(t.lower()) for t in toks):
                return []
            if not evidence:
                last = toks[-1].lower()
                evidence = any(t in lex.given_names for t in toks) or (
                    len(last) > 4 and last.endswith(lex.surname_endings))
        return [_M(s, e, "person", name, "person", role, key=_key(name), evidence=evidence)]

    def group_terms(self, found: list[_M]) -> list[_M]:
        """Common-noun actors ("police", "protesters") outside the capitalised names."""
        spans = sorted((m.start, m.end) for m in found)
        starts = [a for a, _ in spans]
        out: list[_M] = []
        groups = self.lex.groups
        for m in self.lex.group_re.finditer(self.text):
            s, e = m.span()
            i = bisect_right(starts, s) - 1
            if i >= 0 and spans[i][1] > s:
                continue
            j = bisect_left(starts, s)
            if j < len(starts) and starts[j] < e:
                continue
            term = m.group(0)
            entry = groups.get(term) or groups.get(term[0].lower() + term[1:])
            if entry is None:
                continue
            if term[:4].lower() == "the ":
                s += 4
            canonical, kind = entry
            out.append(_M(s, e, "group", canonical, kind, key=canonical))
        return out

    # --- grouping ----------------------------------------------------------------------

    def group(self, mentions: list[_M]) -> list[Actor]:
        mentions.sort(key=lambda m: m.start)
        lex = self.lex
        actors: dict[str, _A] = {}
        order: dict[str, int] = {}
        by_name: dict[str, str] = {}
        weak: set[str] = set()  # people with no sign of being one, unless named again

        def add(key: str, m: _M, name: str, kind: str, rank: int, role: str | None = None):
            a = actors.get(key)
            if a is None:
                a = actors[key] = _A(name, kind, role, [], rank)
                order[key] = m.start
                by_name.setdefault(name, key)
            elif rank > a.rank or (rank == a.rank and len(name) > len(a.name) and rank < 3):
                a.name, a.type, a.rank = name, kind, rank
                by_name.setdefault(name, key)
            if a.role is None and role:
                a.role = role
            a.mentions.append((m.start, m.end))

        # institutions; "UN Committee Against Torture" and "Committee Against Torture" are one
        alias: dict[str, str] = {}
        first_of: dict[str, str] = {}
        for m in mentions:
            if m.kind == "inst" and m.key not in alias:
                alias[m.key] = first_of.setdefault(_strip_intl(m.key), m.key)
        _shortened(alias)
        for m in mentions:
            if m.kind == "inst":
                add(alias[m.key], m, m.name, m.type, 3 if m.evidence else 2)
        # acronyms: defined in the text, else known
        for m in mentions:
            if m.kind != "acronym":
                continue
            if m.name in self.defs:
                key = self.defs[m.name]
                if key is not None:
                    key = alias.get(key, key)
                    a = actors.get(key)
                    if a is not None:
                        add(key, m, a.name, a.type, 0)
                continue
            known = lex.known.get(m.name)
            if known is not None:
                key = _key(known[0])
                key = alias.get(key, first_of.get(_strip_intl(key), key))
                add(key, m, known[0], known[1], 1)
        # "the Committee" -> the one committee of the text
        heads: dict[str, list[str]] = {}
        for key, a in actors.items():
            heads.setdefault(_head_of(a.name), []).append(key)
        for m in mentions:
            if m.kind == "backref":
                keys = heads.get(m.key, [])
                if len(keys) == 1:
                    a = actors[keys[0]]
                    add(keys[0], m, a.name, a.type, 0)
                elif m.key in lex.groups and not keys:
                    canonical, kind = lex.groups[m.key]
                    add("group\t" + canonical, m, canonical, kind, 1)
        # people: full names, then surnames and first names alone
        tokens: dict[str, list[tuple[int, str]]] = {}  # name word -> (position, person key)
        for m in mentions:
            if m.kind == "person":
                key = "person\t" + m.key
                add(key, m, m.name, "person", 2, m.role)
                if m.evidence:
                    weak.discard(key)
                elif len(actors[key].mentions) == 1:
                    weak.add(key)
                else:
                    weak.discard(key)
                toks = m.name.split()
                for t in {toks[0], toks[-1], toks[-1].removeprefix("al-").removeprefix("el-")}:
                    tokens.setdefault(t, []).append((m.start, key))
        for m in mentions:
            if m.kind != "single":
                continue
            key = _nearest(tokens.get(m.name), m.start)
            if key is not None:
                add(key, m, actors[key].name, "person", 0, m.role)
                weak.discard(key)
            elif m.name in by_name:
                key = by_name[m.name]
                add(key, m, actors[key].name, actors[key].type, 0)
            elif m.evidence:
                add("person\t" + _key(m.name), m, m.name, "person", 1, m.role)
        titled: dict[str, list[str]] = {}
        for key, a in actors.items():
            if a.type == "person" and a.role:
                titled.setdefault(a.role.split()[-1], []).append(key)
        for m in mentions:
            if m.kind == "title":
                keys = titled.get(m.name.split()[-1], [])
                if len(keys) == 1:
                    add(keys[0], m, actors[keys[0]].name, "person", 0)
        # common nouns, bare ones joined to their only qualified form
        qualified: dict[str, list[str]] = {}
        for m in mentions:
            if m.kind == "qual":
                key, canonical = m.key.split("\t")
                add("qual\t" + key, m, m.name, m.type, 2)
                keys = qualified.setdefault(canonical, [])
                if "qual\t" + key not in keys:
                    keys.append("qual\t" + key)
        for m in mentions:
            if m.kind == "group":
                keys = qualified.get(m.name, [])
                if len(keys) == 1:
                    a = actors[keys[0]]
                    add(keys[0], m, a.name, a.type, 0)
                else:
                    add("group\t" + m.name, m, m.name, m.type, 1)
        result = []
        for key in sorted(actors, key=lambda k: order[k]):
            if key in weak:
                continue
            a = actors[key]
            spans = sorted(set(a.mentions))
            result.append(Actor(name=a.name, type=a.type, role=a.role, mentions=spans))
        return result


def _plain(word: str) -> bool:
    return all(c.isalpha() or c in "-'’" for c in word)


def _plural_of(low: str, heads: dict[str, str]) -> bool:
    """Whether a lower-case word is the plural of a head noun ("codes", "ministries")."""
    if not low.endswith("s") or low.endswith("ss"):
        return False
    return any(w in heads for w in (low[:-1], low[:-2] if low.endswith("es") else "",
                                     low[:-3] + "y" if low.endswith("ies") else "") if w)


def _name_shaped(word: str) -> bool:
    """Capitalised like a name: "Kozlov", "Kassym-Jomart", "al-Sisi", "O'Brien", "McDonald"."""
    if word.startswith(("al-", "el-")):
        word = word[3:]
    if not word or not word[0].isupper():
        return False
    if len(word) > 1 and word.isupper():
        return False
    if len(word) > 40:
        return False
    return word.translate(_NAME_MARKS).isalpha()


def _has(name: str, marker: str) -> bool:
    i = name.find(marker)
    while i >= 0:
        before = name[i - 1] if i else " "
        j = i + len(marker)
        after = name[j] if j < len(name) else " "
        if not before.isalnum() and not after.isalnum():
            return True
        i = name.find(marker, i + 1)
    return False


_INTL_PREFIXES = ("un ", "u.n. ", "united nations ", "eu ", "european union ", "osce ")


def _strip_intl(key: str) -> str:
    for p in _INTL_PREFIXES:
        if key.startswith(p):
            return key[len(p):]
    return key


_QUALIFIERS = frozenset({"of", "for", "on", "against"})


def _shortened(alias: dict[str, str]) -> None:
    """Join a short name of several words to the one longer name of the text it shortens:
    "the Working Group" to "Working Group on the Universal Periodic Review" (its head before
    a qualifier) or to "UPR Working Group" (its end)."""
    keys = sorted(set(alias.values()))
    if len(keys) < 2:
        return
    longer: dict[str, set[str]] = {}  # a short form -> the names it shortens
    for k in keys:
        words = _strip_intl(k).split()
        for i in range(1, len(words)):
            if len(words) - i >= 2:
                longer.setdefault(" ".join(words[i:]), set()).add(k)
            if words[i] in _QUALIFIERS and i >= 2:
                longer.setdefault(" ".join(words[:i]), set()).add(k)
    redirect = {}
    for k in keys:
        found = longer.get(_strip_intl(k), set()) - {k}
        if len(found) == 1:
            redirect[k] = found.pop()
    for key, value in alias.items():
        for _ in range(4):  # a short name of a short name: follow to the longest
            value = redirect.get(value, value)
        alias[key] = value


def _head_of(name: str) -> str:
    lows = name.lower().split()
    for i in range(1, len(lows)):
        if lows[i] in _HEAD_SPLIT:
            return lows[i - 1]
    return lows[-1] if lows else ""


def _nearest(found: list[tuple[int, str]] | None, pos: int) -> str | None:
    """The person a lone surname or first name stands for: the nearest one named before it,
    else the first one named after it."""
    if not found:
        return None
    i = bisect_left(found, (pos, ""))
    return found[i - 1][1] if i > 0 else found[0][1]
