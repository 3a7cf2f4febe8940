"""Provenance for every fact a renderer shows: when (`When`), from where (`Source`), in
which words (`Evidence`)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from .. import sources
from ..store.base import ReportView
from .models import Evidence, LinkReason, Report, Source, When

_PRECISION = {10: 3, 7: 2, 4: 1}
_PLAIN = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")


def is_web(url: str | None) -> bool:
    return bool(url) and urlsplit(url or "").scheme in ("http", "https")


def own_title(title: str | None) -> str | None:
    """A title the source gave, or None (never the string "None")."""
    return title if title and title.strip() and title != "None" else None


def source_name(url: str | None, outlet: str | None = None) -> str:
    """What to call a source: its outlet, its web host, a file's own name or a short label
    for standard input and JSON lines; never a path."""
    if own_title(outlet) and not sources.looks_like_path(outlet or ""):
        return str(outlet).strip()
    web_host = sources.host(url)
    if web_host:
        return web_host[4:] if web_host.startswith("www.") else web_host
    return sources.source_name(url or "")


def make_source(document_id: int, version: int, *, title: str | None, url: str | None,
                kind: str | None = None, published: str | None = None,
                outlet: str | None = None, canonical: str | None = None) -> Source:
    """A cited source; its address is the canonical web address where there is one."""
    web = canonical if is_web(canonical) else url if is_web(url) else None
    return Source(document_id=document_id, version=version, title=own_title(title),
                  name=source_name(web or url, outlet), outlet=own_title(outlet),
                  url=web, kind=kind, published=published)


def _plain(value: str | None) -> str | None:
    return value if value and _PLAIN.match(value) else None


def when(stated: Iterable[tuple[str | None, str | None, str | None]],
         reported: Iterable[str | None]) -> When:
    """When an event happened: the most precise date a text states for it (`stated` holds
    (date, date_source, stage) per report; only `date_source == "text"` counts), else only
    the earliest date it was reported."""
    told = [(d, st) for d, src, st in stated if src == "text" and _plain(d)]
    first = min((r[:10] for r in reported if r and _plain(r[:10])), default=None)
    if told:
        date, stage = max(told, key=lambda t: (_PRECISION.get(len(t[0] or ""), 0), t[0]))
        return When(date=date, reported=first, basis="stated", stage=stage)
    if first:
        return When(date=None, reported=first, basis="reported")
    return When()


def report(r: ReportView, copies: list[dict[str, Any]] | None = None) -> Report:
    """A report of an event, its source, its quoted evidence and why it was linked."""
    item = r.kind == "item"
    source = make_source(r.document_id, r.version,
                         title=None if item else r.title, url=r.url,
                         outlet=r.outlet or _outlet(r.source),
                         canonical=None if item else r.canonical,
                         published=r.date)
    evidence = Evidence(text=r.evidence["text"], start=int(r.evidence["start"]),
                        end=int(r.evidence["end"]), segment_id=r.segment_id,
                        stage=r.stage) if r.evidence else None
    signals = r.signals if isinstance(r.signals, dict) else {}
    reason = LinkReason(linked_by=r.linked_by, score=float(r.score), rule=signals.get("rule"),
                        signals=signals.get("signals") or {}, first=bool(signals.get("new")))
    return Report(segment_id=r.segment_id, kind="item" if item else "document",
                  title=own_title(r.title), source=source, published=r.date,
                  event_type=r.type, when=when([(r.event_date, r.date_source, r.stage)],
                                               [r.date]),
                  evidence=evidence, main=r.main, link=reason,
                  republished=[make_source(c["document_id"], 0, title=c.get("title"),
                                           url=c.get("url"), published=c.get("published"))
                               for c in (copies if copies is not None else r.copies)])


def _outlet(source: str | None) -> str | None:
    """A stored source name that is an outlet (not a path or a bare kind)."""
    if not source or "/" in source or source in ("web", "file", "stdin", "text"):
        return None
    return source


def date_label(w: When) -> str:
    """How a renderer states a `When`."""
    if w.date:
        return w.date
    if w.reported:
        return f"reported on {w.reported}"
    return "undated"
