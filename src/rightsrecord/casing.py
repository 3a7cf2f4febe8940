"""The one test of whether a text was lower-cased as a whole (crawls often are).

Every stage that reads capitals (sentence boundaries, country names) asks this function, so
they all agree on a text. The sentences decide: a cased text opens its sentences with
capitals, a lower-cased one with small letters, whatever capitals a page's boilerplate
("This story is from March 10, 2002", "Facebook Twitter") adds. A text whose sentences do not
tell is lower-cased when almost none of its letters are capitals.
"""

from __future__ import annotations

import re

SAMPLE_CHARS = 5000
MIN_LETTERS = 40  # fewer letters say nothing about the text's case
MAX_UPPER_SHARE = 0.005  # cased English has a capital per sentence at least (about 1%) ...
MAX_UPPER_SHARE_VOTED = 0.03  # ... and names add more (2-4%): no lower-cased text has that

# The first letter after end punctuation, closing quotes and a space; group 1 when small.
_OPENER = re.compile("[.!?][\"'\u201d\u2019)\\]]*[ \t]+[\"'\u201c\u2018(]?(?:([a-z])|[A-Z])")


def is_lower_cased(text: str) -> bool:
    """Whether the first 5,000 characters open more sentences with small letters than with
    capitals (and under 3% of their letters are capitals), or have hardly any capitals (under
    0.5% of their letters, more than 40 letters)."""
    sample = text[:SAMPLE_CHARS]
    small = cap = 0
    for m in _OPENER.finditer(sample):
        if m.group(1):
            small += 1
        else:
            cap += 1
    letters = sum(map(str.isalpha, sample))
    upper = sum(map(str.isupper, sample))
    if small > cap and upper < letters * MAX_UPPER_SHARE_VOTED:
        return True
    return letters > MIN_LETTERS and upper < letters * MAX_UPPER_SHARE
