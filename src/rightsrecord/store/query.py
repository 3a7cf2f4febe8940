"""A search query, parsed once and compiled for each store's full-text search.

The syntax a researcher types:

* words: every word is required (`court Almaty`); a word matches its other forms through
  stemming (`court` finds `courts`), and a name its other spellings (see `expand`);
* `"quoted phrases"`: the words in this order, next to each other (an unclosed quote runs to
  the end);
* `OR` (upper case) between words, phrases or groups: either will do; `AND` may be written;
* `NOT word` or `-word` (also before a phrase or a group): no text with it;
* `(parentheses)` group, up to `MAX_DEPTH` deep; an unmatched one is ignored.

Anything else (`*`, `:`, `^`, other punctuation, control characters) only separates words.
Every input parses, to a query or to nothing (`None`): parsing never raises. A query of only
negated words is kept as `All((), exclude)`; the store lists what lacks them.

Words are cut as both stores cut text into tokens: runs of letters and digits. Stop words
(`STOP_WORDS`, PostgreSQL's English list) are dropped, as PostgreSQL's `english` search
configuration drops them, so that the two stores find the same texts: `the court` is
`court`, and a query of stop words alone is nothing.

`fts5()` writes the query as an SQLite FTS5 MATCH string, every token quoted; `tsquery()`
as a PostgreSQL tsquery expression whose every word travels as a parameter, never inside
the SQL. The rest of the module is the SQL both stores share: filters (`search_filters`),
orders and their keyset cursors (`search_order`), facets (`FACETS_SQL`).

Where the two stores may still differ: inside a phrase, PostgreSQL lets any word stand in
for a stop word, SQLite only that word; SQLite folds case and diacritics in every script,
PostgreSQL keeps diacritics and folds case as its database's locale does (in the C locale,
ASCII only); the Porter stemmer (SQLite) and Snowball's English (PostgreSQL) part on a few
words.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from .base import BadCursor, SearchQuery, decode_cursor

MAX_CHARS = 2000  # of the query text read
MAX_LEAVES = 32  # words and phrases
MAX_TOKENS = 16  # in one phrase
MAX_FORMS = 8  # spellings of one word
MAX_DEPTH = 8  # nested parentheses

TOKEN = re.compile(r"[^\W_]+")

# PostgreSQL's english.stop (Snowball's English stop words).
STOP_WORDS = frozenset({
    "i", "me", "my", "myself", "we", "our", "ours", "ourselves", "you", "your", "yours",
    "yourself", "yourselves", "he", "him", "his", "himself", "she", "her", "hers", "herself", "it",
    "its", "itself", "they", "them", "their", "theirs", "themselves", "what", "which", "who",
    "whom", "this", "that", "these", "those", "am", "is", "are", "was", "were", "be", "been",
    "being", "have", "has", "had", "having", "do", "does", "did", "doing", "a", "an", "the", "and",
    "but", "if", "or", "because", "as", "until", "while", "of", "at", "by", "for", "with", "about",
    "against", "between", "into", "through", "during", "before", "after", "above", "below", "to",
    "from", "up", "down", "in", "out", "on", "off", "over", "under", "again", "further", "then",
    "once", "here", "there", "when", "where", "why", "how", "all", "any", "both", "each", "few",
    "more", "most", "other", "some", "such", "no", "nor", "not", "only", "own", "same", "so",
    "than", "too", "very", "s", "t", "can", "will", "just", "don", "should", "now"
})


def is_stop(token: str) -> bool:
    return token.isascii() and token.lower() in STOP_WORDS


@dataclass(frozen=True)
class Words:
    """A word, or a phrase: tokens in order, next to each other."""

    tokens: tuple[str, ...]
    quoted: bool = False
    forms: tuple[str, ...] = ()  # the word's other spellings (see `expand`)

    @property
    def word(self) -> str | None:
        """The single word a name lookup may expand; None for a phrase."""
        return self.tokens[0] if len(self.tokens) == 1 and not self.quoted else None


@dataclass(frozen=True)
class All:
    """Every one of `include`, none of `exclude`."""

    include: tuple[Node, ...]
    exclude: tuple[Node, ...] = ()


@dataclass(frozen=True)
class AnyOf:
    options: tuple[Node, ...]


Node = Words | All | AnyOf


# -- reading --------------------------------------------------------------------------------

_OR, _NOT, _OPEN, _CLOSE = "OR", "NOT", "(", ")"


def _lex(text: str) -> list[str | Words]:
    """Operators as strings; words and phrases as `Words` (None-free: a chunk without a
    letter or digit is dropped)."""
    out: list[str | Words] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
        elif c == '"':
            end = text.find('"', i + 1)
            end = n if end < 0 else end
            words = _words(text[i + 1:end], quoted=True)
            if words:
                out.append(words)
            i = end + 1
        elif c in "()":
            out.append(c)
            i += 1
        elif c == "-" and i + 1 < n and not text[i + 1].isspace():
            out.append(_NOT)
            i += 1
        else:
            j = i
            while j < n and not text[j].isspace() and text[j] not in '"()':
                j += 1
            chunk = text[i:j]
            if chunk in (_OR, _NOT):
                out.append(chunk)
            elif chunk != "AND":
                words = _words(chunk, quoted=False)
                if words:
                    out.append(words)
            i = j
    return out


def _words(text: str, quoted: bool) -> Words | None:
    tokens = TOKEN.findall(text)[:MAX_TOKENS]
    start, end = 0, len(tokens)
    while start < end and is_stop(tokens[start]):
        start += 1
    while end > start and is_stop(tokens[end - 1]):
        end -= 1
    if start == end:
        return None
    return Words(tuple(tokens[start:end]), quoted)


class _Parser:
    def __init__(self, items: list[str | Words]) -> None:
        self.items = items
        self.i = 0
        self.leaves = 0

    def peek(self) -> str | Words | None:
        return self.items[self.i] if self.i < len(self.items) else None

    def any_of(self, depth: int) -> Node | None:
        options = [self.all_of(depth)]
        while self.peek() == _OR:
            self.i += 1
            options.append(self.all_of(depth))
        kept = [o for o in options if o is not None]
        if len(kept) > 1:  # a group of negated words alone cannot be one choice of several
            kept = [o for o in kept if not (isinstance(o, All) and not o.include)]
        if not kept:
            return None
        return kept[0] if len(kept) == 1 else AnyOf(tuple(kept))

    def all_of(self, depth: int) -> Node | None:
        include: list[Node] = []
        exclude: list[Node] = []
        while True:
            item = self.peek()
            if item is None or item == _OR or (item == _CLOSE and depth):
                break
            if item == _CLOSE:  # unmatched: ignored
                self.i += 1
                continue
            negated = False
            while self.peek() == _NOT:
                self.i += 1
                negated = True
            node = self.atom(depth)
            if node is not None:
                (exclude if negated else include).append(node)
        if not include and not exclude:
            return None
        if not include:  # only negated words: kept at the top, dropped inside a group
            return All((), tuple(exclude)) if depth == 0 else None
        if len(include) == 1 and not exclude:
            return include[0]
        return All(tuple(include), tuple(exclude))

    def atom(self, depth: int) -> Node | None:
        item = self.peek()
        if item is None or item in (_OR, _CLOSE):
            return None
        self.i += 1
        if isinstance(item, Words):
            if self.leaves >= MAX_LEAVES:
                return None
            self.leaves += 1
            return item
        if item == _OPEN:
            if depth >= MAX_DEPTH:  # too deep: the group's words join this one
                return None
            node = self.any_of(depth + 1)
            if self.peek() == _CLOSE:
                self.i += 1
            return node if not (isinstance(node, All) and not node.include) else None
        return None


def parse(text: str) -> Node | None:
    """The query `text` asks for; None when it asks for no word."""
    try:
        return _Parser(_lex(str(text)[:MAX_CHARS])).any_of(0)
    except RecursionError:  # (bounded by MAX_DEPTH; kept as a last guard)
        return None


def leaves(node: Node | None) -> list[Words]:
    """The words and phrases of a query, in order."""
    if node is None:
        return []
    if isinstance(node, Words):
        return [node]
    children = node.options if isinstance(node, AnyOf) else node.include + node.exclude
    return [leaf for child in children for leaf in leaves(child)]


def expand(node: Node, forms_of: Callable[[str], list[str]]) -> Node:
    """The query with each single unquoted word given its other spellings: `forms_of(word)`
    lists them; a spelling of one word (not a stop word) joins the word as an alternative."""
    if isinstance(node, Words):
        word = node.word
        if word is None:
            return node
        forms: list[str] = []
        seen = {word.casefold()}
        for form in forms_of(word):
            tokens = TOKEN.findall(form)
            if len(tokens) == 1 and not is_stop(tokens[0]) and tokens[0].casefold() not in seen:
                seen.add(tokens[0].casefold())
                forms.append(tokens[0])
        return replace(node, forms=tuple(sorted(forms)[:MAX_FORMS - 1]))
    if isinstance(node, AnyOf):
        return AnyOf(tuple(expand(o, forms_of) for o in node.options))
    return All(tuple(expand(n, forms_of) for n in node.include),
               tuple(expand(n, forms_of) for n in node.exclude))


# -- writing --------------------------------------------------------------------------------


def fts5(node: Node) -> str:
    """An FTS5 MATCH expression; every token inside double quotes. `All` needs an
    `include` (a query of negated words alone is matched by its `exclude`, see
    `exclusion`)."""
    if isinstance(node, Words):
        phrases = ['"' + " ".join(node.tokens) + '"'] + [f'"{f}"' for f in node.forms]
        return phrases[0] if len(phrases) == 1 else "(" + " OR ".join(phrases) + ")"
    if isinstance(node, AnyOf):
        return "(" + " OR ".join(fts5(o) for o in node.options) + ")"
    out = "(" + " AND ".join(fts5(n) for n in node.include) + ")"
    if node.exclude:
        out += " NOT (" + " OR ".join(fts5(n) for n in node.exclude) + ")"
    return out


def tsquery(node: Node, config: str = "english") -> tuple[str, list[str]]:
    """A PostgreSQL tsquery expression with `?` placeholders, and its parameters. `config`
    is one of this module's constants, never user text."""
    params: list[str] = []
    fn = f"phraseto_tsquery('{config}', ?)"

    def write(n: Node) -> str:
        if isinstance(n, Words):
            texts = [" ".join(n.tokens), *n.forms]
            params.extend(texts)
            return fn if len(texts) == 1 else "(" + " || ".join(fn for _ in texts) + ")"
        if isinstance(n, AnyOf):
            return "(" + " || ".join(write(o) for o in n.options) + ")"
        parts = [write(i) for i in n.include] + [f"!!{write(e)}" for e in n.exclude]
        return "(" + " && ".join(parts) + ")"

    return write(node), params


