"""The read services: everything any output shows, read from the store through one door.

Each function takes the store and a `Scope` (whose documents the reader may see; only the
public collection exists yet) and returns a typed public model (`models`), without links.
Pages, `/api/v1`, feeds, exports and the CLI render these and nothing else, so
`show country --format json` and `/api/v1/countries/{code}` are the same document.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from ..document import Segment, display_title
from ..extract import contract
from ..link import dossier
from ..store.base import PUBLIC, BadCursor, ClusterRow, FeedEntry, Scope, Store
from ..store.base import SearchHit as StoreHit
from ..store.base import SearchQuery as StoreQuery
from . import vocab
from .errors import Invalid, NotFound
from .models import (
    ActorDetail,
    ActorRef,
    ActorSummary,
    Agent,
    CaseStep,
    ChartCell,
    CountryFilters,
    CountryRecord,
    CountryRow,
    Development,
    DocumentDetail,
    DocumentSummary,
    EventDetail,
    EventSummary,
    Evidence,
    Facet,
    Option,
    Overview,
    Paged,
    SearchHit,
    SearchQuery,
    SearchResults,
    SummaryBlock,
    VersionInfo,
)
from .provenance import make_source, own_title, report, when

MAX_ID = 2**63 - 1
DOCUMENT_KINDS = ("html", "text", "feed", "pdf", "listing")
TEASER_CHARS = 240
_DATELINE = re.compile(
    r"^\s*(?:[A-Z][\w .'-]{1,40},\s*)?(?:\(?[A-Z][A-Za-z]+\)?\s*[,—–-]\s*)?"
    r"(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)\w*,?\s+)?"
    r"(?:\d{1,2}\s+[A-Z][a-z]+\.?,?\s+\d{4}|[A-Z][a-z]+\.?\s+\d{1,2},?\s+\d{4}|\d{4}-\d{2}-\d{2})"
    r"\s*[—–:|-]*\s*")


# -- shared ----------------------------------------------------------------------------------


def parse_id(raw: str | int) -> int | None:
    """A path's id as a number either store can look up, else None (not found)."""
    text = str(raw)
    if not (text.isascii() and text.isdigit() and len(text) <= 19) or not 0 < int(text) <= MAX_ID:
        return None
    return int(text)


@contextmanager
def cursors_checked(*cursors: str | None) -> Iterator[None]:
    """A cursor the store did not make is the caller's error, not the server's."""
    try:
        yield
    except BadCursor as exc:
        raise Invalid(f"Bad cursor: {exc}.") from None
    except (ValueError, TypeError, OverflowError):
        if any(cursors):
            raise Invalid("Bad cursor: not a cursor this store made.") from None
        raise


def teaser(text: str, title: str | None, limit: int = TEASER_CHARS) -> str:
    """The opening of a text without its headline and date line, cut at a word."""
    body = " ".join(text.split())
    head = " ".join((title or "").split())
    if head and body.lower().startswith(head.lower()):
        body = body[len(head):].lstrip(" .:—–-|")
    body = _DATELINE.sub("", body, count=1) or body
    body = body.rstrip(" …")
    if len(body) <= limit:
        return body
    cut = body.rfind(" ", 0, limit)
    return body[: cut if cut > 0 else limit].rstrip(" ,;:—–-") + " …"


def check_filters(*, country: str | None = None, theme: str | None = None,
                  year: int | None = None, event_type: str | None = None
                  ) -> str | None:
    """Refuse a filter value outside its vocabulary (422); return the country code."""
    code = None
    if country is not None:
        code = vocab.country_code(country)
        if code is None:
            raise Invalid(f"Unknown country code {country[:40]!r}: use ISO 3166-1 alpha-2, "
                          "e.g. KZ.")
    if theme is not None and theme not in vocab.themes():
        raise Invalid(f"Unknown theme {theme[:60]!r}.")
    if year is not None and not vocab.plausible_year(year):
        raise Invalid(f"Year {year} is outside {vocab.FIRST_YEAR}–{vocab.last_year()}.")
    if event_type is not None and event_type not in vocab.event_types():
        raise Invalid(f"Unknown event type {event_type[:60]!r}.")
    return code


