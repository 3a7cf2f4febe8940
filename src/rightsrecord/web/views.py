"""One context per page, built from the store's read models.

A context is a plain, JSON-serialisable dict: the HTML page renders it and its JSON twin
returns it, the same dict. Only its own links differ between the two: `next_href` (and
`first_href`) point at the next page in the format that was asked for, while `href` and
`json_href` always name this page as HTML and as JSON. The templates call the presentation
helpers at the bottom of this module (`cut`, `snippet_parts`, `own_title`) to lay the
context out; they add nothing to it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

from ..document import Segment, display_title
from ..extract import contract
from ..link import dossier
from ..store.base import BadCursor, FeedEntry, Page, ReportView, Store, SummaryEntry
from . import urls

RECENT = 15  # documents on the home page
FEED_LIMIT = 50  # feed entries on a country page
SUMMARIES_LIMIT = 20
SEARCH_LIMIT = 50
MAX_PAGE = 200  # the largest `limit` a page takes
MAX_ID = 2**63 - 1  # the largest id either store can hold


class NotFound(Exception):
    """No such page: a 404."""


class Invalid(Exception):
    """A request the page cannot answer as asked (a bad cursor): a 422."""


# -- home -------------------------------------------------------------------------------------


def home_context(store: Store) -> dict[str, Any]:
    countries = [{**asdict(c), "href": urls.country(c.code),
                  "json_href": urls.country(c.code, "json")} for c in store.countries()]
    recent = []
    for row in store.recent_documents(RECENT).data:
        recent.append({**asdict(row), "title": display_title(row.title, row.text_start),
                       "href": urls.document(row.id), "json_href": urls.document(row.id, "json"),
                       "country_href": urls.country(row.country) if row.country else None})
    return {"title": "Country records", "counts": asdict(store.counts()),
            "countries": countries, "recent": recent, "href": urls.home(),
            "json_href": urls.home("json")}


# -- country ----------------------------------------------------------------------------------


def country_context(store: Store, code: str, *, cursor: str | None = None,
                    summaries_cursor: str | None = None, limit: int | None = None,
                    summaries_limit: int | None = None, fmt: str = "html") -> dict[str, Any]:
    with cursors_checked(cursor, summaries_cursor):
        page = store.country(code, limit=limit or FEED_LIMIT, cursor=cursor,
                             summaries_limit=summaries_limit or SUMMARIES_LIMIT,
                             summaries_cursor=summaries_cursor)
    if page is None:
        raise NotFound(f"No country with the code {code[:40]!r}.")

    def link(form: str, **changed: str | None) -> str:
        args: dict[str, Any] = {"cursor": cursor, "summaries_cursor": summaries_cursor,
                                "limit": limit, "summaries_limit": summaries_limit, **changed}
        return urls.country(page.code, form, **args)

    items = _page(page.items, [feed_entry(e) for e in page.items.data],
                  link(fmt, cursor=page.items.next_cursor), link(fmt, cursor=None), cursor)
    summaries = _page(page.summaries, [summary_entry(s) for s in page.summaries.data],
                      link(fmt, summaries_cursor=page.summaries.next_cursor),
                      link(fmt, summaries_cursor=None), summaries_cursor)
    return {"title": page.name, "code": page.code, "name": page.name,
            "summaries": summaries, "items": items,
            "href": link("html"), "json_href": link("json")}


def feed_entry(entry: FeedEntry) -> dict[str, Any]:
    """A feed entry: one development. A whole document's links to the document, an item's to
    the version of the listing it was read from; when other texts report the same event, it
    links to the event and lists every report (and every place a report was republished)."""
    out = asdict(entry)
    out["reports"] = [report_entry(r) for r in entry.reports]
    out["event_href"] = urls.event(entry.cluster_id) if entry.cluster_id else None
    if entry.kind == "document":
        out["title"] = display_title(entry.title, entry.text)
        out["href"] = urls.document(entry.document_id)
    else:
        out["title"] = own_title(entry.title)
        out["href"] = urls.version(entry.document_id, entry.version)
    out["link"] = entry.url if _is_web(entry.url) else None
    return out


def report_entry(r: ReportView) -> dict[str, Any]:
    """A report of an event: the text it is in, its evidence and why it was linked."""
    out = asdict(r)
    out["title"] = display_title(r.title, r.text_start) if r.kind == "document" \
        else own_title(r.title) or "listing entry"
    out["href"] = urls.document(r.document_id) if r.kind == "document" \
        else urls.version(r.document_id, r.version)
    out["link"] = r.url if _is_web(r.url) else None
    out["source_label"] = source_label(None, r.url)
    out["copies"] = [{**c, "href": urls.document(c["document_id"]),
                      "link": c["url"] if _is_web(c["url"]) else None,
                      "source_label": source_label(None, c["url"])} for c in r.copies]
    out.pop("text_start", None)
    return out


def summary_entry(entry: SummaryEntry) -> dict[str, Any]:
    return {**asdict(entry), "source_title": source_label(entry.source_title, entry.url),
            "href": urls.version(entry.document_id, entry.version)}


def source_label(title: str | None, url: str | None) -> str:
    """A source's title; for an untitled one its web host or its file's name, never a path."""
    own = own_title(title)
    if own:
        return own
    parts = urlsplit(url or "")
    if parts.scheme in ("http", "https") and parts.hostname:
        return parts.hostname
    if parts.scheme == "file" and parts.path:
        name = PurePosixPath(unquote(parts.path)).name
        if name:
            return name
    return "source document"


# -- document ---------------------------------------------------------------------------------


def parse_id(raw: str) -> int | None:
    """A path's id as a number either store can look up, else None (not found)."""
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 19) or not 0 < int(raw) <= MAX_ID:
        return None
    return int(raw)


