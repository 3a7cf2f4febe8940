"""The date of each event, and where it came from.

`date_events(seg, events, parsed)` gives each event the date its own clause names (in the
parse of its sentence, a date that depends on the trigger), else one of a verb governing it,
else one its evidence names, else the discourse anchor: the date the previous sentence of
the paragraph gave its event, when this sentence goes on telling it ("He was detained on
arrival") and states no date or period of its own ("He had been held since June 2023" is not
dated by the sentence before it). Only when none exists does it take the publication date,
marked `date_source: "published"`: the date of the listing entry that tells the event where
a page's body holds its entries, else the segment's. Every other date is `"text"`. Precision
is kept (`facts.date_precision`). A date that tells the time of something else is passed
over: of another clause ("after protests broke out in 2020"), of a verb whose clausal
complement tells the event ("warned on May 3 that the ruling had ..."), of a reporting verb
("reported on July 4 that ...") unless the event noun is its object ("confirmed the order on
Thursday"), of a noun ("the Law of 2014"), a period's bound ("since 2014"). A clause of the
event noun dates it ("the ruling, handed down on May 3"), and so does a bare participle's
date its clause ("Sitting on May 3, the court upheld ..."). Without a parse, clauses are cut
at punctuation.

The dates are the `dates` stage's Timexes. Relative expressions are resolved here against the
anchor (the nearest earlier date of the sentence, else the paragraph's), else the publication
date: anaphoric ones ("the next day", "a day earlier", "the previous day"), a duration with
"later/earlier/after/before" ("two days later"; months and years at month and year
precision), "over the next two days" (the day after the anchor) and a bare "the day before".
Deictic ones ("last week", "yesterday") keep the publication-relative value of the Timex.
A past event never resolves after publication: a month or day written without a year goes to
its latest past occurrence, and a relative date that would is passed over; a date with a
written year stands (an update after publication).

Measured on the who-did-what set (`evaluation/whodid.py`): taking the paragraph's anchor for
every undated event cost 18 points of date accuracy against the publication fallback, hence
the narrow "goes on telling it" reading (`DISCOURSE`).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from ..document import Segment
from ..facts import Event, date_precision
from .dates import PARTS_OF_DAY, SEASONS, UNITS, UNITS_PLURAL
from .roles import words

_ANAPHORIC = re.compile(r"\b(?:next|following|previous|preceding|earlier|later|before|after|"
                        r"same|that)\b", re.I)
_YEAR = re.compile(r"\b\d{4}\b|'\d\d\b")
# "two days later", "a week earlier"; not "two days after the vote" (before another event)
_AFTER_DURATION = re.compile(
    r"\s*(?:(later|afterwards?|earlier)\b|(after|before|prior)\b(?!\s+\w))", re.I)
_OVER_NEXT = re.compile(r"(?:over|during|in|within|for)\s+$", re.I)
_DAY_BEFORE = re.compile(r"\b(?:the|a|one)\s+day\s+(before|after)\b(?=\s*[,.;)]|\s*$)", re.I)
_CLAUSE = re.compile(r"[;:—–]|,\s+(?:and|but|while|whereas|although|though)\b|\bwhile\b")
_FUTURE = re.compile(r"\b(?:will|shall|scheduled|due to|set to|plans? to|expected to|upcoming)"
                     r"\b[^.;]{0,40}$", re.I)
# A period's bound ("since 2014"), not the time of the event.
_SINCE = re.compile(r"\b(?:since|until|till)\s+(?:the\s+)?$", re.I)
# "today", "now": the time of telling, no anchor for the narrative
_DEICTIC = re.compile(r"(?:today|now|currently|this week)\b", re.I)
_TIME_NOUNS = frozenset({*PARTS_OF_DAY, *UNITS, *UNITS_PLURAL, *SEASONS, "end", "beginning",
                         "start", "middle", "night", "evening", "morning", "week", "weekend"})
# An event whose sentence gives no date takes: "continued", the date the previous sentence
# gave its event when this one goes on telling it; "paragraph", the date the paragraph
# established; "off", none.
DISCOURSE = "continued"
_CONTINUES = re.compile(r"[\"“(]?(?:he|she|they|then|later|afterwards|subsequently|there)\b",
                        re.I)
_DURATION = re.compile(r"^P(\d+(?:\.\d+)?)([DWMY])$")


@dataclass
class _Cand:
    start: int
    end: int
    value: str | None  # None: relative, resolved against the anchor
    year_given: bool
    shift: tuple[int, str] | None = None  # (amount, unit D/M/Y) from the anchor


def _norm(value: str) -> str | None:
    """A Timex value as day, month or year: weeks go to their month, seasons and quarters to
    their year, clock times to their day."""
    if not value[:4].isdigit():
        return None
    if "T" in value:
        value = value.split("T")[0]
    if date_precision(value):
        return value
    m = re.match(r"^(\d{4})-W(\d\d)", value)
    if m:
        try:
            thursday = date.fromisocalendar(int(m.group(1)), int(m.group(2)), 4)
            return thursday.isoformat()[:7]
        except ValueError:
            return value[:4]
    return value[:4]


def _candidates(text: str, seg: Segment) -> list[_Cand]:
    out: list[_Cand] = []
    for t in seg.dates:
        tail = text[t.end:t.end + 40]
        if t.type == "DURATION":
            m = _DURATION.match(t.value)
            if not m:
                continue
            n, unit = float(m.group(1)), m.group(2)
            amount, unit = (int(n * 7), "D") if unit == "W" else (int(n), unit)
            after = _AFTER_DURATION.match(tail)
            if after:
                word = (after.group(1) or after.group(2)).lower()
                sign = -1 if word in ("earlier", "before", "prior") else 1
                out.append(_Cand(t.start, t.end + after.end(), None, False, (sign * amount, unit)))
            elif _OVER_NEXT.search(text[max(0, t.start - 12):t.start]) and re.search(
                    r"\b(?:next|following|coming)\b", t.text, re.I):
                out.append(_Cand(t.start, t.end, None, False, (1, unit)))
            continue
        if t.type not in ("DATE", "TIME"):
            continue
        value = _norm(t.value)
        if value is None:
            continue
        given = bool(_YEAR.search(t.text)) or re.fullmatch(r"\d{4}", t.value) is not None
        if not given and _ANAPHORIC.search(t.text) and not re.search(r"\d", t.text):
            shift = _anaphoric_shift(t.text, t.value)
            if shift is not None:
                out.append(_Cand(t.start, t.end, None, False, shift))
                continue
        out.append(_Cand(t.start, t.end, value, given))
    taken = [(c.start, c.end) for c in out]
    for m in _DAY_BEFORE.finditer(text):
        if not any(s < m.end() and m.start() < e for s, e in taken):
            out.append(_Cand(m.start(), m.end(), None, False,
                             (-1 if m.group(1).lower() == "before" else 1, "D")))
    out.sort(key=lambda c: c.start)
    return out


_SHIFT_WORDS = {"next": 1, "following": 1, "later": 1, "after": 1, "previous": -1,
                "preceding": -1, "earlier": -1, "before": -1, "same": 0, "that": 0}
_UNIT_WORDS = {"day": "D", "morning": "D", "evening": "D", "night": "D", "afternoon": "D",
               "week": "W", "month": "M", "year": "Y"}


def _anaphoric_shift(text: str, value: str) -> tuple[int, str] | None:
    """(amount, unit) for "the next day", "a day earlier", "the previous week", "that day"."""
    low = text.lower().split()
    unit = next((_UNIT_WORDS[w] for w in low if w in _UNIT_WORDS), None)
    sign = next((_SHIFT_WORDS[w] for w in low if w in _SHIFT_WORDS), None)
    if unit is None or sign is None:
        return None
    n = 1
    for w in low:
        if w.isdigit():
            n = int(w)
    if unit == "W":
        return (7 * n * sign, "D")
    return (n * sign, unit)


def _shift(anchor: str, amount: int, unit: str) -> str | None:
    prec = date_precision(anchor)
    if prec is None:
        return None
    y = int(anchor[:4])
    if unit == "Y":  # "a year later": the year only
        return f"{y + amount:04d}"
    if prec == "year":
        return anchor
    mo = int(anchor[5:7])
    if unit == "M":  # "two months later": the month only
        k = y * 12 + mo - 1 + amount
        return f"{k // 12:04d}-{k % 12 + 1:02d}"
    if prec == "month":
        return anchor
    try:
        return (date.fromisoformat(anchor) + timedelta(days=amount)).isoformat()
    except ValueError:
        return None


def _after(value: str, published: str | None) -> bool:
    if not published or not published[:4].isdigit():
        return False
    n = len(value)
    return value > published[:n]


def _to_past(value: str, published: str) -> str:
    """A month or day without a written year, at its latest occurrence not after publication."""
    y = int(published[:4])
    for year in (y, y - 1):
        cand = f"{year:04d}{value[4:]}"
        if not _after(cand, published):
            return cand
    return f"{y - 1:04d}{value[4:]}"


class _Resolver:
    def __init__(self, seg: Segment) -> None:
        self.seg, self.text = seg, seg.text
        self.published = seg.published
        self.cands = _candidates(self.text, seg)
        self.starts = [c.start for c in self.cands]
        self.sentences = seg.sentences or [(0, len(self.text))]
        self.sent_starts = [s for s, _ in self.sentences]
        self.paragraph = self._paragraphs()
        self.anchors: dict[int, str] = {}  # sentence index -> the date it established

    def _paragraphs(self) -> list[int]:
        out, par, prev = [], 0, None
        for s, e in self.sentences:
            if prev is not None and "\n\n" in self.text[prev:s].replace("\r", ""):
                par += 1
            out.append(par)
            prev = e
        return out

    def sentence_of(self, pos: int) -> int:
        return max(0, bisect_right(self.sent_starts, pos) - 1)

    def within(self, s: int, e: int) -> list[_Cand]:
        lo = bisect_right(self.starts, s - 1)
        hi = bisect_right(self.starts, e - 1)
        return [c for c in self.cands[lo:hi] if c.end <= e]

    def anchor_before(self, si: int, pos: int) -> str | None:
        """The nearest earlier date of the sentence, else the paragraph's discourse anchor."""
        s = self.sentences[si][0]
        for c in reversed(self.within(s, pos)):
            if self.bound(c, s):
                continue
            value = self.value(c, si, c.start, past=True, anchored=False)
            if value:
                return value
        return self.discourse(si)

    def bound(self, c: _Cand, s: int) -> bool:
        """A period's bound coarser than a day ("since 2009"), or a date standing alone on
        its line (a dateline: when the text was written): no time of an event."""
        return self.period(c, s) or self.dateline(c)

    def period(self, c: _Cand, s: int) -> bool:
        """A period's bound coarser than a day ("since 2009")."""
        return bool(_SINCE.search(self.text[max(s, c.start - 8):c.start])) and \
            date_precision(c.value) != "day"

    def dateline(self, c: _Cand) -> bool:
        line_start = self.text.rfind("\n", 0, c.start) + 1
        line_end = self.text.find("\n", c.end)
        line = self.text[line_start:line_end if line_end >= 0 else len(self.text)]
        return line.strip() == self.text[c.start:c.end].strip()

    def own_time(self, si: int) -> bool:
        """The sentence states a date or period of its own ("He had been held since June
        2023"), other than a dateline: another sentence's date is not its time."""
        s, e = self.sentences[si]
        return any((c.value is not None or self.period(c, s)) and not self.dateline(c)
                   for c in self.within(s, e))

    def discourse(self, si: int) -> str | None:
        """The date the preceding sentences of the paragraph established: the date the
        nearest of them gave its event, else the first date it names."""
        par = self.paragraph[si]
        j = si - 1
        while j >= 0 and self.paragraph[j] == par:
            if j in self.anchors:
                return self.anchors[j]
            first = self.first_date(j)
            if first:
                return first
            j -= 1
        return None

    def first_date(self, si: int) -> str | None:
        s, e = self.sentences[si]
        for c in self.within(s, e):
            if c.value is not None and not _DEICTIC.match(self.text, c.start, c.end) \
                    and not self.bound(c, s):
                value = self.value(c, si, c.start, past=True, anchored=False)
                if value:
                    return value
        return None

    def value(self, c: _Cand, si: int, pos: int, past: bool, anchored: bool = True
              ) -> str | None:
        if c.value is None:
            if not anchored or c.shift is None:
                return None
            base = self.anchor_before(si, c.start) or (self.published or "")[:10] or None
            value = _shift(base, *c.shift) if base else None
        else:
            value = c.value
        if value is None:
            return None
        if past and self.published and _after(value, self.published):
            if c.value is None:  # resolved against publication into its future
                return None
            if not c.year_given and date_precision(value) != "year":
                return _to_past(value, self.published)
        return value  # a written year after publication stands (an update, a late report)

    def date_of(self, ev: Event, parsed: tuple[Any, int] | None) -> str | None:
        pos = ev.trigger[0] if ev.trigger else ev.start
        si = self.sentence_of(pos)
        ss, se = self.sentences[si]
        past = not _FUTURE.search(self.text[max(ss, pos - 60):pos])
        in_sentence = [c for c in self.within(ss, se) if not self.bound(c, ss)]
        if parsed is not None:
            ranked = [(k, c) for c in in_sentence
                      if (k := _attachment(c, *parsed, self.text)) is not None]
            groups = [[c for k, c in ranked if k == rank] for rank in (0, 1, 2)]
        else:
            clause = self._clause(ss, se, pos)
            groups = [[c for c in in_sentence if clause[0] <= c.start and c.end <= clause[1]],
                      in_sentence]
        groups.append([c for c in self.within(ev.start, ev.end) if not ss <= c.start < se])
        for group in groups:
            for c in sorted(group, key=lambda c: abs(c.start - pos)):
                value = self.value(c, si, pos, past)
                if value:
                    if c.shift is None or c.shift[0] > 0:  # a flashback moves no anchor
                        self.anchors.setdefault(si, value)
                    return value
        if self.own_time(si):  # a date passed over above: the time of something else
            return None
        if DISCOURSE == "paragraph":
            return self.discourse(si)
        return self.continued(si) if DISCOURSE == "continued" else None

    def continued(self, si: int) -> str | None:
        """The date the previous sentence gave its event, when this one goes on telling it
        (opens with a pronoun or a sequence word: "He was detained on arrival")."""
        s = self.sentences[si][0]
        if si == 0 or self.paragraph[si - 1] != self.paragraph[si] or si - 1 not in self.anchors:
            return None
        return self.anchors[si - 1] if _CONTINUES.match(self.text, s) else None

    def _clause(self, s: int, e: int, pos: int) -> tuple[int, int]:
        lo, hi = s, e
        for m in _CLAUSE.finditer(self.text, s, e):
            if m.end() <= pos:
                lo = m.end()
            elif m.start() >= pos:
                hi = m.start()
                break
        return lo, hi