# -- home and countries ----------------------------------------------------------------------


def overview(store: Store, scope: Scope = PUBLIC, recent: int = 15) -> Overview:
    c = store.counts(scope)
    return Overview(documents=c.documents, versions=c.versions, items=c.items,
                    summaries=c.summaries, outlets=store.outlet_count(),
                    countries=countries(store, scope),
                    recent=documents(store, limit=recent, scope=scope).data)


def countries(store: Store, scope: Scope = PUBLIC, *, events: bool = True
              ) -> list[CountryRow]:
    """Every country the record holds anything about, with its counts (its events counted
    unless `events` is False)."""
    counted = store.event_counts() if events else {}
    return [CountryRow(code=r.code, name=r.name, documents=r.documents, items=r.items,
                       summaries=r.summaries, events=counted.get(r.code, 0))
            for r in store.countries(scope)]


def known_country(store: Store, code: str, scope: Scope = PUBLIC) -> str:
    """The upper-cased code of a country the record knows (422 for a code that is not one,
    404 for a country it has never seen), as `country` would answer."""
    cc = check_filters(country=code) or code
    if store.country(cc, scope, limit=1, summaries_limit=1) is None:
        raise NotFound(f"No country with the code {code[:40]!r}.")
    return cc


def country(store: Store, code: str, *, filters: CountryFilters | None = None,
            limit: int = 50, cursor: str | None = None, summaries_limit: int = 20,
            summaries_cursor: str | None = None, scope: Scope = PUBLIC) -> CountryRecord:
    """A country's record in the seed's layout: the summaries sources published, then the
    dated feed of developments (filtered), its filter options, a chart and a timeline."""
    f = filters or CountryFilters()
    cc = check_filters(country=code, theme=f.theme, year=f.year, event_type=f.event_type)
    with cursors_checked(cursor, summaries_cursor):
        page = store.country(cc or code, scope, limit=limit, cursor=cursor,
                             summaries_limit=summaries_limit,
                             summaries_cursor=summaries_cursor, theme=f.theme, year=f.year,
                             event_type=f.event_type)
    if page is None:
        raise NotFound(f"No country with the code {code[:40]!r}.")
    summaries = [SummaryBlock(id=s.id, year=s.year, text=s.text,
                              source=make_source(s.document_id, s.version, title=s.source_title,
                                                 url=s.url))
                 for s in page.summaries.data]
    feed = _developments(store, page.items.data)
    opts = store.country_options(page.code)
    labels = vocab.themes()
    chart = [ChartCell(theme=r["theme"], label=labels.get(r["theme"], r["label"]),
                       year=int(r["year"]), events=int(r["events"]))
             for r in store.theme_year_counts(page.code) if str(r["year"]).isdigit()
             and vocab.plausible_year(int(r["year"]))]
    timeline = events(store, country=page.code, theme=f.theme, year=f.year,
                      event_type=f.event_type, limit=100, scope=scope).data
    return CountryRecord(
        code=page.code, name=page.name, filters=f,
        summaries=Paged[SummaryBlock](data=summaries, next_cursor=page.summaries.next_cursor),
        feed=Paged[Development](data=feed, next_cursor=page.items.next_cursor),
        themes=_theme_options(labels, chart),
        years=[Option(value=o["value"], label=o["value"], count=int(o["count"]))
               for o in opts["years"]],
        event_types=[Option(value=o["value"], label=o["value"].replace("-", " "),
                            count=int(o["count"])) for o in opts["event_types"]],
        chart=chart, timeline=[e for e in timeline if e.when.basis == "stated"])


