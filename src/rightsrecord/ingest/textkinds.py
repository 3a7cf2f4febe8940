"""What a text is when it is not a document to read: data, markup source, code or settings.

Decided by content alone, from the first lines: a folder's README, its table of files or its
scripts are skipped for what they hold, whatever they are named.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from itertools import islice

SAMPLE_CHARS = 64 * 1024
SAMPLE_LINES = 200
# A share of the sampled lines that must look alike for the text to be a table or code.
TABLE_SHARE = 0.8
CODE_SHARE = 0.6
MIN_PROSE_LETTERS = 0.5  # letters among the visible characters of prose

_HEADING = re.compile(r"^#{1,6}\s+\S")
_FENCE = re.compile(r"^\s*(?:```|~~~)")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)+\|?\s*$")
_MD_INLINE = re.compile(r"!?\[[^\]\n]+\]\([^)\s]+\)|\*\*[^*\n]+\*\*|`[^`\n]+`")
_CODE_LINE = re.compile(
    r"""^\s*(?:
        (?:import|from\s+[\w.]+\s+import|def|class|function|const|let|var|return|elif|else:|
           try:|except\b|finally:|package|using|public|private|protected|\#include|\#define)\b
      | (?:if|for|while|switch)\s*\(
      | (?:if|for|while|with)\s[^\n]*:\s*$
      | [\w.$\-\[\]"']+\s*(?:=|:=|\+=|-=)\s*\S
      | \[[\w.\- "']+\]\s*$
      | [\w.\-"']+\s*:(?:\s+\S{1,40})?\s*$
      | [\w.]+\(.*\)\s*;?\s*$
      | (?:\#|//|/\*|\*/|--\s|<!--)
      | [}\])]
      | .*[{};]\s*$
    )""",
    re.VERBOSE,
)


def _lines(text: str) -> list[str]:
    return [ln for ln in text[:SAMPLE_CHARS].splitlines() if ln.strip()][:SAMPLE_LINES]


def _json(text: str) -> str | None:
    start = text.lstrip()[:1]
    if start not in ("{", "["):
        return None
    try:
        json.loads(text)
        return "JSON data"
    except RecursionError:
        return "JSON data"
    except ValueError:
        pass
    head = list(islice((ln for ln in text.splitlines() if ln.strip()), 20))
    try:
        if head and all(isinstance(json.loads(ln), dict | list) for ln in head):
            return "JSON lines"
    except (ValueError, RecursionError):
        pass
    return None


def _markdown(lines: list[str]) -> bool:
    """A Markdown source: a heading, fence or table rule, and a second Markdown mark."""
    blocks = sum(1 for ln in lines if _HEADING.match(ln) or _FENCE.match(ln)
                 or _TABLE_RULE.match(ln))
    inline = sum(1 for ln in lines if _MD_INLINE.search(ln))
    return blocks >= 1 and blocks + inline >= 2


def _table(lines: list[str]) -> str | None:
    """A delimited table: most lines hold the same number of the same delimiter."""
    for delimiter, name, least, rows in (("\t", "tab-separated table", 1, 2),
                                         (",", "comma-separated table", 2, 3),
                                         (";", "semicolon-separated table", 2, 3)):
        if len(lines) < rows:
            continue
        count, same = Counter(ln.count(delimiter) for ln in lines).most_common(1)[0]
        if count >= least and same >= TABLE_SHARE * len(lines):
            return name
    return None


def _code(lines: list[str]) -> bool:
    if lines and lines[0].startswith("#!"):
        return True
    if len(lines) < 3:
        return False
    return sum(1 for ln in lines if _CODE_LINE.match(ln)) >= CODE_SHARE * len(lines)


def data_kind(text: str) -> str | None:
    """What `text` is when it is no document (e.g. "Markdown text", "JSON data"); None for
    a text that reads as prose, a dated listing included."""
    lines = _lines(text)
    if not lines:
        return None
    if text.lstrip().startswith("<?xml"):
        return "XML data, not a feed or a page"
    found = _json(text)
    if found:
        return found
    if _code(lines):
        return "source code or settings"
    # Data files open with comment lines; a table or a list is read from the lines after.
    body = [ln for ln in lines if not ln.lstrip().startswith(("#", "//"))]
    found = _table(body)
    if found:
        return found
    if len(body) >= 5 and sum(len(ln.split()) == 1 for ln in body) >= 0.9 * len(body):
        return "a list of single words, not prose"
    if _markdown(lines):
        return "Markdown text"
    sample = text[:SAMPLE_CHARS]
    visible = sum(1 for c in sample if not c.isspace())
    letters = sum(1 for c in sample if c.isalpha())
    if visible and letters < MIN_PROSE_LETTERS * visible:
        return "mostly numbers and symbols, not prose"
    return None