def document_context(store: Store, raw_id: str, raw_version: str | None = None
                     ) -> dict[str, Any]:
    """A document at its current version, or at version `raw_version` (the path's words)."""
    doc_id = parse_id(raw_id)
    if doc_id is None:
        raise NotFound(f"No document {raw_id[:40]!r}.")
    n = None
    if raw_version is not None:
        n = parse_id(raw_version)
        if n is None:
            raise NotFound(f"Document {doc_id} has no version {raw_version[:40]!r}.")
    view = store.document(doc_id, n)
    if view is None:
        if n is not None and store.document(doc_id) is not None:
            raise NotFound(f"Document {doc_id} has no version {n}.")
        raise NotFound(f"No document {doc_id}.")
    doc = view.document
    record = contract.record(doc)
    stage = {name: stage_of(record["stages"], name)
             for name in ("dates", "places", "themes", "actors", "events")}
    primary = next((c for c in record["countries"] if c["primary"]), None)
    if raw_version is None:
        href, json_href = urls.document(doc_id), urls.document(doc_id, "json")
    else:
        href, json_href = urls.version(doc_id, n or 0), urls.version(doc_id, n or 0, "json")
    versions = [{**asdict(v),
                 "href": urls.document(doc_id) if v.is_current else urls.version(doc_id,
                                                                                 v.version),
                 "json_href": urls.version(doc_id, v.version, "json"),
                 "shown": v.version == view.version} for v in view.versions]
    linked = [{**c, "href": urls.event(c["cluster_id"])}
              for c in store.document_clusters(doc_id)] if view.is_current else []
    copy_of = store.copy_of(doc_id)
    also = store.copies_of([doc_id]).get(doc_id, [])
    return {
        "title": display_title(doc.title, doc.text),
        "events_linked": linked,
        "copy_of": {"document_id": copy_of, "href": urls.document(copy_of)} if copy_of else None,
        "republished": [{**c, "href": urls.document(c["document_id"])} for c in also],
        "actors_linked": [{"id": a["identity_id"], "name": a["name"],
                           "href": urls.actor(a["identity_id"])}
                          for a in store.document_identities(doc_id)] if view.is_current
        else [],
        "id": view.id, "url": view.url, "source": view.source, "version": view.version,
        "is_current": view.is_current, "fetched_at": view.fetched_at,
        "content_hash": view.content_hash,
        "country": primary["code"] if primary else None,
        "country_name": primary["name"] if primary else None,
        "country_href": urls.country(primary["code"]) if primary else None,
        "versions": versions,
        "record": record,
        "spans": spans(doc.body, stage),
        "stage": stage,
        "href": href,
        "json_href": json_href,
        "current_href": urls.document(doc_id),
        "version_href": urls.version(doc_id, view.version),
    }