def _attachment(c: _Cand, trigger: Any, base: int, text: str) -> int | None:
    """How the date attaches to the event in the parse of its sentence: 0 a dependent of the
    trigger ("arrested on May 3", "the 2022 arrests", "the ruling, handed down on May 3"), 1
    of a verb that governs it ("on May 3 police carried out arrests"), 2 outside the parsed
    window; None when it tells the time of something else: another clause ("after protests
    broke out in 2020"), a reporting verb ("reported on July 4 that ..."), a noun ("the Law of
    2014")."""
    doc = trigger.doc
    s, e = c.start - base, c.end - base
    toks = [t for t in doc if t.idx < e and s < t.idx + len(t.text)]
    if not toks:
        return 2
    inside = {t.i for t in toks}
    x = next((t for t in toks if t.head.i not in inside), toks[0])
    for _ in range(12):
        h = x.head
        if h.i == x.i:
            return 1
        if h.i == trigger.i:
            return 0
        if h.tag_.startswith("VB") and h.dep_ not in ("amod", "compound"):
            if h.dep_ in ("acl", "relcl") and h.head.i == trigger.i:
                return 0  # a clause of the event noun: "the ruling, handed down on May 3"
            if h.dep_ == "advcl" and h.tag_ in ("VBG", "VBN") and h.head.i != h.i and not any(
                    c.dep_ == "mark" for c in h.children):
                x = h  # a bare participle shares its clause's time: "Sitting on May 3, ..."
                continue
            return _governed(h, trigger)
        if (h.lower_ == "of" and h.head.i != trigger.i and h.head.tag_.startswith("NN")
                and h.head.lower_ not in _TIME_NOUNS):  # not "the evening of March 8"
            return None
        x = h
    return 2


