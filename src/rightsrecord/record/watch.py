"""Watchlists: saved queries that say when something new enters the record.

A watchlist holds any of a country, a theme, an actor, an event type and words (matched by
the store's full-text search, as `search` matches them). It matches the reports linked after
its watermark (a report id) of the documents (versions) stored since it was made: what the
record held before it was made never alerts, however often it is linked again. Each match is
an alert, one per watchlist and report (by the report's stable event key), stored with the
JSON it is delivered as; the watermark moves in the transaction that stores the alerts. A
watchlist with a webhook has its alerts delivered by `webhooks` (signed, retried, logged).

The web room and the `rightsrecord watch` commands call these functions and nothing else.
"""

from __future__ import annotations

import json
import logging
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from pydantic import Field

from ..read import services
from ..read.errors import Invalid, NotFound
from ..read.models import Alert, Model, Paged, Watchlist
from ..read.provenance import date_label, report
from ..store.base import ReportView, Store
from . import webhooks

log = logging.getLogger("rightsrecord.watch")

NAME_CHARS = 200
TEXT_CHARS = 500
URL_CHARS = 2000
BATCH = 200  # reports read per transaction of matching


class WatchlistSpec(Model):
    """What a new watchlist watches for; every filter given must match."""

    name: str = Field(min_length=1, max_length=NAME_CHARS, description="What to call it.")
    country: str | None = Field(None, description="ISO 3166-1 alpha-2 code, e.g. KZ: the "
                                "event's or the text's country.")
    theme: str | None = Field(None, description="A theme's code.")
    actor: str | int | None = Field(None, description="An actor's id, or any spelling of its "
                                    "name: the report's target, or an actor its text names.")
    event_type: str | None = Field(None, description="An event type, e.g. arrest.")
    text: str | None = Field(None, max_length=TEXT_CHARS, description="Words the text must "
                             'hold, in the search syntax (words, "phrases", OR, -word).')
    webhook_url: str | None = Field(None, max_length=URL_CHARS, description="An http(s) "
                                    "address to POST each alert to, signed.")


class NewWatchlist(Watchlist):
    """A watchlist just made, with the secret that signs its deliveries: shown this once."""

    secret: str | None = Field(None, description="The key of the HMAC-SHA256 signatures of "
                               "its webhook deliveries; null without a webhook. Never shown "
                               "again.")


class Attempt(Model):
    """One attempt to deliver an alert: its answer's status code, or why there was none."""

    id: int
    alert_id: int
    attempted_at: str
    status_code: int | None = None
    error: str | None = None
    elapsed_ms: int | None = None


# -- watchlists ------------------------------------------------------------------------------


def add(store: Store, spec: WatchlistSpec) -> NewWatchlist:
    """Save a watchlist (its filters checked: a value outside its vocabulary, an unknown
    actor, words that ask for nothing, a webhook that is not http(s) are refused) and make
    the secret of its webhook."""
    name = " ".join(spec.name.split())
    if not name:
        raise Invalid("A watchlist needs a name.")
    country = services.check_filters(country=spec.country or None, theme=spec.theme or None,
                                      event_type=spec.event_type or None)
    actor = _actor(store, spec.actor)
    text = " ".join((spec.text or "").split()) or None
    if text is not None:
        from ..store.query import parse

        if parse(text) is None:
            raise Invalid(f"Text {text[:60]!r} names no word to search for.")
    url = check_webhook(spec.webhook_url) if spec.webhook_url else None
    secret = secrets.token_urlsafe(32) if url else None
    new_id = store.add_watchlist(name, country=country, theme=spec.theme or None, actor=actor,
                                 event_type=spec.event_type or None, text=text,
                                 webhook_url=url, secret=secret)
    return NewWatchlist(**get(store, new_id, full_url=True).model_dump(), secret=secret)


def _actor(store: Store, given: str | int | None) -> int | None:
    if given is None or str(given).strip() == "":
        return None
    found = services.find_actor(store, str(given).strip())
    if found is not None:
        try:
            return services.actor(store, found).id
        except NotFound:
            pass
    raise Invalid(f"No actor {str(given)[:60]!r} in the record: give its id or a spelling "
                  "of its name.")


def check_webhook(url: str) -> str:
    """A webhook's address: http or https, with a host and no credentials."""
    url = url.strip()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise Invalid(f"Webhook {url[:80]!r} is not a valid address.") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Invalid(f"Webhook {url[:80]!r}: an http:// or https:// address is needed.")
    if parts.username is not None or parts.password is not None:
        raise Invalid("Webhook: leave credentials out of the address; each delivery is "
                      "signed with the watchlist's secret.")
    if port == 0 or any(c.isspace() or ord(c) < 32 for c in url):
        raise Invalid(f"Webhook {url[:80]!r} is not a valid address.")
    return url


