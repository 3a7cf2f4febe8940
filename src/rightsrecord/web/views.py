"""One context per page: a read service's result (`read.services`) dumped to JSON, plus links.

A context is `result.model_dump(mode="json")` with `href`s added where a reader may follow
something (every one built by `urls`), and, where the model has none, a `title`. Nothing here
reads the store: the services do. The HTML page renders the context and its JSON twin
returns it, the same dict. Only its own paging links differ between the two: `next_href`
(and `first_href`) point at the next page in the format that was asked for, while `href` and
`json_href` always name this page as HTML and as JSON.

The presentation helpers at the bottom (`cut`, `snippet_parts`, `spans`, `paragraphs`,
`when_label`, `counted`, ...) lay a context out in the templates; they add nothing to it.
"""

from __future__ import annotations

from typing import Any

from ..document import display_title
from ..places import country_name
from ..read import services, vocab
from ..read.errors import Invalid, NotFound
from ..read.models import CountryFilters, SearchQuery, When
from ..read.provenance import date_label
from ..read.services import cursors_checked, find_actor, parse_id
from ..record.country import country as record_country
from ..store.base import PUBLIC, Scope, Store
from . import charts, urls

__all__ = ["Invalid", "NotFound", "cursors_checked", "find_actor", "parse_id"]

RECENT = 15  # documents on the home page
FEED_LIMIT = 50  # feed entries on a country page
SUMMARIES_LIMIT = 20
LIST_LIMIT = 50
SEARCH_LIMIT = 50
DOCUMENT_KINDS = ("html", "text", "feed", "pdf", "listing")
ACTOR_TYPES = ("person", "organisation")
FACET_PARAMS = ("country", "theme", "event_type", "actor", "year", "source_kind")

Context = dict[str, Any]


# -- links added to the dumped models ---------------------------------------------------------


def _source(s: Context) -> Context:
    """A cited source: our stored copy (`href`; `version_href` for the version cited) and,
    only where it has one, its public address (`url`, already in the model)."""
    s["href"] = urls.document(s["document_id"])
    s["version_href"] = urls.version(s["document_id"], s["version"]) if s["version"] else None
    return s


def _event(e: Context) -> Context:
    e["href"] = urls.event(e["id"])
    e["country_href"] = urls.country(e["country"]) if e.get("country") else None
    return e


def _actor_ref(a: Context) -> Context:
    a["href"] = urls.actor(a["id"])
    return a


def _report(r: Context) -> Context:
    """A report: a whole document links to the document, a listing entry to the version of
    the listing it was read from."""
    _source(r["source"])
    r["href"] = (r["source"]["version_href"] or r["source"]["href"]) if r["kind"] == "item" \
        else r["source"]["href"]
    for copy in r["republished"]:
        _source(copy)
    return r


def _document_summary(d: Context) -> Context:
    _source(d["source"])
    d["href"] = urls.document(d["id"])
    d["country_href"] = urls.country(d["country"]) if d.get("country") else None
    return d


def _country_row(c: Context) -> Context:
    c["href"] = urls.country(c["code"])
    c["json_href"] = urls.country(c["code"], "json")
    return c


def _paged(page: Context, next_href: str | None, first_href: str | None) -> Context:
    """A list's page with its links: the next page (None on the last) and back to the first
    (None on the first)."""
    page["next_href"] = next_href if page.get("next_cursor") else None
    page["first_href"] = first_href
    return page


# -- home and countries ---------------------------------------------------------------------


def home(store: Store, scope: Scope = PUBLIC) -> Context:
    ctx = services.overview(store, scope, recent=RECENT).model_dump(mode="json")
    for c in ctx["countries"]:
        _country_row(c)
    for d in ctx["recent"]:
        _document_summary(d)
    return {**ctx, "title": "Country records", "countries_href": urls.countries(),
            "documents_href": urls.documents(), "href": urls.home(),
            "json_href": urls.home("json")}


def countries(store: Store, scope: Scope = PUBLIC) -> Context:
    rows = [_country_row(c.model_dump(mode="json")) for c in services.countries(store, scope)]
    for c in rows:
        c["feed_href"] = urls.feed_country(c["code"])
        c["csv_href"] = urls.export_country(c["code"], "csv")
    return {"data": rows, "title": "Countries", "href": urls.countries(),
            "json_href": urls.countries("json")}