class _Entries:
    """The dated entries of a listing that its page's body holds, where the body has each
    entry's title and text: an event told in one was published on the entry's date, not the
    page's."""

    def __init__(self, seg: Segment) -> None:
        self.spans: list[tuple[int, int, str]] = []
        doc = seg.parent
        if seg.kind != "body" or doc is None:
            return
        at = 0
        for item in doc.items:
            date = item.published or item.date
            found = [span for part in (item.title, item.text) if part and part.strip()
                     and (span := _locate(seg.text, part.strip(), at)) is not None]
            if date and found:
                self.spans.append((found[0][0], found[-1][1], date))
                at = found[-1][1]
        self.starts = [s for s, _, _ in self.spans]

    def date_at(self, pos: int) -> str | None:
        i = bisect_right(self.starts, pos) - 1 if self.spans else -1
        return self.spans[i][2] if i >= 0 and pos < self.spans[i][1] else None


_PROBE = 48  # characters of an entry's text that find it in its page's body


def _locate(text: str, part: str, at: int) -> tuple[int, int] | None:
    """Where `part` stands in `text` from `at` on: found by its opening characters, ended by
    its closing ones (the body may space it differently)."""
    start = text.find(part[:_PROBE], at)
    if start < 0:
        return None
    if text.startswith(part, start):
        return start, start + len(part)
    end = text.find(part[-_PROBE:], start)
    return start, (end + len(part[-_PROBE:]) if end >= 0 else start + len(part))


