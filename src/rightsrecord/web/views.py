"""One context per page; the same context is rendered as HTML or returned as JSON."""

from __future__ import annotations

from typing import Any

from ..store import SQLiteStore
from . import urls


class NotFound(Exception):
    pass


def home_context(store: SQLiteStore) -> dict[str, Any]:
    countries = store.countries()
    for c in countries:
        c["href"] = urls.country(c["code"])
    recent = store.recent_documents(15)
    for d in recent:
        d["href"] = urls.document(d["id"])
    return {"title": "rightsrecord", "counts": store.counts(), "countries": countries,
            "recent": recent}


def country_context(store: SQLiteStore, code: str) -> dict[str, Any]:
    page = store.country(code)
    if page is None:
        raise NotFound(f"No country with the code {code!r}.")
    for block in page["summaries"]:
        block["source_href"] = urls.document(block["document_id"])
    for item in page["items"]:
        item["source_href"] = urls.document(item["document_id"])
    page["title"] = page["name"]
    page["json_href"] = urls.country(page["code"], "json")
    return page


def document_context(store: SQLiteStore, doc_id: int) -> dict[str, Any]:
    doc = store.document(doc_id)
    if doc is None:
        raise NotFound(f"No document {doc_id}.")
    for v in doc["versions"]:
        v["href"] = urls.document(v["id"])
    doc["country_href"] = urls.country(doc["country"]) if doc["country"] else None
    doc["json_href"] = urls.document(doc_id, "json")
    doc["segments"] = highlight(doc["text"], [
        a for a in doc["annotations"] if a["target"] == "document"])
    doc["facts"] = facts(doc["annotations"])
    return doc


def search_context(store: SQLiteStore, query: str) -> dict[str, Any]:
    hits = store.search(query) if query.strip() else []
    for hit in hits:
        hit["href"] = urls.document(hit["document_id"])
    return {"title": f"Search: {query}" if query else "Search", "query": query, "hits": hits,
            "json_href": urls.search(query, "json")}


INLINE_KINDS = ("place", "date", "actor", "event")


def highlight(text: str, annotations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The text cut at every annotation boundary; each segment lists the annotations over it,
    so overlapping facts (a date inside an event's evidence sentence) all show."""
    spans = [a for a in annotations if a["kind"] in INLINE_KINDS and a["end"] > a["start"]]
    cuts = sorted({0, len(text), *(min(a["start"], len(text)) for a in spans),
                   *(min(a["end"], len(text)) for a in spans)})
    segments: list[dict[str, Any]] = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        if start >= end:
            continue
        over = [a for a in spans if a["start"] <= start and a["end"] >= end]
        segments.append({
            "text": text[start:end],
            "kinds": sorted({a["kind"] for a in over}),
            "title": " | ".join(_describe(a) for a in over),
        })
    return segments


def _describe(a: dict[str, Any]) -> str:
    v = a["value"]
    detail = {
        "place": lambda: v.get("country", ""),
        "date": lambda: f"{v.get('type', '')} {v.get('value', '')}",
        "actor": lambda: " ".join(filter(None, (v.get("type"), v.get("role")))),
        "event": lambda: " ".join(filter(None, (v.get("type"), v.get("date"),
                                                v.get("country")))),
    }[a["kind"]]()
    return f"{a['kind']} {detail} ({a['stage']})"


def facts(annotations: list[dict[str, Any]], target: str = "document") -> dict[str, Any]:
    """The facts of one text, grouped for display: themes, events, actors, dates, places."""
    own = [a for a in annotations if a["target"] == target]
    actors: dict[int, dict[str, Any]] = {}
    for a in own:
        if a["kind"] == "actor":
            entry = actors.setdefault(a["value"]["actor"], {**a["value"], "mentions": 0,
                                                            "stage": a["stage"]})
            entry["mentions"] += 1
    return {
        "themes": [{**a["value"], "stage": a["stage"]} for a in own if a["kind"] == "theme"],
        "events": [{**a["value"], "evidence": a["text"], "start": a["start"], "end": a["end"],
                    "stage": a["stage"]} for a in own if a["kind"] == "event"],
        "actors": list(actors.values()),
        "dates": [{**a["value"], "text": a["text"], "stage": a["stage"]}
                  for a in own if a["kind"] == "date"],
    }
