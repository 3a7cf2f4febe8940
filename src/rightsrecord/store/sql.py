"""What both stores share: the write path, the read models, the queries.

The SQL here is the common subset of SQLite and PostgreSQL, written with `?` placeholders;
a dialect supplies its connection, transactions, id returns, row locks and full-text search.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

from ..document import CountryScore, Document, Segment
from ..facts import Actor, CountryMention, Event, Theme, Timex, date_precision
from ..sources import looks_like_path
from .base import (
    FACETS,
    PUBLIC,
    SEARCH_SORTS,
    CountryPage,
    CountryRow,
    Counts,
    DocumentRow,
    DocumentView,
    FacetCount,
    FeedEntry,
    IngestResult,
    Page,
    Scope,
    SearchHit,
    SearchQuery,
    SearchResult,
    StaleVersion,
    SummaryEntry,
    VersionRow,
    clamp,
    decode_cursor,
    encode_cursor,
)
from .drafts_sql import DraftSQL
from .links import LinkSQL
from .query import (
    FACET_SAMPLE,
    FACET_VALUES,
    FACETS_SQL,
    SEARCH_FROM,
    SEARCH_VERSIONS,
    SEARCHABLE,
    TEASER_CHARS,
    Node,
    SearchPlan,
    TextMatch,
    exclusion,
    expand,
    leaves,
    parse,
    search_filters,
    search_order,
    teaser,
)
from .reads import ReadSQL
from .recommendations_sql import RecommendationSQL
from .trends_sql import TrendSQL
from .watch_sql import WatchSQL

FEED_TEASER_CHARS = 320
# A feed shows each development once: not a copy of another document, and not a text whose
# main event's cluster is led by an earlier report.
NOT_LEAD = (" AND NOT EXISTS (SELECT 1 FROM copies c WHERE c.document_id = s.document_id)"
            " AND NOT EXISTS (SELECT 1 FROM reports r WHERE r.segment_id = s.id"
            " AND r.main = 1 AND r.lead = 0)")
ARTICLE_KINDS = ("html", "text", "pdf")  # a stored document of these kinds is a feed entry
# Dates outside these years are kept as text, but neither order a feed nor link reports: no
# report of ours is dated before FIRST_YEAR, and none after next year.
FIRST_YEAR = 1800
_YEAR_HEAD = re.compile(r"^(\d{4})(?:-\d{2}(?:-\d{2})?)?(?:$|T| )")
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
LINK_PREFIX = "link."  # a version's stages end with the link stage's id once it is linked
# The notes the stages' budget writes (extract/budget.py): each run of the stages makes its
# own anew, while a reader's notes stay with the version.
STAGE_NOTE = re.compile(r"(?:^|: )the stages read the first |^stages .+ skipped: ")


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def source_label(doc: Document) -> str:
    """The name of a document's row in `sources`: its outlet, else the web host it came
    from, else the kind of input it is ("file", "stdin", "text"); never a local path."""
    if doc.outlet:
        return doc.outlet
    if doc.source and not looks_like_path(doc.source):
        return doc.source
    return source_kind(doc.url)


def source_kind(url: str) -> str:
    if url.startswith(("http://", "https://")):
        return "web"
    if url.startswith("file:"):
        return "file"
    return "stdin" if url.startswith("stdin:") else "text"


def fingerprint(seg: Segment) -> str:
    raw = "\x1f".join((seg.kind, seg.date or "", str(seg.year or ""), seg.title or "", seg.text))
    return hashlib.sha1(raw.encode("utf-8", "surrogatepass")).hexdigest()


def plausible_year(year: int | None, today: date | None = None) -> bool:
    """A year a report of ours can tell: from FIRST_YEAR to next year."""
    return year is not None and FIRST_YEAR <= year <= (today or date.today()).year + 1


def plausible_date(value: str | None, today: date | None = None) -> bool:
    """An ISO date (year, month or day, a time may follow) in a plausible year."""
    m = _YEAR_HEAD.match(value or "")
    return m is not None and plausible_year(int(m.group(1)), today)


def plausible_day(value: str | None, today: date | None = None) -> date | None:
    """The day an ISO date names (`YYYY-MM-DD`, a time may follow), if real and
    plausible; else None."""
    head = (value or "")[:10]
    if not _ISO_DAY.match(head) or not plausible_date(head, today):
        return None
    try:
        return date.fromisoformat(head)
    except ValueError:
        return None


def sort_key(seg: Segment, document_id: int) -> str:
    """Feed order: the text's date, then its document and place; an implausible date sorts
    as no date."""
    if seg.kind == "summary":
        head = f"{seg.year:04d}" if plausible_year(seg.year) else "0000"
    else:
        value = seg.date if seg.kind == "item" else seg.published
        head = value if value and plausible_date(value) else "0000-00-00"
    return f"{head}|{document_id:012d}|{999999 - seg.position:06d}"


def extract_stages(stages: str) -> str:
    """A version's stage ids without the link stage's."""
    return ",".join(s for s in stages.split(",") if s and not s.startswith(LINK_PREFIX))


def like_escape(text: str) -> str:
    """`text` matched literally by LIKE ... ESCAPE '!'."""
    return text.replace("!", "!!").replace("%", "!%").replace("_", "!_")


def searchable(kind: str, dup_of: int | None, live: int) -> bool:
    """Search finds the current body of each document and every listing item, once."""
    return bool(live) and (kind == "body" or (kind == "item" and dup_of is None))


def dump_notes(notes: list[str]) -> str | None:
    """A version's notes as stored: a JSON list, or NULL for none."""
    return json.dumps(notes, ensure_ascii=False) if notes else None


