"""Linking a stored document into the record, without re-clustering the store.

For each new document, in one transaction:
1. **Copies.** An article body whose MinHash matches an earlier body's (`copies.py`) is a
   copy of it: kept, listed where the original is shown, and linked no further.
2. **Actors.** Each named person, organisation or medium joins the identity with its folded
   name (`names.fold`), else one whose name it is compatible with (`names.same_person` or
   `names.same_organisation` at 0.9 and above), else one the store or the text leaves no
   doubt about (`_known_as`: a surname alone and the one person known by it; a body's short
   name and the long one whose qualifier the text gives), else a new identity; every
   spelling seen becomes an alias.
3. **Developments.** Each text (an article's body, a listing or feed item) has a main event
   (its best-scored event in the title or lead). Its report joins the cluster whose reports it
   matches best on average (the fitted document linker of `cluster.py`, over the text and a
   few reports of each candidate cluster, the candidates being clusters of the same country
   dated within `WINDOW_DAYS`), if that average clears the fitted cut and nothing vetoes it:
   main events dated by their texts to different days, conflicting named targets, or a
   person's correction. Else it starts a cluster.
4. **Steps of a case.** Every other event naming a known target joins the cluster of a report
   naming the same target with a compatible type (`data/link/compatible.tsv`) and a
   compatible date, else starts one.
Every report keeps its score and the signals that made it (`reports.signals`), and the
stage that made it (`STAGE`, a new version whenever these rules change). A version is stored
unlinked; its linking commits in one transaction with the mark that `STAGE` linked it, so a
run stopped in between leaves it pending, and the next ingest or `annotate --stale` links it.
Dates outside the plausible years (`store.sql.plausible_date`) are kept but never link.
"""

from __future__ import annotations

import csv
import math
import re
from collections import Counter
from collections.abc import Iterable
from datetime import date, timedelta
from difflib import SequenceMatcher
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from .. import names
from ..document import Document, Segment
from ..extract import contract
from ..progress import progress
from ..store.base import Store
from ..store.sql import ARTICLE_KINDS, plausible_date, plausible_day, sort_key
from . import copies
from .cluster import SIGNALS, VETO, linker, signals
from .cluster import terms as cluster_terms

SAME_DAY = SIGNALS.index("same_day")
STAGE = "link.v3"
WINDOW_DAYS = 30
MAX_ID = 2**63 - 1  # the largest id a store holds
CANDIDATES = 20  # clusters compared with a new text
REPS = 2  # reports of each candidate cluster compared with it
TEXT_CHARS = 4000
LEAD_CHARS = 400
LINKED_TYPES = ("person", "organisation", "media")
COMPATIBLE = Path(__file__).resolve().parent.parent / "data" / "link" / "compatible.tsv"
SOURCE_VERBS = COMPATIBLE.with_name("source_verbs.txt")


@cache
def _cited_pattern() -> re.Pattern[str]:
    verbs = [ln.strip() for ln in SOURCE_VERBS.read_text(encoding="utf-8").splitlines()
             if ln.strip() and not ln.startswith("#")]
    return re.compile(r"[ ,]*(?:(?:has|had|also|have)\s+){0,2}(?:" + "|".join(verbs) + r")\b")


class _Cited:
    """A mention followed by a reporting verb ("Human Rights Watch said"): a source."""

    def match(self, text: str, end: int) -> bool:
        return bool(_cited_pattern().match(text, end, min(len(text), end + 40)))


_CITED = _Cited()


@cache
def _compatible() -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    with COMPATIBLE.open(encoding="utf-8") as fh:
        for row in csv.reader((ln for ln in fh if ln.strip() and not ln.startswith("#")),
                              delimiter="\t"):
            a, b = row[0].strip(), row[1].strip()
            out.setdefault(a, {a}).add(b)
            out.setdefault(b, {b}).add(a)
    return {k: frozenset(v) for k, v in out.items()}


def compatible_types(type_: str) -> list[str]:
    return sorted(_compatible().get(type_, frozenset({type_})))


def _day(value: str | None) -> date | None:
    return plausible_day(value) if value and len(value) == 10 else None