def shown_url(url: str | None) -> str | None:
    """A webhook as a public list shows it: its origin, the rest (often a key) left out."""
    if not url:
        return None
    parts = urlsplit(url)
    rest = "/…" if parts.path.strip("/") or parts.query else ""
    return f"{parts.scheme}://{parts.netloc}{rest}"


def _watchlist(row: dict[str, Any], full_url: bool) -> Watchlist:
    url = row["webhook_url"]
    return Watchlist(id=int(row["id"]), name=row["name"], country=row["country"],
                     theme=row["theme"], actor=row["actor"], event_type=row["event_type"],
                     text=row["text"], webhook_url=url if full_url else shown_url(url),
                     active=bool(row["active"]), created_at=row["created_at"],
                     alerts=int(row["alerts"]))


def watchlists(store: Store, limit: int = 50, cursor: str | None = None,
               full_url: bool = False) -> Paged[Watchlist]:
    """Every watchlist, oldest first; a webhook shown by its origin unless `full_url`."""
    with services.cursors_checked(cursor):
        page = store.watchlist_rows(limit, cursor)
    return Paged[Watchlist](data=[_watchlist(r, full_url) for r in page.data],
                            next_cursor=page.next_cursor)


def _id(watchlist_id: int | str) -> int:
    wid = services.parse_id(watchlist_id)
    if wid is None:
        raise NotFound(f"No watchlist {str(watchlist_id)[:40]!r}.")
    return wid


def get(store: Store, watchlist_id: int | str, full_url: bool = False) -> Watchlist:
    wid = _id(watchlist_id)
    row = store.watchlist_row(wid)
    if row is None:
        raise NotFound(f"No watchlist {str(watchlist_id)[:40]!r}.")
    return _watchlist(row, full_url)


def remove(store: Store, watchlist_id: int | str) -> None:
    """Delete a watchlist, with its alerts and their deliveries."""
    if not store.remove_watchlist(_id(watchlist_id)):
        raise NotFound(f"No watchlist {str(watchlist_id)[:40]!r}.")


def alerts(store: Store, watchlist_id: int | str, limit: int = 50,
           cursor: str | None = None) -> Paged[Alert]:
    """A watchlist's alerts, newest first. `event_id` is the event the report belongs to
    now (linking again may renumber events); the payload is as it was delivered."""
    wid = get(store, watchlist_id).id
    with services.cursors_checked(cursor):
        page = store.alert_rows(wid, limit, cursor)
    out = []
    for r in page.data:
        out.append(Alert(id=int(r["id"]), watchlist_id=wid, created_at=r["created_at"],
                         event_id=store.cluster_of_key(r["event_key"]),
                         document_id=int(r["document_id"]), payload=json.loads(r["payload"]),
                         delivery=r["delivery"]))
    return Paged[Alert](data=out, next_cursor=page.next_cursor)


def attempts(store: Store, watchlist_id: int | str, alert_id: int | None = None
             ) -> list[Attempt]:
    """The attempts to deliver a watchlist's alerts (or one alert's), oldest first."""
    wid = get(store, watchlist_id).id
    return [Attempt(**r) for r in store.delivery_attempts(wid, alert_id)]


# -- matching --------------------------------------------------------------------------------


def payload(alert_id: int, watchlist: dict[str, Any], rep: ReportView, store: Store,
            created_at: str, key: str | None = None) -> dict[str, Any]:
    """An alert as it is delivered: the watchlist, the event (its date only as a source
    states it, else when it was reported), the document, the quoted evidence."""
    event = services.event(store, rep.cluster_id)
    told = report(rep)
    evidence = told.evidence.model_dump() if told.evidence else None
    return {
        "id": alert_id,
        "watchlist": {"id": int(watchlist["id"]), "name": watchlist["name"]},
        "event": {"id": event.id, "key": key or rep.event_key, "type": rep.type or event.type,
                  "title": event.title, "country": event.country,
                  "when": event.when.model_dump(), "when_label": date_label(event.when),
                  "path": f"/events/{event.id}"},
        "document": {"id": rep.document_id, "version": rep.version,
                     "title": told.title or told.source.title, "source": told.source.name,
                     "url": told.source.url, "published": told.published},
        "evidence": evidence,
        "created_at": created_at,
    }


