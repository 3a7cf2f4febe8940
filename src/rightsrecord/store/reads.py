"""The store's list and filter reads: events, documents and actors paged and filtered, a
country's filter options and its chart counts. SQL shared by both stores (`?` marks; the
PostgreSQL store rewrites them)."""

from __future__ import annotations

from typing import Any

from .base import ClusterRow, DocumentRow, IdentityRow, Page, clamp, decode_cursor, encode_cursor


class ReadSQL:
    """Mixed into `SQLStore`: needs `_all` and `_one`."""

    _all: Any
    _one: Any

    # -- events --------------------------------------------------------------------------------

    def event_rows(self, *, country: str | None = None, type_: str | None = None,
                   year: int | None = None, theme: str | None = None, limit: int = 50,
                   cursor: str | None = None) -> Page[ClusterRow]:
        """Events (clusters), the latest first by the day linking gave them, filtered."""
        limit = clamp(limit)
        where, params = ["c.reports > 0"], []
        if country:
            where.append("c.country = ?")
            params.append(country.upper())
        if type_:
            where.append("c.type = ?")
            params.append(type_)
        if year is not None:
            where.append("substr(c.day, 1, 4) = ?")
            params.append(f"{year:04d}")
        if theme:
            where.append("c.id IN (SELECT r.cluster_id FROM reports r WHERE r.main = 1"
                         " AND r.segment_id IN (SELECT cat.segment_id FROM categories cat"
                         " WHERE cat.kind = 'theme' AND cat.code = ?))")
            params.append(theme)
        after = decode_cursor(cursor, 2, (str, int))
        if after is not None:
            where.append("(c.day < ? OR (c.day = ? AND c.id < ?))")
            params += [after[0], after[0], after[1]]
        rows = self._all("SELECT * FROM clusters c WHERE " + " AND ".join(where)
                         + " ORDER BY c.day DESC, c.id DESC LIMIT ?", (*params, limit + 1))
        data = [ClusterRow(int(r["id"]), r["type"], r["day"] or None, r["country"],
                           r["title"], int(r["reports"])) for r in rows[:limit]]
        nxt = encode_cursor(rows[limit - 1]["day"] or "", int(rows[limit - 1]["id"])) \
            if len(rows) > limit else None
        return Page(data, nxt)

    def event_dates(self, cluster_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
        """Per event, its reports' dates: the date each text states for the event (with
        its source and stage) and the date each report was published."""
        if not cluster_ids:
            return {}
        marks = ",".join("?" * len(cluster_ids))
        out: dict[int, list[dict[str, Any]]] = {cid: [] for cid in cluster_ids}
        for r in self._all(
                "SELECT r.cluster_id, r.document_id, e.date, e.date_source, e.stage,"
                " CASE WHEN s.kind = 'item' THEN s.date ELSE v.published END AS reported"
                " FROM reports r JOIN segments s ON s.id = r.segment_id"
                " JOIN versions v ON v.id = s.version_id LEFT JOIN events e ON e.id = r.event_id"
                f" WHERE r.cluster_id IN ({marks}) ORDER BY r.main DESC, r.id", cluster_ids):
            out[int(r["cluster_id"])].append(dict(r))
        return out

    def event_sources(self, cluster_ids: list[int]) -> dict[int, int]:
        """Per event, how many distinct documents report it (republished copies included)."""
        if not cluster_ids:
            return {}
        marks = ",".join("?" * len(cluster_ids))
        out = {cid: 0 for cid in cluster_ids}
        for r in self._all(
                "SELECT x.cluster_id, count(DISTINCT x.doc) AS n FROM ("
                " SELECT r.cluster_id, r.document_id AS doc FROM reports r"
                f" WHERE r.cluster_id IN ({marks})"
                " UNION SELECT r.cluster_id, c.document_id FROM reports r"
                " JOIN copies c ON c.copy_of = r.document_id"
                f" WHERE r.cluster_id IN ({marks})) x GROUP BY x.cluster_id",
                [*cluster_ids, *cluster_ids]):
            out[int(r["cluster_id"])] = int(r["n"])
        return out

    def theme_year_counts(self, country: str) -> list[dict[str, Any]]:
        """Distinct events per theme per year in a country, each event counted in the years a
        text states for it (events with no stated date are left out). Read in two steps (the
        country's dated reports, then their texts' themes by segment) so that each step uses
        its index on both stores."""
        dated = self._all(
            "SELECT r.cluster_id, r.segment_id, substr(e.date, 1, 4) AS year FROM clusters c"
            " JOIN reports r ON r.cluster_id = c.id AND r.main = 1"
            " JOIN events e ON e.id = r.event_id"
            " WHERE c.country = ? AND e.date_source = 'text' AND length(e.date) >= 4",
            (country.upper(),))
        by_segment: dict[int, list[tuple[int, str]]] = {}
        for r in dated:
            by_segment.setdefault(int(r["segment_id"]), []).append(
                (int(r["cluster_id"]), str(r["year"])))
        events: dict[tuple[str, str], set[int]] = {}
        labels: dict[str, str] = {}
        ids = sorted(by_segment)
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            # No condition on `kind` here: with one, the planners pick the (kind, code)
            # index and read every theme of the store.
            for c in self._all("SELECT segment_id, kind, code, label FROM categories WHERE"
                               f" segment_id IN ({','.join('?' * len(chunk))})", chunk):
                if c["kind"] != "theme":
                    continue
                labels[c["code"]] = c["label"]
                for cluster_id, year in by_segment[int(c["segment_id"])]:
                    events.setdefault((c["code"], year), set()).add(cluster_id)
        return [{"theme": theme, "label": labels[theme], "year": year, "events": len(ids_)}
                for (theme, year), ids_ in sorted(events.items())]

    def country_options(self, country: str) -> dict[str, list[dict[str, Any]]]:
        """What a country's feed can be filtered by, with counts: its years (entries) and its
        events' types. (Its themes come with the chart: counting every entry's themes would
        read the whole country.)"""
        code = country.upper()
        years = [dict(r) for r in self._all(
            "SELECT substr(s.sort_key, 1, 4) AS value, count(*) AS count FROM segments s"
            " WHERE s.country = ? AND s.feed = 1 AND substr(s.sort_key, 1, 4) <> '0000'"
            " GROUP BY substr(s.sort_key, 1, 4) ORDER BY value DESC", (code,))]
        types = [dict(r) for r in self._all(
            "SELECT c.type AS value, count(*) AS count FROM clusters c"
            " WHERE c.country = ? AND c.type IS NOT NULL AND c.reports > 0"
            " GROUP BY c.type ORDER BY count DESC, c.type", (code,))]
        return {"years": years, "event_types": types}

    # -- documents and actors ------------------------------------------------------------------

    def document_rows(self, *, country: str | None = None, kind: str | None = None,
                      year: int | None = None, limit: int = 50, cursor: str | None = None
                      ) -> Page[DocumentRow]:
        """Current documents, the latest first, filtered by country, kind and year."""
        limit = clamp(limit)
        where, params = ["s.kind = 'body'", "s.live = 1"], []
        if country:
            where.append("v.country = ?")
            params.append(country.upper())
        if kind:
            where.append("v.kind = ?")
            params.append(kind)
        if year is not None:
            where.append("substr(s.sort_key, 1, 4) = ?")
            params.append(f"{year:04d}")
        after = decode_cursor(cursor, 2, (str, int))
        if after is not None:
            where.append("(s.sort_key < ? OR (s.sort_key = ? AND s.id < ?))")
            params += [after[0], after[0], after[1]]
        rows = self._all(
            "SELECT s.id AS seg, s.document_id, s.sort_key, substr(s.text, 1, 200) AS text_start,"
            " v.title, v.kind, v.published, v.country, d.url, v.outlet, v.canonical_url"
            " FROM segments s JOIN versions v ON v.id = s.version_id"
            " JOIN documents d ON d.id = s.document_id WHERE " + " AND ".join(where)
            + " ORDER BY s.sort_key DESC, s.id DESC LIMIT ?", (*params, limit + 1))
        data = [DocumentRow(int(r["document_id"]), r["title"], r["text_start"], r["url"],
                            r["kind"], r["published"], r["country"], r["outlet"],
                            r["canonical_url"]) for r in rows[:limit]]
        nxt = encode_cursor(rows[limit - 1]["sort_key"], int(rows[limit - 1]["seg"])) \
            if len(rows) > limit else None
        return Page(data, nxt)

    def identity_rows(self, *, type_: str | None = None, limit: int = 50,
                      cursor: str | None = None) -> Page[IdentityRow]:
        """People and organisations, the most often named first."""
        limit = clamp(limit)
        where, params = ["i.mentions > 0"], []
        if type_:
            where.append("i.type = ?")
            params.append(type_)
        after = decode_cursor(cursor, 2, (int, int))
        if after is not None:
            where.append("(i.mentions < ? OR (i.mentions = ? AND i.id > ?))")
            params += [after[0], after[0], after[1]]
        rows = self._all("SELECT i.id, i.type, i.key, i.surname, i.name, i.mentions"
                         " FROM identities i WHERE " + " AND ".join(where)
                         + " ORDER BY i.mentions DESC, i.id LIMIT ?", (*params, limit + 1))
        data = [IdentityRow(int(r["id"]), r["type"], r["key"], r["surname"], r["name"],
                            int(r["mentions"])) for r in rows[:limit]]
        nxt = encode_cursor(int(rows[limit - 1]["mentions"]), int(rows[limit - 1]["id"])) \
            if len(rows) > limit else None
        return Page(data, nxt)

    def event_counts(self) -> dict[str, int]:
        """How many events (clusters with reports) each country has."""
        return {r["country"]: int(r["n"]) for r in self._all(
            "SELECT country, count(*) AS n FROM clusters WHERE reports > 0"
            " AND country IS NOT NULL GROUP BY country")}

    def outlet_count(self) -> int:
        """How many outlets the store's current documents name."""
        row = self._one("SELECT count(DISTINCT outlet) AS n FROM versions v"
                        " JOIN documents d ON d.id = v.document_id AND v.n = d.current_version")
        return int(row["n"]) if row else 0