def _plain(value: str | None) -> str | None:
    """A date linking may use: a plausible one, else none."""
    return value if value and plausible_date(value) else None


def window(d: date, days: int) -> tuple[str, str]:
    """The days within `days` of `d`, clamped to the calendar."""
    lo = d - timedelta(days=days) if d > date.min + timedelta(days=days) else date.min
    hi = d + timedelta(days=days) if d < date.max - timedelta(days=days) else date.max
    return lo.isoformat(), hi.isoformat()


def dates_agree(a: str | None, b: str | None) -> bool:
    """Two text-given dates agree at the coarser precision (days within one day)."""
    a, b = _plain(a), _plain(b)
    if not a or not b:
        return True
    da, db = _day(a), _day(b)
    if da and db:
        return abs((da - db).days) <= 1
    n = min(len(a), len(b))
    return a[:n] == b[:n]


# -- what linking compares ------------------------------------------------------------------

def unit_record(doc: Document, seg: Segment) -> dict[str, Any]:
    """The part of a text's extract record the signals read, with its date and title."""
    facts = contract.facts(seg)
    body = seg.kind == "body"
    return {
        "id": seg.segment_id, "title": doc.title if body else seg.title,
        "published": _plain(doc.published if body else (seg.date or doc.published)),
        "text": seg.text[:TEXT_CHARS], "country": facts["country"],
        "countries": [{"code": c["code"], "primary": c["primary"]} for c in facts["countries"]],
        "dates": [{"value": d["value"]} for d in facts["dates"] if _plain(d.get("value"))],
        "places": [{"text": p["text"]} for p in facts["places"]],
        "actors": [{"key": _actor_key(a["type"], a["name"]), "type": a["type"],
                    "at": min((m[0] for m in a["mentions"]), default=0)}
                   for a in facts["actors"]],
        "events": [{"type": e["type"], "date": _plain(e["date"]),
                    "date_source": e["date_source"],
                    "score": e["score"], "start": e["evidence"]["start"]}
                   for e in facts["events"]],
    }


def _actor_key(type_: str, name: str) -> str:
    """Actors compare on their folded names, so spellings of one name meet."""
    return f"{type_}:{names.fold(name)}" if type_ in LINKED_TYPES else f"{type_}:{name.lower()}"


def main_event(rec: dict[str, Any], title_len: int) -> int | None:
    """The index of the text's main event: its best-scored event in the title or lead;
    None when the lead tells none (the text's development is then of unknown type)."""
    events = rec["events"]
    lead = [i for i, e in enumerate(events) if e["start"] < max(title_len, 0) + LEAD_CHARS]
    return max(lead, key=lambda i: (events[i]["score"], -i)) if lead else None


def unit_day(rec: dict[str, Any], main: int | None) -> str | None:
    """The main event's date when the text gives it, else the date the text was
    published."""
    if main is not None:
        e = rec["events"][main]
        if e["date_source"] == "text" and _plain(e["date"]):
            return e["date"]
    return _plain(rec.get("published"))


def _units(doc: Document) -> list[Segment]:
    out = [doc.body] if doc.kind in ARTICLE_KINDS else []
    return out + [s for s in doc.items]


# -- linking ---------------------------------------------------------------------------------

def link_documents(store: Store, docs: Iterable[Document]) -> int:
    """Link each stored document, each in a transaction of its own that also marks its
    version linked by `STAGE`; return how many."""
    n = 0
    for doc in docs:
        if doc.id is None:
            continue
        with store.linking():
            current = store.current_version(doc.id)
            if current is None or current != doc.version:
                continue  # earlier versions are kept, not linked
            link_document(store, doc)
            store.mark_linked(doc.id, current, STAGE)
        n += 1
    return n


def link_pending(store: Store, batch_size: int = 32) -> int:
    """Link every current version `STAGE` has not linked (stored by a run that stopped
    before linking it, or linked by earlier rules), oldest first; return how many."""
    n, after = 0, 0
    while batch := store.unlinked(STAGE, batch_size, after):
        n += link_documents(store, store.load_versions([v.version_id for v in batch],
                                                       facts=True))
        after = batch[-1].version_id
    return n


