"""The store's SQL for trends and what changed: events and documents counted per year, and what
entered the record since a time. Shared by both stores (`?` marks; the PostgreSQL store
rewrites them).

When a text entered the record is read from the times the store kept with the text itself,
never from the rows linking makes (linking again makes its clusters and reports anew): an
article's body entered when its document was first stored (a later version revises the
text, it does not bring it in again); a listing or feed item entered with the version that
first held it (an item a later version repeats is a copy of the first, `segments.dup_of`).
"""

from __future__ import annotations

from typing import Any

# When the text of segment `s` (of version `v` and document `d`; `ov` is the version of the
# item `s` repeats, if any) entered the record.
ENTERED = ("CASE WHEN s.kind = 'body' THEN d.created_at"
           " ELSE coalesce(ov.fetched_at, v.fetched_at) END")
_ENTERED_JOINS = (" LEFT JOIN segments o ON o.id = s.dup_of"
                  " LEFT JOIN versions ov ON ov.id = o.version_id")
CHUNK = 500

# A change's place in the newest-first order: (when, kind rank, id), compared as a tuple.
After = tuple[str, int, int]


def after_clause(rank: int, after: After | None, at: str, id_: str) -> tuple[str, list[Any]]:
    """The condition that keeps, of the changes of one kind (`rank`), those after `after` in
    the newest-first order; columns `at` and `id_` hold a change's place."""
    if after is None:
        return "1 = 1", []
    at0, rank0, id0 = after
    if rank < rank0:
        return f"{at} <= ?", [at0]
    if rank > rank0:
        return f"{at} < ?", [at0]
    return f"({at} < ? OR ({at} = ? AND {id_} < ?))", [at0, at0, id0]


