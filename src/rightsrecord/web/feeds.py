"""Atom feeds (RFC 4287): a country's developments, and the events of a theme, of an event
type, against an actor, or found by a search.

Each entry links to our page of it (`alternate`), and (`related`) to each source's public
address, where it has one, and to our stored copy. An entry's `updated` is when it was
reported (or, undated, when we stored it) and `published` is only ever a date a source gives
for its report: a date no source states for the event is never given as when it happened,
and the summary says "reported on DATE" instead (`date_label`). Entry ids are stable URNs
(`urn:uuid:`, a name-based UUID of what the entry is).
"""

# No `from __future__ import annotations`: FastAPI reads these signatures at run time.

import uuid
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from feedgen.ext.base import BaseEntryExtension
from feedgen.feed import FeedEntry, FeedGenerator
from lxml import etree

from .. import __version__
from ..places import country_name
from ..read import services, vocab
from ..read.models import Development, EventDetail, Report, SearchHit, Source, When
from ..read.provenance import date_label
from ..read.rows import lead
from ..store.base import Scope, Store
from . import urls
from .deps import ScopeDep, StoreDep
from .exports import Search, pages_at

router = APIRouter()
READ = ["GET", "HEAD"]
ATOM = "application/atom+xml"
ENTRIES = 50  # the newest this many entries
AUTHOR = "rightsrecord"
ID_SPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:rightsrecord")
QUOTE_CHARS = 600


def urn(*what: object) -> str:
    """A stable id: a name-based UUID of what it names (e.g. ("event", 12))."""
    return uuid.uuid5(ID_SPACE, "/".join(str(w) for w in what)).urn


def instant(value: str | None) -> datetime | None:
    """A day or a time as an Atom date; None for no date or one less precise than a day."""
    if not value or len(value) < 10:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class _Links(BaseEntryExtension):  # type: ignore[misc]
    """An entry's links, written whole: feedgen 1.0.0 drops an entry link's `rel` and
    `type`, which would make every related link an alternate."""

    def __init__(self) -> None:
        self.links: list[dict[str, str]] = []

    def extend_atom(self, entry: Any) -> Any:
        # feedgen's tree names its elements bare, under an `xmlns` attribute of the root
        for old in entry.findall("link"):
            entry.remove(old)
        for link in self.links:
            etree.SubElement(entry, "link", link)
        return entry