def exclusion(node: Node) -> Node | None:
    """For a query of negated words alone, what its texts must not match; else None."""
    if isinstance(node, All) and not node.include:
        return node.exclude[0] if len(node.exclude) == 1 else AnyOf(node.exclude)
    return None


# -- the SQL both stores share (`?` placeholders) ---------------------------------------------

# Search finds the current body of each document and every listing item, once.
SEARCHABLE = "s.live = 1 AND (s.kind = 'body' OR (s.kind = 'item' AND s.dup_of IS NULL))"
SEARCH_FROM = "segments s"
SEARCH_VERSIONS = " JOIN versions v ON v.id = s.version_id"  # where a filter needs `v`
# The title a text is found by: a document's is its version's.
INDEXED_TITLE = "CASE WHEN s.kind = 'body' THEN v.title ELSE s.title END"
TEASER_CHARS = 240  # the opening of a hit's text where no words were asked
FACET_SAMPLE = 2000  # facets and the total count at most this many matches, the last stored
FACET_VALUES = 50  # values listed per facet
# A hit's date as text (`sort_key` starts with it; `0000-00-00` for none or an implausible
# one): its first day (`|` before any digit) and its last (`~` after).
_FIRST_DAY = "replace(substr(s.sort_key, 1, 10), '|', ' ')"
_LAST_DAY = "replace(substr(s.sort_key, 1, 10), '|', '~')"
_DATED = "s.sort_key >= '1'"
_OLDEST_KEY = "CASE WHEN s.sort_key < '1' THEN '9' || s.sort_key ELSE s.sort_key END"
_DAY = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")