def link_stored(store: Store, document_ids: Iterable[int], show_progress: bool = False
                ) -> int:
    """Link those of these stored documents whose current version is pending; with
    `show_progress`, on a bar on a terminal."""
    n = 0
    pending = store.unlinked_documents(document_ids, STAGE)
    for doc_id in progress(pending, len(pending), "link", enabled=show_progress):
        view = store.document(doc_id)
        if view is not None:
            n += link_documents(store, [view.document])
    return n


def _stored(value: int | None) -> int:
    """The id of a stored document or text: linking reads stored documents only."""
    assert value is not None, "linking reads stored documents only"
    return value


def link_document(store: Store, doc: Document) -> None:
    linked = [*store.old_bodies(_stored(doc.id), doc.body.segment_id),
              *(_stored(seg.segment_id) for seg in _units(doc))]
    for rec in store.unit_records(linked).values():
        if rec:  # linked before: its words no longer count twice
            store.uncount_terms(cluster_terms(rec))
    for seg_id in linked:
        store.unlink_segment(seg_id)
    original = _copies(store, doc)
    if original is not None:
        for seg in doc.items:
            _link_unit(store, doc, seg)
        return
    for seg in _units(doc):
        _link_unit(store, doc, seg)


def _copies(store: Store, doc: Document) -> int | None:
    """Mark the document a copy of an earlier one if it is; keep its bands either way."""
    if doc.kind not in ARTICLE_KINDS:
        return None
    sig = copies.signature(doc.body.text)
    if sig is None:
        return None
    keys = copies.bands(sig)
    doc_id = _stored(doc.id)
    best, best_sim = None, 0.0
    for other, raw in store.copy_candidates(keys, doc_id):
        if other >= doc_id or store.copy_of(other) is not None:
            continue  # compare with earlier originals only
        sim = copies.similarity(sig, copies.decode(raw))
        if sim > best_sim:
            best, best_sim = other, sim
    store.put_bands(doc_id, keys)
    store.put_unit(_stored(doc.body.segment_id), doc_id, {}, copies.encode(sig))
    if best is not None and best_sim >= copies.COPY_AT:
        store.mark_copy(doc_id, best, best_sim, STAGE)
        return best
    return None


def _identities(store: Store, seg: Segment) -> dict[int, int]:
    """Resolve the text's named actors; return actor row id -> identity id."""
    rows: dict[str, list[dict[str, Any]]] = {}
    for r in store.segment_actors(_stored(seg.segment_id)):
        rows.setdefault(r["key"], []).append(r)
    aliases_in_text = names.script_aliases(seg.text) if seg.actors else []
    out: dict[int, int] = {}
    for actor in seg.actors:
        if actor.type not in LINKED_TYPES or not rows.get(actor.key):
            continue
        row = rows[actor.key].pop(0)  # the stored row of this actor: same key, same order
        key = names.fold(actor.name)
        if not key:
            continue
        given, surname = names.name_parts(actor.name) if actor.type == "person" else ((), "")
        # the surname column holds a person's surname, an organisation's head word
        part = surname if actor.type == "person" else names.org_head(actor.name)
        score, found = 1.0, store.identity_by_key(actor.type, key)
        if found is None and part:
            score, found = _known_as(store, actor.type, actor.name, bool(given), part,
                                     seg.text)
        ident = found.id if found else store.new_identity(actor.type, key, part or None,
                                                          actor.name)
        forms = {actor.name} | {seg.text[s:e] for s, e in actor.mentions}
        forms |= {other for latin, other in aliases_in_text
                  if names.fold(latin) in (key, surname) or names.fold(other) in (key, surname)}
        forms |= {latin for latin, other in aliases_in_text
                  if names.fold(other) in (key, surname)}
        aliases = {(f.strip(), names.fold(f)) for f in forms if f.strip() and names.fold(f)}
        cited = any(_CITED.match(seg.text, e) for _, e in actor.mentions)
        store.attach_actor(int(row["id"]), ident, score, sorted(aliases), actor.name, cited)
        out[int(row["id"])] = ident
    return out


