"""Sentence spans by a fast rule: end punctuation, then space and an opening capital/quote/digit.

Abbreviations that end in a period (Mr., Dr., Jan., U.S.) do not end a sentence. Blank lines
and line breaks after list bullets always do.
"""

from __future__ import annotations

import re

_ABBREV = {
    "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "gen", "col", "lt", "sgt", "capt", "gov",
    "sen", "rep", "rev", "hon", "no", "vs", "etc", "inc", "ltd", "co", "corp", "dept", "univ",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "e.g", "i.e", "u.s", "u.n", "u.k", "e.u", "a.m", "p.m", "approx", "art", "para", "paras",
    "fig", "op", "cf", "al",
}
_BOUNDARY = re.compile(r"([.!?][\"'”’)\]]*)(\s+)(?=[\"'“‘(\[]?[A-Z0-9\u0400-\u04FF])|\n\s*\n+")
_WORD_BEFORE = re.compile(r"([\w.]+)$")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, whitespace trimmed, covering all non-blank text."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        if m.group(1):
            word = _WORD_BEFORE.search(text, max(start, m.start() - 20), m.start())
            token = word.group(1).lower().rstrip(".") if word else ""
            if token in _ABBREV or (len(token) == 1 and token.isalpha()):
                continue
            end = m.end(1)
        else:
            end = m.start()
        _add(text, start, end, spans)
        start = m.end()
    _add(text, start, len(text), spans)
    return spans


def _add(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))
