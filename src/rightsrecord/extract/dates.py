"""Temporal expressions (TIMEX3): spans, types and normalised values, by fast rules.

    find_timexes(text, dct=None) -> list[Timex]

Every DATE, TIME, DURATION and SET expression of English text, with its character span,
TimeML type and TimeML value ("2015-02-26", "1998-Q3", "P3Y", "PRESENT_REF", "XXXX-10",
"1998-08-07T10:30", ...). Relative expressions ("last week", "on Thursday", "two years ago",
"a year earlier") are resolved against the document creation time `dct` (an ISO date,
possibly with a time) and, for anaphoric ones, against the last date the text mentioned;
with no `dct` what cannot be resolved stays underspecified in the TimeML way ("XXXX-10").
Span conventions follow TempEval-3 (TimeBank/AQUAINT): determiners are part of a temporal
noun phrase ("the third quarter", "the past three years") but not of a temporal modifier
("the two-week crisis"); prepositions are never part of a span.

How it works, all in linear time (the per-character work runs in C; Python only touches
the few tokens near temporal words):

1. Trigger search (`_trigger_spans`): the lower-cased text with punctuation blanked is split
   into words, intersected with the temporal keywords (months, weekdays, units, "now", ...)
   and the keywords present are located with str.find, plus a few digit shapes (years,
   clock times, "a.m.", numeric dates). Windows of ~20 characters either side are kept.
2. Tokens (`_scan`): each window is tokenised by one regex; each token becomes one symbol
   of a small alphabet (month "M", weekday "W", unit "U", number "N", "the" "t", ... see
   `_LEX`) by dict lookups mapped over the whole token list; multi-word numbers ("twenty-
   four", "nineteen ninety-six") and phrases ("more than", "a couple of") are merged.
3. Grammar (`_RULES`): regular expressions over the symbol string. The string falls apart
   at symbols no rule uses (other words), and the matches of each piece are cached by its
   symbols, so common shapes ("MD,Y", "lU") are matched once per process. Candidates are
   taken leftmost-longest; a handler per rule (`_HANDLERS`) turns the tokens into a type
   and value or rejects them; handler results are memoised on their inputs, so a megabyte
   of one repeated date costs one interpretation.

Data lives in the module-level tables below (months, weekdays, units, numbers, holidays,
tense cues); rules and tables were written from the TempEval-3 TimeBank half and checked on
AQUAINT (see rightsrecord.evaluation.dates).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate, compress, count, repeat
from operator import itemgetter, sub

from rightsrecord.extract.types import Timex

__all__ = ["Timex", "find_timexes"]

# --------------------------------------------------------------------------------------
# Lexicon: lower-cased word -> (symbol, value). Symbols (one character each):
#   M month  K ambiguous month (may, march)  W weekday  w weekdays (SET)  S season
#   H holiday  R today/yesterday/tomorrow/tonight  T part of day (morning, noon, ...)
#   U unit (day, week, year, ...)  V units (plural)  Q quarter  L half  G period/term
#   N number (words or digits, merged)  D number 1..31  Y year  Z decade  O ordinal
#   A a/an  F fuzzy amount (few, several, couple)  j fraction  C clock time  P am/pm
#   z time zone  I numeric date (2015-02-27, 2/27/2015)
#   t the  τ that/these  h this  l last/past  x next/coming  p previous/prior  c current/latest
#   e early/late/mid  E earlier/later  g ago  B end/beginning/middle  q fiscal
#   a about/nearly/more than/...  μ more/additional  ø "or so"  r recent
#   X standalone reference (now, currently, recently)  u future  d daily/weekly/...
#   v every/each/per  k to/or/and  f of  s 's  i preposition  y ahead  ξ times/twice
#   , . - / punctuation   # any other word   | window boundary
# --------------------------------------------------------------------------------------

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
}
MONTH_ABBREV = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
AMBIGUOUS_MONTHS = {"may", "march"}
WEEKDAYS = {
    "monday": 1, "tuesday": 2, "wednesday": 3, "thursday": 4, "friday": 5, "saturday": 6,
    "sunday": 7,
}
SEASONS = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
AMBIGUOUS_SEASONS = {"spring", "fall"}
# unit code: Y year, M month, W week, D day, H hour, MI minute, S second, Q quarter,
# E decade, C century, L millennium, WE weekend, F fortnight
UNITS = {
    "second": "S", "minute": "MI", "hour": "H", "day": "D", "week": "W", "fortnight": "F",
    "month": "M", "year": "Y", "decade": "E", "century": "C", "millennium": "L",
    "weekend": "WE",
}
UNITS_PLURAL = {
    "seconds": "S", "minutes": "MI", "hours": "H", "days": "D", "weeks": "W",
    "fortnights": "F", "months": "M", "quarters": "Q", "years": "Y", "decades": "E",
    "centuries": "C", "millennia": "L", "weekends": "WE",
}
NUMBERS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "thousand": 1000,
    "dozen": 12,
}
ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17,
    "eighteenth": 18, "nineteenth": 19, "twentieth": 20, "thirtieth": 30,
}
DECADE_WORDS = {
    "twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6, "seventies": 7,
    "eighties": 8, "nineties": 9,
}
PARTS_OF_DAY = {
    "morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "overnight": "NI",
    "noon": "12:00", "midday": "12:00", "midnight": "24", "dawn": "MO", "dusk": "EV",
}
RELATIVE_DAYS = {"today": 0, "yesterday": -1, "tomorrow": 1, "tonight": 0}
SET_ADVERBS = {
    "daily": "P1D", "weekly": "P1W", "monthly": "P1M", "annually": "P1Y", "yearly": "P1Y",
    "hourly": "PT1H", "quarterly": "P3M", "nightly": "P1D", "biweekly": "P2W",
    "semiannually": "P6M", "biannually": "P6M",
}
TIME_ZONES = {
    "est", "edt", "cst", "cdt", "mst", "mdt", "pst", "pdt", "gmt", "utc", "bst", "cet",
    "cest", "eet", "eest", "msk", "ist", "jst", "aest",
}
# (month, day) fixed holidays; (month, weekday, n) n-th weekday (n = -1: last)
HOLIDAYS: dict[tuple[str, ...], tuple] = {
    ("christmas",): ("fixed", 12, 25),
    ("christmas", "day"): ("fixed", 12, 25),
    ("christmas", "eve"): ("fixed", 12, 24),
    ("new", "year", "'s", "day"): ("fixed", 1, 1),
    ("new", "year", "'s", "eve"): ("fixed", 12, 31),
    ("independence", "day"): ("fixed", 7, 4),
    ("halloween",): ("fixed", 10, 31),
    ("valentine", "'s", "day"): ("fixed", 2, 14),
    ("veterans", "day"): ("fixed", 11, 11),
    ("boxing", "day"): ("fixed", 12, 26),
    ("may", "day"): ("fixed", 5, 1),
    ("thanksgiving",): ("nth", 11, 4, 4),
    ("thanksgiving", "day"): ("nth", 11, 4, 4),
    ("labor", "day"): ("nth", 9, 1, 1),
    ("memorial", "day"): ("nth", 5, 1, -1),
    ("election", "day"): ("election",),
    ("easter",): ("easter", 0),
    ("easter", "sunday"): ("easter", 0),
    ("good", "friday"): ("easter", -2),
    ("easter", "monday"): ("easter", 1),
}

# single words -> (symbol, value)
_LEX: dict[str, tuple[str, object]] = {}
for _w, _v in MONTHS.items():
    _LEX[_w] = ("M", _v)
for _w, _v in WEEKDAYS.items():
    _LEX[_w] = ("W", _v)
    _LEX[_w + "s"] = ("w", _v)
for _w, _v in SEASONS.items():
    _LEX[_w] = ("S", _v)
for _w, _v in UNITS.items():
    _LEX[_w] = ("U", _v)
for _w, _v in UNITS_PLURAL.items():
    _LEX[_w] = ("V", _v)
for _w, _v in NUMBERS.items():
    _LEX[_w] = ("N", _v)
for _w, _v in ORDINALS.items():
    _LEX[_w] = ("O", _v)
for _w, _v in DECADE_WORDS.items():
    _LEX[_w] = ("Z", ("word", _v))
for _w, _v in PARTS_OF_DAY.items():
    _LEX[_w] = ("T", _v)
for _w, _v in RELATIVE_DAYS.items():
    _LEX[_w] = ("R", _v)
for _w, _v in SET_ADVERBS.items():
    _LEX[_w] = ("d", _v)
for _w in TIME_ZONES:
    _LEX[_w] = ("z", _w)
_LEX.update({
    "quarter": ("Q", "Q"), "half": ("L", "H"), "period": ("G", "period"),
    "term": ("G", "term"), "a": ("A", 1), "an": ("A", 1),
    "few": ("F", "X"), "several": ("F", "X"), "couple": ("F", 2), "many": ("F", "X"),
    "the": ("t", "the"), "that": ("τ", "that"), "these": ("τ", "these"),
    "those": ("τ", "those"),
    "this": ("h", 0), "last": ("l", -1), "past": ("l", -1), "next": ("x", 1),
    "coming": ("x", 1), "upcoming": ("x", 1), "following": ("x", 1),
    "previous": ("p", -1), "preceding": ("p", -1), "prior": ("p", -1),
    "current": ("c", 0), "latest": ("c", 0),
    "early": ("e", "START"), "late": ("e", "END"), "mid": ("e", "MID"),
    "middle": ("B", "MID"), "earlier": ("E", -1), "later": ("E", 1), "ago": ("g", -1),
    "end": ("B", "END"), "beginning": ("B", "START"), "start": ("B", "START"),
    "fiscal": ("q", "fiscal"), "calendar": ("q", "calendar"), "full": ("q", "full"),
    "trading": ("q", "trading"), "business": ("q", "business"), "working": ("q", "working"),
    "comparable": ("ω", "same"), "corresponding": ("ω", "same"), "same": ("ω", "same"),
    "about": ("a", "APPROX"), "nearly": ("a", "LESS_THAN"), "almost": ("a", "LESS_THAN"),
    "around": ("a", "APPROX"), "approximately": ("a", "APPROX"), "roughly": ("a", "APPROX"),
    "some": ("a", "APPROX"), "over": ("a", "MORE_THAN"), "under": ("a", "LESS_THAN"),
    "more": ("μ", "more"), "additional": ("μ", "more"), "extra": ("μ", "more"),
    "recent": ("r", "PAST_REF"), "recently": ("X", "PAST_REF"), "now": ("X", "PRESENT_REF"),
    "currently": ("X", "PRESENT_REF"), "nowadays": ("X", "PRESENT_REF"),
    "future": ("u", "FUTURE_REF"), "near": ("ν", "near"),
    "every": ("v", "every"), "each": ("v", "each"), "per": ("v", "per"),
    "to": ("k", "to"), "or": ("k", "or"), "and": ("k", "and"), "of": ("f", "of"),
    "'s": ("s", "'s"), "’s": ("s", "'s"),
    "in": ("i", "in"), "on": ("i", "on"), "at": ("i", "at"), "since": ("i", "since"),
    "until": ("i", "until"), "till": ("i", "until"), "by": ("i", "by"),
    "during": ("i", "during"), "from": ("i", "from"), "for": ("i", "for"),
    "within": ("i", "within"), "through": ("i", "through"), "before": ("i", "before"),
    "after": ("i", "after"), "ahead": ("y", "ahead"), "times": ("ξ", "times"),
    "twice": ("ξ", "twice"),
    "a.m.": ("P", "am"), "p.m.": ("P", "pm"), "a.m": ("P", "am"), "p.m": ("P", "pm"),
    "am": ("P", "am"), "pm": ("P", "pm"),
})
del _w, _v

# multi-word phrases: first word -> [(following words, symbol, value)], longest first
_PHRASES: dict[str, list[tuple[tuple[str, ...], str, object]]] = {}


def _phrase(words: str, sym: str, val: object) -> None:
    first, *rest = words.split()
    _PHRASES.setdefault(first, []).append((tuple(rest), sym, val))
    _PHRASES[first].sort(key=lambda p: -len(p[0]))


for _p, _s, _v in (
    ("more than", "a", "MORE_THAN"), ("less than", "a", "LESS_THAN"),
    ("fewer than", "a", "LESS_THAN"), ("at least", "a", "EQUAL_OR_MORE"),
    ("no more than", "a", "EQUAL_OR_LESS"), ("up to", "a", "EQUAL_OR_LESS"),
    ("as many as", "a", "EQUAL_OR_LESS"), ("as much as", "a", "EQUAL_OR_LESS"),
    ("as long as", "a", "EQUAL_OR_LESS"), ("just over", "a", "MORE_THAN"),
    ("or so", "ø", "or so"),
    ("right now", "X", "PRESENT_REF"), ("these days", "X", "PRESENT_REF"),
    ("more recently", "X", "PAST_REF"), ("most recently", "X", "PAST_REF"),
):
    _phrase(_p, _s, _v)
for _k, _h in HOLIDAYS.items():
    _phrase(" ".join(_k), "H", _h)
del _p, _s, _v, _k, _h
# first word -> the words that can follow it in a phrase (a quick test before the full one)
_PHRASE_SECOND = {w: None if any(not r for r, _, _ in ps) else {r[0] for r, _, _ in ps}
                  for w, ps in _PHRASES.items()}

# --------------------------------------------------------------------------------------
# Triggers and tokens
# --------------------------------------------------------------------------------------

_TRIGGER_WORDS = sorted(
    set(MONTHS) | set(MONTH_ABBREV) | set(WEEKDAYS) | set(SEASONS) | set(UNITS)
    | set(UNITS_PLURAL) | set(DECADE_WORDS) | set(PARTS_OF_DAY) | set(RELATIVE_DAYS)
    | set(SET_ADVERBS) | {"christmas", "thanksgiving", "easter", "halloween", "eve"}
    | {"quarter", "period", "now", "currently", "recent", "recently", "nowadays", "future",
       "past", "nineteen", "current", "latest"}
    - {"second"}
)


# Trigger search. Punctuation becomes space and every digit "0" (one character for one, so
# offsets hold); the words present are intersected with the trigger words, and only those
# present are searched for (str.find), plus a few digit shapes (years, clock times, a.m.,
# ordinals, decades, numeric dates). All of it runs in C; no regex walks the whole text.
_TRANS = {ord(c): " " for c in "!\"#$%&'()*+,;<=>?@[\\]^_`{|}~-“”‘’«»—–…·•\t\n\r\x0b\x0c\xa0"}
_TRANS.update({ord(c): "0" for c in "0123456789"})
_TRIG_SET = frozenset(
    [w for w in _TRIGGER_WORDS if w.isalpha()]
    + [w + "s" for w in _TRIGGER_WORDS if w.isalpha()]
    + [w + "." for w in _TRIGGER_WORDS if w.isalpha()]
    + [w + "s." for w in _TRIGGER_WORDS if w.isalpha()]
)
_DIGIT_SHAPES = ("0000", "0:00", "0 a.m", "0 p.m", "0a.m", "0p.m", "00s", "0/0")

_TOKEN = re.compile(
    r"""
    \s*(?:                                               # whitespace before a token
    \d{4}-\d\d-\d\d(?:t\d\d:\d\d(?::\d\d)?)?(?![\d-])   # ISO date (time)
   |\d{1,2}/\d{1,2}/(?:\d{4}|\d\d)(?![\d/])             # numeric date m/d/y
   |\d{1,2}\.\d{1,2}\.\d{4}(?![\d.]\d)                    # numeric date d.m.y
   |\d{1,2}:\d\d(?::\d\d)?(?!\d)                        # clock time
   |\d{1,3}(?:,\d{3})+(?:\.\d+)?                        # grouped number
   |\d+/\d+                                             # fraction
   |\d+(?:\.\d+)?(?:st|nd|rd|th|s|['’]s)?(?![^\W\d_])   # number, ordinal, decade
   |['’]\d0s\b                                          # '80s
   |[ap]\.m\.?(?![^\W\d_])                              # a.m. / p.m.
   |['’]s\b                                             # possessive
   |[^\W\d_]+                                           # word
   |\S                                                  # anything else
    )""",
    re.X,
)

_WINDOW_BEFORE = 20  # before / after the start of a trigger: 99.5% of TempEval-3
_WINDOW_AFTER = 22  # expressions reach no further than 17 characters either way
_PUNCT_SYM = {",": ",", ".": ".", "-": "-", "/": "/", "–": "-"}
_DIGITS = frozenset("0123456789")
# tokens that need a second look (phrases, abbreviations, ambiguous words, number words)
_SPECIAL = frozenset(_PHRASES) | frozenset(MONTH_ABBREV) | AMBIGUOUS_MONTHS \
    | AMBIGUOUS_SEASONS | frozenset(NUMBERS) | {"a", "an"}


@dataclass(slots=True)
class _Tok:
    start: int
    end: int
    sym: str
    val: object
    low: str


def _trigger_spans(low: str) -> list[int]:
    """Start offsets of temporal trigger words and digit shapes, sorted."""
    tr = low.translate(_TRANS)
    n = len(tr)
    hits: list[int] = []
    add = hits.append
    find = tr.find
    words = {w[:-1] if w[-1] == "." else w for w in _TRIG_SET.intersection(tr.split())}
    for w in words:
        k = len(w)
        i = find(w)
        while i >= 0:
            j = i + k
            if (i == 0 or not tr[i - 1].isalnum()) and (j == n or not tr[j].isalpha()):
                add(i)
            i = find(w, j)
    if "0" in tr:
        for w in _DIGIT_SHAPES:
            i = find(w)
            k = len(w)
            while i >= 0:
                add(i)
                i = find(w, i + k)
    hits.sort()
    return hits


def _windows(low: str) -> list[tuple[int, int]]:
    """Merged text windows around temporal triggers, snapped to whitespace."""
    out: list[tuple[int, int]] = []
    n = len(low)
    before, after = _WINDOW_BEFORE, _WINDOW_AFTER
    cur_s = cur_e = -1
    for h in _trigger_spans(low):
        if h - before <= cur_e:
            cur_e = h + after
            continue
        if cur_e >= 0:
            out.append((cur_s, cur_e))
        cur_s, cur_e = h - before, h + after
    if cur_e >= 0:
        out.append((cur_s, cur_e))
    snapped: list[tuple[int, int]] = []
    rfind, find = low.rfind, low.find
    for s, e in out:
        if s <= 0:
            s = 0
        else:
            k = rfind(" ", max(0, s - 40), s + 1)
            if k >= 0:
                s = k + 1
            else:  # no space near: at least do not start inside a word
                stop = max(0, s - 64)
                while s > stop and low[s - 1].isalnum():
                    s -= 1
        if e >= n:
            e = n
        else:
            k = find(" ", e, e + 40)
            e = k if k >= 0 else min(n, e + 40)
        while e > s and low[e - 1].isspace():
            e -= 1
        if snapped and s <= snapped[-1][1]:
            snapped[-1] = (snapped[-1][0], e)
        else:
            snapped.append((s, e))
    return snapped


_SENT_END = frozenset(".!?\"'“”‘’`:;") | {"``", "''"}


_DIGIT_MEMO: dict[str, tuple[str, object]] = {}


def _classify_digits(tok: str) -> tuple[str, object]:
    found = _DIGIT_MEMO.get(tok)
    if found is None:
        found = _classify_digits_uncached(tok)
        if len(_DIGIT_MEMO) > 8192:
            _DIGIT_MEMO.clear()
        _DIGIT_MEMO[tok] = found
    return found


def _classify_digits_uncached(tok: str) -> tuple[str, object]:
    if len(tok) > 24:
        return "#", tok
    if tok[0] in "'’":  # '80s
        return "Z", ("short", int(tok[1]))
    if len(tok) >= 10 and tok[4] == "-":
        return "I", tok
    if ":" in tok:
        return "C", tok
    if tok.count(".") == 2:
        return "I", tok
    if "/" in tok:
        parts = tok.split("/")
        if len(parts) == 3:
            return "I", tok
        a, b = int(parts[0]), int(parts[1])
        if b in (2, 3, 4) and 0 < a < b:
            return "j", a / b
        return "#", tok
    if "," in tok:
        return "N", float(tok.replace(",", ""))
    if tok.endswith(("st", "nd", "rd", "th")) and tok[:-2].isdigit():
        return "O", int(tok[:-2])
    if tok.endswith("s") and not tok[-2].isdigit() and tok[-2] != "0":
        return "#", tok
    if tok.endswith("s"):
        digits = tok[:-1]
        if len(digits) == 4 and digits.endswith("0"):
            return "Z", ("long", int(digits))
        if len(digits) == 2 and digits.endswith("0"):
            return "Z", ("short", int(digits[0]))
        return "#", tok
    if "." in tok:
        return "N", float(tok)
    v = int(tok)
    if len(tok) == 4 and 1000 <= v <= 2199:
        return "Y", v
    if 1 <= v <= 31 and len(tok) <= 2:
        return "D", v
    return "N", v


class _Stream:
    """The tokens of all windows as parallel lists, with "|" between windows."""

    __slots__ = ("S", "E", "Y", "V", "W")

    def __init__(self) -> None:
        self.S: list[int] = []
        self.E: list[int] = []
        self.Y: list[str] = []
        self.V: list[object] = []
        self.W: list[str] = []

    def tok(self, k: int) -> _Tok:
        return _Tok(self.S[k], self.E[k], self.Y[k], self.V[k], self.W[k])


def _scan(text: str, low: str, windows: list[tuple[int, int]]) -> _Stream:
    """Tokens and symbols of all windows. Each piece is a token with the whitespace before
    it; every step but the few digit and special tokens runs in C (map, accumulate)."""
    findall = _TOKEN.findall
    ws0 = windows[0][0]
    pieces: list[str] = ["\x00"]  # window boundary, symbol "|", ending where a window starts
    base = ws0 - 1
    prev = ws0
    for ws, we in windows:
        if ws > prev:
            pieces.append(" " * (ws - prev - 1) + "\x00")
        pieces.extend(findall(low, ws, we))
        prev = we
    pieces.append("\x00")
    st = _Stream()
    st.E = E = list(accumulate(map(len, pieces), initial=base))[1:]
    st.W = toks = list(map(str.lstrip, pieces))
    st.S = list(map(sub, E, map(len, toks)))
    st.Y = Y = list(map(_SYM_GET, toks, repeat("#")))
    st.V = V = list(map(_VAL_GET, toks))
    firsts = "".join(map(itemgetter(0), toks))
    for m in _DIGIT_FIRST.finditer(firsts):
        k = m.start()
        t = toks[k]
        if t[0] in "'’" and not (len(t) > 2 and t[1] in _DIGITS):
            continue
        Y[k], V[k] = _classify_digits(t)
    special = list(compress(count(), map(_SPECIAL.__contains__, toks)))
    if special:
        _second_look(text, st, special)
    return st


_DIGIT_FIRST = re.compile(r"[0-9'’]")
_SYM = {w: e[0] for w, e in _LEX.items()}
_SYM.update(_PUNCT_SYM)
_SYM["\x00"] = "|"
_SYM_GET = _SYM.get
_VAL_GET = {w: e[1] for w, e in _LEX.items()}.get


def _second_look(text: str, st: _Stream, special: list[int]) -> None:
    """Phrases, month abbreviations, ambiguous words and number words, merged in place."""
    S, E, Y, V, W = st.S, st.E, st.Y, st.V, st.W
    n = len(Y)
    merged = False
    for i in special:
        y = Y[i]
        if not y:  # absorbed by an earlier merge
            continue
        w = W[i]
        cands = _PHRASES.get(w)
        second = _PHRASE_SECOND.get(w, ())
        if cands and (second is None or i + 1 < n and W[i + 1] in second):
            hit = False
            for rest, sym, val in cands:
                k = len(rest)
                if i + k < n and all(W[i + 1 + j] == rest[j] for j in range(k)):
                    Y[i], V[i], E[i] = sym, val, E[i + k]
                    W[i] = " ".join((w,) + rest)
                    for j in range(i + 1, i + k + 1):
                        Y[j] = ""
                    merged = hit = True
                    break
            if hit:
                continue
        if w in MONTH_ABBREV and y == "#":
            if i + 1 < n and W[i + 1] == "." and S[i + 1] == E[i]:
                Y[i], V[i], E[i] = "M", MONTH_ABBREV[w], E[i + 1]
                Y[i + 1] = ""
                merged = True
            elif i + 1 < n and Y[i + 1] in "DOY":
                Y[i], V[i] = "M", MONTH_ABBREV[w]
        elif w in AMBIGUOUS_MONTHS and y == "M":
            raw = text[S[i]:E[i]]
            prev = W[i - 1] if i else ""
            capital = raw[0].isupper() and not raw.isupper()
            sentence_start = (not prev or prev in _SENT_END or prev == "|"
                              or "\n" in text[E[i - 1]:S[i]])
            Y[i] = "M" if capital and not sentence_start else "K"
        elif w in AMBIGUOUS_SEASONS and y == "S":
            Y[i] = "~"
        elif y == "A":
            if text[S[i]] == "A" and i + 1 < n and W[i + 1] == ".":
                Y[i] = "#"
            elif i + 1 < n and Y[i + 1] == "N" and V[i + 1] in (100, 1000, 12):
                Y[i], V[i], E[i] = "N", V[i + 1], E[i + 1]
                Y[i + 1] = ""
                merged = True
        elif y == "N" and isinstance(V[i], int) and w.isalpha():
            merged |= _merge_number_words(text, st, i)
    if merged:
        keep = [k for k, y in enumerate(Y) if y]
        st.S = [S[k] for k in keep]
        st.E = [E[k] for k in keep]
        st.Y = [Y[k] for k in keep]
        st.V = [V[k] for k in keep]
        st.W = [W[k] for k in keep]


_TENS = {20, 30, 40, 50, 60, 70, 80, 90}


def _merge_number_words(text: str, st: _Stream, i: int) -> bool:
    """"twenty-four", "two thousand", "nineteen ninety-six" (a year), "twenty-first"."""
    S, E, Y, V, W = st.S, st.E, st.Y, st.V, st.W
    n = len(Y)
    parts: list = [V[i]]
    j = i + 1
    last = i
    ordinal = None
    while j < n:
        y = Y[j]
        if y == "-" and j + 1 < n and Y[j + 1] in "NO" and W[j + 1].isalpha() \
                and S[j] == E[last]:
            j += 1
            continue
        if y == "N" and isinstance(V[j], int) and W[j].isalpha():
            parts.append(V[j])
            last = j
            j += 1
            continue
        if y == "O" and W[j].isalpha() and parts[-1] in _TENS and V[j] < 10:
            ordinal = V[j]
            last = j
        break
    if last == i:
        return False
    if ordinal is not None:
        Y[i], V[i] = "O", _number_value(parts) + ordinal
    else:
        year = _spoken_year(parts)
        Y[i], V[i] = ("Y", year) if year is not None else ("N", _number_value(parts))
    E[i] = E[last]
    W[i] = text[S[i]:E[i]].lower()
    for k in range(i + 1, last + 1):
        Y[k] = ""
    return True


def _number_value(parts: list) -> float:
    total = 0
    cur = 0
    for p in parts:
        if p in (100, 1000) and cur:
            cur *= p
            if p == 1000:
                total += cur
                cur = 0
        else:
            cur += p
    return total + cur


def _spoken_year(parts: list) -> int | None:
    """nineteen ninety-six -> 1996; nineteen eighty -> 1980."""
    if len(parts) >= 2 and 11 <= parts[0] <= 20 and parts[1] in _TENS | {0}:
        rest = sum(parts[1:])
        if len(parts) <= 3 and rest < 100:
            return parts[0] * 100 + rest
    return None


# --------------------------------------------------------------------------------------
# Grammar over symbols
# --------------------------------------------------------------------------------------

# a quantity: "two", "2 1/2", "a", "a few", "a couple of", "12 to 18", "nearly three"
_AMT = r"(?:a(?=[NDFAj]))?(?:A?Ff?|[ND]j?|A(?=μ?-?q?[UVQ])|j|[NDF]kN|[NDF]k[ND])"

_RULES: list[tuple[str, str]] = [
    # numeric and absolute dates
    ("iso", r"I"),
    ("mdy", r"(?:(?:[lxhp]|hx|t[px])?W,?)?[MK](?:\.|,)?(?:[DO])(?:,?Y)?"),
    ("dmy", r"(?:(?:[lxhp]|hx|t[px])?W,?)?t?[DO]f?[MK](?:,?Y)?"),
    ("week_of", r"tUf[MK][DO](?:,?Y)?"),
    ("my", r"(?:[eB]-?|tBf|[lxh])?[MK],?(?:fY|Y|[hlx]U)"),
    ("month", r"(?:[eE]-?|tBf|[lxhp]|hx)?[MK]"),
    ("year", r"(?:q-?|e-?|tBf)?Y(?:s(?=[QGLU]))?"),
    ("year_end", r"(?:a(?=U))?(?:U-?B|UsB)"),
    ("end_of", r"tBf(?:t|[hlx])?q?[UQ]"),
    ("that_unit", r"τ(?:q)?[UQ]"),
    ("year_of", r"tU[YN]"),
    ("decade", r"t?(?:[lo]Lft?)?(?:e-?)?Z"),
    ("century", r"t?O-?U(?=[^N]|$)"),
    ("season", r"(?:t(?:e-?)?|[hlxpE]|e-?|hl|[eE][hlx]|tBft?)?[S~](?:f?Y)?"),
    ("holiday", r"(?:[lxh])?H(?:,?Y)?"),
    # quarters, halves, periods
    ("quarter", r"t?(?:[Yc]|[hlxp]Us|Ys|[hlx]|U-?[gE]|t?[lo])?q?-?O-?q?-?[QL](?:fY)?"),
    ("quarter2", r"t(?:c|Y|U-?[gE]|ωU-?[gE]|[lp]|[hlx]Us|ω)?q?[QG](?!-)(?:[lx]U)?"),
    ("quarter3", r"[hτ][QG]"),
    ("half", r"t?O(?:N)?V?fY"),
    # relative to the document date
    ("deictic", r"(?:[eE]|tBf|e-?)?(?:[hlx]|t[clpx]|c|hl|tl)q?[UQ]"),
    ("deictic_day", r"t[xpl]U"),
    ("ago", r"(?:" + _AMT + r"|[NDF]?)-?[UVQ]ø?g"),
    ("earlier", r"(?:" + _AMT + r")?-?[UQ]ø?E"),
    ("year_earlier", r"(?:tω?)?U-?[gE](?:[UQG]|O-?Q)?"),
    ("weekday", r"(?:[lxh]|t[px]|hx|[eE])?W(?:T)?"),
    ("relday", r"(?:[eE]|T-?)?R(?:T)?"),
    ("tod", r"(?:[hlt]|e-?|E[hlx]?)T(?:,?[WR])?"),
    ("tod_alone", r"T(?:,?[WR])?"),
    ("clock", r"(?:a(?=[CD]))?(?:C|D)P?z?(?:,?(?:W|R|[MK][DO]|tT|iwT))?(?=[^PCz]|$)"),
    ("clock_in_the", r"[CD]itT"),
    # durations
    ("duration", r"(?:t?[lxpcO]|t)?" + _AMT + r"μ?-?q?(?:[UVQ]|N[UV])(?:kAL|ø)?"),
    ("duration_adj", r"(?:[ND]|A)-[UV]"),
    ("duration_fuzzy", r"(?:t?[lx]|r|x|t)?[FV]?V(?:y)?"),
    ("duration_unit", r"tq?U(?=[^-Y]|$)"),
    # sets
    ("set", r"v(?:" + _AMT + r"|O)?(?:[UWMKSQT]|V)(?:T)?"),
    ("set_adv", r"d"),
    ("set_days", r"w(?:T)?"),
    ("set_rate", r"(?<=ξ)AU"),
    # references
    ("ref", r"X"),
    ("ref_recent", r"r(?:V)?"),
    ("ref_past", r"tl(?![NDFAUVQOWMKS-])"),
    ("ref_current", r"c(?![UQG])"),
    ("ref_future", r"t?ν?u(?:V)?"),
]

_COMPILED = [(name, re.compile(pat)) for name, pat in _RULES]

# No rule uses "#" (any other word), "|" or ";": the symbol string falls apart into chunks
# that are matched independently, and a chunk's matches depend on nothing but the chunk.
# News repeats the same few hundred chunk shapes, so their matches are cached.
_CHUNK_SPLIT = re.compile(r"([#|;]+)")
_CHUNK_CACHE: dict[str, list[tuple[int, int, int, str]]] = {}
_CHUNK_CACHE_MAX = 20000


def _chunk_matches(chunk: str) -> list[tuple[int, int, int, str]]:
    """(offset, -length, rule priority, rule name) of every rule match in a chunk."""
    found = _CHUNK_CACHE.get(chunk)
    if found is None:
        found = []
        for prio, (name, rx) in enumerate(_COMPILED):
            for m in rx.finditer(chunk):
                a, b = m.span()
                if b > a:
                    found.append((a, a - b, prio, name))
        if len(chunk) <= 48:
            if len(_CHUNK_CACHE) >= _CHUNK_CACHE_MAX:
                _CHUNK_CACHE.clear()
            _CHUNK_CACHE[chunk] = found
    return found

# --------------------------------------------------------------------------------------
# Interpretation
# --------------------------------------------------------------------------------------

# Tense cues: the nearest one before an expression (in its clause) decides whether a bare
# weekday or month points forward or back from the document date.
_FUTURE_WORDS = frozenset({
    "will", "'ll", "shall", "wo", "scheduled", "planned", "plan", "plans", "planning",
    "expected", "expect", "expects", "due", "payable", "effective", "tentatively",
    "intend", "intends", "hope", "hopes", "aim", "aims", "until", "tomorrow",
})
_FUTURE_PAIRS = frozenset({("set", "to"), ("going", "to"), ("soon", "as"), ("early", "as")})
_PAST_WORDS = frozenset({
    "was", "were", "had", "did", "ago", "last", "said", "told", "bought", "sold", "brought",
    "made", "took", "began", "became", "came", "went", "left", "paid", "won", "lost", "fell",
    "rose", "grew", "held", "met", "saw", "ran", "gave", "got", "found", "thought", "led",
    "spent", "sent", "struck", "shot", "hit", "put", "wrote", "spoke", "broke", "chose", "knew",
})
_PERFECT = frozenset({"was", "were", "had", "been"})
_STRIP = "\"'`()[]{},:“”‘’«»"


@dataclass(slots=True)
class _Ctx:
    dct: date | None
    dct_time: str | None
    ref: tuple[str, date] | None = None  # (granularity, date) last anchored DATE
    ref_quarter: tuple[int, int] | None = None  # last quarter the text named
    prev: _Tok | None = None  # the token before / after the candidate
    next: _Tok | None = None
    anchored: str | None = None  # the value last passed to _anchor


def _parse_dct(dct: str | None) -> tuple[date | None, str | None]:
    if not dct:
        return None, None
    m = re.match(r"\s*(\d{4})-?(\d\d)-?(\d\d)(?:[T ](\d\d:\d\d))?", dct)
    if not m:
        m2 = re.match(r"\s*(\d{4})", dct)
        if m2:
            return date(int(m2.group(1)), 1, 1), None
        return None, None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3))), m.group(4)
    except ValueError:
        return None, None


def _add_months(d: date, n: int) -> date:
    y, m = divmod(d.month - 1 + n, 12)
    return date(d.year + y, m + 1, 1)


def _fmt(gran: str, d: date) -> str:
    if gran == "Y":
        return f"{d.year:04d}"
    if gran == "M":
        return f"{d.year:04d}-{d.month:02d}"
    if gran == "D":
        return d.isoformat()
    if gran == "W":
        y, w, _ = d.isocalendar()
        return f"{y:04d}-W{w:02d}"
    if gran == "WE":
        y, w, _ = d.isocalendar()
        return f"{y:04d}-W{w:02d}-WE"
    if gran == "Q":
        return f"{d.year:04d}-Q{(d.month - 1) // 3 + 1}"
    if gran == "E":
        return f"{d.year // 10:03d}"
    if gran == "C":
        return f"{d.year // 100:02d}"
    return d.isoformat()


_UNKNOWN = {"Y": "XXXX", "M": "XXXX-XX", "D": "XXXX-XX-XX", "W": "XXXX-WXX",
            "WE": "XXXX-WXX-WE", "Q": "XXXX-QX", "E": "XXX", "C": "XX"}


def _shift(d: date | None, unit: str, n: int) -> str:
    """The date `n` units from `d`, at the unit's granularity."""
    if d is None:
        return _UNKNOWN.get(unit, "XXXX-XX-XX")
    try:
        if unit == "Y":
            return _fmt("Y", date(d.year + n, 1, 1))
        if unit == "M":
            return _fmt("M", _add_months(d, n))
        if unit == "Q":
            return _fmt("Q", _add_months(d, 3 * n))
        if unit in ("W", "WE"):
            return _fmt(unit, d + timedelta(weeks=n))
        if unit == "F":
            return _fmt("W", d + timedelta(weeks=2 * n))
        if unit == "D":
            return _fmt("D", d + timedelta(days=n))
        if unit == "E":
            return _fmt("E", date(d.year + 10 * n, 1, 1))
        if unit == "C":
            return _fmt("C", date(d.year + 100 * n, 1, 1))
    except (ValueError, OverflowError):
        return _UNKNOWN.get(unit, "XXXX-XX-XX")
    return "PRESENT_REF" if n == 0 else ("PAST_REF" if n < 0 else "FUTURE_REF")


def _num(v: object) -> float | str:
    return v if isinstance(v, (int, float)) else "X"


def _duration(amount: float | str, unit: str) -> str:
    if amount == "X":
        return {"S": "PTXS", "MI": "PTXM", "H": "PTXH", "Q": "PXQ", "E": "PXE",
                "C": "PXC", "L": "PXL", "WE": "PXWE", "F": "PXW"}.get(unit, f"PX{unit}")
    a = float(amount)
    if unit == "E":
        a, unit = a * 10, "Y"
    elif unit == "C":
        a, unit = a * 100, "Y"
    elif unit == "L":
        a, unit = a * 1000, "Y"
    elif unit == "F":
        a, unit = a * 2, "W"
    elif unit == "WE":
        a, unit = a * 2, "D"
    if a != int(a):
        whole = int(a)
        frac = a - whole
        sub = {"Y": (12, "M"), "M": (30, "D"), "W": (7, "D"), "D": (24, "H"),
               "H": (60, "MI"), "MI": (60, "S")}.get(unit)
        if sub:
            extra = round(frac * sub[0])
            first = _duration(whole, unit) if whole else "P"
            second = _duration(extra, sub[1])
            if not whole:
                return second
            if "T" in second and "T" not in first:
                return first + second[1:]
            return first + second[1:].lstrip("T") if "T" in first else first + second[1:]
        a = round(a)
    n = int(a)
    if unit in ("H", "MI", "S"):
        return f"PT{n}{'M' if unit == 'MI' else unit}"
    return f"P{n}{unit}"


def _weekday_date(ctx: _Ctx, wd: int, direction: int) -> date | None:
    """direction -1: on or before dct; -2: strictly before; +1: on or after; +2 after."""
    d = ctx.dct
    if d is None:
        return None
    cur = d.isoweekday()
    if direction < 0:
        back = (cur - wd) % 7
        if back == 0 and direction == -2:
            back = 7
        return d - timedelta(days=back)
    fwd = (wd - cur) % 7
    if fwd == 0 and direction == 2:
        fwd = 7
    return d + timedelta(days=fwd)


_ABBREVIATIONS = frozenset({
    "a.m", "p.m", "m", "mr", "mrs", "ms", "dr", "st", "jan", "feb", "mar", "apr", "jun", "jul",
    "aug", "sep", "sept", "oct", "nov", "dec", "gen", "gov", "sen", "rep", "u.s", "co", "inc",
    "corp", "ltd", "no", "vs", "jr", "sr", "a", "p",
})
_TENSE_MEMO: dict[str, int] = {}


def _tense(text: str, start: int) -> int:
    """+1 when the nearest tense cue before `start` (same clause) points to the future,
    -1 when it points to the past, 0 when there is none."""
    before = text[max(0, start - 60):start]
    found = _TENSE_MEMO.get(before)
    if found is None:
        found = _tense_of(before)
        if len(_TENSE_MEMO) > 4096:
            _TENSE_MEMO.clear()
        _TENSE_MEMO[before] = found
    return found


def _tense_of(before: str) -> int:
    k = before.rfind("\n")
    words = before[k + 1:].lower().split()
    if len(words) > 1 and not before[:1].isspace():
        words = words[1:]  # the first word may be cut
    for i in range(len(words) - 1, -1, -1):
        w = words[i]
        core = w.strip(_STRIP)
        if core and core[-1] in ".!?;":
            if i < len(words) - 1 and core.rstrip(".!?;") not in _ABBREVIATIONS:
                return 0  # the end of the previous sentence
            core = core.rstrip(".!?;")
        if core in _FUTURE_WORDS or i and (words[i - 1].strip(_STRIP), core) in _FUTURE_PAIRS:
            if any(x.strip(_STRIP) in _PERFECT for x in words[max(0, i - 3):i]):
                return 0  # "had been due to expire"
            return 1
        if core in _PAST_WORDS or len(core) > 4 and core.endswith("ed"):
            return -1
    return 0


def _tense_after(text: str, end: int) -> int:
    """The first tense cue after `end` in the same clause ("In January, X bought ...")."""
    after = text[end:end + 50]
    for m in _CLAUSE_STOP.finditer(after):
        after = after[:m.start()]
        break
    words = after.lower().split()
    for w in words[:7]:
        core = w.strip(_STRIP)
        if core in ("will", "'ll", "shall", "wo"):
            return 1
        if core in _PAST_WORDS or len(core) > 4 and core.endswith("ed"):
            return -1
    return 0


_CLAUSE_STOP = re.compile(r"[.;!?](?:\s|$)|\n")


def _future_context(text: str, start: int, end: int) -> bool:
    tense = _tense(text, start)
    if tense == 0:
        tense = _tense_after(text, end)
    return tense > 0


def _nth_weekday(year: int, month: int, wd: int, n: int) -> date:
    if n > 0:
        d = date(year, month, 1)
        d += timedelta(days=(wd - d.isoweekday()) % 7)
        return d + timedelta(weeks=n - 1)
    d = _add_months(date(year, month, 1), 1) - timedelta(days=1)
    return d - timedelta(days=(d.isoweekday() - wd) % 7)


def _easter(year: int) -> date:
    """Gregorian Easter Sunday (anonymous Gregorian algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ll = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 19 * ll) // 433
    month = (h + ll - 7 * m + 90) // 25
    day = (h + ll - 7 * m + 33 * month + 19) % 32
    return date(year, month, day)


def _holiday(spec: tuple, year: int) -> date:
    kind = spec[0]
    if kind == "fixed":
        return date(year, spec[1], spec[2])
    if kind == "nth":
        return _nth_weekday(year, spec[1], spec[2], spec[3])
    if kind == "election":
        return _nth_weekday(year, 11, 1, 1) + timedelta(days=1)
    return _easter(year) + timedelta(days=spec[1])


def _month_year(ctx: _Ctx, month: int, text: str, start: int, end: int) -> int | None:
    d = ctx.dct
    if d is None:
        return None
    diff = month - d.month
    if -6 < diff < 4:
        return d.year
    tense = _tense(text, start) or _tense_after(text, end)
    if diff >= 6:
        return d.year if tense > 0 else d.year - 1
    if diff >= 4 and tense < 0:
        return d.year - 1
    if diff <= -6 and tense > 0 or diff <= -8 and tense == 0:
        return d.year + 1
    return d.year


@dataclass(slots=True)
class _Result:
    type: str
    value: str
    trim_left: int = 0  # tokens dropped from the left of the span


def _first(toks: list[_Tok], syms: str) -> _Tok | None:
    for t in toks:
        if t.sym in syms:
            return t
    return None


def _date_value(y: int | None, m: int | None = None, d: int | None = None) -> str | None:
    ys = f"{y:04d}" if y is not None else "XXXX"
    if m is None:
        return ys
    if d is None:
        return f"{ys}-{m:02d}"
    if y is not None:
        try:
            date(y, m, d)
        except ValueError:
            return None
    elif not 1 <= d <= 31:
        return None
    return f"{ys}-{m:02d}-{d:02d}"


# rules whose value is anchored (absolute, or relative to the document date): later
# anaphoric expressions ("a year earlier", "the next day") are resolved against them
_ANCHORING = frozenset({
    "iso", "mdy", "dmy", "my", "month", "year", "quarter", "weekday", "relday", "holiday",
    "clock", "tod",
})


def _anchor(ctx: _Ctx, value: str, rule: str) -> None:
    """Remember an anchored DATE value as the reference for anaphoric expressions."""
    if not value[:4].isdigit():
        return
    y = int(value[:4])
    n = len(value)
    try:
        if n == 4:
            ctx.ref = ("Y", date(y, 1, 1))
        elif n == 7 and value[5] == "Q" and value[6] in "1234":
            q = int(value[6])
            ctx.ref = ("Q", date(y, 3 * q - 2, 1))
            ctx.ref_quarter = (y, q)
        elif n == 7 and value[5:].isdigit():
            ctx.ref = ("M", date(y, int(value[5:]), 1))
        elif n == 10 and value[5:7].isdigit() and value[8:].isdigit():
            ctx.ref = ("D", date(y, int(value[5:7]), int(value[8:])))
    except ValueError:
        pass


def _r_iso(rule: str, toks: list[_Tok], syms: str, ctx: _Ctx,
           text: str) -> _Result | None:
    tok = toks[0].low
    if "-" in tok:
        try:
            date.fromisoformat(tok[:10])
        except ValueError:
            return None
        if "t" in tok:
            return _Result("TIME", tok[:10] + "T" + tok[11:16])
        return _Result("DATE", tok)
    if "." in tok:  # 21.03.2020: day first
        dy, mo, yr = (int(p) for p in tok.split("."))
    else:  # 3/21/2020: month first (day first when the month cannot be a month)
        mo, dy, yr = (int(p) for p in tok.split("/"))
    if yr < 100:
        yr += 1900 if yr >= 50 else 2000
    if mo > 12 and dy <= 12:
        mo, dy = dy, mo
    v = _date_value(yr, mo, dy)
    return _Result("DATE", v) if v else None


def _r_mdy(rule: str, toks: list[_Tok], syms: str, ctx: _Ctx,
           text: str) -> _Result | None:
    start, end = toks[0].start, toks[-1].end
    dct = ctx.dct
    month = _first(toks, "MK").val
    day_tok = None
    for t in toks:
        if t.sym in "DO" and t.start > _first(toks, "MK").start and rule != "dmy":
            day_tok = t
            break
        if rule == "dmy" and t.sym in "DO":
            day_tok = t
            break
    if day_tok is None or not isinstance(day_tok.val, int) or not 1 <= day_tok.val <= 31:
        return None
    year_tok = _first(toks, "Y")
    year = year_tok.val if year_tok else None
    wd_tok = _first(toks, "W")
    if year is None and dct is not None:
        year = _month_year(ctx, month, text, start, end)
        if wd_tok is not None:
            for cand in (dct.year, dct.year - 1, dct.year + 1):
                try:
                    if date(cand, month, day_tok.val).isoweekday() == wd_tok.val:
                        year = cand
                        break
                except ValueError:
                    return None
    v = _date_value(year, month, day_tok.val)
    if v is None:
        return None
    if rule == "week_of" and year is not None:
        y, w, _ = date(year, month, day_tok.val).isocalendar()
        v = f"{y:04d}-W{w:02d}"
    return _Result("DATE", v)


def _r_my(rule: str, toks: list[_Tok], syms: str, ctx: _Ctx,
          text: str) -> _Result | None:
    dct = ctx.dct
    month = _first(toks, "MK").val
    year_tok = _first(toks, "Y")
    if year_tok is not None:
        year = year_tok.val
    else:
        deictic = _first(toks, "hlx")
        if dct is None:
            return _Result("DATE", _date_value(None, month))
        year = dct.year + (deictic.val if deictic else 0)
    return _Result("DATE", _date_value(year, month))


def _r_month(rule: str, toks: list[_Tok], syms: str, ctx: _Ctx,
             text: str) -> _Result | None:
    start, end = toks[0].start, toks[-1].end
    dct = ctx.dct
    mt = _first(toks, "MK")
    if mt.sym == "K" and len(toks) == 1 and not (
            ctx.prev is not None and ctx.prev.low in _MONTH_CUES
            and (ctx.next is None or ctx.next.sym not in "#NDA")):
        return None
    month = mt.val
    trim = 0
    deictic = _first(toks, "lxhp")
    if dct is None:
        return _Result("DATE", _date_value(None, month), trim)
    if deictic is not None and deictic.sym in "lp":
        # "last June" (said in October): this year's; "last February" (said in March)
        # and "last December": the year before
        year = dct.year if month < dct.month - 1 else dct.year - 1
    elif deictic is not None and deictic.sym == "x":
        year = dct.year if month > dct.month else dct.year + 1
    elif deictic is not None:
        year = dct.year
    else:
        year = _month_year(ctx, month, text, start, end)
    return _Result("DATE", _date_value(year, month), trim)


def _r_year(rule: str, toks: list[_Tok], syms: str, ctx: _Ctx,
            text: str) -> _Result | None:
    start, end = toks[0].start, toks[-1].end
    y = _first(toks, "Y")
    v = y.val
    # years need some plausibility: bare 4-digit numbers outside 1900-2099 must have
    # a temporal cue
    has_cue = len(toks) > 1 or _year_cue(text, start)
    if not has_cue and not 1900 <= v <= 2099:
        return None
    if not _year_context_ok(text, start, end):
        return None
    if syms.endswith("s"):
        return None
    trim = 1 if toks[0].sym == "a" else 0
    return _Result("DATE", f"{v:04d}", trim)


def _r_year_end(rule: str, toks: list[_Tok], syms: str, ctx: _Ctx,
                text: str) -> _Result | None:
    """"year-end", "year end", "year's end", "around year end": the document's year."""
    if toks[0].sym == "a" and toks[0].low not in ("around", "about"):
        return None
    u, b = _first(toks, "U"), _first(toks, "B")
    if u.val != "Y" or b.val != "END":
        return None
    if "-" in syms and ctx.dct is not None:  # "year-end": the last day of the year
        since = ctx.prev is not None and ctx.prev.low == "since"
        return _Result("DATE", f"{ctx.dct.year - since:04d}-12-31")
    return _Result("DATE", _shift(ctx.dct, "Y", 0))


def _r_end_of(rule: str, toks: list[_Tok], syms: str, ctx: _Ctx,
              text: str) -> _Result | None:
    """"the end of the month", "the beginning of this week": that unit (with a mod)."""
    u = toks[-1]
    if u.val not in ("Y", "M", "W", "Q"):
        return None
    deictic = _first(toks, "hlx")
    return _Result("DATE", _shift(ctx.dct, u.val, deictic.val if deictic else 0))


def _r_that_unit(rule: str, toks: list[_Tok], syms: str, ctx: _Ctx,
                 text: str) -> _Result | None:
    dct = ctx.dct
    u = _first(toks, "UQ")
    gran = {"Y": "Y", "M": "M", "D": "D", "W": "W", "Q": "Q"}.get(u.val)
    if gran is None or toks[0].low != "that":
        return None
    if ctx.ref is None:
        return _Result("DATE", _shift(dct, gran, 0))
    if gran == "Q" and ctx.ref_quarter is not None:
        return _Result("DATE", f"{ctx.ref_quarter[0]:04d}-Q{ctx.ref_quarter[1]}")
    return _Result("DATE", _shift(ctx.ref[1], gran, 0))


def _r_year_of(rule: str, toks: list[_Tok], syms: str, ctx: _Ctx,
               text: str) -> _Result | None:
    y = toks[2].val
    if toks[1].val != "Y" or not isinstance(y, int) or not 1000 <= y <= 2199:
        return None
    return _Result("DATE", f"{y:04d}")


def _r_decade(rule: str, toks: list[_Tok], syms: str, ctx: _Ctx,
              text: str) -> _Result | None:
    dct = ctx.dct
    z = _first(toks, "Z").val
    kind, n = z
    if kind == "long":
        return _Result("DATE", f"{n // 10:03d}")
    if kind == "word" and toks[0].sym != "t":
        return None
    if ctx.prev is not None and ctx.prev.low in ("his", "her", "their", "my", "your", "our"):
        return None  # an age: "in his 30s"
    century = 19
    if dct is not None and n * 10 + 1900 > dct.year:
        century = 18
    return _Result("DATE", f"{century}{n}")


def _r_century(rule: str, toks: list[_Tok], syms: str, ctx: _Ctx,
               text: str) -> _Result | None:
    unit = toks[-1].val
    if unit != "C":
        return None
    ordt = _first(toks, "O")
    if ordt is None:
        return None
    return _Result("DATE", f"{ordt.val - 1:02d}")


def _r_season(rule: str, toks: list[_Tok], syms: str, ctx: _Ctx,
              text: str) -> _Result | None:
    dct = ctx.dct
    st = _first(toks, "S~")
    if st.sym == "~" and len(toks) == 1:
        return None
    if st.sym == "~" and toks[0].sym in "eE" and len(toks) == 2:
        return None
    season = st.val
    year_tok = _first(toks, "Y")
    if year_tok is not None:
        return _Result("DATE", f"{year_tok.val:04d}-{season}")
    if dct is None:
        return _Result("DATE", f"XXXX-{season}")
    deictic = _first(toks, "lxp")
    year = dct.year
    sidx = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}[season]
    if deictic is not None and deictic.sym in "lp":
        if _first(toks, "h") is None and sidx >= dct.month:
            year -= 1
    elif deictic is not None and deictic.sym == "x" and sidx <= dct.month:
        year += 1
    if season == "WI" and dct.month <= 3 and deictic is None:
        year -= 1
    return _Result("DATE", f"{year:04d}-{season}")


def _r_holiday(rule: str, toks: list[_Tok], syms: str, ctx: _Ctx,
               text: str) -> _Result | None:
    start = toks[0].start
    dct = ctx.dct
    h = _first(toks, "H")
    year_tok = _first(toks, "Y")
    year = year_tok.val if year_tok else (dct.year if dct else None)
    if year is None:
        spec = h.val
        if spec[0] == "fixed":
            return _Result("DATE", f"XXXX-{spec[1]:02d}-{spec[2]:02d}")
        return _Result("DATE", "XXXX-XX-XX")
    day = _holiday(h.val, year)
    deictic = _first(toks, "lx")
    if year_tok is None and dct is not None:
        future = deictic.sym == "x" if deictic is not None else _tense(text, start) > 0
        if not future and day > dct:
            day = _holiday(h.val, year - 1)
        elif future and day < dct:
            day = _holiday(h.val, year + 1)
    return _Result("DATE", day.isoformat())


def _r_quarter(rule: str, toks: list[_Tok], syms: str, ctx: _Ctx,
               text: str) -> _Result | None:
    return _quarter(rule, toks, syms, ctx, text)


def _r_half(rule: str, toks: list[_Tok], syms: str, ctx: _Ctx,
            text: str) -> _Result | None:
    """"the first two quarters of 1990": the first half."""
    o, n = _first(toks, "O"), _first(toks, "N")
    if n is not None and o.val == 1 and n.val == 2 and _first(toks, "V") is not None:
        return _Result("DATE", f"{_first(toks, 'Y').val:04d}-H1")
    return None


def _r_deictic(rule: str, toks: list[_Tok], syms: str, ctx: _Ctx,
               text: str) -> _Result | None:
    return _deictic(toks, syms, ctx)


def _r_deictic_day(rule: str, toks: list[_Tok], syms: str, ctx: _Ctx,
                   text: str) -> _Result | None:
    dct = ctx.dct
    unit = toks[-1].val
    if unit not in ("D", "W", "M", "Y"):
        return None
    if unit != "D":
        return _deictic(toks, syms, ctx)
    sign = toks[1].val
    base = ctx.ref[1] if ctx.ref and ctx.ref[0] == "D" else dct
    if base is None:
        return _Result("DATE", "XXXX-XX-XX")
    return _Result("DATE", (base + timedelta(days=sign)).isoformat())


def _r_ago(rule: str, toks: list[_Tok], syms: str, ctx: _Ctx,
           text: str) -> _Result | None:
    return _ago(toks, syms, ctx)


def _r_earlier(rule: str, toks: list[_Tok], syms: str, ctx: _Ctx,
               text: str) -> _Result | None:
    return _earlier(toks, syms, ctx)


def _r_year_earlier(rule: str, toks: list[_Tok], syms: str, ctx: _Ctx,
                    text: str) -> _Result | None:
    return _year_earlier(toks, syms, ctx)


def _r_weekday(rule: str, toks: list[_Tok], syms: str, ctx: _Ctx,
               text: str) -> _Result | None:
    return _weekday(toks, syms, ctx, text)


def _r_relday(rule: str, toks: list[_Tok], syms: str, ctx: _Ctx,
              text: str) -> _Result | None:
    dct = ctx.dct
    r = _first(toks, "R")
    tt = _first(toks, "T")
    val = "XXXX-XX-XX" if dct is None else (dct + timedelta(days=r.val)).isoformat()
    if r.low == "tonight":
        return _Result("TIME", val + "TNI")
    if tt is not None:
        return _Result("TIME", val + _tod(tt.val))
    return _Result("DATE", val)


def _r_tod(rule: str, toks: list[_Tok], syms: str, ctx: _Ctx,
           text: str) -> _Result | None:
    dct = ctx.dct
    tt = _first(toks, "T")
    other = _first(toks, "WR")
    if rule == "tod_alone" and other is None and tt.val not in ("12:00", "24") \
            and tt.low != "overnight":
        return None
    if rule == "tod" and toks[0].sym == "t" and other is None \
            and tt.low in ("night", "overnight"):
        return None
    base = dct
    if other is not None:
        if other.sym == "R":
            base = dct + timedelta(days=other.val) if dct else None
        else:
            res = _weekday([other], "W", ctx, text)
            base = date.fromisoformat(res.value) if res and res.value[0].isdigit() else None
    elif toks[0].sym == "l" and dct is not None:
        base = dct - timedelta(days=1)
    elif toks[0].sym in "tT" and ctx.ref is not None and ctx.ref[0] == "D":
        base = ctx.ref[1]  # "the morning", "overnight": the day the text is about
    day = base.isoformat() if base else "XXXX-XX-XX"
    return _Result("TIME", day + _tod(tt.val))


def _r_clock(rule: str, toks: list[_Tok], syms: str, ctx: _Ctx,
             text: str) -> _Result | None:
    return _clock(rule, toks, syms, ctx, text)


def _r_duration(rule: str, toks: list[_Tok], syms: str, ctx: _Ctx,
                text: str) -> _Result | None:
    return _duration_rule(rule, toks, syms, ctx, text)


def _r_set(rule: str, toks: list[_Tok], syms: str, ctx: _Ctx,
           text: str) -> _Result | None:
    return _set(toks, syms)


def _r_set_adv(rule: str, toks: list[_Tok], syms: str, ctx: _Ctx,
               text: str) -> _Result | None:
    v = toks[0].val
    if ctx.prev is not None and ctx.prev.low in ("average", "party"):
        return None
    if v in ("P3M", "P1Y") and ctx.next is not None and ctx.next.sym in "#O":
        return None  # "its quarterly dividend": an adjective, not a frequency
    return _Result("SET", v)


def _r_set_days(rule: str, toks: list[_Tok], syms: str, ctx: _Ctx,
                text: str) -> _Result | None:
    w = toks[0].val
    tt = _first(toks, "T")
    return _Result("SET", f"XXXX-WXX-{w}" + (_tod(tt.val) if tt else ""))


def _r_set_rate(rule: str, toks: list[_Tok], syms: str, ctx: _Ctx,
                text: str) -> _Result | None:
    return _Result("SET", _duration(1, toks[1].val))


def _r_ref(rule: str, toks: list[_Tok], syms: str, ctx: _Ctx,
           text: str) -> _Result | None:
    v = toks[0].val
    if v == "PXX":
        return _Result("DURATION", "PXX")
    return _Result("DATE", v)


def _r_ref_recent(rule: str, toks: list[_Tok], syms: str, ctx: _Ctx,
                  text: str) -> _Result | None:
    if len(toks) == 2:
        if toks[1].val == "Y":
            return _Result("DATE", "PAST_REF")
        return _Result("DURATION", _duration("X", toks[1].val))
    return _Result("DATE", "PAST_REF")


def _r_ref_past(rule: str, toks: list[_Tok], syms: str, ctx: _Ctx,
                text: str) -> _Result | None:
    if toks[1].low != "past":
        return None
    return _Result("DATE", "PAST_REF")


def _r_ref_current(rule: str, toks: list[_Tok], syms: str, ctx: _Ctx,
                   text: str) -> _Result | None:
    if toks[0].low != "current":
        return None
    return _Result("DATE", "PRESENT_REF")


def _r_ref_future(rule: str, toks: list[_Tok], syms: str, ctx: _Ctx,
                  text: str) -> _Result | None:
    if len(toks) == 1 or syms == "νu":
        return None
    return _Result("DATE", "FUTURE_REF")


_HANDLERS = {
    "iso": _r_iso,
    "mdy": _r_mdy,
    "dmy": _r_mdy,
    "week_of": _r_mdy,
    "my": _r_my,
    "month": _r_month,
    "year": _r_year,
    "year_end": _r_year_end,
    "end_of": _r_end_of,
    "that_unit": _r_that_unit,
    "year_of": _r_year_of,
    "decade": _r_decade,
    "century": _r_century,
    "season": _r_season,
    "holiday": _r_holiday,
    "quarter": _r_quarter,
    "quarter2": _r_quarter,
    "quarter3": _r_quarter,
    "half": _r_half,
    "deictic": _r_deictic,
    "deictic_day": _r_deictic_day,
    "ago": _r_ago,
    "earlier": _r_earlier,
    "year_earlier": _r_year_earlier,
    "weekday": _r_weekday,
    "relday": _r_relday,
    "tod": _r_tod,
    "tod_alone": _r_tod,
    "clock": _r_clock,
    "clock_in_the": _r_clock,
    "duration": _r_duration,
    "duration_adj": _r_duration,
    "duration_fuzzy": _r_duration,
    "duration_unit": _r_duration,
    "set": _r_set,
    "set_adv": _r_set_adv,
    "set_days": _r_set_days,
    "set_rate": _r_set_rate,
    "ref": _r_ref,
    "ref_recent": _r_ref_recent,
    "ref_past": _r_ref_past,
    "ref_current": _r_ref_current,
    "ref_future": _r_ref_future,
}


_MONTH_CUES = frozenset({
    "in", "since", "until", "till", "through", "during", "from", "of", "early", "late", "mid",
    "last", "next", "this", "before", "after", "by", "between",
})

_YEAR_CUE = re.compile(r"(?:\b(?:in|since|of|by|until|till|from|year|during|before|after|"
                       r"through|early|late|mid|fiscal|the|and|to|or)\s*|-)$", re.I)


def _year_cue(text: str, start: int) -> bool:
    return bool(_YEAR_CUE.search(text[max(0, start - 12):start]))


_NOT_YEAR_AFTER = re.compile(
    r"\s*(?:%|percent|per\b|people|persons|shares|troops|soldiers|tons|feet|meters|miles|"
    r"km|kilometers|dollars|yen|marks|francs|pounds|points|votes|residents|barrels|"
    r"members|units|cars|jobs|workers|acres|[a-z]+ers\b)",
    re.I,
)


def _year_context_ok(text: str, start: int, end: int) -> bool:
    """A four-digit number that is an amount or a label ("$1990", "No. 1990", "1990
    shares"), not a year."""
    if start > 0 and text[start - 1] in "$#£€¥.":
        return False
    if text[max(0, start - 4):start].lower() in ("no. ", " no "):
        return False
    return not _NOT_YEAR_AFTER.match(text, end, end + 30)


def _tod(v: str) -> str:
    return "T" + v if len(v) == 2 else "T" + v[:5]


def _quarter(rule: str, toks: list[_Tok], syms: str, ctx: _Ctx,
             text: str) -> _Result | None:
    dct = ctx.dct
    head = _first(toks, "QLG")
    year_tok = _first(toks, "Y")
    ordt = _first(toks, "O")
    trim = 0
    # hyphenated modifier ("the third-quarter loss"): no determiner
    if len(toks) >= 2 and toks[-2].sym == "-" and toks[0].sym in "tA":
        trim = 1
    if head.sym == "G" and head.val == "term":
        return None
    if rule == "quarter":
        if ordt is None:
            return None
        n = ordt.val
        if head.sym == "L":
            if n not in (1, 2):
                return None
            unit = "H"
        else:
            if not 1 <= n <= 4:
                return None
            unit = "Q"
        if year_tok is not None:
            year = year_tok.val
        elif dct is None:
            return _Result("DATE", f"XXXX-{unit}{n}", trim)
        else:
            year = dct.year
            deictic = _first(toks, "hlx")
            ug = _first(toks, "U")
            if deictic is not None and ug is not None and ug.val == "Y":
                year += deictic.val
            elif ug is not None and ug.val == "Y" and _first(toks, "gE") is not None:
                year -= 1
            elif deictic is None and n > ((dct.month - 1) // 3 + 1 if unit == "Q" else
                                          (dct.month - 1) // 6 + 1) \
                    and (_tense(text, toks[0].start) or _tense_after(text, toks[-1].end)) < 0:
                year -= 1  # "third-quarter profit rose", said in February: last year's
        return _Result("DATE", f"{year:04d}-{unit}{n}", trim)
    # "the quarter", "the latest period", "the year-ago quarter", "the 1988 period"
    if rule == "quarter3" and toks[0].low != "this" and head.sym == "G":
        return None
    cur = _first(toks, "c")
    ago = _first(toks, "gE")
    if dct is None and ctx.ref_quarter is None:
        return _Result("DATE", "XXXX-QX", trim)
    if toks[0].low == "this" and ctx.ref_quarter is not None:
        y, q = ctx.ref_quarter  # "this quarter" in an earnings report: the one reported
        return _Result("DATE", f"{y:04d}-Q{q}", trim)
    if cur is not None and cur.low == "current" or toks[0].low == "this":
        if dct is None:
            return _Result("DATE", "XXXX-QX", trim)
        return _Result("DATE", _fmt("Q", dct), trim)
    if ctx.ref_quarter is not None:
        y, q = ctx.ref_quarter
    else:
        prev = _add_months(dct, -3)
        y, q = prev.year, (prev.month - 1) // 3 + 1
    if year_tok is not None:
        y = year_tok.val
    elif ago is not None:
        y -= 1
    elif _first(toks, "l") is not None or _first(toks, "p") is not None:
        if _first(toks, "U") is not None:
            y -= 1
        else:
            q -= 1
            if q == 0:
                y, q = y - 1, 4
    if head.sym == "G" and len(toks) == 2 and toks[0].sym == "t":
        return None
    return _Result("DATE", f"{y:04d}-Q{q}", trim)


def _deictic(toks: list[_Tok], syms: str, ctx: _Ctx) -> _Result | None:
    unit_tok = _first(toks, "UQ")
    unit = unit_tok.val
    if unit in ("S", "MI", "H", "E", "C", "L"):
        if unit in ("E", "C"):
            dtok = _first(toks, "hlxpc")
            if dtok is not None and dtok.sym == "h":
                return _Result("DATE", _shift(ctx.dct, unit, 0))
            if dtok is not None and dtok.sym in "lx":  # "over the past decade"
                return _Result("DURATION", _duration(1, unit))
        return None
    dtok = None
    for t in toks:
        if t.sym in "hlxpc":
            dtok = t
    sign = dtok.val if isinstance(dtok.val, int) else 0
    if toks[0].sym == "t" and dtok.sym == "l" and unit in ("Y", "M", "W", "D", "Q"):
        # "the past year" ~ the last twelve months; "the last week"
        sign = -1
    if dtok.sym == "h" and _first(toks, "l") is not None:
        sign = -1
    if toks[0].sym == "t" and dtok.sym in "xp" and ctx.ref is not None and unit != "Q":
        base = ctx.ref[1]
    else:
        base = ctx.dct
    return _Result("DATE", _shift(base, unit, sign))


def _amount(toks: list[_Tok]) -> float | str:
    amount: float | str = 1
    seen = False
    if toks[0].sym == "A" and len(toks) > 1 and toks[1].sym == "F":
        toks = toks[1:]  # "a couple of", "a few"
    elif toks[0].sym == "a" and len(toks) > 2 and toks[1].sym == "A" and toks[2].sym == "F":
        toks = toks[2:]
    for i, t in enumerate(toks):
        if t.sym in "NDF" and not seen:
            amount = _num(t.val)
            seen = True
            if i + 1 < len(toks) and toks[i + 1].sym == "j" and amount != "X":
                amount = float(amount) + toks[i + 1].val
        elif t.sym == "j" and not seen:
            amount = t.val
            seen = True
        elif t.sym == "k" and seen and i + 1 < len(toks) and toks[i + 1].sym in "ND":
            if t.val in ("to", "or") and toks[i + 1].sym in "ND" and isinstance(amount, int):
                hi = toks[i + 1].val
                if toks[i + 1].start - t.end >= 0 and hi - amount > 1 and amount >= 10:
                    amount = "X"
            break
        elif t.sym == "A" and not seen:
            amount = 1
            seen = True
        elif t.sym == "L" and seen and amount != "X":  # "a minute and a half"
            amount = float(amount) + 0.5
    return amount


def _ago(toks: list[_Tok], syms: str, ctx: _Ctx) -> _Result | None:
    unit_tok = _first(toks, "UVQ")
    unit = unit_tok.val
    amount = _amount(toks)
    has_amount = any(t.sym in "NDFAj" for t in toks)
    if not has_amount and unit_tok.sym == "V":
        return _Result("DATE", "PAST_REF")
    if amount == "X" or unit in ("S", "MI", "H"):
        if unit in ("S", "MI", "H"):
            return _Result("DATE", "PAST_REF") if amount == "X" else None
        return _Result("DATE", "PAST_REF")
    n = int(round(float(amount)))
    if unit == "Y" and ctx.ref_quarter is not None:
        # business news: "a year ago" compares with the quarter being reported
        y, q = ctx.ref_quarter
        return _Result("DATE", f"{y - n:04d}-Q{q}")
    return _Result("DATE", _shift(ctx.dct, unit, -n))


def _earlier(toks: list[_Tok], syms: str, ctx: _Ctx) -> _Result | None:
    unit_tok = _first(toks, "UQ")
    unit = unit_tok.val
    if unit in ("S", "MI", "H"):
        return None
    amount = _amount(toks)
    has_amount = any(t.sym in "NDFAj" for t in toks)
    if not has_amount:
        return None
    if amount == "X":
        return _Result("DATE", "PAST_REF")
    n = int(round(float(amount)))
    sign = _first(toks, "E").val
    if unit == "Y" and ctx.ref_quarter is not None:
        y, q = ctx.ref_quarter
        return _Result("DATE", f"{y + n * sign:04d}-Q{q}")
    if ctx.ref is not None:
        gran, base = ctx.ref
        if unit == "Y" and gran in ("D", "M"):
            return _Result("DATE", _fmt(gran, _years_back(base, -n * sign)))
        if unit == "D" and gran == "D":
            return _Result("DATE", _shift(base, "D", n * sign))
        return _Result("DATE", _shift(base, unit, n * sign))
    return _Result("DATE", _shift(ctx.dct, unit, n * sign))


def _years_back(d: date, n: int) -> date:
    try:
        return d.replace(year=d.year - n)
    except ValueError:  # 29 February
        return d.replace(year=d.year - n, day=28)


def _year_earlier(toks: list[_Tok], syms: str, ctx: _Ctx) -> _Result | None:
    unit = _first(toks, "U").val
    if unit != "Y":
        return None
    trim = 0
    last = toks[-1]
    if last.sym == "U" and len(toks) >= 2 and toks[0].sym == "t":
        # "the year-earlier results": modifier, no determiner
        trim = 2 if toks[1].sym == "ω" else 1
    sign = _first(toks, "gE").val
    if sign > 0:
        return None
    if ctx.ref_quarter is not None or last.sym in "QG":
        q = ctx.ref_quarter
        if q is None and ctx.dct is not None:
            prev = _add_months(ctx.dct, -3)
            q = (prev.year, (prev.month - 1) // 3 + 1)
        if q is not None:
            return _Result("DATE", f"{q[0] - 1:04d}-Q{q[1]}", trim)
    if ctx.ref is not None:
        gran, base = ctx.ref
        if gran in ("D", "M"):
            return _Result("DATE", _fmt(gran, _years_back(base, 1)), trim)
        return _Result("DATE", _shift(base, "Y", -1), trim)
    return _Result("DATE", _shift(ctx.dct, "Y", -1), trim)


def _weekday(toks: list[_Tok], syms: str, ctx: _Ctx, text: str) -> _Result | None:
    w = _first(toks, "W")
    wd = w.val
    tt = _first(toks, "T")
    deictic = _first(toks, "lxhp")
    trim = 1 if toks[0].sym == "a" else 0
    if ctx.dct is None:
        val = f"XXXX-WXX-{wd}"
    else:
        if deictic is not None and deictic.sym in "lp":
            if toks[0].sym == "t" and ctx.ref is not None and ctx.ref[0] == "D":
                base = ctx.ref[1]
                back = (base.isoweekday() - wd) % 7 or 7
                d = base - timedelta(days=back)
            else:
                d = _weekday_date(ctx, wd, -2)
        elif deictic is not None and deictic.sym == "x":
            d = _weekday_date(ctx, wd, 2 if _first(toks, "h") is None else 1)
        elif deictic is not None and deictic.sym == "h":
            d = _weekday_date(ctx, wd, 1 if _future_context(text, w.start, w.end) else -1)
        elif _future_context(text, toks[0].start, w.end):
            d = _weekday_date(ctx, wd, 1)
        else:
            d = _weekday_date(ctx, wd, -1)
        val = d.isoformat()
    if tt is not None:
        return _Result("TIME", val + _tod(tt.val), trim)
    return _Result("DATE", val, trim)


def _clock(rule: str, toks: list[_Tok], syms: str, ctx: _Ctx, text: str) -> _Result | None:
    first = _first(toks, "CD")
    ampm = _first(toks, "P")
    if first.sym == "D" and ampm is None and rule == "clock":
        return None
    if first.sym == "C":
        parts = first.low.split(":")
        h, mi = int(parts[0]), int(parts[1])
    else:
        h, mi = first.val, 0
    if h > 24 or mi > 59:
        return None
    if ampm is not None:
        if h > 12 or h == 0:
            return None
        if ampm.val == "pm" and h < 12:
            h += 12
        elif ampm.val == "am" and h == 12:
            h = 0
    elif first.sym == "C" and rule == "clock" and len(toks) == 1:
        # bare "10:30": score lines and ratios look the same; need a cue before it
        before = text[max(0, first.start - 6):first.start].lower()
        if not re.search(r"(?:at|by|until|from|since|before|after)\s+$", before):
            return None
    if rule == "clock_in_the":
        tt = toks[-1].val
        if tt in ("AF", "EV", "NI") and h < 12:
            h += 12
    base = ctx.dct
    other = _first(toks, "WRM")
    if other is not None and other.sym == "W":
        res = _weekday([other], "W", ctx, text)
        base = date.fromisoformat(res.value[:10]) if res and res.value[0].isdigit() else None
    elif other is not None and other.sym == "R":
        base = ctx.dct + timedelta(days=other.val) if ctx.dct else None
    elif other is not None and other.sym in "MK":
        dtok = _first(toks[toks.index(other):], "DO")
        year = _month_year(ctx, other.val, text, other.start, other.end) if ctx.dct else None
        v = _date_value(year, other.val, dtok.val) if dtok else None
        if v is None:
            return None
        base = date.fromisoformat(v) if year is not None else None
    elif ctx.ref is not None and ctx.ref[0] == "D":
        base = ctx.ref[1]  # "at 10:35 a.m.": on the day the text is about
    trim = 1 if toks[0].sym == "a" and toks[0].low not in ("around", "about") else 0
    hhmm = f"T{h:02d}:{mi:02d}"
    if base is None:
        return _Result("TIME", ("XXXX-XX-XX" if other is not None else "") + hhmm, trim)
    return _Result("TIME", base.isoformat() + hhmm, trim)


def _duration_rule(rule: str, toks: list[_Tok], syms: str, ctx: _Ctx,
                   text: str) -> _Result | None:
    unit_tok = None
    for t in toks:
        if t.sym in "UVQ":
            unit_tok = t
            if rule == "duration":
                break
    if unit_tok is None:
        return None
    unit = unit_tok.val
    if unit == "Q" and unit_tok.sym == "Q" and rule != "duration":
        return None
    trim = 0
    # "52 years old": an age, not a duration
    end = toks[-1].end
    after = text[end:end + 6].lower()
    if after.startswith((" old", "-old", " of age")) or toks[-1].low == "old":
        return None
    if rule == "duration_unit":
        # a bare unit noun: "the year", "week" -- annotated only with a determiner
        if unit == "WE" and toks[0].sym == "t":  # "the weekend": the last one
            d = ctx.dct
            if d is not None and d.isoweekday() < 6:
                d -= timedelta(days=d.isoweekday())
            return _Result("DATE", _shift(d, "WE", 0))
        if toks[0].sym != "t" or unit not in ("Y", "W", "M", "D", "Q"):
            return None
        if unit_tok.sym != "U":
            return None
        nxt = text[end:end + 12].lower()
        if re.match(r"\s*(?:ended|ending|through|to)\b", nxt):
            return _Result("DURATION", _duration(1, unit))
        if re.match(r"\s*(?:of|before|after|in|when|that|he|she|they|it|earlier|ago)\b", nxt):
            return None
        if unit == "D":
            return None
        return _Result("DATE", _shift(ctx.dct, unit, 0))
    if rule == "duration_fuzzy":
        if toks[0].sym == "r":
            return None
        if toks[-1].sym == "y" and toks[0].sym != "t":
            return None
        if len(toks) == 1:
            # bare plural ("years"): annotated when governed by a preposition of time
            before = text[max(0, toks[0].start - 12):toks[0].start].lower()
            if not re.search(r"\b(?:for|over|in|within)\s+$", before):
                return None
        if toks[0].sym == "t" and len(toks) == 2 and toks[1].sym == "V":
            nxt = text[end:end + 12].lower()
            if not re.match(r"\s*(?:before|after|ahead|since)\b", nxt):
                return None
        if syms == "xV" and toks[0].low == "coming":
            return _Result("DATE", "FUTURE_REF")
        return _Result("DURATION", _duration("X", unit))
    # "three-quarters of": a fraction
    if unit == "Q" and toks[-2].sym == "-" and text[end:end + 4].lower() == " of ":
        return None
    amount = _amount(toks)
    if rule == "duration_adj":
        return _Result("DURATION", _duration(amount, unit))
    # "he will one day return": some day in the future
    if syms == "NU" and amount == 1 and unit == "D" and ctx.prev is not None \
            and ctx.prev.low in ("will", "would", "may", "might", "could", "can", "shall"):
        return _Result("DATE", "FUTURE_REF")
    # hyphenated adjective inside ("the two-week gulf crisis"): determiner is not part
    if len(toks) >= 2 and toks[-2].sym == "-" and toks[0].sym in "tA":
        trim = 1
    if toks[0].sym == "A" and _first(toks[1:], "ND") is not None and unit_tok.sym == "U":
        trim = 1
    if unit_tok.sym == "Q" and toks[-1] is unit_tok:
        return None
    # plain "a day", "a year": rates like "$5 a year" are not durations
    if syms in ("AU",) and toks[0].start > 0:
        before = text[max(0, toks[0].start - 40):toks[0].start]
        if _RATE_BEFORE.search(before):
            return None
    if _first(toks, "t") is not None and _first(toks, "O") is not None \
            and _first(toks, "NDF") is None:
        return None
    return _Result("DURATION", _duration(amount, unit), trim)


_RATE_BEFORE = re.compile(
    r"(?:\d[\d,.]*(?:\s+(?:million|billion|thousand|hundred))?(?:\s+[a-z]+){0,2}|share|cents?"
    r"|percent|%|times|once|twice|hours)\W*$", re.I)


def _set(toks: list[_Tok], syms: str) -> _Result | None:
    head = toks[-1]
    tt = None
    if head.sym == "T" and len(toks) >= 2 and toks[-2].sym == "W":
        tt = head
        head = toks[-2]
    amount = _amount(toks[1:]) if any(t.sym in "NDF" for t in toks[1:]) else 1
    if head.sym == "W":
        return _Result("SET", f"XXXX-WXX-{head.val}" + (_tod(tt.val) if tt else ""))
    if head.sym in "MK":
        return _Result("SET", f"XXXX-{head.val:02d}")
    if head.sym == "S":
        return _Result("SET", f"XXXX-{head.val}")
    if head.sym == "T":
        return _Result("SET", "XXXX-XX-XX" + _tod(head.val))
    if head.sym == "Q":
        return _Result("SET", "P1Q" if amount == 1 else _duration(amount, "Q"))
    if head.sym in "UV":
        if toks[0].val == "per" and head.sym == "U":
            return _Result("SET", _duration(amount, head.val))
        return _Result("SET", _duration(amount, head.val))
    return None


# --------------------------------------------------------------------------------------
# Driver
# --------------------------------------------------------------------------------------


def _lower(text: str) -> str:
    low = text.lower()
    if len(low) != len(text):  # a few characters lower-case to two code points
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return low


_MISSING = object()


def find_timexes(text: str, dct: str | None = None) -> list[Timex]:
    """Temporal expressions of `text` in order, resolved against `dct` (ISO date) if given."""
    if not text:
        return []
    low = _lower(text)
    windows = _windows(low)
    if not windows:
        return []
    st = _scan(text, low, windows)
    syms = "".join(st.Y)
    cands: list[tuple[int, int, int, str]] = []
    parts = _CHUNK_SPLIT.split(syms)  # chunk, separator, chunk, ...
    offsets = list(accumulate(map(len, parts), initial=0))
    cache_get = _CHUNK_CACHE.get
    for k in range(0, len(parts), 2):
        chunk = parts[k]
        if not chunk:
            continue
        found = cache_get(chunk)
        if found is None:
            found = _chunk_matches(chunk)
        if found:
            off = offsets[k]
            cands.extend([(off + a, neg, prio, name) for a, neg, prio, name in found])
    if not cands:
        return []
    cands.sort()
    dct_date, dct_time = _parse_dct(dct)
    ctx = _Ctx(dct_date, dct_time)
    out: list[Timex] = []
    last_end = 0
    n = len(syms)
    tok = st.tok
    S, E, Y, V, W = st.S, st.E, st.Y, st.V, st.W
    # A handler reads the span, the tokens either side, the text up to 64 characters before
    # and after, and the reference dates: equal inputs give equal results, which makes
    # repetitive input (a megabyte of one date) cost one interpretation per distinct context.
    memo: dict[tuple, _Result | None] = {}
    for si, neg_len, _prio, name in cands:
        if si < last_end:
            continue
        ei = si - neg_len
        # punctuation never starts or ends a span
        while ei > si and syms[ei - 1] in ",.-/;":
            ei -= 1
        a = si
        while a < ei and syms[a] in ",.-/;":
            a += 1
        if a >= ei:
            continue
        sa, ee = S[a], E[ei - 1]
        key = (name, sa - max(0, sa - 64), text[max(0, sa - 64):ee + 64],
               W[a - 1] if a else None, W[ei] if ei < n else None, ctx.ref, ctx.ref_quarter)
        res = memo.get(key, _MISSING)
        if res is _MISSING:
            span = [_Tok(S[k], E[k], Y[k], V[k], W[k]) for k in range(a, ei)]
            ctx.prev = tok(a - 1) if a else None
            ctx.next = tok(ei) if ei < n else None
            res = memo[key] = _HANDLERS[name](name, span, syms[a:ei], ctx, text)
        if res is None:
            continue
        b = a + res.trim_left
        while b < ei and Y[b] in "i,":
            b += 1
        if b >= ei:
            continue
        start, end = S[b], ee
        value = res.value
        out.append(Timex(start, end, text[start:end], res.type, value))
        if name in _ANCHORING and value is not ctx.anchored and res.type in ("DATE", "TIME"):
            ctx.anchored = value
            _anchor(ctx, value[:10] if res.type == "TIME" else value, name)
        last_end = ei
    return out