def _theme_options(labels: dict[str, str], chart: list[ChartCell]) -> list[Option]:
    """Every theme a feed can be filtered by: those of the country's dated events first (the
    most events first), then the rest by name."""
    events: dict[str, int] = {}
    for cell in chart:
        events[cell.theme] = events.get(cell.theme, 0) + cell.events
    return [Option(value=code, label=label) for code, label in
            sorted(labels.items(), key=lambda t: (-events.get(t[0], 0), t[1].lower()))]


def _developments(store: Store, entries: list[FeedEntry]) -> list[Development]:
    out = []
    cids = sorted({e.cluster_id for e in entries if e.cluster_id})
    summaries = {e.id: e for e in _event_summaries(store, [_cluster_stub(store, c) for c in cids])
                 } if cids else {}
    for e in entries:
        document = e.kind == "document"
        title = display_title(e.title, e.text) if document else own_title(e.title)
        source = make_source(e.document_id, e.version, title=e.title if document else None,
                             url=e.url, published=e.date,
                             outlet=e.outlet,
                             canonical=e.canonical)
        out.append(Development(
            id=e.id, kind="document" if document else "item", title=title,
            teaser=teaser(e.text, e.title), published=e.date, source=source,
            event=summaries.get(e.cluster_id) if e.cluster_id else None,
            reports=[report(r) for r in e.reports]))
    return out


def _cluster_stub(store: Store, cid: int) -> ClusterRow:
    view = store.cluster(cid)
    assert view is not None
    return view.cluster


# -- events ----------------------------------------------------------------------------------


def _event_summaries(store: Store, rows: list[ClusterRow]) -> list[EventSummary]:
    ids = [c.id for c in rows]
    dates = store.event_dates(ids)
    sources = store.event_sources(ids)
    out = []
    for c in rows:
        ds = dates.get(c.id, [])
        w = when([(d["date"], d["date_source"], d["stage"]) for d in ds],
                 [d["reported"] for d in ds])
        title = own_title(c.title) or (c.type or "development").replace("-", " ")
        out.append(EventSummary(id=c.id, type=c.type, title=title, when=w, country=c.country,
                                reports=c.reports, sources=sources.get(c.id, 0)))
    return out


def events(store: Store, *, country: str | None = None, event_type: str | None = None,
           year: int | None = None, theme: str | None = None, limit: int = 50,
           cursor: str | None = None, scope: Scope = PUBLIC) -> Paged[EventSummary]:
    """Events (each one real-world event, however many reports), newest first."""
    code = check_filters(country=country, theme=theme, year=year, event_type=event_type)
    with cursors_checked(cursor):
        page = store.event_rows(country=code, type_=event_type, year=year, theme=theme,
                                limit=limit, cursor=cursor)
    return Paged[EventSummary](data=_event_summaries(store, page.data),
                               next_cursor=page.next_cursor)


def iter_events(store: Store, *, country: str | None = None, event_type: str | None = None,
                year: int | None = None, theme: str | None = None, batch: int = 200,
                scope: Scope = PUBLIC) -> Iterator[EventDetail]:
    """Every event the filters select, with its reports, read in bounded pages (exports)."""
    cursor = None
    while True:
        page = events(store, country=country, event_type=event_type, year=year, theme=theme,
                      limit=batch, cursor=cursor, scope=scope)
        for e in page.data:
            yield event(store, e.id, scope)
        if not page.next_cursor:
            return
        cursor = page.next_cursor


def event(store: Store, event_id: int | str, scope: Scope = PUBLIC) -> EventDetail:
    """One real-world event: what, when (as stated), where, against whom, every report quoted,
    and why each was linked."""
    cid = parse_id(event_id)
    view = store.cluster(cid) if cid is not None else None
    if view is None:
        raise NotFound(f"No event {str(event_id)[:40]!r}.")
    summary = _event_summaries(store, [view.cluster])[0]
    reports = [report(r) for r in view.reports]
    main = next((r for r in reports if r.main), reports[0] if reports else None)
    title = own_title(view.cluster.title) or (
        (main.title or main.source.title) if main else None) or summary.title
    return EventDetail(**{**summary.model_dump(), "title": title},
                       targets=[ActorRef(id=int(t["id"]), name=t["name"], type=t["type"])
                                for t in view.targets],
                       report_list=reports)