class TrendSQL:
    """Mixed into `SQLStore`: needs `_all`, `_one`, `_exec`, `_insert_id` and `_tx`."""

    _all: Any
    _one: Any
    _exec: Any
    _insert_id: Any
    _tx: Any

    # -- trends ----------------------------------------------------------------------------

    def trend_event_dates(self, country: str) -> list[dict[str, Any]]:
        """The dates texts state for the country's events: one row per report whose event a
        text dates (`date_source` 'text'), with the event's (cluster's) id and type, the date
        and the stage that read it. The clusters are found by country (indexed), their
        reports by cluster, their events by id."""
        return [dict(r) for r in self._all(
            "SELECT c.id AS cluster_id, c.type, e.date, e.stage FROM clusters c"
            " JOIN reports r ON r.cluster_id = c.id JOIN events e ON e.id = r.event_id"
            " WHERE c.country = ? AND c.reports > 0 AND e.date_source = 'text'"
            " AND length(e.date) >= 4", (country.upper(),))]

    def trend_themes(self, country: str) -> dict[int, dict[str, str]]:
        """The themes (code → label) of each of the country's events: those of its lead
        report's text, the text that first told it. One text per event, so that an event
        told by more texts gains no themes by it. (No condition on `categories.kind`: with
        one, the planners read every theme of the store by the (kind, code) index, where
        the country's events lead to their texts' categories by segment.)"""
        out: dict[int, dict[str, str]] = {}
        for r in self._all(
                "SELECT r.cluster_id, cat.kind, cat.code, cat.label FROM clusters c"
                " JOIN reports r ON r.cluster_id = c.id AND r.main = 1 AND r.lead = 1"
                " JOIN categories cat ON cat.segment_id = r.segment_id"
                " WHERE c.country = ? AND c.reports > 0", (country.upper(),)):
            if r["kind"] == "theme":
                out.setdefault(int(r["cluster_id"]), {})[r["code"]] = r["label"]
        return out

    def trend_documents(self, country: str) -> dict[str, int]:
        """How many texts the record holds about a country, per year (the year of the text's
        date, 'YYYY'): the feed's entries, each once (the current body of each article, and
        each listing or feed item not repeated from one stored before; not the listing or
        feed page itself). Texts without a plausible date are left out. Read from the feed
        index alone."""
        return {str(r["year"]): int(r["n"]) for r in self._all(
            "SELECT substr(sort_key, 1, 4) AS year, count(*) AS n FROM segments"
            " WHERE country = ? AND feed = 1 AND substr(sort_key, 1, 4) <> '0000'"
            " GROUP BY substr(sort_key, 1, 4)", (country.upper(),))}

    # -- what changed ----------------------------------------------------------------------

    def new_documents(self, country: str, since: str, limit: int, after: After | None,
                      rank: int) -> list[dict[str, Any]]:
        """Documents about the country (by their current version) first stored at `since` or
        later, newest first, after `after`."""
        cond, params = after_clause(rank, after, "d.created_at", "d.id")
        return [dict(r) for r in self._all(
            "SELECT d.id AS document_id, d.created_at AS at, d.url, v.n, v.kind, v.title,"
            " v.published, v.outlet, v.canonical_url, substr(s.text, 1, 200) AS text_start"
            " FROM documents d JOIN versions v ON v.document_id = d.id AND v.n = d.current_version"
            " LEFT JOIN segments s ON s.version_id = v.id AND s.kind = 'body'"
            f" WHERE d.created_at >= ? AND v.country = ? AND {cond}"
            " ORDER BY d.created_at DESC, d.id DESC LIMIT ?",
            (since, country.upper(), *params, limit))]

    def new_versions(self, country: str, since: str, limit: int, after: After | None,
                     rank: int) -> list[dict[str, Any]]:
        """Later versions (n > 1) of documents about the country, stored at `since` or later,
        newest first, after `after`."""
        cond, params = after_clause(rank, after, "v.fetched_at", "v.id")
        return [dict(r) for r in self._all(
            "SELECT v.id AS version_id, v.document_id, v.fetched_at AS at, d.url, v.n, v.kind,"
            " v.title, v.published, v.outlet, v.canonical_url,"
            " substr(s.text, 1, 200) AS text_start FROM versions v"
            " JOIN documents d ON d.id = v.document_id"
            " LEFT JOIN segments s ON s.version_id = v.id AND s.kind = 'body'"
            f" WHERE v.fetched_at >= ? AND v.n > 1 AND v.country = ? AND {cond}"
            " ORDER BY v.fetched_at DESC, v.id DESC LIMIT ?",
            (since, country.upper(), *params, limit))]

    def new_reports(self, country: str, since: str, limit: int, after: After | None,
                    rank: int) -> list[dict[str, Any]]:
        """Reports of the country's events whose texts entered the record at `since` or later
        (see the module's note), newest first, after `after`: each with its event, its text
        and its document's version."""
        cond, params = after_clause(rank, after, "x.at", "x.report_id")
        return [dict(r) for r in self._all(
            f"SELECT x.* FROM (SELECT {ENTERED} AS at, r.id AS report_id, r.segment_id,"
            " r.event_key, r.cluster_id, r.document_id, r.main, s.kind AS segment_kind,"
            " s.date AS segment_date, s.title AS segment_title, v.n, v.kind, v.title,"
            " v.published, v.outlet, v.canonical_url, d.url, c.type AS event_type,"
            " c.title AS event_title FROM versions v JOIN documents d ON d.id = v.document_id"
            " JOIN segments s ON s.version_id = v.id JOIN reports r ON r.segment_id = s.id"
            f" JOIN clusters c ON c.id = r.cluster_id{_ENTERED_JOINS}"
            " WHERE v.fetched_at >= ? AND c.country = ?) x"
            f" WHERE x.at >= ? AND {cond}"
            " ORDER BY x.at DESC, x.report_id DESC LIMIT ?",
            (since, country.upper(), since, *params, limit))]

    def first_reports(self, cluster_ids: list[int]) -> dict[int, tuple[str, int]]:
        """Each event's first report: (when its text entered the record, the report's id),
        the earliest by that order."""
        ids = sorted(set(cluster_ids))
        out: dict[int, tuple[str, int]] = {}
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start:start + CHUNK]
            for r in self._all(
                    f"SELECT r.cluster_id, r.id, {ENTERED} AS at"
                    " FROM reports r JOIN segments s ON s.id = r.segment_id"
                    " JOIN versions v ON v.id = s.version_id"
                    f" JOIN documents d ON d.id = r.document_id{_ENTERED_JOINS}"
                    f" WHERE r.cluster_id IN ({','.join('?' * len(chunk))})", chunk):
                first = (str(r["at"]), int(r["id"]))
                cid = int(r["cluster_id"])
                if cid not in out or first < out[cid]:
                    out[cid] = first
        return out

    def new_corrections(self, country: str, since: str) -> list[dict[str, Any]]:
        """People's corrections made at `since` or later to the country's events (either
        report they name is a text about the country, or in one of its events), newest
        first, with the event its first report is in now."""
        code = country.upper()
        return [dict(r) for r in self._all(
            "SELECT k.id, k.kind, k.a, k.b, k.note, k.created_at AS at, r.cluster_id,"
            " c.type AS event_type, c.title AS event_title FROM corrections k"
            " LEFT JOIN reports r ON r.event_key = k.a"
            " LEFT JOIN clusters c ON c.id = r.cluster_id"
            " WHERE k.created_at >= ? AND EXISTS (SELECT 1 FROM reports q"
            " JOIN segments s ON s.id = q.segment_id"
            " LEFT JOIN clusters qc ON qc.id = q.cluster_id"
            " WHERE q.event_key IN (k.a, k.b) AND (qc.country = ? OR s.country = ?))"
            " ORDER BY k.created_at DESC, k.id DESC", (since, code, code))]