def country(store: Store, code: str, *, theme: str | None = None, year: int | None = None,
            event_type: str | None = None, cursor: str | None = None,
            summaries_cursor: str | None = None, limit: int | None = None,
            summaries_limit: int | None = None, fmt: str = "html",
            scope: Scope = PUBLIC) -> Context:
    """A country's record in the seed's layout: summaries, then the dated feed, filtered by
    theme, year and event type; its timeline and chart."""
    filters = CountryFilters(theme=theme, year=year, event_type=event_type)
    record = record_country(store, code, filters=filters, limit=limit or FEED_LIMIT,
                              cursor=cursor, summaries_limit=summaries_limit or SUMMARIES_LIMIT,
                              summaries_cursor=summaries_cursor, scope=scope)
    ctx = record.model_dump(mode="json")

    def link(form: str, **changed: Any) -> str:
        args: dict[str, Any] = {"theme": theme, "year": year, "event_type": event_type,
                                "cursor": cursor, "summaries_cursor": summaries_cursor,
                                "limit": limit, "summaries_limit": summaries_limit, **changed}
        return urls.country(record.code, form, **args)

    _paged(ctx["feed"], link(fmt, cursor=record.feed.next_cursor),
           link(fmt, cursor=None) if cursor else None)
    _paged(ctx["summaries"], link(fmt, summaries_cursor=record.summaries.next_cursor),
           link(fmt, summaries_cursor=None) if summaries_cursor else None)
    for s in ctx["summaries"]["data"]:
        _source(s["source"])
        s["href"] = s["source"]["version_href"] or s["source"]["href"]
    for dev in ctx["feed"]["data"]:
        _source(dev["source"])
        dev["href"] = dev["source"]["href"] if dev["kind"] == "document" else (
            dev["source"]["version_href"] or dev["source"]["href"])
        if dev["event"]:
            _event(dev["event"])
        for r in dev["reports"]:
            _report(r)
    for e in ctx["timeline"]:
        _event(e)
    _living(ctx)
    filtered = any(v is not None for v in (theme, year, event_type))
    return {**ctx, "title": record.name,
            "draft_href": urls.draft(record.code),
            "changes_href": urls.changes(record.code, since=_month_ago()),
            "changes_feed_href": urls.feed_changes(record.code, since=_month_ago()),
            "clear_href": urls.country(record.code) if filtered else None,
            "events_href": urls.events(country=record.code),
            "documents_href": urls.documents(country=record.code),
            "feed_href": urls.feed_country(record.code),
            "csv_href": urls.export_country(record.code, "csv"),
            "jsonl_href": urls.export_country(record.code, "jsonl"),
            "api_href": urls.api_country(record.code),
            "href": link("html"), "json_href": link("json")}


def _living(ctx: Context) -> None:
    """Links for what the record derives: the drafts' sources, the events that followed a
    recommendation; and the recommendations grouped by theme (`recommendation_themes`)."""
    for y in ctx["draft_summary"]:
        for sentence in y["sentences"]:
            if sentence["event_id"] is not None:
                sentence["event_href"] = urls.event(sentence["event_id"])
            for c in sentence["sources"]:
                _source(c["source"])
    labels = vocab.themes()
    by_theme: dict[str, list[Context]] = {}
    for r in ctx["recommendations"]:
        for e in r["later_events"]:
            e["href"] = urls.event(e["event_id"])
        for code in r["themes"] or ["other"]:
            by_theme.setdefault(code, []).append(r)
    ctx["recommendation_themes"] = [
        {"theme": code, "label": labels.get(code, code.replace("-", " ").capitalize()),
         "recommendations": recs}
        for code, recs in sorted(by_theme.items(), key=lambda kv: (-len(kv[1]), kv[0]))]


def draft_markdown(store: Store, code: str, scope: Scope = PUBLIC) -> str:
    from ..record.drafts import draft_summary, to_markdown

    cc = services.known_country(store, code, scope)
    return to_markdown(country_name(cc) or cc, cc, draft_summary(store, cc, scope))


def _month_ago() -> str:
    from datetime import date, timedelta

    return (date.today() - timedelta(days=30)).isoformat()


