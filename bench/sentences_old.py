"""The two sentence splitters the shared segmenter replaced, kept for `sentences_bench.py`.

`fast_spans`: end punctuation, then space and an opening capital/quote/digit. `repair_spans`:
the same on a same-length copy with mojibake quotes repaired and, in (nearly) all lower-case
text, the letter after each stop upper-cased.
"""

from __future__ import annotations

import bisect
import re

from rightsrecord.extract.events_text import _MOJIBAKE, _repair

_ABBREV = {
    "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "gen", "col", "lt", "sgt", "capt", "gov",
    "sen", "rep", "rev", "hon", "no", "vs", "etc", "inc", "ltd", "co", "corp", "dept", "univ",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "e.g", "i.e", "u.s", "u.n", "u.k", "e.u", "a.m", "p.m", "approx", "art", "para", "paras",
    "fig", "op", "cf", "al",
}
_BOUNDARY = re.compile(r"([.!?][\"'”’)\]]*)(\s+)(?=[\"'“‘(\[]?[A-Z0-9\u0400-\u04FF])|\n\s*\n+")
_WORD_BEFORE = re.compile(r"([\w.]+)$")
_LETTER = re.compile(r"[^\W\d_]")
_UPPER = re.compile(r"[A-Z\u00c0-\u00de\u0400-\u042f]")
_CAP_AFTER_STOP = re.compile(
    r"([.!?][\"'\u201d\u2019)\]]*(?:\s+(?:[\"'\u201c\u2018(\[] *)?|[\"'\u201c\u2018] *))([a-z])"
)


def fast_spans(text: str) -> list[tuple[int, int]]:
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


def _repair_for_split(m: re.Match[str]) -> str:
    out = _repair(m)
    if len(out) > 1 and not out[0].isalnum():
        return " " * (len(out) - 1) + (out[0] if not out[0].isspace() else " ")
    return out


def repair_spans(text: str) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    if _MOJIBAKE.search(text):
        runs = [m.span() for m in _MOJIBAKE.finditer(text)]
        work = _MOJIBAKE.sub(_repair_for_split, text)
    else:
        work = text
    sample = work[:5000]
    letters = len(_LETTER.findall(sample))
    if letters and len(_UPPER.findall(sample)) < 0.01 * letters:
        work = _CAP_AFTER_STOP.sub(lambda m: m.group(1) + m.group(2).upper(), work)
    if len(work) != len(text):
        work = text
    spans = fast_spans(work)
    if not runs:
        return spans
    starts = [a for a, _b in runs]
    out = []
    for s, e in spans:
        i = bisect.bisect_right(starts, s) - 1
        if i >= 0 and runs[i][0] < s < runs[i][1]:
            s = runs[i][0]
        i = bisect.bisect_right(starts, e - 1) - 1
        if i >= 0 and runs[i][0] < e < runs[i][1]:
            e = runs[i][1]
        if out and s < out[-1][1]:
            s = out[-1][1]
        if e > s:
            out.append((s, e))
    return out


def stage_spans(text: str) -> list[tuple[int, int]]:
    """What the `sentences` stage v1 chose: the repairing splitter for lower-cased or
    mis-decoded text, else the fast one."""
    from rightsrecord.casing import is_lower_cased

    return repair_spans(text) if is_lower_cased(text) or "â€" in text else fast_spans(text)
