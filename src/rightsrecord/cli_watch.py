"""The `rightsrecord watch` commands."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from . import cli_args, cli_store
from .store import DEFAULT_DB

Command = Callable[[str, str, str], argparse.ArgumentParser]


@contextmanager
def _checked() -> Iterator[None]:
    """A value the record refuses is a usage error (exit 2); a missing thing is too."""
    from .read.errors import Invalid, NotFound

    try:
        yield
    except (Invalid, NotFound) as exc:
        raise cli_store.UsageError(str(exc).rstrip(".")) from None


def _policy(args: argparse.Namespace) -> Any:
    from .record.webhooks import Policy

    return Policy(max_attempts=args.max_attempts, backoff=args.backoff, cap=args.backoff_cap,
                  timeout=args.timeout)


def _json(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2)


def _filters(w: Any) -> str:
    parts = [f"{name} {value}" for name, value in (
        ("country", w.country), ("theme", w.theme), ("actor", w.actor),
        ("event type", w.event_type), ("text", f"“{w.text}”" if w.text else None)) if value]
    return ", ".join(parts) or "everything new"


def cmd_add(args: argparse.Namespace) -> int:
    from .record import watch

    spec = watch.WatchlistSpec(name=args.name, country=args.country, theme=args.theme,
                               actor=args.actor, event_type=args.event_type, text=args.text,
                               webhook_url=args.webhook)
    with cli_store.open_target(args) as store, _checked():
        new = watch.add(store, spec)
    print(f"watchlist {new.id} added: {new.name} ({_filters(new)})")
    if new.secret:
        print(f"webhook {new.webhook_url}")
        print(f"secret {new.secret}")
        print("(the secret signs every delivery; it is shown this once: keep it)",
              file=sys.stderr)
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from .record import watch

    found = []
    with cli_store.open_target(args) as store:
        cursor = None
        while True:
            page = watch.watchlists(store, 200, cursor, full_url=True)
            found += page.data
            cursor = page.next_cursor
            if not cursor:
                break
    if args.format == "json":
        print(_json([w.model_dump(mode="json") for w in found]))
        return 0
    if not found:
        print("no watchlists")
    for w in found:
        hook = f"; webhook {w.webhook_url}" if w.webhook_url else ""
        print(f"{w.id}\t{w.name}\t{_filters(w)}\t{w.alerts} alerts{hook}; since {w.created_at}")
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    from .record import watch

    with cli_store.open_target(args) as store, _checked():
        watch.remove(store, args.id)
    print(f"watchlist {args.id} removed, with its alerts")
    return 0


def cmd_alerts(args: argparse.Namespace) -> int:
    from .record import watch

    with cli_store.open_target(args) as store, _checked():
        page = watch.alerts(store, args.id, args.limit, args.cursor)
    if args.format == "json":
        print(_json(page.model_dump(mode="json")))
        return 0
    if not page.data:
        print("no alerts")
    for a in page.data:
        event, doc = a.payload.get("event", {}), a.payload.get("document", {})
        where = f"event {a.event_id}" if a.event_id else "event no longer linked"
        delivery = f" [{a.delivery}]" if a.delivery else ""
        print(f"alert {a.id}{delivery}\t{a.created_at}\t{event.get('when_label', '')}\t"
              f"{event.get('title', '')} ({where}; document {doc.get('id')})")
    if page.next_cursor:
        print(f"more: --cursor {page.next_cursor}")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    from .record import watch

    with cli_store.open_target(args) as store:
        policy = _policy(args)
        done = watch.run_until_done(store, policy) if args.wait else watch.run(store, policy)
    d = done.deliveries
    for line in d.errors:
        print(f"not delivered: {line}", file=sys.stderr)
    print(f"{done.alerts} new alerts; {d.delivered} delivered, {d.retrying} to retry, "
          f"{d.failed} failed")
    return 0


def cmd_retry(args: argparse.Namespace) -> int:
    from .record import watch

    with cli_store.open_target(args) as store, _checked():
        d = watch.retry(store, args.id, args.alert, _policy(args))
    for line in d.errors:
        print(f"not delivered: {line}", file=sys.stderr)
    print(f"{d.delivered} delivered, {d.retrying} to retry, {d.failed} failed")
    return 0 if not (d.retrying or d.failed) else 1


def cmd_log(args: argparse.Namespace) -> int:
    from .record import watch

    with cli_store.open_target(args) as store, _checked():
        found = watch.attempts(store, args.id, args.alert)
    if args.format == "json":
        print(_json([a.model_dump(mode="json") for a in found]))
        return 0
    if not found:
        print("no delivery attempts")
    for a in found:
        answer = f"HTTP {a.status_code}" if a.status_code is not None else "no answer"
        why = f": {a.error}" if a.error and a.error != answer else ""
        print(f"alert {a.alert_id}\t{a.attempted_at}\t{answer}{why}\t{a.elapsed_ms} ms")
    return 0


def _db(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", type=cli_args.store_target, default=argparse.SUPPRESS,
                   metavar="PATH|URL",
                   help="the store: a SQLite file or a postgresql:// URL (default: "
                        f"$RIGHTSRECORD_DB or ./{DEFAULT_DB})")


def _delivery_args(p: argparse.ArgumentParser) -> None:
    from .record import webhooks

    p.add_argument("--max-attempts", type=cli_args.bounded_int(1, 100),
                   default=webhooks.MAX_ATTEMPTS,
                   help=f"attempts per delivery before it fails (default {webhooks.MAX_ATTEMPTS})")
    p.add_argument("--backoff", type=cli_args.positive_float, default=webhooks.BACKOFF,
                   metavar="SECONDS", help="the wait after a first failed attempt, doubled "
                   f"after each one after (default {webhooks.BACKOFF:g})")
    p.add_argument("--backoff-cap", type=cli_args.positive_float, default=webhooks.BACKOFF_CAP,
                   metavar="SECONDS", help="the longest wait between attempts (default "
                   f"{webhooks.BACKOFF_CAP:g})")
    p.add_argument("--timeout", type=cli_args.positive_float, default=webhooks.TIMEOUT,
                   metavar="SECONDS", help="to connect, and again to hear the answer "
                   f"(default {webhooks.TIMEOUT:g})")


def register(command: Command) -> None:
    """Add the commands to the `rightsrecord` parser (see `cli_store` for what they share)."""
    p = command("watch", "Watchlists: saved queries that alert (and call a webhook) when "
                "something new matches.",
                'rightsrecord watch add "KZ arrests" --country KZ --event-type arrest\n'
                "         rightsrecord watch run --wait")
    sub = p.add_subparsers(dest="watch", required=True, metavar="ACTION")

    def action(name: str, help_: str, func: Callable[[argparse.Namespace], int]
               ) -> argparse.ArgumentParser:
        a = sub.add_parser(name, help=help_, description=help_)
        _db(a)
        a.set_defaults(func=func)
        return a

    a = action("add", "Save a watchlist; with --webhook, print its secret (this once).",
               cmd_add)
    a.add_argument("name")
    a.add_argument("--country", type=cli_args.country_code, default=None,
                   help="ISO 3166-1 alpha-2, e.g. KZ")
    a.add_argument("--theme", default=None, help="a theme's code")
    a.add_argument("--actor", default=None, metavar="NAME|ID",
                   help="an actor's id or any spelling of its name")
    a.add_argument("--event-type", default=None, help="an event type, e.g. arrest")
    a.add_argument("--text", default=None, metavar="WORDS",
                   help='words the text must hold (words, "phrases", OR, -word)')
    a.add_argument("--webhook", default=None, metavar="URL",
                   help="an http(s) address to POST each alert to, signed")

    a = action("list", "The watchlists.", cmd_list)
    a.add_argument("--format", choices=("text", "json"), default="text")

    a = action("remove", "Delete a watchlist, with its alerts.", cmd_remove)
    a.add_argument("id", type=cli_args.record_id)

    a = action("alerts", "A watchlist's alerts, newest first.", cmd_alerts)
    a.add_argument("id", type=cli_args.record_id)
    a.add_argument("--limit", type=cli_args.limit, default=50)
    a.add_argument("--cursor", default=None, help="the next page, as a previous page gave it")
    a.add_argument("--format", choices=("text", "json"), default="text")

    a = action("run", "One pass: raise the new alerts, then deliver those that are due.",
               cmd_run)
    a.add_argument("--wait", action="store_true",
                   help="keep going, sleeping until the next retry is due, until no delivery "
                        "is pending")
    _delivery_args(a)

    a = action("retry", "Send a watchlist's undelivered alerts again now (a failed one gets "
               "its attempts anew).", cmd_retry)
    a.add_argument("id", type=cli_args.record_id, help="the watchlist's id")
    a.add_argument("--alert", type=cli_args.record_id, default=None,
                   help="only this alert")
    _delivery_args(a)

    a = action("log", "The attempts to deliver a watchlist's alerts.", cmd_log)
    a.add_argument("id", type=cli_args.record_id, help="the watchlist's id")
    a.add_argument("--alert", type=cli_args.record_id, default=None,
                   help="only this alert's")
    a.add_argument("--format", choices=("text", "json"), default="text")
