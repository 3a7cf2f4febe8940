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
    return doc


def search_context(store: SQLiteStore, query: str) -> dict[str, Any]:
    hits = store.search(query) if query.strip() else []
    for hit in hits:
        hit["href"] = urls.document(hit["document_id"])
    return {"title": f"Search: {query}" if query else "Search", "query": query, "hits": hits,
            "json_href": urls.search(query, "json")}


def highlight(text: str, annotations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The text cut into plain and annotated segments (overlaps: the earlier span wins)."""
    segments: list[dict[str, Any]] = []
    at = 0
    for a in sorted(annotations, key=lambda a: (a["start"], -a["end"])):
        start, end = a["start"], min(a["end"], len(text))
        if start < at or start >= end:
            continue
        if start > at:
            segments.append({"text": text[at:start]})
        segments.append({"text": text[start:end], "kind": a["kind"], "stage": a["stage"],
                         "value": a["value"]})
        at = end
    if at < len(text):
        segments.append({"text": text[at:]})
    return segments