def agents(store: Store, e: EventDetail, scope: Scope = PUBLIC) -> list[Agent]:
    """Who did it, where a report's text names the agent: its words with their span (the
    sentence's where the parse gave none), one per spelling, in report order."""
    out: list[Agent] = []
    seen: set[str] = set()
    texts: dict[tuple[int, int], dict[int, Segment]] = {}
    for r in e.report_list:
        ev = r.evidence
        if ev is None:
            continue
        key = (r.source.document_id, r.source.version)
        if key not in texts:
            view = store.document(key[0], key[1] or None, scope)
            doc = view.document if view else None
            texts[key] = {s.segment_id: s for s in ([doc.body, *doc.segments] if doc else [])
                          if s.segment_id is not None}
        seg = texts[key].get(ev.segment_id)
        fact = next((x for x in seg.events if (x.start, x.end) == (ev.start, ev.end)
                     and x.type == (r.event_type or x.type)), None) if seg else None
        if seg is None or fact is None or not (fact.agent_span or fact.agent):
            continue
        if fact.agent_span:
            s, t = fact.agent_span
            words = Evidence(text=seg.text[s:t], start=s, end=t, segment_id=ev.segment_id,
                             stage=ev.stage)
        else:
            words = ev
        name = " ".join((words.text if fact.agent_span else str(fact.agent)).split())
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            out.append(Agent(name=name, evidence=words))
    return out


def stored_at(store: Store, document_id: int, version: int | None = None,
              scope: Scope = PUBLIC) -> str | None:
    """When a document's version (the current one by default) was stored."""
    view = store.document(document_id, version or None, scope)
    return view.fetched_at if view else None


# -- actors ----------------------------------------------------------------------------------


def actors(store: Store, *, actor_type: str | None = None, limit: int = 50,
           cursor: str | None = None, scope: Scope = PUBLIC) -> Paged[ActorSummary]:
    if actor_type is not None and actor_type not in ("person", "organisation"):
        raise Invalid(f"Unknown actor type {actor_type[:40]!r}: person or organisation.")
    with cursors_checked(cursor):
        page = store.identity_rows(type_=actor_type, limit=limit, cursor=cursor)
    return Paged[ActorSummary](data=[ActorSummary(id=i.id, name=i.name, type=i.type,
                                                  mentions=i.mentions) for i in page.data],
                               next_cursor=page.next_cursor)


def find_actor(store: Store, name_or_id: str) -> int | None:
    """An actor's id from its id or any of its spellings, or a person's surname."""
    from ..names import fold

    if name_or_id.isascii() and name_or_id.isdigit():
        return parse_id(name_or_id)
    found = store.identities_named(name_or_id, fold(name_or_id), 1)
    if not found:
        found = store.identities_by_surname("person", fold(name_or_id))[:1]
    return found[0].id if found else None