def _known_as(store: Store, type_: str, name: str, given: bool, part: str, text: str
              ) -> tuple[float, Any]:
    """(score, identity) of the known identity a name not met before names, or (1.0, None).

    A person joins one whose full name is compatible (`names.same_person` at `AUTO_LINK`);
    a surname alone ("President Tokayev") joins the one person known by that surname, and a
    full name the one identity known only by its surname, where no other person bears it.
    An organisation joins one `names.same_organisation` scores at `AUTO_LINK`, or one whose
    name it shortens where the text gives what it leaves out ("the UN Working Group" in a
    text on the "Universal Periodic Review")."""
    known = store.identities_by_surname(type_, part)
    if type_ == "person":
        scored = [(names.same_person(name, i.name), i) for i in known]
        best = [(s, i) for s, i in scored if s >= names.AUTO_LINK]
        if not best:
            full = [(s, i) for s, i in scored if names.name_parts(i.name)[0]]
            alone = [(s, i) for s, i in scored if not names.name_parts(i.name)[0]]
            # a surname and one full name, or a full name and one bare surname: one person
            best = full if not given and len(full) == 1 else (
                alone if given and len(alone) == 1 and not full else [])
            best = [(s, i) for s, i in best if s > 0]
    else:
        scored = [(names.same_organisation(name, i.name), i) for i in known]
        best = [(s, i) for s, i in scored if s >= names.AUTO_LINK or (
            s > 0 and (names.explained(name, i.name, text)
                       or names.explained(i.name, name, text)))]
    if not best:
        return 1.0, None
    return max(best, key=lambda t: (t[0], -t[1].id))


def event_keys(seg_id: int, rows: list[dict[str, Any]]) -> list[str]:
    """A stable key per event of a text (its type and where its evidence starts; a second
    event of one type on one span gets `#2`): what corrections name, across relinks."""
    out, seen = [], Counter[str]()
    for ev in rows:
        base = f"{seg_id}:{ev['type']}:{ev['span_start']}"
        seen[base] += 1
        out.append(base if seen[base] == 1 else f"{base}#{seen[base]}")
    return out


def _link_unit(store: Store, doc: Document, seg: Segment) -> None:
    seg_id, doc_id = _stored(seg.segment_id), _stored(doc.id)
    idents = _identities(store, seg)
    rec = unit_record(doc, seg)
    title_len = len(doc.title or "") if seg.kind == "body" else 0
    rec["lead_types"] = sorted({e["type"] for e in rec["events"]
                                if e["start"] < title_len + LEAD_CHARS})
    rec["lead_end"] = title_len + LEAD_CHARS
    store.put_unit(seg_id, doc_id, rec, None)
    store.count_terms(cluster_terms(rec))
    rows = store.segment_events(seg_id)
    for row, key in zip(rows, event_keys(seg_id, rows), strict=True):
        row["key"] = key
    main = main_event(rec, title_len)
    day = unit_day(rec, main)
    order = sort_key(seg, doc_id)
    main_row = rows[main] if main is not None and main < len(rows) else None
    target = idents.get(main_row["target_actor"]) if main_row and main_row["target_actor"] \
        else None
    _place_main(store, doc, seg, rec, main_row, day, target, order)
    for i, row in enumerate(rows):
        if i == main:
            continue
        ident = idents.get(row["target_actor"]) if row["target_actor"] else None
        if ident is None:
            continue
        _place_step(store, doc, seg, row, ident, order)


def _apart(store: Store, key: str, cluster_id: int) -> bool:
    """A correction keeps this report apart from one of the cluster's."""
    members = set(store.cluster_keys(cluster_id))
    for kind, a, b in store.corrections_for([key]):
        other = b if a == key else a
        if kind == "apart" and other in members:
            return True
    return False


def _together(store: Store, key: str, cluster_id: int) -> None:
    """Join the clusters of reports a correction keeps with this one."""
    for kind, a, b in store.corrections_for([key]):
        other = b if a == key else a
        if kind != "together":
            continue
        theirs = store.cluster_of_key(other)
        if theirs is not None and theirs != cluster_id:
            store.move_reports(store.cluster_keys(theirs), cluster_id, "person")