def _governed(verb: Any, trigger: Any) -> int | None:
    """1 when the date's verb governs the trigger in its own clause ("on May 3 police carried
    out arrests", "confirmed the order on May 3"); None when the trigger lies outside it, is
    told in a clausal complement ("warned on May 3 that the ruling had ..."), or is what a
    reporting verb tells ("reported on July 4 that ...")."""
    if not verb.is_ancestor(trigger):
        return None
    path: list[Any] = []  # the trigger and its heads below the verb
    t = trigger
    while t.i != verb.i and len(path) < 24:
        path.append(t)
        t = t.head
    if any(p.dep_ == "ccomp" for p in path):
        return None
    if verb.lower_ in words()["report"]:
        # only the event noun as its object: the verb acts on the event, telling nothing
        nominal = path[-1].dep_ == "dobj" and not any(p.tag_.startswith("VB") for p in path)
        return 1 if nominal else None
    return 1


def date_events(seg: Segment, events: list[Event],
                parsed: dict[int, tuple[Any, int]] | None = None) -> None:
    """Set each event's date and date_source (see the module docstring). `parsed` gives, by
    `id(event)`, the trigger's token in a parse of its sentence and the parse's offset
    (`roles.assign_roles`); an event without one is read by punctuation clauses."""
    parsed = parsed or {}
    resolver = _Resolver(seg)
    entries: _Entries | None = None  # read when an event first needs its fallback
    for ev in sorted(events, key=lambda ev: ev.trigger[0] if ev.trigger else ev.start):
        if ev.date is not None:
            ev.date_source = ev.date_source or "text"
            continue
        ev.date = resolver.date_of(ev, parsed.get(id(ev)))
        ev.date_source = "text" if ev.date else None
        if ev.date is None:
            if entries is None:
                entries = _Entries(seg)
            fallback = entries.date_at(ev.start) or seg.published
            if fallback:
                ev.date, ev.date_source = fallback, "published"