def changes(store: Store, code: str, *, since: str | None = None, cursor: str | None = None,
            limit: int | None = None, fmt: str = "html", scope: Scope = PUBLIC) -> Context:
    """What entered or was corrected in a country's record since a date (a month ago unless
    asked), newest first."""
    from ..record.changes import changes as record_changes

    cc = services.known_country(store, code, scope)
    since = since or _month_ago()
    page = record_changes(store, cc, since, limit=limit or LIST_LIMIT, cursor=cursor,
                          scope=scope)
    ctx = page.model_dump(mode="json")

    def link(form: str, **changed: Any) -> str:
        return urls.changes(cc, form, **{"since": since, "cursor": cursor, "limit": limit,
                                         **changed})

    for c in ctx["changes"]:
        if c["event_id"] is not None:
            c["event_href"] = urls.event(c["event_id"])
        if c["source"]:
            _source(c["source"])
        c["href"] = c.get("event_href") or (c["source"]["href"] if c["source"] else None)
    nxt = link(fmt, cursor=page.next_cursor) if page.next_cursor else None
    return {**ctx, "name": country_name(cc) or cc, "code": cc,
            "title": f"{country_name(cc) or cc}: what changed since {ctx['since'][:10]}",
            "next_href": nxt, "first_href": link(fmt, cursor=None) if cursor else None,
            "country_href": urls.country(cc), "feed_href": urls.feed_changes(cc, since),
            "action_href": urls.changes(cc),
            "api_href": urls.api_changes(cc, since),
            "href": link("html"), "json_href": link("json")}


# -- lists ------------------------------------------------------------------------------------


def documents(store: Store, *, country: str | None = None, kind: str | None = None,
              year: int | None = None, cursor: str | None = None, limit: int | None = None,
              fmt: str = "html", scope: Scope = PUBLIC) -> Context:
    page = services.documents(store, country=country, kind=kind, year=year,
                              limit=limit or LIST_LIMIT, cursor=cursor, scope=scope)
    ctx = page.model_dump(mode="json")
    filters = {"country": country.upper() if country else None, "kind": kind, "year": year}

    def link(form: str, **changed: Any) -> str:
        return urls.documents(form, **{**filters, "cursor": cursor, "limit": limit, **changed})

    _paged(ctx, link(fmt, cursor=page.next_cursor), link(fmt, cursor=None) if cursor else None)
    for d in ctx["data"]:
        _document_summary(d)
    return {**ctx, "filters": filters, "title": "Documents", "href": link("html"),
            "json_href": link("json")}


def events(store: Store, *, country: str | None = None, event_type: str | None = None,
           year: int | None = None, theme: str | None = None, cursor: str | None = None,
           limit: int | None = None, fmt: str = "html", scope: Scope = PUBLIC) -> Context:
    page = services.events(store, country=country, event_type=event_type, year=year,
                           theme=theme, limit=limit or LIST_LIMIT, cursor=cursor, scope=scope)
    ctx = page.model_dump(mode="json")
    filters = {"country": country.upper() if country else None, "type": event_type,
               "year": year, "theme": theme}

    def link(form: str, **changed: Any) -> str:
        return urls.events(form, **{**filters, "cursor": cursor, "limit": limit, **changed})

    _paged(ctx, link(fmt, cursor=page.next_cursor), link(fmt, cursor=None) if cursor else None)
    for e in ctx["data"]:
        _event(e)
    return {**ctx, "filters": filters, "title": "Events", "href": link("html"),
            "json_href": link("json")}


def actors(store: Store, *, actor_type: str | None = None, cursor: str | None = None,
           limit: int | None = None, fmt: str = "html", scope: Scope = PUBLIC) -> Context:
    page = services.actors(store, actor_type=actor_type, limit=limit or LIST_LIMIT,
                           cursor=cursor, scope=scope)
    ctx = page.model_dump(mode="json")
    filters = {"type": actor_type}

    def link(form: str, **changed: Any) -> str:
        return urls.actors(form, **{**filters, "cursor": cursor, "limit": limit, **changed})

    _paged(ctx, link(fmt, cursor=page.next_cursor), link(fmt, cursor=None) if cursor else None)
    for a in ctx["data"]:
        _actor_ref(a)
    return {**ctx, "filters": filters, "title": "People and organisations",
            "href": link("html"), "json_href": link("json")}


def list_options(store: Store, scope: Scope = PUBLIC) -> Context:
    """What the lists' filter forms offer (for the templates only, not part of a context)."""
    return {"countries": [{"value": c.code, "label": c.name}
                          for c in services.countries(store, scope, events=False)],
            "kinds": list(DOCUMENT_KINDS), "actor_types": list(ACTOR_TYPES),
            "event_types": [{"value": t, "label": t.replace("-", " ")}
                            for t in vocab.event_types()],
            "themes": [{"value": k, "label": v} for k, v in
                       sorted(vocab.themes().items(), key=lambda kv: kv[1].lower())]}


# -- one thing ----------------------------------------------------------------------------------