def actor(store: Store, actor_id: int | str, scope: Scope = PUBLIC) -> ActorDetail:
    """A person or organisation across documents: spellings, roles, documents and their case
    (the events naming them as target, oldest first as stated; steps with no stated date
    undated, in the order they were reported)."""
    iid = parse_id(actor_id)
    view = store.identity(iid) if iid is not None else None
    if view is None:
        raise NotFound(f"No actor {str(actor_id)[:40]!r}.")
    ident = view.identity
    steps = []
    for st in dossier.steps(view.target_of):
        reps = [report(r) for r in st["reports"]]
        w = when([(r.when.date, "text" if r.when.basis == "stated" else None, r.when.stage)
                  for r in reps], [r.published for r in reps])
        steps.append(CaseStep(event_id=st["cluster_id"], step=st["step"], type=st["type"],
                              when=w, reports=reps))
    steps.sort(key=lambda s: (s.when.date is None, s.when.date or s.when.reported or "",
                              s.event_id))
    docs = [DocumentSummary(id=int(d["document_id"]), title=display_title(d["title"], ""),
                            teaser="", source=make_source(int(d["document_id"]), 0,
                                                          title=d["title"], url=d["url"],
                                                          published=d["published"]),
                            country=None, published=d["published"]) for d in view.documents]
    return ActorDetail(id=ident.id, name=ident.name, type=ident.type, mentions=ident.mentions,
                       aliases=view.aliases, roles=view.roles, documents=docs, case=steps)


# -- documents -------------------------------------------------------------------------------


def documents(store: Store, *, country: str | None = None, kind: str | None = None,
              year: int | None = None, limit: int = 50, cursor: str | None = None,
              scope: Scope = PUBLIC) -> Paged[DocumentSummary]:
    code = check_filters(country=country, year=year)
    if kind is not None and kind not in DOCUMENT_KINDS:
        raise Invalid(f"Unknown document kind {kind[:40]!r}: html, text, feed, pdf or listing.")
    with cursors_checked(cursor):
        page = store.document_rows(country=code, kind=kind, year=year, limit=limit,
                                   cursor=cursor)
    data = [DocumentSummary(id=r.id, title=display_title(r.title, r.text_start),
                            teaser=teaser(r.text_start, r.title, 160),
                            source=make_source(r.id, 0, title=r.title, url=r.url, kind=r.kind,
                                               published=r.published,
                                               outlet=r.outlet,
                                               canonical=r.canonical),
                            country=r.country, published=r.published) for r in page.data]
    return Paged[DocumentSummary](data=data, next_cursor=page.next_cursor)


def document(store: Store, doc_id: int | str, version: int | str | None = None,
             scope: Scope = PUBLIC) -> DocumentDetail:
    """A document at its current version (or `version`): readable text and what was read
    from it, with the full extract record for the analyst."""
    did = parse_id(doc_id)
    if did is None:
        raise NotFound(f"No document {str(doc_id)[:40]!r}.")
    n = None
    if version is not None:
        n = parse_id(version)
        if n is None:
            raise NotFound(f"Document {did} has no version {str(version)[:40]!r}.")
    view = store.document(did, n, scope)
    if view is None:
        if n is not None and store.document(did, None, scope) is not None:
            raise NotFound(f"Document {did} has no version {n}.")
        raise NotFound(f"No document {did}.")
    doc = view.document
    record = contract.record(doc)
    primary = next((c for c in record["countries"] if c["primary"]), None)
    linked = []
    if view.is_current:
        cids = [int(c["cluster_id"]) for c in store.document_clusters(did)]
        rows = [v.cluster for v in (store.cluster(c) for c in dict.fromkeys(cids)) if v]
        linked = _event_summaries(store, rows)
    copy_of = store.copy_of(did)
    also = store.copies_of([did]).get(did, [])
    source = make_source(did, view.version, title=doc.title, url=view.url, kind=doc.kind,
                         published=doc.published, outlet=view.outlet,
                         canonical=view.canonical)
    record = _public_record(record)
    return DocumentDetail(
        id=view.id, title=display_title(doc.title, doc.text), source=source,
        version=view.version, is_current=view.is_current, fetched_at=view.fetched_at,
        content_hash=view.content_hash,
        versions=[VersionInfo(version=v.version, fetched_at=v.fetched_at,
                              content_hash=v.content_hash, is_current=v.is_current)
                  for v in view.versions],
        country=primary["code"] if primary else None,
        country_name=primary["name"] if primary else None,
        text=doc.text, notes=list(doc.notes), events=linked,
        actors=[ActorRef(id=int(a["identity_id"]), name=a["name"], type=a["type"])
                for a in store.document_identities(did)] if view.is_current else [],
        copy_of=copy_of,
        republished=[make_source(int(c["document_id"]), 0, title=c.get("title"),
                                 url=c.get("url"), published=c.get("published"))
                     for c in also],
        record=record)


