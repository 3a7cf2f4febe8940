"""The store's SQL for drafts: the reads a yearly draft summary needs, and the cache of derived
rows. Shared by both stores (`?` marks; the PostgreSQL store rewrites them)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any


class DraftSQL:
    """Mixed into `SQLStore`: needs `_all`, `_one`, `_exec`, `_insert_id` and `_tx`."""

    _all: Any
    _one: Any
    _exec: Any
    _insert_id: Any
    _tx: Any

    def draft_candidates(self, country: str) -> list[dict[str, Any]]:
        """A country's events that a text gives a date for (the date itself is read with
        `event_dates`), each with its type, its independent sources (distinct documents
        reporting it, a republished copy counted as the document it copies) and how many
        distinct targets its reports name."""
        return [dict(r) for r in self._all(
            "SELECT c.id, c.type,"
            " (SELECT count(DISTINCT COALESCE(cp.copy_of, r2.document_id)) FROM reports r2"
            "  LEFT JOIN copies cp ON cp.document_id = r2.document_id"
            "  WHERE r2.cluster_id = c.id) AS independent,"
            " (SELECT count(DISTINCT r3.target_identity) FROM reports r3"
            "  WHERE r3.cluster_id = c.id AND r3.target_identity IS NOT NULL) AS targets"
            " FROM clusters c WHERE c.country = ? AND c.reports > 0 AND EXISTS ("
            "  SELECT 1 FROM reports r JOIN events e ON e.id = r.event_id"
            "  WHERE r.cluster_id = c.id AND e.date_source = 'text')"
            " ORDER BY c.id", (country.upper(),))]

    def record_stamp(self, country: str) -> str:
        """A cheap mark of the state of a country's record: it moves when a report is linked,
        moved or unlinked, a reporting document gets a new version or is found to be a copy,
        or a person corrects a link."""
        row = self._one(
            "SELECT count(r.id) AS n, max(r.id) AS last, sum(r.cluster_id) AS clusters,"
            " sum(COALESCE(r.event_id, 0)) AS events, sum(r.main) AS main,"
            " sum(COALESCE(r.target_identity, 0)) AS targets,"
            " sum(d.current_version) AS versions, count(cp.document_id) AS copies"
            " FROM clusters c JOIN reports r ON r.cluster_id = c.id"
            " JOIN documents d ON d.id = r.document_id"
            " LEFT JOIN copies cp ON cp.document_id = r.document_id"
            " WHERE c.country = ?", (country.upper(),))
        fixes = self._one("SELECT count(*) AS n, max(id) AS last FROM corrections")
        values = [row[k] for k in ("n", "last", "clusters", "events", "main", "targets",
                                   "versions", "copies")] + [fixes["n"], fixes["last"]]
        return ".".join("" if v is None else str(int(v)) for v in values)

    def living_stamp(self, country: str) -> str:
        """`record_stamp`, moved also by a recommendation to the country and by a document
        or item about it (what trends count beside the events)."""
        recs = self._one("SELECT count(*) AS n, max(id) AS last FROM recommendations"
                         " WHERE country = ?", (country.upper(),))
        held = self._one("SELECT documents, items FROM country_stats WHERE code = ?",
                         (country.upper(),))
        values = [recs["n"], recs["last"], held["documents"] if held else 0,
                  held["items"] if held else 0]
        return self.record_stamp(country) + ":" + ".".join(
            "" if v is None else str(int(v)) for v in values)

    def derived(self, country: str, kind: str) -> dict[str, Any] | None:
        """What was derived from a country's record (its `stamp`, `stage`, `body` and
        `made_at`), or None."""
        row = self._one("SELECT stamp, stage, body, made_at FROM derived"
                        " WHERE country = ? AND kind = ?", (country.upper(), kind))
        return dict(row) if row else None

    def put_derived(self, country: str, kind: str, stamp: str, stage: str, body: str) -> None:
        """Keep what was derived from a country's record, replacing the one before."""
        with self._tx():
            self._exec("INSERT INTO derived (country, kind, stamp, stage, body, made_at)"
                       " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (country, kind) DO UPDATE SET"
                       " stamp = excluded.stamp, stage = excluded.stage, body = excluded.body,"
                       " made_at = excluded.made_at",
                       (country.upper(), kind, stamp, stage, body,
                        datetime.now(UTC).isoformat(timespec="seconds")))