def event(store: Store, raw_id: str, scope: Scope = PUBLIC) -> Context:
    """One real-world event: what, when, where, against whom, and every report quoted."""
    ctx = _event(services.event(store, raw_id, scope).model_dump(mode="json"))
    for t in ctx["targets"]:
        _actor_ref(t)
    for r in ctx["report_list"]:
        _report(r)
    return {**ctx, "events_href": urls.events(country=ctx["country"]),
            "json_href": urls.event(ctx["id"], "json")}


def actor(store: Store, raw_id: str, scope: Scope = PUBLIC) -> Context:
    """A person or organisation: spellings, roles, documents and their case."""
    ctx = _actor_ref(services.actor(store, raw_id, scope).model_dump(mode="json"))
    for d in ctx["documents"]:
        _document_summary(d)
    for step in ctx["case"]:
        step["href"] = urls.event(step["event_id"])
        for r in step["reports"]:
            _report(r)
    return {**ctx, "title": ctx["name"], "json_href": urls.actor(ctx["id"], "json")}


def document(store: Store, raw_id: str, raw_version: str | None = None,
             scope: Scope = PUBLIC) -> Context:
    """A document at its current version, or at version `raw_version` (the path's words)."""
    ctx = services.document(store, raw_id, raw_version, scope).model_dump(mode="json")
    doc_id, n = ctx["id"], ctx["version"]
    if raw_version is None:
        href, json_href = urls.document(doc_id), urls.document(doc_id, "json")
        analyst = urls.document(doc_id, view="analyst")
    else:
        href, json_href = urls.version(doc_id, n), urls.version(doc_id, n, "json")
        analyst = urls.version(doc_id, n, view="analyst")
    _source(ctx["source"])
    for v in ctx["versions"]:
        v["href"] = urls.document(doc_id) if v["is_current"] else urls.version(doc_id,
                                                                               v["version"])
        v["analyst_href"] = urls.document(doc_id, view="analyst") if v["is_current"] \
            else urls.version(doc_id, v["version"], view="analyst")
        v["json_href"] = urls.version(doc_id, v["version"], "json")
        v["shown"] = v["version"] == n
    for e in ctx["events"]:
        _event(e)
    for a in ctx["actors"]:
        _actor_ref(a)
    for c in ctx["republished"]:
        _source(c)
    return {**ctx, "copy_of_href": urls.document(ctx["copy_of"]) if ctx["copy_of"] else None,
            "country_href": urls.country(ctx["country"]) if ctx["country"] else None,
            "href": href, "json_href": json_href, "analyst_href": analyst,
            "current_href": urls.document(doc_id), "version_href": urls.version(doc_id, n)}


# -- search -------------------------------------------------------------------------------------


def search(store: Store, query: SearchQuery, *, cursor: str | None = None,
           limit: int | None = None, fmt: str = "html", scope: Scope = PUBLIC) -> Context:
    """Hits for a query, with links that refine it: each facet's value, each sort, each
    filter taken off again."""
    result = services.search(store, query, limit=limit or SEARCH_LIMIT, cursor=cursor,
                             scope=scope)
    ctx = result.model_dump(mode="json")
    q = query.model_dump()
    words = q.pop("q")

    def link(form: str = "html", /, **changed: Any) -> str:
        args: dict[str, Any] = {**q, "cursor": None, "limit": limit, **changed}
        return urls.search(words, form, **args)

    _paged(ctx["hits"], link(fmt, cursor=result.hits.next_cursor),
           link(fmt) if cursor else None)
    for h in ctx["hits"]["data"]:
        _source(h["source"])
        h["href"] = urls.document(h["document_id"])
    for name, facets in ctx["facets"].items():
        for f in facets:
            f["href"] = link(**{name: f["value"]}) if name in FACET_PARAMS else None
            f["active"] = name in FACET_PARAMS and str(q.get(name)) == f["value"]
    labels = {(name, f["value"]): f["label"] for name, facets in ctx["facets"].items()
              for f in facets}
    active = [{"name": name, "value": q[name], "remove_href": link(**{name: None}),
               "label": labels.get((name, str(q[name])), str(q[name]))}
              for name in (*FACET_PARAMS, "date_from", "date_to") if q.get(name) is not None]
    return {**ctx, "title": f"Search: {words}" if words.strip() else "Search",
            "active": active,
            "sort_hrefs": {s: link(sort=s) for s in ("relevance", "newest", "oldest")},
            "feed_href": urls.feed_search(words, **q),
            "csv_href": urls.export_search(words, "csv", **q),
            "jsonl_href": urls.export_search(words, "jsonl", **q),
            "href": link("html", cursor=cursor), "json_href": link("json", cursor=cursor)}