def document_record(store: Store, doc_id: int, version: int | None = None,
                    scope: Scope = PUBLIC) -> dict:
    """A stored document's extract record as `extract` prints it, its address as stored: for
    the operator at the command line (the store's own paths included), never for serving."""
    view = store.document(doc_id, version, scope)
    if view is None:
        what = f"document {doc_id}" + (f" version {version}" if version else "")
        raise NotFound(f"No {what} in the store.")
    return contract.record(view.document)


def _public_record(record: dict) -> dict:
    """The extract record with the document's address made public: a path becomes the
    file's own name."""
    from .provenance import is_web, source_name

    out = dict(record)
    for key in ("url", "source"):
        value = out.get(key)
        if isinstance(value, str) and value and not is_web(value):
            out[key] = source_name(value)
    return out


# -- search ----------------------------------------------------------------------------------


def search(store: Store, query: SearchQuery, *, limit: int = 50, cursor: str | None = None,
           scope: Scope = PUBLIC, counted: bool = True) -> SearchResults:
    """Hits for a query (words, "phrases", OR, NOT), filtered and faceted; with `counted`
    False (an export reading every page), the hits alone, without a total or facets."""
    check_filters(country=query.country, theme=query.theme, year=query.year,
                  event_type=query.event_type)
    if query.source_kind is not None and query.source_kind not in DOCUMENT_KINDS:
        raise Invalid(f"Unknown source kind {query.source_kind[:40]!r}: "
                      + ", ".join(DOCUMENT_KINDS) + ".")
    for bound in (query.date_from, query.date_to):
        if bound is not None and not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", bound):
            raise Invalid(f"Bad date {bound[:40]!r}: use YYYY, YYYY-MM or YYYY-MM-DD.")
    asked = query.model_dump(exclude={"sort"})
    if not query.q.strip() and not any(v is not None for k, v in asked.items() if k != "q"):
        return SearchResults(query=query, hits=Paged[SearchHit](data=[]))  # nothing asked
    if not counted:
        with cursors_checked(cursor):
            page = store.search(_store_query(query), limit=limit, cursor=cursor, scope=scope)
        return SearchResults(query=query, hits=Paged[SearchHit](
            data=[_hit(h) for h in page.data], next_cursor=page.next_cursor))
    with cursors_checked(cursor):
        result = store.find(_store_query(query), limit=limit, cursor=cursor, scope=scope)
    facets = {k: [Facet(value=str(f.value), label=f.label, count=f.count) for f in v]
              for k, v in result.facets.items()}
    hits = [_hit(h) for h in result.hits.data]
    return SearchResults(query=query, hits=Paged[SearchHit](data=hits,
                                                            next_cursor=result.hits.next_cursor),
                         facets=facets, total=result.total, counted_up_to=result.facet_sample,
                         facets_complete=result.facets_complete)


def _store_query(q: SearchQuery) -> StoreQuery:
    return StoreQuery(text=q.q, country=q.country, theme=q.theme, event_type=q.event_type,
                      actor=q.actor, year=q.year, source_kind=q.source_kind,
                      date_from=q.date_from, date_to=q.date_to, sort=q.sort)


def _hit(h: StoreHit) -> SearchHit:
    return SearchHit(kind="document" if h.kind == "document" else "item", segment_id=h.id,
                     document_id=h.document_id, title=own_title(h.title), published=h.date,
                     country=h.country,
                     source=make_source(h.document_id, 0, title=h.title, url=h.url,
                                        published=h.date, outlet=h.outlet,
                                        canonical=h.canonical if h.kind == "document" else None),
                     snippet=h.snippet, score=h.score)