def _place_main(store: Store, doc: Document, seg: Segment, rec: dict[str, Any],
                row: dict[str, Any] | None, day: str | None,
                target: int | None, order: str) -> None:
    key = row["key"] if row else f"{seg.segment_id}:main"
    type_ = row["type"] if row else None
    best: tuple[float, int, dict[str, Any]] | None = None
    if row is not None and target is not None and type_:
        best = _by_target(store, key, target, type_, row)
    if best is None and day:
        best = _by_text(store, key, rec, day, type_, target)
    if best is None:
        cid = store.new_cluster(type_, day, rec.get("country"), rec.get("title"))
        score, why = 1.0, {"new": True}
    else:
        score, cid, why = best
    store.add_report(cid, segment_id=_stored(seg.segment_id), document_id=_stored(doc.id),
                     event_id=row["id"] if row else None, event_key=key, main=True,
                     type_=type_, day=day, target_identity=target, sort_key=order,
                     score=score, signals=why, linked_by=STAGE)
    _together(store, key, _stored(store.cluster_of_key(key)))


def _by_target(store: Store, key: str, target: int, type_: str, row: dict[str, Any]
               ) -> tuple[float, int, dict[str, Any]] | None:
    """A cluster with a report naming the same target, of a compatible type and date."""
    own = _plain(row["date"]) if row.get("date_source") == "text" else None
    for cand in store.target_candidates(target, compatible_types(type_)):
        if not dates_agree(own, cand["day"] or None):
            continue
        if own is None and _plain(cand["day"]) and _plain(row.get("date")) and not _near(
                row["date"], cand["day"]):
            continue
        if _apart(store, key, int(cand["cluster_id"])):
            continue
        return 0.95, int(cand["cluster_id"]), {
            "rule": "same target", "target_identity": target, "type": type_,
            "with": cand["event_key"], "their_type": cand["type"], "their_day": cand["day"]}
    return None


SURNAME_LIKE = 0.8  # surnames this alike may be one name spelt two ways


def _surnames(rec: dict[str, Any]) -> set[str]:
    return {a["key"].split(":", 1)[1].split()[-1] for a in rec.get("actors") or []
            if a.get("type") == "person" and a["key"].split(":", 1)[1].split()}


def _types_conflict(a: dict[str, Any], b: dict[str, Any]) -> bool:
    ta, tb = a.get("lead_types") or [], b.get("lead_types") or []
    return bool(ta and tb) and not any(y in compatible_types(x) for x in ta for y in tb)


