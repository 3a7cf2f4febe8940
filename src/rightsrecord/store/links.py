"""The store's part of linking across documents: the SQL behind copies, event clusters,
corrections and actor identities. What to link is decided in `link/`; this only keeps it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

from .base import (
    ActorView,
    ClusterRow,
    ClusterView,
    IdentityRow,
    ReportView,
    StaleVersion,
    clamp,
)


def _now() -> str:
    from .sql import now

    return now()


class LinkSQL:
    """Mixed into SQLStore; uses its `_exec`, `_exec_many`, `_one`, `_all`, `_insert_id` and
    `_tx`."""

    _exec: Callable[..., Any]
    _exec_many: Callable[[str, list[tuple]], None]
    _one: Callable[..., Any]
    _all: Callable[..., list[Any]]
    _insert_id: Callable[[str, tuple], int]
    _tx: Callable[[], AbstractContextManager[Any]]

    def _link_lock(self) -> None:
        """Serialise linkers (the dialect's part: SQLite's write lock already does)."""

    # -- the link step: one transaction per document, and what is left to link ---------------

    @contextmanager
    def linking(self) -> Iterator[None]:
        """One transaction of linking, linkers serialised: what a document's linking writes
        commits whole, with its mark (`mark_linked`), or not at all."""
        with self._tx():
            self._link_lock()
            yield

    def mark_linked(self, document_id: int, version: int, stage: str) -> None:
        """Record that `stage` linked this version: its stage ids end with the link stage's.
        A version is stored without it, so one stored but not yet linked stays pending."""
        from .sql import extract_stages

        row = self._one("SELECT id, stages FROM versions WHERE document_id = ? AND n = ?",
                        (document_id, version))
        if row is None:
            return
        stages = ",".join(s for s in (extract_stages(row["stages"]), stage) if s)
        self._exec("UPDATE versions SET stages = ? WHERE id = ?", (stages, int(row["id"])))

    def _pending_where(self, stage: str) -> tuple[str, tuple]:
        from .sql import like_escape

        return ("v.stages <> ? AND v.stages NOT LIKE ? ESCAPE '!'",
                (stage, "%," + like_escape(stage)))

    def unlinked(self, stage: str, limit: int = 100, after: int = 0) -> list[StaleVersion]:
        """Current versions `stage` has not linked: stored but not yet linked, or linked by
        earlier rules, or whose facts changed since; in version order."""
        where, params = self._pending_where(stage)
        rows = self._all(
            "SELECT v.id, v.document_id, v.stages FROM versions v JOIN documents d"
            " ON d.id = v.document_id AND d.current_version = v.n"
            f" WHERE {where} AND v.id > ? ORDER BY v.id LIMIT ?",
            (*params, after, clamp(limit)))
        return [StaleVersion(int(r["id"]), int(r["document_id"]),
                             [s for s in r["stages"].split(",") if s]) for r in rows]

    def count_unlinked(self, stage: str) -> int:
        where, params = self._pending_where(stage)
        return int(self._one(
            "SELECT count(*) AS n FROM versions v JOIN documents d ON d.id = v.document_id"
            f" AND d.current_version = v.n WHERE {where}", params)["n"])

    def unlinked_documents(self, document_ids: Iterable[int], stage: str) -> list[int]:
        """Which of these documents' current versions `stage` has not linked, in order."""
        ids = sorted(set(document_ids))
        where, params = self._pending_where(stage)
        out: list[int] = []
        for i in range(0, len(ids), 500):
            part = ids[i:i + 500]
            out += [int(r["document_id"]) for r in self._all(
                "SELECT v.document_id FROM versions v JOIN documents d"
                " ON d.id = v.document_id AND d.current_version = v.n"
                f" WHERE d.id IN ({','.join('?' * len(part))}) AND {where}"
                " ORDER BY v.document_id", (*part, *params))]
        return out

    # -- units and copies --------------------------------------------------------------------

    def put_unit(self, segment_id: int, document_id: int, record: dict[str, Any],
                 signature: str | None) -> None:
        self._exec("INSERT INTO link_units (segment_id, document_id, record, signature)"
                   " VALUES (?, ?, ?, ?) ON CONFLICT (segment_id) DO UPDATE SET"
                   " record = excluded.record,"
                   " signature = coalesce(excluded.signature, link_units.signature)",
                   (segment_id, document_id, json.dumps(record, ensure_ascii=False),
                    signature))

    def count_terms(self, terms: Iterable[str]) -> None:
        """One more linked text, holding these words."""
        self._exec_many("INSERT INTO link_terms (term, df) VALUES (?, 1) ON CONFLICT (term)"
                        " DO UPDATE SET df = link_terms.df + 1",
                        [(t,) for t in sorted({*terms, "_texts"})])

    def uncount_terms(self, terms: Iterable[str]) -> None:
        """One linked text fewer (it is linked again, or no more)."""
        self._exec_many("UPDATE link_terms SET df = df - 1 WHERE term = ? AND df > 0",
                        [(t,) for t in sorted({*terms, "_texts"})])

    def term_counts(self, terms: Iterable[str]) -> dict[str, int]:
        ks = sorted({*terms, "_texts"})
        out: dict[str, int] = {}
        for i in range(0, len(ks), 500):
            part = ks[i:i + 500]
            out.update({r["term"]: int(r["df"]) for r in self._all(
                f"SELECT term, df FROM link_terms WHERE term IN ({','.join('?' * len(part))})",
                part)})
        return out

    def unit_records(self, segment_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
        ids = sorted(set(segment_ids))
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        return {int(r["segment_id"]): json.loads(r["record"]) for r in self._all(
            f"SELECT segment_id, record FROM link_units WHERE segment_id IN ({marks})", ids)}

    def copy_candidates(self, bands: list[str], document_id: int) -> list[tuple[int, str]]:
        """Earlier documents sharing a MinHash band, with their signatures."""
        if not bands:
            return []
        marks = ",".join("?" * len(bands))
        return [(int(r["document_id"]), r["signature"]) for r in self._all(
            "SELECT DISTINCT u.document_id, u.signature FROM copy_bands b"
            " JOIN link_units u ON u.document_id = b.document_id AND u.signature IS NOT NULL"
            f" WHERE b.band IN ({marks}) AND b.document_id <> ? ORDER BY u.document_id"
            " LIMIT 50", (*bands, document_id))]

    def put_bands(self, document_id: int, bands: list[str]) -> None:
        self._exec("DELETE FROM copy_bands WHERE document_id = ?", (document_id,))
        self._exec_many("INSERT INTO copy_bands (band, document_id) VALUES (?, ?)",
                        [(band, document_id) for band in bands])

    def mark_copy(self, document_id: int, copy_of: int, similarity: float, stage: str) -> None:
        self._exec("DELETE FROM copies WHERE document_id = ?", (document_id,))
        self._exec("INSERT INTO copies (document_id, copy_of, similarity, stage)"
                   " VALUES (?, ?, ?, ?)", (document_id, copy_of, round(similarity, 4), stage))

    def copy_of(self, document_id: int) -> int | None:
        row = self._one("SELECT copy_of FROM copies WHERE document_id = ?", (document_id,))
        return int(row["copy_of"]) if row else None

    def copies_of(self, document_ids: Iterable[int]) -> dict[int, list[dict[str, Any]]]:
        """Each document's copies: where else it was published."""
        ids = sorted(set(document_ids))
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        out: dict[int, list[dict[str, Any]]] = {}
        for r in self._all(
                "SELECT c.copy_of, c.document_id, c.similarity, d.url, v.title, v.published"
                " FROM copies c JOIN documents d ON d.id = c.document_id"
                " JOIN versions v ON v.document_id = d.id AND v.n = d.current_version"
                f" WHERE c.copy_of IN ({marks}) ORDER BY c.document_id", ids):
            out.setdefault(int(r["copy_of"]), []).append(
                {"document_id": int(r["document_id"]), "url": r["url"], "title": r["title"],
                 "published": r["published"], "similarity": float(r["similarity"])})
        return out

    # -- clusters and reports ----------------------------------------------------------------

    def cluster_candidates(self, country: str | None, lo: str, hi: str, limit: int = 30
                           ) -> list[ClusterRow]:
        """Clusters of one country (or of none) whose day falls in [lo, hi]."""
        cond = "country = ?" if country else "country IS NULL"
        params: tuple = (country,) if country else ()
        rows = self._all(
            f"SELECT * FROM clusters WHERE {cond} AND day >= ? AND day <= ? AND reports > 0"
            " ORDER BY day DESC, id DESC LIMIT ?", (*params, lo, hi, clamp(limit)))
        return [_cluster_row(r) for r in rows]

    def target_candidates(self, identity_id: int, types: list[str]) -> list[dict[str, Any]]:
        """Reports naming this identity as target, of these types: (cluster, day, key)."""
        marks = ",".join("?" * len(types))
        return [dict(r) for r in self._all(
            "SELECT cluster_id, day, type, event_key, document_id FROM reports"
            f" WHERE target_identity = ? AND type IN ({marks}) ORDER BY id DESC LIMIT 50",
            (identity_id, *types))]

    def cluster_units(self, cluster_ids: list[int], per: int = 3) -> dict[int, list[int]]:
        """A few main reports' segments of each cluster: its first and its latest."""
        out: dict[int, list[int]] = {}
        for cid in cluster_ids:
            rows = self._all("SELECT segment_id FROM reports WHERE cluster_id = ? AND main = 1"
                             " ORDER BY id", (cid,))
            segs = [int(r["segment_id"]) for r in rows]
            out[cid] = segs if len(segs) <= per else [segs[0], *segs[-(per - 1):]]
        return out

    def new_cluster(self, type_: str | None, day: str | None, country: str | None,
                    title: str | None) -> int:
        return int(self._insert_id(
            "INSERT INTO clusters (type, day, country, title, reports, created_at)"
            " VALUES (?, ?, ?, ?, 0, ?)", (type_, day or "", country, title, _now())))

    def add_report(self, cluster_id: int, *, segment_id: int, document_id: int,
                   event_id: int | None, event_key: str, main: bool, type_: str | None,
                   day: str | None, target_identity: int | None, sort_key: str,
                   score: float, signals: dict[str, Any], linked_by: str) -> None:
        self._exec(
            "INSERT INTO reports (cluster_id, segment_id, document_id, event_id, event_key,"
            " main, lead, type, day, target_identity, sort_key, score, signals, linked_by,"
            " created_at) VALUES (?,?,?,?,?,?,0,?,?,?,?,?,?,?,?)",
            (cluster_id, segment_id, document_id, event_id, event_key, int(main), type_, day,
             target_identity, sort_key, round(float(score), 4),
             json.dumps(signals, ensure_ascii=False, sort_keys=True), linked_by, _now()))
        self._refresh_cluster(cluster_id)

    def _refresh_cluster(self, cluster_id: int) -> None:
        """Keep a cluster's count and its lead (the earliest main report) up to date."""
        n = int(self._one("SELECT count(*) AS n FROM reports WHERE cluster_id = ?",
                          (cluster_id,))["n"])
        if not n:
            self._exec("DELETE FROM clusters WHERE id = ?", (cluster_id,))
            return
        self._exec("UPDATE clusters SET reports = ? WHERE id = ?", (n, cluster_id))
        self._exec("UPDATE clusters SET type = (SELECT type FROM reports WHERE cluster_id = ?"
                   " AND type IS NOT NULL ORDER BY main DESC, id LIMIT 1)"
                   " WHERE id = ? AND type IS NULL", (cluster_id, cluster_id))
        lead = self._one("SELECT id FROM reports WHERE cluster_id = ? AND main = 1"
                         " ORDER BY sort_key, id LIMIT 1", (cluster_id,))
        self._exec("UPDATE reports SET lead = 0 WHERE cluster_id = ? AND lead = 1",
                   (cluster_id,))
        if lead:
            self._exec("UPDATE reports SET lead = 1 WHERE id = ?", (int(lead["id"]),))

    def unlink_segment(self, segment_id: int) -> None:
        """Take a text's reports, link record and actors' identities out (before its facts
        are replaced); clusters left without reports go."""
        touched = [int(r["cluster_id"]) for r in self._all(
            "SELECT DISTINCT cluster_id FROM reports WHERE segment_id = ?", (segment_id,))]
        self._exec("DELETE FROM reports WHERE segment_id = ?", (segment_id,))
        for cid in touched:
            self._refresh_cluster(cid)
        self._exec("DELETE FROM actor_identities WHERE actor_id IN"
                   " (SELECT id FROM actors WHERE segment_id = ?)", (segment_id,))
        self._exec("DELETE FROM link_units WHERE segment_id = ?", (segment_id,))

    def move_reports(self, keys: list[str], cluster_id: int, linked_by: str) -> None:
        old = [int(r["cluster_id"]) for r in self._all(
            f"SELECT DISTINCT cluster_id FROM reports WHERE event_key IN"
            f" ({','.join('?' * len(keys))})", keys)]
        self._exec(f"UPDATE reports SET cluster_id = ?, linked_by = ? WHERE event_key IN"
                   f" ({','.join('?' * len(keys))})", (cluster_id, linked_by, *keys))
        for cid in {*old, cluster_id}:
            self._refresh_cluster(cid)

    def current_version(self, document_id: int) -> int | None:
        row = self._one("SELECT current_version FROM documents WHERE id = ?", (document_id,))
        return int(row["current_version"]) if row else None

    def old_bodies(self, document_id: int, current_segment: int | None) -> list[int]:
        """Bodies of a document's earlier versions that are still linked."""
        return [int(r["segment_id"]) for r in self._all(
            "SELECT u.segment_id FROM link_units u JOIN segments s ON s.id = u.segment_id"
            " WHERE u.document_id = ? AND s.kind = 'body' AND u.segment_id <> ?",
            (document_id, current_segment or 0))]

    def cluster_targets(self, cluster_ids: list[int]) -> dict[int, set[int]]:
        """The target identities each cluster's main reports name."""
        if not cluster_ids:
            return {}
        marks = ",".join("?" * len(cluster_ids))
        out: dict[int, set[int]] = {}
        for r in self._all(f"SELECT cluster_id, target_identity FROM reports WHERE main = 1"
                           f" AND target_identity IS NOT NULL AND cluster_id IN ({marks})",
                           cluster_ids):
            out.setdefault(int(r["cluster_id"]), set()).add(int(r["target_identity"]))
        return out

    def cluster_keys(self, cluster_id: int) -> list[str]:
        return [r["event_key"] for r in self._all(
            "SELECT event_key FROM reports WHERE cluster_id = ? ORDER BY id", (cluster_id,))]

    def cluster_of_key(self, key: str) -> int | None:
        row = self._one("SELECT cluster_id FROM reports WHERE event_key = ?", (key,))
        return int(row["cluster_id"]) if row else None

    def clear_links(self) -> None:
        """Forget every automatic link (corrections stay): the start of a full relink. Every
        version is left unlinked, so a relink that stops part-way leaves the rest pending."""
        from .sql import LINK_PREFIX, extract_stages, like_escape

        with self.linking():
            for table in ("reports", "clusters", "copies", "copy_bands", "link_units", "link_terms",
                          "actor_identities", "aliases", "identities"):
                self._exec(f"DELETE FROM {table}")
            # the reports are numbered anew (from 1 again on SQLite): every watchlist reads
            # them all again; what each alerted on is not raised twice (one alert per key)
            self._exec("UPDATE watchlists SET watermark = 0")
            for r in self._all("SELECT DISTINCT stages FROM versions WHERE stages LIKE ?"
                               " ESCAPE '!'", ("%" + like_escape(LINK_PREFIX) + "%",)):
                self._exec("UPDATE versions SET stages = ? WHERE stages = ?",
                           (extract_stages(r["stages"]), r["stages"]))

    # -- corrections -------------------------------------------------------------------------

    def add_correction(self, kind: str, a: str, b: str, note: str | None = None) -> None:
        self._exec("INSERT INTO corrections (kind, a, b, note, created_at) VALUES (?,?,?,?,?)",
                   (kind, a, b, note, _now()))

    def corrections_for(self, keys: Iterable[str]) -> list[tuple[str, str, str]]:
        ks = sorted(set(keys))
        if not ks:
            return []
        marks = ",".join("?" * len(ks))
        return [(r["kind"], r["a"], r["b"]) for r in self._all(
            f"SELECT kind, a, b FROM corrections WHERE a IN ({marks}) OR b IN ({marks})"
            " ORDER BY id", (*ks, *ks))]

    # -- identities --------------------------------------------------------------------------

    def identity_by_key(self, type_: str, key: str) -> IdentityRow | None:
        row = self._one("SELECT * FROM identities WHERE type = ? AND key = ? ORDER BY id"
                        " LIMIT 1", (type_, key))
        return _identity_row(row) if row else None

    def identities_by_surname(self, type_: str, surname: str) -> list[IdentityRow]:
        return [_identity_row(r) for r in self._all(
            "SELECT * FROM identities WHERE type = ? AND surname = ? ORDER BY id LIMIT 50",
            (type_, surname))]

    def new_identity(self, type_: str, key: str, surname: str | None, name: str) -> int:
        return int(self._insert_id(
            "INSERT INTO identities (type, key, surname, name, mentions) VALUES (?,?,?,?,0)",
            (type_, key, surname, name)))

    def attach_actor(self, actor_id: int, identity_id: int, score: float,
                     aliases: Iterable[tuple[str, str]], name: str, cited: bool = False
                     ) -> None:
        self._exec("INSERT INTO actor_identities (actor_id, identity_id, score) VALUES (?,?,?)"
                   " ON CONFLICT (actor_id) DO UPDATE SET identity_id = excluded.identity_id,"
                   " score = excluded.score", (actor_id, identity_id, round(score, 4)))
        self._exec_many("INSERT INTO aliases (identity_id, alias, folded) VALUES (?, ?, ?)"
                        " ON CONFLICT (identity_id, alias) DO NOTHING",
                        [(identity_id, alias, folded) for alias, folded in aliases])
        self._exec("UPDATE identities SET mentions = mentions + 1, cited = cited + ?"
                   " WHERE id = ?", (int(cited), identity_id))
        row = self._one("SELECT name FROM identities WHERE id = ?", (identity_id,))
        if row and len(name) > len(row["name"]):  # the fullest form names the identity
            self._exec("UPDATE identities SET name = ? WHERE id = ?", (name, identity_id))

    def segment_actors(self, segment_id: int) -> list[dict[str, Any]]:
        return [dict(r) for r in self._all(
            "SELECT id, key, name, type, role FROM actors WHERE segment_id = ? ORDER BY id",
            (segment_id,))]

    def segment_events(self, segment_id: int) -> list[dict[str, Any]]:
        """A text's stored events with their target's actor, in order."""
        return [dict(r) for r in self._all(
            "SELECT e.id, e.type, e.span_start, e.span_end, e.date, e.date_source, e.country,"
            " e.score, e.stage, m.actor_id AS target_actor FROM events e"
            " LEFT JOIN event_roles r ON r.event_id = e.id AND r.role = 'target'"
            " LEFT JOIN mentions m ON m.id = r.mention_id"
            " WHERE e.segment_id = ? ORDER BY e.id", (segment_id,))]

    def identities_of_actors(self, actor_ids: Iterable[int]) -> dict[int, int]:
        ids = sorted(set(actor_ids))
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        return {int(r["actor_id"]): int(r["identity_id"]) for r in self._all(
            f"SELECT actor_id, identity_id FROM actor_identities WHERE actor_id IN ({marks})",
            ids)}

    def alias_forms(self, folded: str) -> list[str]:
        """Every spelling of the identities one of whose aliases folds to `folded`."""
        return [r["alias"] for r in self._all(
            "SELECT DISTINCT b.alias FROM aliases a JOIN aliases b"
            " ON b.identity_id = a.identity_id WHERE a.folded = ? ORDER BY b.alias LIMIT 40",
            (folded,))]

    # -- reading -----------------------------------------------------------------------------

    def cluster(self, cluster_id: int) -> ClusterView | None:
        row = self._one("SELECT * FROM clusters WHERE id = ?", (cluster_id,))
        if row is None:
            return None
        reports = self._reports("r.cluster_id = ?", (cluster_id,))
        copies = self.copies_of(r.document_id for r in reports)
        for r in reports:
            r.copies = copies.get(r.document_id, [])
        targets = [dict(t) for t in self._all(
            "SELECT DISTINCT i.id, i.name, i.type FROM reports r JOIN identities i"
            " ON i.id = r.target_identity WHERE r.cluster_id = ? ORDER BY i.id", (cluster_id,))]
        return ClusterView(_cluster_row(row), reports, targets)

    def _reports(self, where: str, params: tuple) -> list[ReportView]:
        rows = self._all(
            "SELECT r.*, s.kind AS segment_kind, s.title AS item_title, s.date AS item_date,"
            " s.url AS item_url, s.text AS segment_text, v.title AS doc_title, v.published,"
            " v.n AS version, d.url AS doc_url, src.name AS source, v.outlet,"
            " v.canonical_url,"
            " e.span_start, e.span_end, e.stage AS event_stage, e.date AS event_date,"
            " e.date_source"
            " FROM reports r JOIN segments s ON s.id = r.segment_id"
            " JOIN versions v ON v.id = s.version_id JOIN documents d ON d.id = r.document_id"
            " JOIN sources src ON src.id = d.source_id"
            " LEFT JOIN events e ON e.id = r.event_id"
            f" WHERE {where} ORDER BY r.sort_key, r.id", params)
        out = []
        for r in rows:
            text = r["segment_text"]
            evidence = None
            if r["span_start"] is not None:
                evidence = {"start": int(r["span_start"]), "end": int(r["span_end"]),
                            "text": text[int(r["span_start"]):int(r["span_end"])]}
            item = r["segment_kind"] == "item"
            out.append(ReportView(
                cluster_id=int(r["cluster_id"]), segment_id=int(r["segment_id"]),
                document_id=int(r["document_id"]), version=int(r["version"]),
                kind="item" if item else "document",
                title=r["item_title"] if item else r["doc_title"],
                date=r["item_date"] if item else r["published"],
                url=(r["item_url"] or r["doc_url"]) if item else r["doc_url"],
                source=r["source"], event_id=r["event_id"], event_key=r["event_key"],
                main=bool(r["main"]), lead=bool(r["lead"]), type=r["type"],
                event_date=r["event_date"], date_source=r["date_source"],
                evidence=evidence, stage=r["event_stage"], score=float(r["score"]),
                signals=json.loads(r["signals"]), linked_by=r["linked_by"],
                text_start=text[:200], outlet=r["outlet"],
                canonical=None if item else r["canonical_url"]))
        return out

    def reports_of_segments(self, segment_ids: Iterable[int]) -> dict[int, list[ReportView]]:
        """The reports of the clusters these texts' main events belong to, by segment."""
        ids = sorted(set(segment_ids))
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        mains = {int(r["segment_id"]): int(r["cluster_id"]) for r in self._all(
            f"SELECT segment_id, cluster_id FROM reports WHERE main = 1 AND segment_id IN"
            f" ({marks})", ids)}
        if not mains:
            return {}
        cids = sorted(set(mains.values()))
        cmarks = ",".join("?" * len(cids))
        by_cluster: dict[int, list[ReportView]] = {}
        for rep in self._reports(f"r.cluster_id IN ({cmarks}) AND r.main = 1", tuple(cids)):
            by_cluster.setdefault(rep.cluster_id, []).append(rep)
        return {seg: by_cluster.get(cid, []) for seg, cid in mains.items()}

    def document_clusters(self, document_id: int) -> list[dict[str, Any]]:
        """The clusters a document's events belong to, with how many reports each has."""
        return [dict(r) for r in self._all(
            "SELECT r.cluster_id, r.event_id, r.main, c.type, c.day, c.reports, c.title"
            " FROM reports r JOIN clusters c ON c.id = r.cluster_id"
            " WHERE r.document_id = ? ORDER BY r.main DESC, r.id", (document_id,))]

    def document_identities(self, document_id: int) -> list[dict[str, Any]]:
        """The identities of a document's current body's actors."""
        return [dict(r) for r in self._all(
            "SELECT DISTINCT i.id AS identity_id, i.name, i.type FROM segments s"
            " JOIN actors a ON a.segment_id = s.id JOIN actor_identities ai ON ai.actor_id = a.id"
            " JOIN identities i ON i.id = ai.identity_id"
            # by the current version (indexed), not by document (a scan of every body)
            " WHERE s.version_id = (SELECT v.id FROM documents d JOIN versions v"
            " ON v.document_id = d.id AND v.n = d.current_version WHERE d.id = ?)"
            " AND s.kind = 'body' ORDER BY i.id", (document_id,))]

    def identity(self, identity_id: int) -> ActorView | None:
        row = self._one("SELECT * FROM identities WHERE id = ?", (identity_id,))
        if row is None:
            return None
        aliases = [r["alias"] for r in self._all(
            "SELECT alias FROM aliases WHERE identity_id = ? ORDER BY alias", (identity_id,))]
        roles = {r["role"]: int(r["n"]) for r in self._all(
            "SELECT er.role, count(*) AS n FROM actor_identities ai"
            " JOIN mentions m ON m.actor_id = ai.actor_id AND m.kind = 'actor'"
            " JOIN event_roles er ON er.mention_id = m.id"
            " WHERE ai.identity_id = ? GROUP BY er.role", (identity_id,))}
        if int(row["cited"]):
            roles["source"] = int(row["cited"])
        documents = [dict(r) for r in self._all(
            "SELECT DISTINCT s.document_id, v.title, v.published, d.url FROM actor_identities ai"
            " JOIN actors a ON a.id = ai.actor_id JOIN segments s ON s.id = a.segment_id"
            " JOIN versions v ON v.id = s.version_id JOIN documents d ON d.id = s.document_id"
            " WHERE ai.identity_id = ? ORDER BY v.published, s.document_id LIMIT 200",
            (identity_id,))]
        cases = self._reports("r.target_identity = ?", (identity_id,))
        return ActorView(_identity_row(row), aliases, roles, documents, cases)

    def identities_named(self, name: str, folded: str, limit: int = 20) -> list[IdentityRow]:
        """Identities one of whose aliases is this name (folded), best known first; then the
        people whose surname it is ("Kozlov" finds Vladimir Kozlov), best known first."""
        n = clamp(limit)
        found = [_identity_row(r) for r in self._all(
            "SELECT DISTINCT i.* FROM aliases a JOIN identities i ON i.id = a.identity_id"
            " WHERE a.folded = ? OR i.key = ? ORDER BY i.mentions DESC, i.id LIMIT ?",
            (folded, folded, n))]
        if len(found) < n and folded and " " not in folded:
            seen = {i.id for i in found}
            found += [row for row in (_identity_row(r) for r in self._all(
                "SELECT * FROM identities WHERE type = 'person' AND surname = ?"
                " ORDER BY mentions DESC, id LIMIT ?", (folded, n)))
                if row.id not in seen][:n - len(found)]
        return found

    def clusters_of_documents(self, document_ids: Iterable[int]) -> dict[int, int]:
        ids = sorted(set(document_ids))
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        return {int(r["document_id"]): int(r["cluster_id"]) for r in self._all(
            f"SELECT document_id, cluster_id FROM reports WHERE main = 1 AND document_id IN"
            f" ({marks}) ORDER BY id", ids)}


def _cluster_row(r: Any) -> ClusterRow:
    return ClusterRow(int(r["id"]), r["type"], r["day"] or None, r["country"], r["title"],
                      int(r["reports"]))


def _identity_row(r: Any) -> IdentityRow:
    return IdentityRow(int(r["id"]), r["type"], r["key"], r["surname"], r["name"],
                       int(r["mentions"]))
