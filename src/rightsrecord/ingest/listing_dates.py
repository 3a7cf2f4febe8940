"""Entry dates on listing pages: where a line or text node is a date, and which day it names.

An entry's date comes in many dresses: "Feb 27, 2015", "Monday 14 September 2009",
"Tue, 05/03/2024", "2024-03-05", after a type label ("Press release · 25 March 2013",
"NEWS | 3 May 2021") or before a byline ("05/03/2024 by admin"). Numeric dates are read
day-first or month-first by the page (`numeric_order`), never one by one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from .dates import LISTING_DATE, MONTHS

_WEEKDAY = (r"(?:(?:mon|tue|tues|wed|weds|thu|thur|thurs|fri|sat|sun)\.?"
            r"|(?:mon|tues|wednes|thurs|fri|satur|sun)day),?\s+")
_NUMERIC = r"(?P<n1>\d{1,2})(?P<sep>[./])(?P<n2>\d{1,2})(?P=sep)(?P<n3>\d{4})"
DATE = re.compile(rf"(?<![\w/.-])(?:{_WEEKDAY})?(?:{LISTING_DATE.pattern}|{_NUMERIC})(?![\w/-])",
                  re.IGNORECASE)
_ISO_PREFIX = re.compile(r"\s*(\d{4})-(\d{2})-(\d{2})")
_SENTENCE = re.compile(r"[.!?;]\s|[.!?]$")
MAX_LABEL_WORDS = 4
MAX_LABEL_CHARS = 40
MAX_TAIL_WORDS = 5


@dataclass(frozen=True)
class Hit:
    """A date in a line: the text before it, the match, the text after it."""

    before: str
    match: re.Match[str]
    after: str

    @property
    def numeric(self) -> tuple[int, int] | None:
        m = self.match
        return (int(m["n1"]), int(m["n2"])) if m["n1"] else None

    @property
    def month_first_text(self) -> bool:
        return bool(self.match["mdy"])

    def iso(self, day_first: bool = True) -> str | None:
        m = self.match
        try:
            if m["mdy"]:
                day = date(int(m["y1"]), MONTHS[m["m1"].lower()], int(m["d1"]))
            elif m["dmy"]:
                day = date(int(m["y2"]), MONTHS[m["m2"].lower()], int(m["d2"]))
            elif m["iso"]:
                day = date(int(m["y3"]), int(m["m3"]), int(m["d3"]))
            else:
                a, b, y = int(m["n1"]), int(m["n2"]), int(m["n3"])
                day = date(y, b, a) if day_first else date(y, a, b)
        except ValueError:
            return None
        return day.isoformat()

    @property
    def alone(self) -> bool:
        """The line is this date, with at most a short label before and a short tail after."""
        return _short(self.before, MAX_LABEL_WORDS) and _short(self.after, MAX_TAIL_WORDS)

    @property
    def leads(self) -> bool:
        """The line opens with the date (after at most a label), whatever follows."""
        return not self.before or self.alone


def _short(text: str, words: int) -> bool:
    text = text.strip(" \t·|•–—-:,/()[]")
    return not text or (len(text) <= MAX_LABEL_CHARS and len(text.split()) <= words
                        and not _SENTENCE.search(text))


def find(line: str) -> Hit | None:
    """The first date in `line` (None when there is none); only the first 80 characters are
    searched, so a long line costs no more than a short one."""
    head = line[:80]
    m = DATE.search(head)
    if not m:
        return None
    return Hit(head[:m.start()].strip(), m, (head[m.end():] + line[80:]).strip())


def date_line(line: str) -> Hit | None:
    """The date when `line` is an entry's date line (the date alone, or leading)."""
    hit = find(line)
    return hit if hit is not None and hit.leads else None


def numeric_order(hits: list[Hit], month_first_hint: bool = False) -> bool:
    """True when the page's numeric dates are day-first: a part over 12 settles it, else the
    page's other dates (month-first text such as "March 5, 2024") or its language decide."""
    pairs = [p for p in (h.numeric for h in hits) if p]
    if any(a > 12 >= b for a, b in pairs):
        return True
    if any(b > 12 >= a for a, b in pairs):
        return False
    texts = [h.month_first_text for h in hits if not h.numeric and not h.match["iso"]]
    if texts:
        return sum(texts) * 2 < len(texts)
    return not month_first_hint


def iso_attribute(value: str | None) -> str | None:
    """The day of an ISO `datetime` attribute ("2024-03-05", "2024-03-05T09:12:00+03:00")."""
    m = _ISO_PREFIX.match(value or "")
    if not m:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3])).isoformat()
    except ValueError:
        return None