def match(store: Store, batch: int = BATCH) -> int:
    """Raise the alerts of every watchlist's new matches; how many were raised."""
    made = 0
    cursor = None
    while True:
        page = store.watchlist_rows(200, cursor)
        for row in page.data:
            if row["active"]:
                made += _match_one(store, int(row["id"]), batch)
        cursor = page.next_cursor
        if not cursor:
            return made


def _match_one(store: Store, watchlist_id: int, batch: int) -> int:
    made, more = 0, True
    while more:
        with store.watching():
            row = store.watchlist_row(watchlist_id)
            if row is None:
                return made
            found, upto, more = store.watch_matches(watchlist_id, batch)
            # One alert per text and event: a text's reports of one event (its lead and a
            # target it names, say) are one development. The alert is keyed by the least of
            # their keys, which linking again keeps; it shows the text's main report.
            groups: dict[tuple[int, int], list[ReportView]] = {}
            for rep in found:
                groups.setdefault((rep.document_id, rep.cluster_id), []).append(rep)
            leads = [(min(r.event_key for r in g), max(g, key=lambda r: (r.main, r.evidence
                                                                         is not None)))
                     for g in groups.values()]
            seen = store.alerted(watchlist_id, [key for key, _ in leads])
            for key, rep in leads:
                if key in seen:
                    continue
                seen.add(key)
                created = _now()
                alert_id = store.add_alert(
                    watchlist_id, event_key=key, cluster_id=rep.cluster_id,
                    document_id=rep.document_id, payload="{}", created_at=created,
                    deliver_at=webhooks.stamp() if row["webhook_url"] else None)
                body = payload(alert_id, row, rep, store, created, key)
                store.set_alert_payload(alert_id, json.dumps(body, ensure_ascii=False,
                                                             separators=(",", ":")))
                made += 1
            store.set_watermark(watchlist_id, upto)
    return made


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# -- a pass, and the loop ----------------------------------------------------------------------


@dataclass
class Pass:
    """What `run` did: alerts raised, and the deliveries' tally."""

    alerts: int = 0
    deliveries: webhooks.Tally = field(default_factory=webhooks.Tally)

    def add(self, other: Pass) -> None:
        self.alerts += other.alerts
        d, o = self.deliveries, other.deliveries
        d.delivered += o.delivered
        d.retrying += o.retrying
        d.failed += o.failed
        d.errors += o.errors


def run(store: Store, policy: webhooks.Policy | None = None, deliver: bool = True) -> Pass:
    """One pass: raise the new alerts, then try each delivery that is due."""
    done = Pass(alerts=match(store))
    if deliver:
        done.deliveries = webhooks.deliver_due(store, policy)
    return done


def run_until_done(store: Store, policy: webhooks.Policy | None = None,
                   sleep: Callable[[float], None] = time.sleep) -> Pass:
    """Passes until no delivery is pending, sleeping until the next one is due between
    them (each ends delivered or, after its last attempt, failed)."""
    total = Pass()
    while True:
        total.add(run(store, policy))
        due = webhooks.next_due(store)
        if due is None:
            return total
        wait = (due - datetime.now(UTC)).total_seconds()
        if wait > 0:
            sleep(wait)


def retry(store: Store, watchlist_id: int | str, alert_id: int | None = None,
          policy: webhooks.Policy | None = None) -> webhooks.Tally:
    """Send a watchlist's undelivered alerts (or one of them) again now; a failed one gets
    its attempts anew."""
    wid = get(store, watchlist_id).id
    ids = store.requeue_deliveries(wid, alert_id, webhooks.stamp())
    if alert_id is not None and not ids:
        raise NotFound(f"No undelivered alert {alert_id} of watchlist {wid}.")
    return webhooks.deliver_due(store, policy, alert_ids=ids) if ids else webhooks.Tally()


def loop(db: str, every: float, stop: threading.Event,
         policy: webhooks.Policy | None = None) -> None:
    """Run a pass every `every` seconds until `stop` is set (for `serve --watch`). A pass that
    fails is logged and the next one opens the store anew."""
    from ..store import open_store

    store = None
    while not stop.is_set():
        try:
            if store is None:
                store = open_store(db)
            done = run(store, policy)
            if done.alerts or done.deliveries.attempts:
                log.info("watch: %d new alerts; %d delivered, %d to retry, %d failed",
                         done.alerts, done.deliveries.delivered, done.deliveries.retrying,
                         done.deliveries.failed)
        except Exception:
            log.exception("watch: a pass failed")
            if store is not None:
                try:
                    store.close()
                except Exception:
                    log.debug("watch: closing the store failed", exc_info=True)
                store = None
        stop.wait(every)
    if store is not None:
        store.close()