def stage_of(stages: list[str], name: str) -> str:
    """The id (`name.vN`) of the stage that made one kind of fact."""
    return next((s for s in stages if s.split(".")[0] == name), name)


def spans(seg: Segment, stage: dict[str, str]) -> list[dict[str, Any]]:
    """Every extracted span of a text: its places, dates, actors' mentions and events'
    evidence, each with a label naming what it is and the stage that found it. (Place
    mentions are not in the extract record; they come from the document's facts.)"""
    text = seg.text
    out: list[dict[str, Any]] = []

    def add(kind: str, start: int, end: int, label: str) -> None:
        if 0 <= start < end <= len(text):
            out.append({"kind": kind, "start": start, "end": end, "text": text[start:end],
                        "label": f"{kind} {label} ({stage[kind + 's']})", "stage":
                        stage[kind + "s"]})

    for m in seg.places:
        add("place", m.start, m.end, m.code if m.kind == "country" else f"{m.code} {m.kind}")
    for d in seg.dates:
        add("date", d.start, d.end, f"{d.type} {d.value}")
    for a in seg.actors:
        what = " ".join(filter(None, (a.type, a.role)))
        for s, e in a.mentions:
            add("actor", s, e, f"{what}: {a.name}")
    for ev in seg.events:
        add("event", ev.start, ev.end, " ".join(filter(None, (ev.type, ev.date, ev.country))))
    out.sort(key=lambda s: (s["start"], -s["end"], s["kind"]))
    return out


# -- events and actors ---------------------------------------------------------------------


def event_context(store: Store, raw_id: str) -> dict[str, Any]:
    """One real-world event: every text that reports it, each with its evidence, the stage
    that found it, and the score and signals that linked it."""
    cid = parse_id(raw_id)
    view = store.cluster(cid) if cid is not None else None
    if view is None:
        raise NotFound(f"No event {raw_id[:40]!r}.")
    c = view.cluster
    reports = [report_entry(r) for r in view.reports]
    main = next((r for r in reports if r["main"]), reports[0] if reports else None)
    title = own_title(c.title) or (main["title"] if main else None) or (
        (c.type or "event").replace("-", " "))
    sources = len({r["document_id"] for r in reports}) + sum(len(r["copies"]) for r in reports)
    return {"title": title, "id": c.id, "type": c.type, "day": c.day, "country": c.country,
            "country_href": urls.country(c.country) if c.country else None,
            "reports": reports, "sources": sources,
            "targets": [{**t, "href": urls.actor(t["id"])} for t in view.targets],
            "href": urls.event(c.id), "json_href": urls.event(c.id, "json")}


def actor_context(store: Store, raw_id: str) -> dict[str, Any]:
    """A person or organisation across documents: spellings, roles, documents, and the case
    dossier (the events naming them as target, oldest first, with their sources)."""
    iid = parse_id(raw_id)
    view = store.identity(iid) if iid is not None else None
    if view is None:
        raise NotFound(f"No actor {raw_id[:40]!r}.")
    ident = view.identity
    case = [{"cluster_id": st["cluster_id"], "step": st["step"], "type": st["type"],
             "date": st["date"], "href": urls.event(st["cluster_id"]),
             "reports": [report_entry(r) for r in st["reports"]]}
            for st in dossier.steps(view.target_of)]
    documents = [{**d, "title": display_title(d["title"], ""),
                  "href": urls.document(d["document_id"])} for d in view.documents]
    return {"title": ident.name, "id": ident.id, "type": ident.type, "name": ident.name,
            "aliases": view.aliases, "roles": view.roles, "documents": documents,
            "case": case, "href": urls.actor(ident.id), "json_href": urls.actor(ident.id, "json")}


def find_actor(store: Store, name_or_id: str) -> int | None:
    """An actor's id from its id or any of its spellings (the best known one)."""
    from ..names import fold

    if name_or_id.isascii() and name_or_id.isdigit():
        return int(name_or_id)
    found = store.identities_named(name_or_id, fold(name_or_id), 1)
    return found[0].id if found else None