# Facets of the matches `m`, as (facet, value, label, more, n) with values as text: a "row"
# counts the matches of one country (value; label: its name), year and source kind (more:
# "YEAR:KIND"); each other row one value of the facet it names. Every join starts from `m`
# (SQLite joins in the order of CROSS JOIN), so the cost follows the matches counted.
# `{segments}` is how the dialect reads a searchable row by id.
FACETS_SQL = """
SELECT 'row' AS facet, s.country AS value, max(cn.name) AS label,
    substr(s.sort_key, 1, 4) || ':' || v.kind AS more, count(*) AS n
FROM m CROSS JOIN {segments} CROSS JOIN versions v LEFT JOIN countries cn ON cn.code = s.country
WHERE s.id = m.id AND v.id = s.version_id AND """ + SEARCHABLE + """
GROUP BY s.country, substr(s.sort_key, 1, 4), v.kind
UNION ALL
SELECT 'theme', c.code, max(c.label), NULL, count(DISTINCT m.id)
FROM m CROSS JOIN categories c WHERE c.segment_id = m.id AND c.kind = 'theme' GROUP BY c.code
UNION ALL
SELECT 'event_type', e.type, e.type, NULL, count(DISTINCT m.id)
FROM m CROSS JOIN events e WHERE e.segment_id = m.id GROUP BY e.type
UNION ALL
SELECT 'actor', CAST(ai.identity_id AS TEXT), max(i.name), NULL, count(DISTINCT m.id)
FROM m CROSS JOIN actors a CROSS JOIN actor_identities ai CROSS JOIN identities i
WHERE a.segment_id = m.id AND ai.actor_id = a.id AND i.id = ai.identity_id
GROUP BY ai.identity_id
"""