class Feed:
    """One Atom feed being built: its entries from the read models, links absolute."""

    def __init__(self, request: Request, store: Store, scope: Scope, title: str,
                 subtitle: str, alternate: str | None = None) -> None:
        self.request, self.store, self.scope = request, store, scope
        self.base = str(request.base_url).rstrip("/")
        self.pages = pages_at(self.base)
        self.gen = FeedGenerator()
        self.gen.id(urn("feed", request.url.path, request.url.query))
        self.gen.title(title)
        self.gen.subtitle(subtitle)
        self.gen.author(name=AUTHOR)
        self.gen.generator("rightsrecord", version=__version__)
        self.gen.link(href=str(request.url), rel="self", type=ATOM)
        if alternate:
            self.gen.link(href=self.base + alternate, rel="alternate", type="text/html")
        self.updated: list[datetime] = []

    def entry(self, id_: str, title: str, page: str, summary: str, sources: Iterable[Source],
              reported: str | None, stored_from: Source | None, outlet: str | None = None,
              category: str | None = None, entered: str | None = None) -> None:
        """An entry: `reported` is when it was reported (its `published`); without it, when
        it `entered` the record, or when `stored_from` was stored, is its `updated`."""
        entry: FeedEntry = self.gen.add_entry(order="append")
        entry.id(id_)
        entry.title(title)
        published = instant(reported)
        updated = published or instant(entered) or self._stored(stored_from)
        entry.updated(updated)
        self.updated.append(updated)
        if published:
            entry.published(published)
        entry.summary(summary)
        if outlet:
            entry.author(name=outlet)
        if category:
            entry.category(term=category, label=category.replace("-", " "))
        links = [{"href": page, "rel": "alternate", "type": "text/html"}]
        for source in sources:
            for href in (source.url, self.pages.document(source.document_id, source.version)):
                if href and all(link["href"] != href for link in links):
                    links.append({"href": href, "rel": "related"})
        entry.link(href=page, rel="alternate")  # what feedgen checks for; `_Links` writes
        entry.register_extension("links", _Links, atom=True, rss=False)
        entry.links.links = links

    def _stored(self, source: Source | None) -> datetime:
        stamp = services.stored_at(self.store, source.document_id, source.version or None,
                                   self.scope) if source else None
        return instant(stamp) or datetime.now(UTC)

    def event(self, e: EventDetail) -> None:
        first = lead(e.report_list)
        sources = [r.source for r in e.report_list]
        self.entry(urn("event", e.id), e.title, self.pages.event(e.id),
                   _summary(e.when, first, e.country), sources, e.when.reported,
                   sources[0] if sources else None,
                   outlet=first.source.outlet if first else None, category=e.type)

    def development(self, d: Development) -> None:
        w = d.event.when if d.event else as_reported(d.published)
        first = lead(d.reports)
        title = d.title or _cut(d.teaser, 90) or (d.event.title if d.event else None) \
            or "Untitled development"
        page = self.pages.event(d.event.id) if d.event else \
            self.pages.document(d.source.document_id, d.source.version)
        summary = _summary(w, first, d.event.country if d.event else None)
        if d.teaser and (first is None or first.evidence is None):
            summary += f"\n\n{d.teaser}"
        self.entry(urn("development", d.id), title, page, summary,
                   [d.source, *(r.source for r in d.reports)], d.published, d.source,
                   outlet=d.source.outlet, category=d.event.type if d.event else None)

    def hit(self, h: SearchHit) -> None:
        w = as_reported(h.published)
        self.entry(urn("development", h.segment_id), h.title or _cut(h.snippet, 80),
                   self.pages.document(h.document_id, 0),
                   f"{date_label(w)}: {' '.join(h.snippet.split())} ({h.source.name})",
                   [h.source], h.published, h.source, outlet=h.source.outlet)

    def response(self) -> Response:
        self.gen.updated(max(self.updated, default=datetime.now(UTC)))
        # a HEAD gets the same headers, Content-Length included (the server drops the body)
        return Response(self.gen.atom_str(pretty=True), media_type=ATOM)


def as_reported(published: str | None) -> When:
    """A text's date, as the date it was reported (never as when anything happened)."""
    day = (published or "")[:10] or None
    return When(date=None, reported=day, basis="reported" if day else "unknown", stage=None)


def _summary(w: When, cited: Report | None, country: str | None) -> str:
    """When (as stated, else "reported on DATE"), then the quoted evidence and its source."""
    head = date_label(w) + (f", {country}" if country else "")
    if cited is None:
        return head
    if cited.evidence is None:
        return f"{head}. Source: {cited.source.name}"
    quote = _cut(" ".join(cited.evidence.text.split()), QUOTE_CHARS)
    return f"{head}: “{quote}” ({cited.source.name})"


def _cut(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > 0 else limit] + " …"


# -- the feeds ---------------------------------------------------------------------------------


@router.api_route("/feeds/countries/{code}.atom", methods=READ, include_in_schema=False)
def country_feed(request: Request, code: str, store: StoreDep, scope: ScopeDep) -> Response:
    """A country's dated feed of developments, newest first."""
    rec = services.country(store, code, limit=ENTRIES, summaries_limit=1, scope=scope)
    feed = Feed(request, store, scope, f"{rec.name}: developments",
                f"The dated record of {rec.name}, every development cited.",
                urls.country(rec.code))
    for d in rec.feed.data:
        feed.development(d)
    return feed.response()


@router.api_route("/feeds/countries/{code}/changes.atom", methods=READ,
                  include_in_schema=False)