# -- search -----------------------------------------------------------------------------------


def search_context(store: Store, query: str, *, cursor: str | None = None,
                   limit: int | None = None, fmt: str = "html") -> dict[str, Any]:
    query = query.strip()
    page: Page[Any] = Page([])
    if query:
        with cursors_checked(cursor):
            page = store.search(query, limit=limit or SEARCH_LIMIT, cursor=cursor)
    hits = [{**asdict(h), "title": display_title(h.title, _plain(h.snippet)),
             "href": urls.document(h.document_id)} for h in page.data]
    return {"title": f"Search: {query}" if query else "Search", "query": query,
            "hits": _page(page, hits, urls.search(query, fmt, cursor=page.next_cursor,
                                                  limit=limit),
                          urls.search(query, fmt, limit=limit), cursor),
            "href": urls.search(query, cursor=cursor, limit=limit),
            "json_href": urls.search(query, "json", cursor=cursor, limit=limit)}


# -- shared -----------------------------------------------------------------------------------


def _page(page: Page[Any], data: list[dict[str, Any]], next_href: str, first_href: str,
          cursor: str | None) -> dict[str, Any]:
    """A list of a page: its entries, the cursor and link to the next page (None on the
    last), and a link back to the first (None on the first)."""
    return {"data": data, "next_cursor": page.next_cursor,
            "next_href": next_href if page.next_cursor else None,
            "first_href": first_href if cursor else None}


@contextmanager
def cursors_checked(*cursors: str | None) -> Iterator[None]:
    """A cursor the store did not make is the caller's error, not the server's.

    The store raises BadCursor for one it cannot decode; one that decodes to values of the
    wrong type fails further in (a ValueError or an integer too large), so those count as a
    bad cursor too, but only when the request carried one.
    """
    try:
        yield
    except BadCursor as exc:
        raise Invalid(f"Bad cursor: {exc}.") from None
    except (ValueError, TypeError, OverflowError):
        if any(cursors):
            raise Invalid("Bad cursor: not a cursor this store made.") from None
        raise


def _is_web(url: str | None) -> bool:
    return bool(url) and urlsplit(url or "").scheme in ("http", "https")


def _plain(snippet: str) -> str:
    return "".join(part["text"] for part in snippet_parts(snippet)).strip(" …")


# -- presentation helpers for the templates ---------------------------------------------------


def own_title(title: str | None) -> str | None:
    """A title the source gave, or None (never the string "None")."""
    return title if title and title.strip() and title != "None" else None


def cut(text: str, spans: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The text cut at every span boundary; each part lists the kinds and labels of the spans
    over it, so overlapping facts (a date inside an event's evidence) all show."""
    n = len(text)
    live = sorted((s for s in spans if 0 <= s["start"] < s["end"] <= n),
                  key=lambda s: (s["start"], -s["end"]))
    cuts = sorted({0, n, *(s["start"] for s in live), *(s["end"] for s in live)})
    parts: list[dict[str, Any]] = []
    active: list[dict[str, Any]] = []
    following = 0
    for start, end in zip(cuts, cuts[1:], strict=False):
        while following < len(live) and live[following]["start"] <= start:
            active.append(live[following])
            following += 1
        # Every span ends on a cut, so one still open past `start` covers the whole part.
        active = [s for s in active if s["end"] > start]
        parts.append({"text": text[start:end], "kinds": sorted({s["kind"] for s in active}),
                      "title": " | ".join(s["label"] for s in active)})
    return parts


def snippet_parts(snippet: str) -> list[dict[str, Any]]:
    """A search snippet (matches between `[` and `]`) as parts, each marked as a match or not."""
    parts: list[dict[str, Any]] = []
    rest = snippet
    while rest:
        start = rest.find("[")
        end = rest.find("]", start + 1) if start >= 0 else -1
        if start < 0 or end < 0:
            parts.append({"text": rest, "match": False})
            break
        if start:
            parts.append({"text": rest[:start], "match": False})
        parts.append({"text": rest[start + 1:end], "match": True})
        rest = rest[end + 1:]
    return parts