def _people_conflict(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Both texts name people and no surname of one is (nearly) a surname of the other:
    reports of one event name its people, whatever the transliteration."""
    sa, sb = _surnames(a), _surnames(b)
    if not sa or not sb:
        return False
    return not any(x == y or SequenceMatcher(None, x, y).ratio() >= SURNAME_LIKE
                   for x in sa for y in sb)


def _near(a: str, b: str, days: int = 10) -> bool:
    da, db = _day(a[:10]), _day(b[:10])
    return bool(da and db and abs((da - db).days) <= days)


def _by_text(store: Store, key: str, rec: dict[str, Any], day: str, type_: str | None,
             target: int | None) -> tuple[float, int, dict[str, Any]] | None:
    """The candidate cluster the fitted document linker matches best, if above the cut."""
    d = _day(day[:10]) if len(day) >= 10 else None
    if d is None:
        return None
    lo, hi = window(d, WINDOW_DAYS)
    cands = store.cluster_candidates(rec.get("country"), lo, hi, CANDIDATES)
    if not cands:
        return None
    reps = store.cluster_units([c.id for c in cands], REPS)
    records = store.unit_records(s for segs in reps.values() for s in segs)
    batch = [rec]
    owner: list[int] = []
    for c in cands:
        for s in reps.get(c.id, []):
            if s in records and records[s]:
                batch.append(records[s])
                owner.append(c.id)
    if len(batch) < 2:
        return None
    model = linker()
    words = [cluster_terms(r) for r in batch]
    df = store.term_counts(set().union(*words))
    n = df.get("_texts", 0) + 1

    def idf(term: str) -> float:  # TfidfVectorizer's smooth IDF, over the store's texts
        return math.log((1 + n) / (1 + df.get(term, 0))) + 1.0

    x = signals(batch, idf)[0, 1:]
    p = model.score(x)
    by: dict[int, list[int]] = {}
    for j, cid in enumerate(owner):
        by.setdefault(cid, []).append(j)
    targets = store.cluster_targets([c.id for c in cands])
    best = None
    for cid, js in by.items():
        if any(x[j, VETO] or _people_conflict(rec, batch[j + 1]) for j in js):
            continue  # days apart, or people named on both sides and none in common
        if not all(x[j, SAME_DAY] for j in js):
            continue  # two reports of one event state a day in common
        if any(_types_conflict(rec, batch[j + 1]) for j in js):
            continue  # both leads tell events, and not one two reports could share
        theirs = targets.get(cid, set())
        if target is not None and theirs and target not in theirs:
            continue  # two reports naming different targets are two events
        mean = float(np.mean(p[js]))
        if 1.0 - mean > model.threshold or _apart(store, key, cid):
            continue
        if best is None or mean > best[0]:
            j = max(js, key=lambda k: p[k])
            why = {"rule": "document linker", "score": round(mean, 4),
                   "cut": round(1.0 - model.threshold, 4), "compared": len(js),
                   "signals": {k: round(float(v), 4) for k, v in zip(SIGNALS, x[j],
                                                                    strict=True)}}
            best = (mean, cid, why)
    return best


def _place_step(store: Store, doc: Document, seg: Segment, row: dict[str, Any], ident: int,
                order: str) -> None:
    key = row["key"]
    day = _plain(row["date"]) if row.get("date_source") == "text" else None
    best = _by_target(store, key, ident, row["type"], row)
    common = {"segment_id": seg.segment_id, "document_id": doc.id, "event_id": row["id"],
              "event_key": key, "main": False, "type_": row["type"],
              "day": day or _plain(row.get("date")), "target_identity": ident,
              "sort_key": order}
    if best is None:
        cid = store.new_cluster(row["type"], day or _plain(row.get("date")),
                                row.get("country"), None)
        store.add_report(cid, score=1.0, signals={"new": True}, linked_by=STAGE, **common)
    else:
        score, cid, why = best
        store.add_report(cid, score=score, signals=why, linked_by=STAGE, **common)
    _together(store, key, _stored(store.cluster_of_key(key)))


# -- people's corrections, and linking everything again ------------------------------------

def split(store: Store, key: str, note: str | None = None) -> int:
    """Take one report out of its cluster into a cluster of its own, for good."""
    with store.linking():
        cid = store.cluster_of_key(key)
        if cid is None:
            raise KeyError(key)
        others = [k for k in store.cluster_keys(cid) if k != key]
        for other in others:
            store.add_correction("apart", key, other, note)
        view = store.cluster(cid)
        if view is None:
            raise KeyError(key)
        rep = next(r for r in view.reports if r.event_key == key)
        new = store.new_cluster(rep.type, _plain(rep.event_date) or _plain(rep.date),
                                view.cluster.country, rep.title)
        store.move_reports([key], new, "person")
        return new


def merge(store: Store, a: int, b: int, note: str | None = None) -> int:
    """Join cluster b into cluster a, for good. KeyError names an id no cluster has;
    ValueError refuses joining a cluster to itself."""
    for cid in (a, b):
        if not 0 < cid <= MAX_ID:
            raise KeyError(cid)  # no cluster can have it
    if a == b:
        raise ValueError(f"event {a} cannot be merged into itself")
    with store.linking():
        ka, kb = store.cluster_keys(a), store.cluster_keys(b)
        if not ka or not kb:
            raise KeyError(a if not ka else b)
        store.add_correction("together", ka[0], kb[0], note)
        store.move_reports(kb, a, "person")
        return a


def relink(store: Store, show_progress: bool = False) -> int:
    """Forget every automatic link and link every stored document again, in order; people's
    corrections are kept and honoured. `show_progress`: a bar on a terminal."""
    store.clear_links()
    return link_stored(store, store.iter_documents(), show_progress)