# -- presentation helpers for the templates ---------------------------------------------------


def when_label(w: Context | None) -> str:
    """A `When` as a reader sees it: its stated date, "reported on DATE", or "undated"."""
    return date_label(When(**w)) if w else "undated"


def counted(n: int, one: str, many: str | None = None) -> str:
    """"1 step", "2 steps": a count with its noun agreeing."""
    return charts.counted(n, one, many)


def type_label(value: str | None) -> str:
    """An event type as words ("court ruling"); an event with none is a development."""
    return (value or "development").replace("-", " ")


def place_name(code: str | None) -> str:
    return (country_name(code) or code or "") if code else ""


def own_title(title: str | None) -> str | None:
    """A title the source gave, or None (never the string "None")."""
    return title if title and title.strip() and title != "None" else None


def paragraphs(text: str, title: str | None = None) -> list[str]:
    """A text as paragraphs (at its line breaks), without a first line that repeats its
    title."""
    paras = [" ".join(p.split()) for p in text.splitlines() if p.strip()]
    if paras and title and paras[0].strip(" .").lower() == title.strip(" .").lower():
        paras = paras[1:]
    return paras


def stage_of(stages: list[str], name: str) -> str:
    """The id (`name.vN`) of the stage that made one kind of fact."""
    return next((s for s in stages if s.split(".")[0] == name), name)


def stages(record: Context) -> dict[str, str]:
    return {name: stage_of(record.get("stages") or [], name)
            for name in ("dates", "places", "themes", "actors", "events")}


def spans(record: Context) -> list[Context]:
    """Every extracted span of a record's text: its places, dates, actors' mentions and
    events' evidence, each labelled with what it is and the stage that found it."""
    text = record.get("text") or ""
    stage = stages(record)
    out: list[Context] = []

    def add(kind: str, start: int, end: int, label: str) -> None:
        if 0 <= start < end <= len(text):
            out.append({"kind": kind, "start": start, "end": end, "text": text[start:end],
                        "label": f"{kind} {label} ({stage[kind + 's']})",
                        "stage": stage[kind + "s"]})

    for m in record.get("places") or []:
        add("place", m["start"], m["end"],
            m["code"] if m["kind"] == "country" else f"{m['code']} {m['kind']}")
    for d in record.get("dates") or []:
        add("date", d["start"], d["end"], f"{d['type']} {d['value']}")
    for a in record.get("actors") or []:
        what = " ".join(filter(None, (a.get("type"), a.get("role"))))
        for s, e in a.get("mentions") or []:
            add("actor", s, e, f"{what}: {a['name']}")
    for ev in record.get("events") or []:
        add("event", ev["evidence"]["start"], ev["evidence"]["end"],
            " ".join(filter(None, (ev.get("type"), ev.get("date"), ev.get("country")))))
    out.sort(key=lambda s: (s["start"], -s["end"], s["kind"]))
    return out


def cut(text: str, spans: list[Context]) -> list[Context]:
    """The text cut at every span boundary; each part lists the kinds and labels of the spans
    over it, so overlapping facts (a date inside an event's evidence) all show."""
    n = len(text)
    live = sorted((s for s in spans if 0 <= s["start"] < s["end"] <= n),
                  key=lambda s: (s["start"], -s["end"]))
    cuts = sorted({0, n, *(s["start"] for s in live), *(s["end"] for s in live)})
    parts: list[Context] = []
    active: list[Context] = []
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


def snippet_parts(snippet: str) -> list[Context]:
    """A search snippet (matches between `[` and `]`) as parts, each marked as a match or not."""
    parts: list[Context] = []
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


def snippet_title(snippet: str) -> str:
    """A title for an untitled hit: the opening words of its snippet, without the marks."""
    plain = "".join(part["text"] for part in snippet_parts(snippet)).strip(" …")
    return display_title(None, plain)


TEMPLATE_HELPERS = {
    "cut": cut, "snippet_parts": snippet_parts, "spans": spans, "stages": stages,
    "paragraphs": paragraphs, "when_label": when_label, "counted": counted,
    "type_label": type_label, "place_name": place_name, "own_title": own_title,
    "snippet_title": snippet_title, "chart_svg": charts.theme_year_svg,
    "chart_grid": charts.grid, "trend_svg": charts.trend_svg, "trend_table": charts.trend_table,
}
