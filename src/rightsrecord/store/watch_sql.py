"""The store's SQL for watchlists, their alerts and the deliveries of those alerts, every attempt
logged. Shared by both stores (`?` marks; the PostgreSQL store rewrites them)."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from .base import Page, ReportView, SearchQuery, clamp, decode_cursor, encode_cursor

# The candidates of a watchlist: reports linked after its watermark, of versions stored since
# it was made (`fetched_at` is when the store wrote the version, in whole seconds).
_CANDIDATES = (
    "SELECT r.id, r.segment_id FROM reports r JOIN segments s ON s.id = r.segment_id"
    " JOIN versions v ON v.id = s.version_id JOIN clusters c ON c.id = r.cluster_id"
    " WHERE r.id > ? AND r.id <= ? AND v.fetched_at >= ?")


def _now() -> str:
    from .sql import now

    return now()


def _marks(values: list[Any]) -> str:
    return ",".join("?" * len(values))


class WatchSQL:
    """Mixed into `SQLStore`: needs `_all`, `_one`, `_exec`, `_insert_id`, `_tx`, and from
    its siblings `_link_lock`, `_reports` and `_search_plan`."""

    _all: Any
    _one: Any
    _exec: Any
    _insert_id: Any
    _tx: Any
    _link_lock: Any
    _reports: Any
    _search_plan: Any

    # -- watchlists --------------------------------------------------------------------------

    def add_watchlist(self, name: str, *, country: str | None = None,
                      theme: str | None = None, actor: int | None = None,
                      event_type: str | None = None, text: str | None = None,
                      webhook_url: str | None = None, secret: str | None = None) -> int:
        """Save a watchlist; it matches what is stored from now on. Its `created_at` is a
        second in which no version was stored before it (it waits for the next second if
        one was), so "stored since" splits the versions exactly at the second; reports
        already linked are behind its watermark."""
        with self._tx():
            stamp = _now()
            newest = self._one("SELECT fetched_at FROM versions ORDER BY id DESC LIMIT 1")
            if newest is not None and newest["fetched_at"] >= stamp:
                while _now() == stamp:
                    time.sleep(0.02)
                stamp = _now()
            top = self._one("SELECT max(id) AS n FROM reports")["n"] or 0
            return int(self._insert_id(
                "INSERT INTO watchlists (name, country, theme, actor, actor_type, actor_key,"
                " event_type, text, webhook_url, secret, watermark, active, created_at)"
                " VALUES (?, ?, ?, ?, (SELECT type FROM identities WHERE id = ?),"
                " (SELECT key FROM identities WHERE id = ?), ?, ?, ?, ?, ?, 1, ?)",
                (name, country, theme, actor, actor, actor, event_type, text, webhook_url,
                 secret, int(top), stamp)))

    _WATCHLIST = ("SELECT w.id, w.name, w.country, w.theme, w.actor, w.actor_type,"
                  " w.actor_key, w.event_type, w.text,"
                  " w.webhook_url, w.watermark, w.active, w.created_at,"
                  " (SELECT count(*) FROM alerts a WHERE a.watchlist_id = w.id) AS alerts"
                  " FROM watchlists w")

    def watchlist_rows(self, limit: int = 50, cursor: str | None = None
                       ) -> Page[dict[str, Any]]:
        """Watchlists, oldest first, with how many alerts each raised (never the secret)."""
        limit = clamp(limit)
        after = decode_cursor(cursor, 1, (int,))
        rows = self._all(self._WATCHLIST + " WHERE w.id > ? ORDER BY w.id LIMIT ?",
                         (int(after[0]) if after else 0, limit + 1))
        nxt = encode_cursor(int(rows[limit - 1]["id"])) if len(rows) > limit else None
        return Page([dict(r) for r in rows[:limit]], nxt)

    def watchlist_row(self, watchlist_id: int) -> dict[str, Any] | None:
        row = self._one(self._WATCHLIST + " WHERE w.id = ?", (watchlist_id,))
        return dict(row) if row else None

    def remove_watchlist(self, watchlist_id: int) -> bool:
        """Delete a watchlist with its alerts, their deliveries and attempts; False if none."""
        with self._tx():
            if self._one("SELECT id FROM watchlists WHERE id = ?", (watchlist_id,)) is None:
                return False
            alerts = "SELECT id FROM alerts WHERE watchlist_id = ?"
            self._exec(f"DELETE FROM delivery_attempts WHERE alert_id IN ({alerts})",
                       (watchlist_id,))
            self._exec(f"DELETE FROM deliveries WHERE alert_id IN ({alerts})", (watchlist_id,))
            self._exec("DELETE FROM alerts WHERE watchlist_id = ?", (watchlist_id,))
            self._exec("DELETE FROM watchlists WHERE id = ?", (watchlist_id,))
            return True

    # -- matching ----------------------------------------------------------------------------

    @contextmanager
    def watching(self) -> Iterator[None]:
        """One transaction of matching, linkers held off: every report id up to the newest is
        committed, so a watermark never passes a report still being written."""
        with self._tx():
            self._link_lock()
            yield

    def watch_matches(self, watchlist_id: int, limit: int = 200
                      ) -> tuple[list[ReportView], int, bool]:
        """The next reports a watchlist matches, in report order: (reports, the report id
        read up to, whether more are left). Call inside `watching()`."""
        w = self._one("SELECT * FROM watchlists WHERE id = ?", (watchlist_id,))
        if w is None:
            return [], 0, False
        top = int(self._one("SELECT max(id) AS n FROM reports")["n"] or 0)
        # Below the watermark, ids were given anew (SQLite gives a relink's reports ids
        # from 1 again): read them all; the alerts already raised are not raised again.
        after = int(w["watermark"]) if int(w["watermark"]) <= top else 0
        sql, params = _CANDIDATES, [after, top, w["created_at"]]
        if w["country"]:
            sql += " AND (c.country = ? OR s.country = ?)"
            params += [w["country"], w["country"]]
        if w["theme"]:
            sql += (" AND r.segment_id IN (SELECT cat.segment_id FROM categories cat"
                    " WHERE cat.kind = 'theme' AND cat.code = ?)")
            params.append(w["theme"])
        if w["event_type"]:
            sql += " AND r.type = ?"
            params.append(w["event_type"])
        if w["actor"] is not None:
            # the actor's identity as linking now numbers it (by its type and key)
            who = ("SELECT i.id FROM identities i WHERE i.type = ? AND i.key = ?"
                   if w["actor_key"] is not None else "SELECT ?")
            ask = [w["actor_type"], w["actor_key"]] if w["actor_key"] is not None \
                else [int(w["actor"])]
            sql += (f" AND (r.target_identity IN ({who}) OR EXISTS (SELECT 1 FROM actors a"
                    " JOIN actor_identities ai ON ai.actor_id = a.id"
                    f" WHERE a.segment_id = r.segment_id AND ai.identity_id IN ({who})))")
            params += [*ask, *ask]
        limit = clamp(limit)
        rows = self._all(sql + " ORDER BY r.id LIMIT ?", (*params, limit))
        more = len(rows) == limit
        upto = int(rows[-1]["id"]) if more else top
        ids = [int(r["id"]) for r in rows]
        if w["text"] and ids:
            found = self._segments_found(w["text"], {int(r["segment_id"]) for r in rows})
            ids = [int(r["id"]) for r in rows if int(r["segment_id"]) in found]
        if not ids:
            return [], upto, more
        order = {i: n for n, i in enumerate(ids)}
        keys = {r["event_key"]: int(r["id"]) for r in self._all(
            f"SELECT id, event_key FROM reports WHERE id IN ({_marks(ids)})", ids)}
        reports = self._reports(f"r.id IN ({_marks(ids)})", tuple(ids))
        reports.sort(key=lambda rep: order[keys[rep.event_key]])
        return reports, upto, more

    def _segments_found(self, text: str, segment_ids: set[int]) -> set[int]:
        """Which of these texts the store's search finds for `text`."""
        plan = self._search_plan(SearchQuery(text=text))
        if plan is None:
            return set()
        ids = sorted(segment_ids)
        return {int(r["id"]) for r in self._all(
            f"SELECT {plan.id} AS id FROM {plan.source} WHERE {plan.where}"
            f" AND {plan.id} IN ({_marks(ids)})", (*plan.params, *ids))}

    def alerted(self, watchlist_id: int, event_keys: Iterable[str]) -> set[str]:
        """Which of these event keys the watchlist has already raised an alert for."""
        keys = sorted(set(event_keys))
        if not keys:
            return set()
        return {r["event_key"] for r in self._all(
            f"SELECT event_key FROM alerts WHERE watchlist_id = ? AND event_key IN"
            f" ({_marks(keys)})", (watchlist_id, *keys))}

    def add_alert(self, watchlist_id: int, *, event_key: str, cluster_id: int | None,
                  document_id: int, payload: str, created_at: str, deliver_at: str | None
                  ) -> int:
        """Store an alert (and, with `deliver_at`, its delivery, pending from then); its id.
        Call inside `watching()`, after `alerted`."""
        alert_id = int(self._insert_id(
            "INSERT INTO alerts (watchlist_id, event_key, cluster_id, document_id, payload,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?)",
            (watchlist_id, event_key, cluster_id, document_id, payload, created_at)))
        if deliver_at is not None:
            self._exec("INSERT INTO deliveries (alert_id, status, attempts, next_attempt_at)"
                       " VALUES (?, 'pending', 0, ?)", (alert_id, deliver_at))
        return alert_id

    def set_alert_payload(self, alert_id: int, payload: str) -> None:
        self._exec("UPDATE alerts SET payload = ? WHERE id = ?", (payload, alert_id))

    def set_watermark(self, watchlist_id: int, report_id: int) -> None:
        self._exec("UPDATE watchlists SET watermark = ? WHERE id = ?",
                   (report_id, watchlist_id))

    # -- alerts ------------------------------------------------------------------------------

    _ALERT = ("SELECT a.id, a.watchlist_id, a.event_key, a.cluster_id, a.document_id,"
              " a.payload, a.created_at, d.status AS delivery, d.attempts,"
              " d.next_attempt_at, d.delivered_at, d.last_error"
              " FROM alerts a LEFT JOIN deliveries d ON d.alert_id = a.id")

    def alert_rows(self, watchlist_id: int, limit: int = 50, cursor: str | None = None
                   ) -> Page[dict[str, Any]]:
        """A watchlist's alerts, newest first, with their delivery's state."""
        limit = clamp(limit)
        after = decode_cursor(cursor, 1, (int,))
        cond, params = ("AND a.id < ?", [int(after[0])]) if after else ("", [])
        rows = self._all(self._ALERT + f" WHERE a.watchlist_id = ? {cond}"
                         " ORDER BY a.id DESC LIMIT ?", (watchlist_id, *params, limit + 1))
        nxt = encode_cursor(int(rows[limit - 1]["id"])) if len(rows) > limit else None
        return Page([dict(r) for r in rows[:limit]], nxt)

    # -- deliveries --------------------------------------------------------------------------

    def due_deliveries(self, now: str, limit: int = 100,
                       alert_ids: Iterable[int] | None = None) -> list[dict[str, Any]]:
        """Pending deliveries due by `now` (oldest due first): each with its alert's payload,
        attempts so far, and its watchlist's webhook and secret."""
        sql = ("SELECT d.alert_id, d.attempts, d.next_attempt_at, a.payload, a.watchlist_id,"
               " w.webhook_url, w.secret FROM deliveries d JOIN alerts a ON a.id = d.alert_id"
               " JOIN watchlists w ON w.id = a.watchlist_id"
               " WHERE d.status = 'pending' AND d.next_attempt_at <= ?")
        params: list[Any] = [now]
        if alert_ids is not None:
            ids = sorted(set(alert_ids))
            if not ids:
                return []
            sql += f" AND d.alert_id IN ({_marks(ids)})"
            params += ids
        return [dict(r) for r in self._all(sql + " ORDER BY d.next_attempt_at, d.alert_id"
                                           " LIMIT ?", (*params, clamp(limit)))]

    def claim_delivery(self, alert_id: int, due: str, until: str) -> bool:
        """Take a due delivery for one attempt: its next attempt moves to `until`, so another
        runner leaves it alone (and, if this one dies, tries it then). False when another
        runner took it first."""
        with self._tx():
            cur = self._exec("UPDATE deliveries SET next_attempt_at = ? WHERE alert_id = ?"
                             " AND status = 'pending' AND next_attempt_at = ?",
                             (until, alert_id, due))
            return bool(cur.rowcount == 1)

    def record_attempt(self, alert_id: int, *, attempted_at: str, status_code: int | None,
                       error: str | None, elapsed_ms: int, status: str,
                       next_attempt_at: str) -> None:
        """Log an attempt and set its delivery's state ('delivered', 'pending' for another
        attempt at `next_attempt_at`, or 'failed'), in one transaction."""
        with self._tx():
            if self._one("SELECT alert_id FROM deliveries WHERE alert_id = ?",
                         (alert_id,)) is None:
                return  # its watchlist was removed meanwhile
            self._exec("INSERT INTO delivery_attempts (alert_id, attempted_at, status_code,"
                       " error, elapsed_ms) VALUES (?, ?, ?, ?, ?)",
                       (alert_id, attempted_at, status_code, error, elapsed_ms))
            self._exec("UPDATE deliveries SET status = ?, attempts = attempts + 1,"
                       " next_attempt_at = ?, delivered_at = ?, last_error = ?"
                       " WHERE alert_id = ?",
                       (status, next_attempt_at,
                        attempted_at if status == "delivered" else None,
                        None if status == "delivered" else error, alert_id))

    def requeue_deliveries(self, watchlist_id: int, alert_id: int | None, now: str
                           ) -> list[int]:
        """Make a watchlist's undelivered alerts (or one of them) due at `now`: a failed one
        pending again with its attempts counted from zero (its log kept). Their ids."""
        cond, params = ("AND a.id = ?", [alert_id]) if alert_id is not None else ("", [])
        with self._tx():
            ids = [int(r["alert_id"]) for r in self._all(
                "SELECT d.alert_id FROM deliveries d JOIN alerts a ON a.id = d.alert_id"
                f" WHERE a.watchlist_id = ? {cond} AND d.status <> 'delivered'"
                " ORDER BY d.alert_id", (watchlist_id, *params))]
            for i in ids:
                self._exec("UPDATE deliveries SET status = 'pending', next_attempt_at = ?,"
                           " attempts = CASE WHEN status = 'failed' THEN 0 ELSE attempts END"
                           " WHERE alert_id = ?", (now, i))
            return ids

    def delivery_attempts(self, watchlist_id: int, alert_id: int | None = None,
                          limit: int = 200) -> list[dict[str, Any]]:
        """The attempts to deliver a watchlist's alerts (or one alert's), oldest first."""
        cond, params = ("AND a.id = ?", [alert_id]) if alert_id is not None else ("", [])
        return [dict(r) for r in self._all(
            "SELECT t.id, t.alert_id, t.attempted_at, t.status_code, t.error, t.elapsed_ms"
            " FROM delivery_attempts t JOIN alerts a ON a.id = t.alert_id"
            f" WHERE a.watchlist_id = ? {cond} ORDER BY t.id LIMIT ?",
            (watchlist_id, *params, clamp(limit)))]

    def next_delivery_at(self) -> str | None:
        """When the next pending delivery is due; None when none is pending."""
        row = self._one("SELECT min(next_attempt_at) AS t FROM deliveries"
                        " WHERE status = 'pending'")
        return row["t"] if row else None