@dataclass(frozen=True)
class TextMatch:
    """A dialect's full-text match: the FROM it needs (with `s` and `v`), the condition,
    and the score of a match (higher is better)."""

    source: str
    source_params: tuple[Any, ...]
    where: str
    params: tuple[Any, ...]
    score: str
    id: str = "s.id"  # the matched segment's id


@dataclass(frozen=True)
class SearchPlan:
    """A search as SQL: `SELECT ... FROM {source} WHERE {where}` with `params`."""

    node: Node | None  # the words to mark in snippets; None where none are matched
    source: str
    where: str
    params: tuple[Any, ...]
    score: str | None  # the relevance expression, where words are matched
    sort: str  # relevance | newest | oldest
    id: str = "s.id"  # the matched segment's id


def _day(name: str, value: str | None) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str) or not _DAY.match(value):
        raise ValueError(f"{name}: a date as YYYY-MM-DD, not {value!r}")
    return value


def search_filters(q: SearchQuery) -> tuple[list[str], list[Any], bool]:
    """The conditions on `s` (and `v`) of a SearchQuery's filters, their parameters, and
    whether they need `v`."""
    where: list[str] = []
    params: list[Any] = []
    if q.country:
        where.append("s.country = ?")
        params.append(str(q.country).upper())
    if q.theme:
        # A set read once by the (kind, code) index: a correlated EXISTS would read every
        # text of the theme again for each candidate on SQLite.
        where.append("s.id IN (SELECT fc.segment_id FROM categories fc"
                     " WHERE fc.kind = 'theme' AND fc.code = ?)")
        params.append(str(q.theme))
    if q.event_type:
        where.append("EXISTS (SELECT 1 FROM events fe WHERE fe.segment_id = s.id"
                     " AND fe.type = ?)")
        params.append(str(q.event_type))
    if q.actor is not None:
        where.append("EXISTS (SELECT 1 FROM actors fa JOIN actor_identities fi"
                     " ON fi.actor_id = fa.id WHERE fa.segment_id = s.id"
                     " AND fi.identity_id = ?)")
        params.append(int(q.actor) if 0 <= int(q.actor) < 2**63 else -1)
    if q.year is not None:
        year = int(q.year)
        where.append(f"{_DATED} AND substr(s.sort_key, 1, 4) = ?")
        params.append(f"{year:04d}" if 1 <= year <= 9999 else "")
    if q.source_kind:
        where.append("v.kind = ?")
        params.append(str(q.source_kind))
    day_from, day_to = _day("date_from", q.date_from), _day("date_to", q.date_to)
    if day_from:  # a date of month or year precision counts where its span meets the range
        where.append(f"{_DATED} AND {_LAST_DAY} >= ?")
        params.append(day_from)
    if day_to:
        where.append(f"{_DATED} AND {_FIRST_DAY} <= ?")
        params.append(day_to + "~")
    return where, params, bool(q.source_kind)


def search_order(plan: SearchPlan, cursor: str | None) -> tuple[str, str, str, list[Any]]:
    """(key, ORDER BY, keyset condition after `cursor`, its parameters) of a plan's sort.
    The key of a page's last hit, with its sort and id, makes the next page's cursor."""
    relevance = plan.sort == "relevance" and plan.score is not None
    if relevance:
        key, op, way = str(plan.score), "<", "DESC"
    elif plan.sort == "oldest":
        key, op, way = _OLDEST_KEY, ">", "ASC"
    else:
        key, op, way = "s.sort_key", "<", "DESC"
    order = f"{key} {way}, {plan.id} {way}"
    after = decode_cursor(cursor, 3, (str, object, int))
    if after is None:
        return key, order, "", []
    sort, value, seg = after
    fits = isinstance(value, float) and math.isfinite(value) if relevance \
        else isinstance(value, str)
    if sort != plan.sort or not fits:
        raise BadCursor("not a cursor of this search")
    return (key, order, f" AND ({key} {op} ? OR ({key} = ? AND {plan.id} {op} ?))",
            [value, value, seg])


def teaser(text: str | None) -> str:
    """The opening of a text, cut at a word."""
    text = " ".join((text or "").split())
    if len(text) <= TEASER_CHARS:
        return text
    cut = text.rfind(" ", 0, TEASER_CHARS)
    return text[: cut if cut > 0 else TEASER_CHARS].rstrip() + " …"
