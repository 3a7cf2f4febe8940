"""The store's SQL for UN recommendations: written once each, with their themes, and read per
country; and the later events of their themes. Shared by both stores (`?` marks; the
PostgreSQL store rewrites them)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

CHUNK = 500


class RecommendationSQL:
    """Mixed into `SQLStore`: needs `_all`, `_one`, `_exec`, `_insert_id` and `_tx`."""

    _all: Any
    _one: Any
    _exec: Any
    _insert_id: Any
    _tx: Any

    def recommendation_keys(self, keys: Iterable[str]) -> set[str]:
        """Which of these recommendation keys the store holds already."""
        wanted = sorted(set(keys))
        found: set[str] = set()
        for start in range(0, len(wanted), CHUNK):
            chunk = wanted[start:start + CHUNK]
            found.update(r["key"] for r in self._all(
                f"SELECT key FROM recommendations WHERE key IN ({','.join('?' * len(chunk))})",
                chunk))
        return found

    def add_recommendations(self, rows: list[dict[str, Any]]) -> list[str]:
        """Write recommendations (`key`, `body`, `country`, `recommending_state`, `text`,
        `response`, `session`, `cycle`, `date`, `date_basis`, `source`, and `themes` as
        (code, label, basis, score)), each once: 'stored', or 'unchanged' for a key the store
        holds already."""
        out: list[str] = []
        stamp = datetime.now(UTC).isoformat(timespec="seconds")
        with self._tx():
            for r in rows:
                if self._one("SELECT id FROM recommendations WHERE key = ?", (r["key"],)):
                    out.append("unchanged")
                    continue
                rid = self._insert_id(
                    "INSERT INTO recommendations (key, body, country, recommending_state, text,"
                    " response, session, cycle, date, date_basis, source, created_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (r["key"], r["body"], r["country"].upper(), r.get("recommending_state"),
                     r["text"], r.get("response"), r.get("session"), r.get("cycle"),
                     r.get("date"), r.get("date_basis"), r.get("source"), stamp))
                for code, label, basis, score in r.get("themes") or ():
                    self._exec("INSERT INTO recommendation_themes (recommendation_id, code,"
                               " label, basis, score) VALUES (?, ?, ?, ?, ?)",
                               (rid, code, label, basis, score))
                out.append("stored")
        return out

    def recommendations_of(self, country: str, limit: int = 5000) -> list[dict[str, Any]]:
        """A country's recommendations, the latest first, each with its `themes` as a list of
        {code, label, basis, score}, the surest first."""
        rows = [dict(r) for r in self._all(
            "SELECT id, key, body, country, recommending_state, text, response, session, cycle,"
            " date, date_basis, source FROM recommendations WHERE country = ?"
            " ORDER BY date DESC, id LIMIT ?", (country.upper(), max(1, int(limit))))]
        by_id = {int(r["id"]): r for r in rows}
        for r in rows:
            r["themes"] = []
        ids = sorted(by_id)
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start:start + CHUNK]
            for t in self._all(
                    "SELECT recommendation_id, code, label, basis, score FROM"
                    " recommendation_themes WHERE recommendation_id IN"
                    f" ({','.join('?' * len(chunk))}) ORDER BY recommendation_id, score DESC,"
                    " code", chunk):
                by_id[int(t["recommendation_id"])]["themes"].append(
                    {"code": t["code"], "label": t["label"], "basis": t["basis"],
                     "score": None if t["score"] is None else float(t["score"])})
        return rows

    def later_events(self, country: str, themes: list[str], after: str, limit: int = 1000
                     ) -> list[dict[str, Any]]:
        """The events (distinct clusters) of a country whose main report's text has one of
        these themes and that a text dates after `after` (a date a source states for the
        event: `date_source` 'text', never a publication date), the earliest first. Each:
        {id, type, title, themes (those matched), dates (the stated dates after `after`),
        evidence (the words of its dated reports)}."""
        if not themes:
            return []
        # In steps that each use an index on both stores (the country's dated reports, then
        # their events' main texts, then those texts' themes by segment), not one join
        # through the themes of the whole store.
        dated = self._all(
            "SELECT r.cluster_id, e.date, substr(s.text, CAST(e.span_start + 1 AS INTEGER),"
            " CAST(e.span_end - e.span_start AS INTEGER)) AS evidence FROM clusters c"
            " JOIN reports r ON r.cluster_id = c.id JOIN events e ON e.id = r.event_id"
            " JOIN segments s ON s.id = r.segment_id"
            " WHERE c.country = ? AND c.reports > 0 AND e.date_source = 'text'"
            " AND e.date > ? ORDER BY e.date, r.cluster_id", (country.upper(), after))
        wanted = set(themes)
        found: dict[int, set[str]] = {}
        clusters = sorted({int(r["cluster_id"]) for r in dated})
        for start in range(0, len(clusters), CHUNK):
            chunk = clusters[start:start + CHUNK]
            mains: dict[int, list[int]] = {}
            for m in self._all("SELECT cluster_id, segment_id FROM reports WHERE main = 1"
                               f" AND cluster_id IN ({','.join('?' * len(chunk))})", chunk):
                mains.setdefault(int(m["segment_id"]), []).append(int(m["cluster_id"]))
            segments = sorted(mains)
            for lo in range(0, len(segments), CHUNK):
                part = segments[lo:lo + CHUNK]
                # no condition on `kind`: with one, the planners read every theme's rows
                for c in self._all("SELECT segment_id, kind, code FROM categories WHERE"
                                   f" segment_id IN ({','.join('?' * len(part))})", part):
                    if c["kind"] == "theme" and c["code"] in wanted:
                        for cid in mains[int(c["segment_id"])]:
                            found.setdefault(cid, set()).add(str(c["code"]))
        events: dict[int, dict[str, Any]] = {}
        for r in dated:
            cid = int(r["cluster_id"])
            if cid not in found or (cid not in events and len(events) >= limit):
                continue
            e = events.setdefault(cid, {"id": cid, "dates": [], "evidence": [],
                                        "themes": sorted(found[cid])})
            if r["date"] not in e["dates"]:
                e["dates"].append(r["date"])
            if r["evidence"] and r["evidence"] not in e["evidence"]:
                e["evidence"].append(r["evidence"])
        ids = sorted(events)
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start:start + CHUNK]
            qs = ",".join("?" * len(chunk))
            for c in self._all(f"SELECT id, type, title FROM clusters WHERE id IN ({qs})",
                               chunk):
                events[int(c["id"])].update(type=c["type"], title=c["title"])
        return sorted(events.values(), key=lambda e: (min(e["dates"]), e["id"]))