def changes_feed(request: Request, code: str, store: StoreDep, scope: ScopeDep,
                 since: str | None = None) -> Response:
    """What entered or was corrected in a country's record since a date (a month ago unless
    asked), newest first: a returning reader sees only the new."""
    from ..record.changes import changes

    cc = services.known_country(store, code, scope)
    day = since or (datetime.now(UTC).date() - timedelta(days=30)).isoformat()
    found = changes(store, cc, day, limit=ENTRIES, scope=scope)
    name = country_name(cc) or cc
    feed = Feed(request, store, scope, f"{name}: what changed since {found.since[:10]}",
                f"What entered or was corrected in the record of {name}.",
                urls.changes(cc, since=day))
    for c in found.changes:
        page = feed.pages.event(c.event_id) if c.event_id is not None else (
            feed.pages.document(c.source.document_id, c.source.version) if c.source
            else feed.base + urls.country(cc))
        head = f"{c.kind.capitalize()}, {c.at[:10]}"
        if c.when is not None:
            head += f"; the event: {date_label(c.when)}"
        feed.entry(urn("change", c.kind, c.event_id, c.document_id, c.at), c.title, page,
                   f"{head}. {c.detail}".strip(), [c.source] if c.source else [], None,
                   None, outlet=c.source.outlet if c.source else None, entered=c.at)
    return feed.response()


@router.api_route("/feeds/themes/{theme}.atom", methods=READ, include_in_schema=False)
def theme_feed(request: Request, theme: str, store: StoreDep, scope: ScopeDep) -> Response:
    page = services.events(store, theme=theme, limit=ENTRIES, scope=scope)
    label = vocab.themes()[theme]
    feed = Feed(request, store, scope, f"{label}: events",
                f"Events on {label}, newest first, every one cited.",
                urls.events(theme=theme))
    for e in page.data:
        feed.event(services.event(store, e.id, scope))
    return feed.response()


@router.api_route("/feeds/event-types/{event_type}.atom", methods=READ,
                  include_in_schema=False)
def event_type_feed(request: Request, event_type: str, store: StoreDep,
                    scope: ScopeDep) -> Response:
    page = services.events(store, event_type=event_type, limit=ENTRIES, scope=scope)
    label = event_type.replace("-", " ")
    feed = Feed(request, store, scope, f"Events: {label}",
                f"Events of the type {label}, newest first, every one cited.",
                urls.events(type=event_type))
    for e in page.data:
        feed.event(services.event(store, e.id, scope))
    return feed.response()


@router.api_route("/feeds/actors/{actor_id}.atom", methods=READ, include_in_schema=False)
def actor_feed(request: Request, actor_id: str, store: StoreDep, scope: ScopeDep) -> Response:
    """The events naming an actor as their target (their case), newest first."""
    who = services.actor(store, actor_id, scope)
    feed = Feed(request, store, scope, f"{who.name}: case",
                f"The events naming {who.name} as their target, every one cited.",
                urls.actor(who.id))
    ids = list(dict.fromkeys(step.event_id for step in reversed(who.case)))[:ENTRIES]
    for event_id in ids:
        feed.event(services.event(store, event_id, scope))
    return feed.response()


@router.api_route("/feeds/search.atom", methods=READ, include_in_schema=False)
def search_feed(request: Request, store: StoreDep, scope: ScopeDep, query: Search) -> Response:
    found = services.search(store, query, limit=ENTRIES, scope=scope)
    feed = Feed(request, store, scope, f"Search: {query.q}" if query.q else "Search",
                "Texts matching the search, every one cited.",
                urls.search(query.q, country=query.country, theme=query.theme,
                            event_type=query.event_type, actor=query.actor, year=query.year,
                            source_kind=query.source_kind, date_from=query.date_from,
                            date_to=query.date_to, sort=query.sort))
    for h in found.hits.data:
        feed.hit(h)
    return feed.response()