def load_notes(raw: str | None) -> list[str]:
    """A version's stored notes; anything but a JSON list of texts reads as none."""
    try:
        notes = json.loads(raw) if raw else []
    except ValueError:
        return []
    return [n for n in notes if isinstance(n, str)] if isinstance(notes, list) else []


def _stage(seg: Segment, name: str) -> str:
    return next((i for i in seg.done if i.split(".")[0] == name), name)


class SQLStore(LinkSQL, ReadSQL, DraftSQL, TrendSQL, RecommendationSQL, WatchSQL):
    """The shared implementation; subclasses are the dialects."""

    url: str
    db: Any
    _deltas: dict[tuple[str, str, str], int]

    # -- the dialect's part -----------------------------------------------------------------

    def _tx(self) -> AbstractContextManager[Any]:
        raise NotImplementedError

    def _exec(self, sql: str, params: tuple | list = ()) -> Any:
        raise NotImplementedError

    def _insert_id(self, sql: str, params: tuple) -> int:
        raise NotImplementedError

    def _exec_many(self, sql: str, rows: list[tuple]) -> None:
        """One statement over many rows (a dialect may send them in one round trip)."""
        for row in rows:
            self._exec(sql, row)

    def _lock_document(self, url: str) -> Any:
        return self._exec("SELECT id, current_version FROM documents WHERE url = ?", (url,))

    def _index_segment(self, seg_id: int, title: str | None, text: str) -> None:
        """Add a live segment to the full-text index (a no-op where the index follows rows)."""

    def _unindex_segment(self, seg_id: int, title: str | None, text: str) -> None:
        pass

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> SQLStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _one(self, sql: str, params: tuple = ()) -> Any:
        return self._exec(sql, params).fetchone()

    def _all(self, sql: str, params: tuple | list = ()) -> list[Any]:
        return list(self._exec(sql, params).fetchall())

    # -- writing ----------------------------------------------------------------------------

    def add(self, doc: Document) -> IngestResult:
        return self.add_many([doc])[0]

    def add_many(self, docs: Iterable[Document]) -> list[IngestResult]:
        """Store each document in a transaction of its own: identical content at the same
        address is a no-op, changed content a new version; nothing is ever overwritten."""
        return [self._add_one(doc) for doc in docs]

    def unchanged(self, docs: Iterable[Document]) -> dict[int, tuple[int, int]]:
        """For documents whose content is already the current version at their address:
        id(doc) -> (document id, version)."""
        out: dict[int, tuple[int, int]] = {}
        for doc in docs:
            row = self._one(
                "SELECT d.id, d.current_version FROM documents d JOIN versions v"
                " ON v.document_id = d.id AND v.n = d.current_version"
                " WHERE d.url = ? AND v.content_hash = ?", (doc.url, doc.content_hash))
            if row:
                out[id(doc)] = (int(row["id"]), int(row["current_version"]))
        return out

    def _add_one(self, doc: Document, document_id: int | None = None) -> IngestResult:
        self._deltas = {}
        with self._tx():
            stamp = doc.fetched_at or now()
            source_id = self._source_id(source_label(doc), doc.url, stamp)
            if document_id is None:
                self._exec("INSERT INTO documents (url, source_id, created_at) VALUES (?, ?, ?)"
                           " ON CONFLICT (url) DO NOTHING", (doc.url, source_id, stamp))
            else:
                self._exec("INSERT INTO documents (id, url, source_id, created_at)"
                           " VALUES (?, ?, ?, ?)", (document_id, doc.url, source_id, stamp))
            row = self._lock_document(doc.url).fetchone()
            doc_id, current = int(row["id"]), int(row["current_version"])
            if current:
                old = self._one("SELECT id, content_hash FROM versions WHERE document_id = ?"
                                " AND n = ?", (doc_id, current))
                if old["content_hash"] == doc.content_hash:
                    self._flush_counts()
                    return IngestResult("unchanged", doc_id, current)
                self._supersede(int(old["id"]))
            n = current + 1
            self._countries(doc)
            columns = ["document_id", "n", "kind", "title", "published", "fetched_at",
                       "content_hash", "country", "stages"]
            values = [doc_id, n, doc.kind, doc.title, doc.published, stamp, doc.content_hash,
                      doc.country, ",".join(doc.stages)]
            # (converting the first schema's rows, which have none of these, runs before the
            # store has the columns)
            for column, value in (("notes", dump_notes(doc.notes)),
                                  ("canonical_url", doc.canonical), ("outlet", doc.outlet)):
                if value is not None:
                    columns.append(column)
                    values.append(value)
            version_id = self._insert_id(
                f"INSERT INTO versions ({', '.join(columns)})"
                f" VALUES ({', '.join('?' * len(values))})", tuple(values))
            for seg in doc.units():
                self._insert_segment(seg, version_id, doc_id, doc.kind)
            self._exec("UPDATE documents SET current_version = ? WHERE id = ?", (n, doc_id))
            self._bump("versions", 1)
            if not current:
                self._bump("documents", 1)
            self._flush_counts()
            doc.id, doc.version = doc_id, n
            return IngestResult("new-version" if current else "stored", doc_id, n)

    def _source_id(self, name: str, url: str, stamp: str) -> int:
        row = self._one("SELECT id FROM sources WHERE name = ?", (name,))
        if row:
            return int(row["id"])
        self._exec("INSERT INTO sources (name, kind, created_at) VALUES (?, ?, ?)"
                   " ON CONFLICT (name) DO NOTHING", (name, source_kind(url), stamp))
        self._bump("sources", 1)
        return int(self._one("SELECT id FROM sources WHERE name = ?", (name,))["id"])

    def _countries(self, doc: Document) -> None:
        names = {c.code: c.name for seg in doc.units() for c in seg.countries}
        for seg in doc.units():
            code = seg.country
            if code and code not in names:
                names[code] = code
        for code, name in names.items():
            if len(code) == 2:
                self._exec("INSERT INTO countries (code, name) VALUES (?, ?)"
                           " ON CONFLICT (code) DO NOTHING", (code, name))

    def _bump(self, key: str, by: int) -> None:
        self._deltas[("stats", key, "value")] = self._deltas.get(("stats", key, "value"), 0) + by

    def _flush_counts(self) -> None:
        """Apply the counter changes of this transaction in one fixed order, so concurrent
        writers never wait on each other's counters in a cycle."""
        deltas, self._deltas = self._deltas, {}
        for (table, key, column), by in sorted(deltas.items()):
            if not by:
                continue
            key_col = "key" if table == "stats" else "code"
            self._exec(f"INSERT INTO {table} ({key_col}, {column}) VALUES (?, ?)"
                       f" ON CONFLICT ({key_col}) DO UPDATE SET {column} = {table}.{column}"
                       f" + excluded.{column}", (key, by))

    def _count_segment(self, kind: str, country: str | None, dup_of: int | None, feed: int,
                       live: int, sign: int) -> None:
        """Keep the counters: a live body counts as a document of its country; an item or a
        summary counts once, however many copies of it are stored."""
        column = None
        if kind == "body" and live:
            column = "documents"
        elif kind in ("item", "summary") and dup_of is None:
            column = "items" if kind == "item" else "summaries"
            self._bump(column, sign)
        if column and country:
            k = ("country_stats", country, column)
            self._deltas[k] = self._deltas.get(k, 0) + sign

    def _supersede(self, version_id: int) -> None:
        body = self._one("SELECT id, title, text, country, dup_of, feed, live FROM segments"
                         " WHERE version_id = ? AND kind = 'body'", (version_id,))
        if body is None:
            return
        self._count_segment("body", body["country"], None, body["feed"], body["live"], -1)
        self._exec("UPDATE segments SET live = 0, feed = 0 WHERE id = ?", (body["id"],))
        self._unindex_segment(int(body["id"]), body["title"], body["text"])

    def _placement(self, seg: Segment, doc_kind: str, fp: str, own_id: int | None = None
                   ) -> tuple[int | None, int]:
        """(dup_of, feed): an item or summary already stored for the same country is a copy;
        live items and article bodies with a country are the feed's entries."""
        country = seg.country
        dup_of = None
        if seg.kind != "body" and country:
            row = self._one("SELECT id FROM segments WHERE fingerprint = ? AND country = ?"
                            " AND dup_of IS NULL AND id <> ? ORDER BY id LIMIT 1",
                            (fp, country, own_id or 0))
            if row is not None and (own_id is None or int(row["id"]) < own_id):
                dup_of = int(row["id"])
        feed = int(bool(country) and dup_of is None and (
            seg.kind == "item" or (seg.kind == "body" and doc_kind in ARTICLE_KINDS)))
        return dup_of, feed

    def _insert_segment(self, seg: Segment, version_id: int, doc_id: int, doc_kind: str) -> None:
        fp = fingerprint(seg)
        dup_of, feed = self._placement(seg, doc_kind, fp)
        seg_id = self._insert_id(
            "INSERT INTO segments (version_id, document_id, kind, position, title, date, year,"
            " url, text, country, fingerprint, dup_of, live, feed, sort_key, stages)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,1,?,?,?)",
            (version_id, doc_id, seg.kind, seg.position, seg.title if seg.kind != "body"
             else None, seg.date, seg.year, seg.url, seg.text, seg.country, fp, dup_of, feed,
             sort_key(seg, doc_id), ",".join(seg.done)))
        seg.segment_id = seg_id
        self._count_segment(seg.kind, seg.country, dup_of, feed, 1, 1)
        if searchable(seg.kind, dup_of, 1):
            self._index_segment(seg_id, seg.title, seg.text)
        self._insert_facts(seg, seg_id)

    def _insert_facts(self, seg: Segment, seg_id: int) -> None:
        ids = self._insert_id
        spans = (("date", "dates", [(t.start, t.end, t.text, t.type, t.value) for t in seg.dates]),
                 ("place", "places", [(m.start, m.end, m.text, m.kind, m.code)
                                      for m in seg.places]))
        for kind, name, rows in spans:
            st = _stage(seg, name)
            for start, end, text, subtype, value in rows:
                ids("INSERT INTO mentions (segment_id, kind, span_start, span_end, text, subtype,"
                    " value, stage) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (seg_id, kind, start, end, text, subtype, value, st))
        cats = (("country", "places", [(c.code, c.name, c.score, c.primary)
                                        for c in seg.countries]),
                ("theme", "themes", [(t.id, t.label, t.score, False) for t in seg.themes]))
        for kind, name, cat_rows in cats:
            st = _stage(seg, name)
            for rank, (code, label, score, primary) in enumerate(cat_rows):
                ids("INSERT INTO categories (segment_id, kind, code, label, score, rank,"
                    " is_primary, stage) VALUES (?,?,?,?,?,?,?,?)",
                    (seg_id, kind, code, label, round(float(score), 4), rank, int(primary),
                     st))
        by_span: dict[tuple[int, int], int] = {}
        if seg.actors:
            st = _stage(seg, "actors")
            for a in seg.actors:
                actor_id = ids("INSERT INTO actors (segment_id, key, name, type, role, stage)"
                               " VALUES (?,?,?,?,?,?)",
                               (seg_id, a.key, a.name, a.type, a.role, st))
                for s, e in a.mentions:
                    by_span[(s, e)] = ids(
                        "INSERT INTO mentions (segment_id, kind, span_start, span_end, text,"
                        " actor_id, stage) VALUES (?, 'actor', ?, ?, ?, ?, ?)",
                        (seg_id, s, e, seg.text[s:e], actor_id, st))
        if seg.events:
            st = _stage(seg, "events")
            for ev in seg.events:
                trig = ev.trigger or (None, None)
                event_id = ids(
                    "INSERT INTO events (segment_id, type, span_start, span_end, trigger_start,"
                    " trigger_end, date, date_precision, date_source, country, agent_text,"
                    " target_text, score, stage) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (seg_id, ev.type, ev.start, ev.end, trig[0], trig[1], ev.date,
                     date_precision(ev.date), ev.date_source, ev.country, ev.agent, ev.target,
                     round(float(ev.score), 4), st))
                for role, span in (("agent", ev.agent_span), ("target", ev.target_span)):
                    if span is None:
                        continue
                    mention = by_span.get(span)
                    if mention is None:
                        mention = by_span[span] = ids(
                            "INSERT INTO mentions (segment_id, kind, span_start, span_end, text,"
                            " stage) VALUES (?, 'participant', ?, ?, ?, ?)",
                            (seg_id, span[0], span[1], seg.text[span[0]:span[1]], st))
                    self._exec("INSERT INTO event_roles (event_id, role, mention_id)"
                               " VALUES (?, ?, ?)", (event_id, role, mention))

    # -- facts catch up with the code -------------------------------------------------------

    @staticmethod
    def _stale_where(stage_ids: list[str]) -> tuple[str, tuple]:
        """Versions whose facts other stage versions made; the link stage's id, which
        linking appends, is not one of them."""
        ids = ",".join(stage_ids)
        linked = (like_escape(ids) + "," if ids else "") + like_escape(LINK_PREFIX) + "%"
        return "stages <> ? AND stages NOT LIKE ? ESCAPE '!'", (ids, linked)

    def stale(self, stage_ids: list[str], limit: int = 100, after: int = 0
              ) -> list[StaleVersion]:
        """Versions whose facts were made by other stage versions than `stage_ids`."""
        where, params = self._stale_where(stage_ids)
        rows = self._all(f"SELECT id, document_id, stages FROM versions WHERE {where}"
                         " AND id > ? ORDER BY id LIMIT ?", (*params, after, clamp(limit)))
        return [StaleVersion(int(r["id"]), int(r["document_id"]),
                             [s for s in r["stages"].split(",") if s]) for r in rows]

    def count_versions(self, stale_for: list[str] | None = None) -> int:
        """How many versions there are, or how many are stale for these stage ids."""
        if stale_for is None:
            return int(self._one("SELECT count(*) AS n FROM versions")["n"])
        where, params = self._stale_where(stale_for)
        return int(self._one(f"SELECT count(*) AS n FROM versions WHERE {where}", params)["n"])

    def all_versions(self, limit: int = 100, after: int = 0) -> list[StaleVersion]:
        rows = self._all("SELECT id, document_id, stages FROM versions WHERE id > ?"
                         " ORDER BY id LIMIT ?", (after, clamp(limit)))
        return [StaleVersion(int(r["id"]), int(r["document_id"]),
                             [s for s in r["stages"].split(",") if s]) for r in rows]

    def load_versions(self, version_ids: list[int], facts: bool = False) -> list[Document]:
        """Stored versions, with their facts or (to run the stages anew) without: then also
        without the notes of the stages' budget, which the stages make again."""
        return [self._load_version(v, facts=facts) for v in version_ids]

    def replace_facts(self, docs: Iterable[Document]) -> None:
        """Swap the facts of stored versions for those the pipeline made anew; each document
        in a transaction of its own, with the notes the stages left. Text and metadata are
        never touched."""
        for doc in docs:
            with self._tx():
                self._replace(doc)

    def _replace(self, doc: Document) -> None:
        self._deltas = {}
        vrow = self._one("SELECT v.id, d.current_version FROM versions v JOIN documents d"
                         " ON d.id = v.document_id WHERE v.document_id = ? AND v.n = ?",
                         (doc.id, doc.version))
        version_id = int(vrow["id"])
        self._countries(doc)
        for seg in doc.units():
            old = self._one("SELECT id, kind, title, text, country, dup_of, feed, live"
                            " FROM segments WHERE id = ?", (seg.segment_id,))
            self._count_segment(old["kind"], old["country"], old["dup_of"], old["feed"],
                                old["live"], -1)
            self._delete_facts(int(old["id"]))
            fp = fingerprint(seg)
            dup_of, feed = self._placement(seg, doc.kind, fp, int(old["id"]))
            live = int(old["live"])
            feed = feed if live else 0
            self._exec("UPDATE segments SET country = ?, dup_of = ?, feed = ?, stages = ?"
                       " WHERE id = ?", (seg.country, dup_of, feed, ",".join(seg.done),
                                        seg.segment_id))
            self._count_segment(seg.kind, seg.country, dup_of, feed, live, 1)
            was = searchable(old["kind"], old["dup_of"], live)
            if was != searchable(seg.kind, dup_of, live):
                (self._unindex_segment if was else self._index_segment)(
                    int(old["id"]), old["title"], old["text"])
            self._insert_facts(seg, int(old["id"]))
        self._exec("UPDATE versions SET country = ?, stages = ?, notes = ? WHERE id = ?",
                   (doc.country, ",".join(doc.stages), dump_notes(doc.notes), version_id))
        self._flush_counts()

    def _delete_facts(self, seg_id: int) -> None:
        self.unlink_segment(seg_id)
        self._exec("DELETE FROM event_roles WHERE event_id IN"
                   " (SELECT id FROM events WHERE segment_id = ?)", (seg_id,))
        for table in ("events", "mentions", "actors", "categories"):
            self._exec(f"DELETE FROM {table} WHERE segment_id = ?", (seg_id,))

    # -- reading ----------------------------------------------------------------------------

    def counts(self, scope: Scope = PUBLIC) -> Counts:
        values = {r["key"]: int(r["value"]) for r in self._all("SELECT key, value FROM stats")}
        return Counts(**{k: values.get(k, 0) for k in Counts.__dataclass_fields__})

    def countries(self, scope: Scope = PUBLIC) -> list[CountryRow]:
        rows = self._all(
            "SELECT c.code, c.name, coalesce(s.documents, 0) AS documents,"
            " coalesce(s.items, 0) AS items, coalesce(s.summaries, 0) AS summaries"
            " FROM countries c LEFT JOIN country_stats s ON s.code = c.code"
            " WHERE coalesce(s.documents, 0) + coalesce(s.items, 0) + coalesce(s.summaries, 0)"
            " > 0 ORDER BY c.name")
        return [CountryRow(r["code"], r["name"], int(r["documents"]), int(r["items"]),
                           int(r["summaries"])) for r in rows]

    def country_name(self, code: str) -> str | None:
        row = self._one("SELECT name FROM countries WHERE code = ?", (code,))
        return row["name"] if row else None

    def country(self, code: str, scope: Scope = PUBLIC, limit: int = 50,
                cursor: str | None = None, summaries_limit: int = 20,
                summaries_cursor: str | None = None, theme: str | None = None,
                year: int | None = None, event_type: str | None = None) -> CountryPage | None:
        """A country's summaries (newest year first) and dated feed (newest first, page order
        within a day), each a page. Items of every stored version of a listing are kept, and
        an entry stored twice shows once. None for a country the store has never seen. The
        feed may be filtered by theme, year (of the entry) and the type of its main event."""
        code = code.upper()
        name = self.country_name(code)
        if name is None:
            return None
        filters, fparams = "", []
        if theme:
            filters += (" AND s.id IN (SELECT cat.segment_id FROM categories cat"
                        " WHERE cat.kind = 'theme' AND cat.code = ?)")
            fparams.append(theme)
        if year is not None:
            filters += " AND substr(s.sort_key, 1, 4) = ?"
            fparams.append(f"{year:04d}")
        if event_type:
            filters += (" AND EXISTS (SELECT 1 FROM reports rt WHERE rt.segment_id = s.id"
                        " AND rt.main = 1 AND rt.type = ?)")
            fparams.append(event_type)
        return CountryPage(code, name, self._summaries(code, summaries_limit, summaries_cursor),
                           self._feed(code, limit, cursor, filters, tuple(fparams)))

    def _keyset(self, cursor: str | None) -> tuple[str, tuple]:
        after = decode_cursor(cursor, 2, (str, int))
        if after is None:
            return "", ()
        return (" AND (s.sort_key < ? OR (s.sort_key = ? AND s.id < ?))",
                (str(after[0]), str(after[0]), int(after[1])))

    def _feed(self, code: str, limit: int, cursor: str | None, filters: str = "",
              fparams: tuple = ()) -> Page[FeedEntry]:
        limit = clamp(limit)
        cond, params = self._keyset(cursor)
        cond, params = filters + cond, (*fparams, *params)
        rows = self._all(
            f"SELECT s.id, s.kind, s.date, s.title, substr(s.text, 1, {FEED_TEASER_CHARS + 1})"
            " AS text, s.url,"
            " s.document_id, s.position, s.sort_key, v.n, v.title AS doc_title,"
            " v.published, d.url AS doc_url, v.outlet, v.canonical_url"
            " FROM segments s JOIN versions v ON v.id = s.version_id"
            " JOIN documents d ON d.id = s.document_id"
            f" WHERE s.country = ? AND s.feed = 1{cond}{NOT_LEAD}"
            " ORDER BY s.sort_key DESC, s.id DESC LIMIT ?",
            (code, *params, limit + 1))
        entries = []
        for r in rows[:limit]:
            if r["kind"] == "body":
                text = r["text"]
                if len(text) > FEED_TEASER_CHARS:
                    cut = text.rfind(" ", 0, FEED_TEASER_CHARS)
                    text = text[: cut if cut > 0 else FEED_TEASER_CHARS].rstrip() + " …"
                entries.append(FeedEntry(int(r["id"]), "document", r["published"],
                                         r["doc_title"], text, r["doc_url"],
                                         int(r["document_id"]), int(r["n"]), 0,
                                         outlet=r["outlet"], canonical=r["canonical_url"]))
            else:
                entries.append(FeedEntry(int(r["id"]), "item", r["date"], r["title"], r["text"],
                                         r["url"] or r["doc_url"], int(r["document_id"]),
                                         int(r["n"]), int(r["position"]), outlet=r["outlet"]))
        reports = self.reports_of_segments(e.id for e in entries)
        for e in entries:
            e.reports = reports.get(e.id, [])
            e.cluster_id = e.reports[0].cluster_id if e.reports else None
        copies = self.copies_of(r.document_id for e in entries for r in e.reports)
        for e in entries:
            for r in e.reports:
                r.copies = copies.get(r.document_id, [])
        nxt = encode_cursor(rows[limit - 1]["sort_key"], int(rows[limit - 1]["id"])) \
            if len(rows) > limit else None
        return Page(entries, nxt)

    def _summaries(self, code: str, limit: int, cursor: str | None) -> Page[SummaryEntry]:
        limit = clamp(limit)
        cond, params = self._keyset(cursor)
        rows = self._all(
            "SELECT s.id, s.year, s.text, s.document_id, s.sort_key, v.n, v.title, d.url"
            " FROM segments s JOIN versions v ON v.id = s.version_id"
            " JOIN documents d ON d.id = s.document_id"
            f" WHERE s.country = ? AND s.kind = 'summary' AND s.dup_of IS NULL{cond}"
            " ORDER BY s.sort_key DESC, s.id DESC LIMIT ?", (code, *params, limit + 1))
        data = [SummaryEntry(int(r["id"]), r["year"], r["text"], int(r["document_id"]),
                             int(r["n"]), r["url"], r["title"]) for r in rows[:limit]]
        nxt = encode_cursor(rows[limit - 1]["sort_key"], int(rows[limit - 1]["id"])) \
            if len(rows) > limit else None
        return Page(data, nxt)

    def document(self, doc_id: int, version: int | None = None, scope: Scope = PUBLIC
                 ) -> DocumentView | None:
        """A document at its current version, or at version `version`."""
        head = self._one("SELECT d.id, d.url, d.current_version, s.name AS source"
                         " FROM documents d JOIN sources s ON s.id = d.source_id"
                         " WHERE d.id = ?", (doc_id,))
        if head is None or not head["current_version"]:
            return None
        n = version or int(head["current_version"])
        vrow = self._one("SELECT id, fetched_at, content_hash FROM versions"
                         " WHERE document_id = ? AND n = ?", (doc_id, n))
        if vrow is None:
            return None
        versions = [VersionRow(int(r["n"]), r["fetched_at"], r["content_hash"],
                               int(r["n"]) == int(head["current_version"]))
                    for r in self._all("SELECT n, fetched_at, content_hash FROM versions"
                                       " WHERE document_id = ? ORDER BY n DESC", (doc_id,))]
        doc = self._load_version(int(vrow["id"]))
        return DocumentView(int(head["id"]), head["url"], head["source"], n,
                            n == int(head["current_version"]), vrow["fetched_at"],
                            vrow["content_hash"], versions, doc, canonical=doc.canonical,
                            outlet=doc.outlet)

    def _load_version(self, version_id: int, facts: bool = True) -> Document:
        v = self._one("SELECT v.*, d.url, s.name AS source FROM versions v"
                      " JOIN documents d ON d.id = v.document_id"
                      " JOIN sources s ON s.id = d.source_id WHERE v.id = ?", (version_id,))
        segs: dict[int, Segment] = {}
        body = None
        others: list[Segment] = []
        for r in self._all("SELECT * FROM segments WHERE version_id = ?"
                           " ORDER BY CASE kind WHEN 'body' THEN 0 WHEN 'summary' THEN 1"
                           " ELSE 2 END, position", (version_id,)):
            seg_id = int(r["id"])
            seg = Segment(text=r["text"], kind=r["kind"], position=int(r["position"]),
                          title=r["title"], date=r["date"], year=r["year"], url=r["url"],
                          segment_id=seg_id)
            seg.done = [s for s in r["stages"].split(",") if s]
            segs[seg_id] = seg
            if seg.kind == "body":
                body = seg
            else:
                others.append(seg)
        assert body is not None, f"version {version_id} has no body"
        doc = Document(url=v["url"], kind=v["kind"], body=body, segments=others,
                       content_hash=v["content_hash"], title=v["title"],
                       published=v["published"], source=v["source"],
                       canonical=v["canonical_url"], outlet=v["outlet"],
                       fetched_at=v["fetched_at"], id=int(v["document_id"]), version=int(v["n"]))
        notes = load_notes(v["notes"])
        doc.notes = notes if facts else [n for n in notes if not STAGE_NOTE.search(n)]
        if facts:
            self._load_facts(version_id, segs)
        return doc

    def _load_facts(self, version_id: int, segs: dict[int, Segment]) -> None:
        join = " JOIN segments s ON s.id = x.segment_id WHERE s.version_id = ?"
        spans: dict[int, tuple[int, int]] = {}
        actor_spans: dict[int, list[tuple[int, int]]] = {}
        for r in self._all("SELECT x.* FROM mentions x" + join + " ORDER BY x.id",
                           (version_id,)):
            seg = segs[int(r["segment_id"])]
            span = (int(r["span_start"]), int(r["span_end"]))
            spans[int(r["id"])] = span
            if r["kind"] == "date":
                seg.dates.append(Timex(span[0], span[1], r["text"], r["subtype"], r["value"]))
            elif r["kind"] == "place":
                seg.places.append(CountryMention(r["value"], span[0], span[1], r["text"],
                                                 r["subtype"]))
            elif r["kind"] == "actor":
                actor_spans.setdefault(int(r["actor_id"]), []).append(span)
        for r in self._all("SELECT x.* FROM actors x" + join + " ORDER BY x.id", (version_id,)):
            segs[int(r["segment_id"])].actors.append(
                Actor(r["name"], r["type"], r["role"], actor_spans.get(int(r["id"]), [])))
        for r in self._all("SELECT x.* FROM categories x" + join + " ORDER BY x.segment_id,"
                           " x.kind, x.rank", (version_id,)):
            seg = segs[int(r["segment_id"])]
            if r["kind"] == "country":
                seg.countries.append(CountryScore(r["code"], r["label"], float(r["score"]),
                                                  bool(r["is_primary"])))
            else:
                seg.themes.append(Theme(r["code"], r["label"], float(r["score"])))
        roles: dict[int, dict[str, tuple[int, int]]] = {}
        for r in self._all("SELECT r.event_id, r.role, r.mention_id FROM event_roles r"
                           " JOIN events x ON x.id = r.event_id" + join, (version_id,)):
            roles.setdefault(int(r["event_id"]), {})[r["role"]] = spans[int(r["mention_id"])]
        for r in self._all("SELECT x.* FROM events x" + join + " ORDER BY x.id", (version_id,)):
            own = roles.get(int(r["id"]), {})
            trigger = (int(r["trigger_start"]), int(r["trigger_end"])) \
                if r["trigger_start"] is not None else None
            segs[int(r["segment_id"])].events.append(Event(
                type=r["type"], start=int(r["span_start"]), end=int(r["span_end"]),
                score=float(r["score"]), trigger=trigger, agent=r["agent_text"],
                target=r["target_text"], date=r["date"], country=r["country"],
                date_source=r["date_source"], agent_span=own.get("agent"),
                target_span=own.get("target")))

    def recent_documents(self, limit: int = 20, cursor: str | None = None,
                         scope: Scope = PUBLIC) -> Page[DocumentRow]:
        limit = clamp(limit)
        cond, params = self._keyset(cursor)
        rows = self._all(
            "SELECT s.id AS seg, s.document_id, s.sort_key, substr(s.text, 1, 200) AS text_start,"
            " v.title, v.kind, v.published, v.country, d.url"
            " FROM segments s JOIN versions v ON v.id = s.version_id"
            " JOIN documents d ON d.id = s.document_id"
            f" WHERE s.kind = 'body' AND s.live = 1{cond}"
            " ORDER BY s.sort_key DESC, s.id DESC LIMIT ?", (*params, limit + 1))
        data = [DocumentRow(int(r["document_id"]), r["title"], r["text_start"], r["url"],
                            r["kind"], r["published"], r["country"]) for r in rows[:limit]]
        nxt = encode_cursor(rows[limit - 1]["sort_key"], int(rows[limit - 1]["seg"])) \
            if len(rows) > limit else None
        return Page(data, nxt)

    # -- search -----------------------------------------------------------------------------

    def search(self, query: str | SearchQuery, limit: int = 50, cursor: str | None = None,
               scope: Scope = PUBLIC) -> Page[SearchHit]:
        """One page of the texts a query finds: current documents (by their text and title)
        and every listing item stored once.

        `query` is words in the syntax of `store/query.py` (words, "phrases", OR, NOT or
        -word, parentheses), or a `SearchQuery` with filters and an order: `relevance` (the
        default: BM25 on SQLite, ts_rank on PostgreSQL, ties newest stored first), `newest`
        or `oldest` by the hit's date (an item's date, a document's publication date;
        undated hits last). A query without words lists what its filters match, newest
        first; a plain string of no words finds nothing. Every query string is safe: one
        that asks for no word finds nothing, none raises. `cursor` is the `next_cursor` of
        the page before, for the same query: another raises `BadCursor`. A malformed
        filter (a sort or date of another form) raises ValueError."""
        if isinstance(query, str) and not query.strip():
            return Page([])
        plan = self._search_plan(query if isinstance(query, SearchQuery)
                                 else SearchQuery(text=query))
        return self._search_page(plan, clamp(limit), cursor)

    def find(self, query: str | SearchQuery, limit: int = 50, cursor: str | None = None,
             scope: Scope = PUBLIC) -> SearchResult:
        """`search`, with how many texts match in all (`total`) and the facets of the
        matches: for each of country, theme, event type, actor (identity), year and source
        kind, its values with how many matches have each (most first, at most
        `FACET_VALUES`). Facets count every match up to `FACET_SAMPLE` of them; beyond, the
        `FACET_SAMPLE` stored last (`facets_complete` False) and `total` is None ("more than
        `FACET_SAMPLE`"), so that a word in most texts costs no more to count than a rarer
        one. A value passed back in the SearchQuery
        field of its facet's name filters by it."""
        q = query if isinstance(query, SearchQuery) else SearchQuery(text=query)
        if isinstance(query, str) and not query.strip():
            return SearchResult(Page([]), {name: [] for name in FACETS}, 0, FACET_SAMPLE)
        plan = self._search_plan(q)
        page = self._search_page(plan, clamp(limit), cursor)
        if plan is None:
            return SearchResult(page, {name: [] for name in FACETS}, 0, FACET_SAMPLE)
        if q.sort != "relevance":  # counted as the matches come, in no order
            plan = self._search_plan(replace(q, sort="relevance")) or plan
        # Counted up to the sample's size: beyond it the total is "more than FACET_SAMPLE"
        # (None), so a word in most texts costs no more than a rarer one.
        counted = int(self._one(
            f"SELECT count(*) AS n FROM (SELECT 1 FROM {plan.source} WHERE {plan.where}"
            f" LIMIT {FACET_SAMPLE + 1}) x", plan.params)["n"])
        total = counted if counted <= FACET_SAMPLE else None
        return SearchResult(page, self._facets(plan), total, FACET_SAMPLE, total is not None)

    def search_terms(self, query: str) -> list[list[str]]:
        """The query's words and phrases, each with the other spellings of the actor a word
        names (the aliases of its identities, see `alias_forms`): any spelling of a group
        will do."""
        node = self._expand(parse(query))
        return [[" ".join(w.tokens), *w.forms] for w in leaves(node)]

    def _expand(self, node: Node | None) -> Node | None:
        from ..names import fold

        return None if node is None else expand(node, lambda w: self.alias_forms(fold(w)))

    def _search_plan(self, q: SearchQuery) -> SearchPlan | None:
        """The SQL of a search's matches, or None where it asks for words and names none."""
        if q.sort not in SEARCH_SORTS:
            raise ValueError(f"sort: one of {', '.join(SEARCH_SORTS)}, not {q.sort!r}")
        node = self._expand(parse(q.text))
        if node is None and q.text.strip():
            return None
        filters, filter_params, versions = search_filters(q)
        excluded = exclusion(node) if node is not None else None
        if node is None or excluded is not None:  # the searchable texts, in date order
            source = SEARCH_FROM + (SEARCH_VERSIONS if versions else "")
            where, params = [SEARCHABLE], list[Any]()
            if excluded is not None:
                cond, params = self._text_excluded(excluded)
                where.append(cond)
            return SearchPlan(None, source, " AND ".join(where + filters),
                              (*params, *filter_params), None,
                              q.sort if q.sort != "relevance" else "newest", "s.id")
        match = self._text_match(node, rows=bool(filters) or q.sort != "relevance",
                                 versions=versions, sort=q.sort)
        return SearchPlan(node, match.source, " AND ".join([match.where, *filters]),
                          (*match.source_params, *match.params, *filter_params), match.score,
                          q.sort, match.id)

    def _search_page(self, plan: SearchPlan | None, limit: int, cursor: str | None
                     ) -> Page[SearchHit]:
        if plan is None:
            if cursor:
                decode_cursor(cursor, 3, (str,))
            return Page([])
        key, order, keyset, key_params = search_order(plan, cursor)
        rows = self._all(
            f"SELECT {plan.id} AS id, {key} AS k FROM {plan.source}"
            f" WHERE {plan.where}{keyset} ORDER BY {order} LIMIT ?",
            (*plan.params, *key_params, limit + 1))
        ids = [int(r["id"]) for r in rows[:limit]]
        details = {int(r["id"]): r for r in self._all(
            "SELECT s.id, s.kind, s.document_id, s.title, s.date, s.url, s.country,"
            f" substr(s.text, 1, {TEASER_CHARS + 1}) AS teaser, v.title AS doc_title,"
            " v.published, v.outlet, v.canonical_url, d.url AS doc_url FROM segments s"
            " JOIN versions v ON v.id = s.version_id JOIN documents d ON d.id = s.document_id"
            f" WHERE s.id IN ({', '.join('?' * len(ids))})", ids)} if ids else {}
        snippets = self._snippets(plan.node, ids) if plan.node is not None and ids else {}
        ranked = plan.sort == "relevance" and plan.score is not None
        data = []
        for r in rows[:limit]:
            d = details[int(r["id"])]
            body = d["kind"] == "body"
            data.append(SearchHit(
                "document" if body else "item", int(d["id"]), int(d["document_id"]),
                d["doc_title"] if body else d["title"], d["published"] if body else d["date"],
                d["doc_url"] if body else d["url"] or d["doc_url"], d["country"],
                snippets.get(int(d["id"])) or teaser(d["teaser"]),
                float(r["k"]) if ranked else None, d["outlet"], d["canonical_url"]))
        nxt = None
        if len(rows) > limit:
            last = rows[limit - 1]
            nxt = encode_cursor(plan.sort, float(last["k"]) if plan.sort == "relevance"
                                else str(last["k"]), int(last["id"]))
        return Page(data, nxt)

    def _facets(self, plan: SearchPlan) -> dict[str, list[FacetCount]]:
        rows = self._all(
            f"WITH m AS MATERIALIZED (SELECT {plan.id} AS id FROM {plan.source}"
            f" WHERE {plan.where} ORDER BY {plan.id} DESC LIMIT ?)"
            f" {FACETS_SQL.format(segments=self._segments_by_id)}",
            (*plan.params, FACET_SAMPLE))
        counts: dict[str, dict[str, FacetCount]] = {name: {} for name in FACETS}

        def add(name: str, value: Any, label: Any, n: int) -> None:
            if value is None:
                return
            c = counts[name].setdefault(str(value), FacetCount(str(value), str(label or value), 0))
            c.count += n

        for r in rows:
            n = int(r["n"])
            if r["facet"] != "row":
                add(r["facet"], r["value"], r["label"], n)
                continue
            add("country", r["value"], r["label"], n)
            year, _, kind = str(r["more"]).partition(":")
            add("year", year if year >= "1" else None, year, n)
            add("source_kind", kind, kind, n)
        return {name: sorted(found.values(), key=lambda c: (-c.count, c.label.casefold(),
                                                            c.value))[:FACET_VALUES]
                for name, found in counts.items()}

    # the dialect's part of search

    _segments_by_id = "segments s"  # how a searchable row is read by its id

    def _text_match(self, node: Node, rows: bool, versions: bool, sort: str) -> TextMatch:
        """The texts that match `node` (which has words to include), and their score; the
        FROM has `s` (segments) where `rows` and `v` (versions) where `versions` is asked;
        `sort` is the order the page asks for."""
        raise NotImplementedError

    def _text_excluded(self, node: Node) -> tuple[str, list[Any]]:
        """A condition on `s`: the text does not match `node`."""
        raise NotImplementedError

    def _snippets(self, node: Node, ids: list[int]) -> dict[int, str]:
        """For these segments, which match `node`: the passage that matches best, with the
        matched words between `[` and `]`."""
        raise NotImplementedError

    def iter_documents(self, batch: int = 500) -> Iterator[int]:
        """Every document id, in order, read in bounded pages."""
        after = 0
        while True:
            rows = self._all("SELECT id FROM documents WHERE id > ? ORDER BY id LIMIT ?",
                             (after, batch))
            if not rows:
                return
            for r in rows:
                yield int(r["id"])
            after = int(rows[-1]["id"])
