"""The `rightsrecord recommendations` commands."""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

from . import cli_args, cli_store

Command = Callable[[str, str, str], argparse.ArgumentParser]


def register(command: Command) -> None:
    """Add the commands to the `rightsrecord` parser (see `cli_store` for what they share)."""
    p = command("recommendations", "UN recommendations (UPR, treaty bodies): read them in, "
                "and list a country's, each followed by the events that came after it.",
                "rightsrecord recommendations ingest upr.csv && "
                "rightsrecord recommendations list KZ")
    what = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    i = what.add_parser(
        "ingest",
        help="Read recommendation files (UPR Info's fields, CSV or JSON Lines) into the store.",
        description="Read recommendation files in the fields of UPR Info's export "
                    "(state_under_review, recommending_state, text, response, "
                    "action_category, session, themes; optional cycle, date or year, body) "
                    "into the store. Each recommendation is stored once; a line that cannot "
                    "be read is rejected with its reason (exit 1) and the rest are read on.",
        epilog="example: rightsrecord recommendations ingest kz_upr.jsonl --format jsonl")
    i.add_argument("files", nargs="+", metavar="FILE")
    i.add_argument("--format", choices=("csv", "jsonl"), default=None,
                   help="how to read the files (default: by extension: .csv, .jsonl)")
    _db(i)
    i.set_defaults(func=cmd_ingest)
    s = what.add_parser(
        "list", help="A country's recommendations, each with the later events of its themes.",
        description="A country's recommendations, the latest first, each with what followed: "
                    "the events of its themes that a source dates after it.",
        epilog="example: rightsrecord recommendations list KZ --format json")
    s.add_argument("code", type=cli_args.country_code, help="ISO 3166-1 alpha-2 code, e.g. KZ")
    s.add_argument("--format", choices=("text", "json"), default="text")
    _db(s)
    s.set_defaults(func=cmd_list)


def _db(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", type=cli_args.store_target, default=argparse.SUPPRESS,
                   metavar="PATH|URL", help="the store: a SQLite file or a postgresql:// URL")


def cmd_ingest(args: argparse.Namespace) -> int:
    from .record import recommendation_files, recommendations

    for name in args.files:
        path = Path(name)
        if not path.is_file():
            raise cli_store.UsageError(f"{name}: no such file")
        try:
            recommendation_files.file_format(path, args.format)
        except ValueError as exc:
            raise cli_store.UsageError(str(exc)) from None
    with cli_store.open_target(args) as store:
        report = recommendations.ingest(store, list(args.files), args.format)
    many = len(args.files) > 1
    for name, r in report.rejected:
        print(f"{name + ': ' if many else ''}rejected LINE {r.line}: {r.reason}",
              file=sys.stderr)
    print(f"stored {report.stored}, unchanged {report.unchanged}, "
          f"rejected {len(report.rejected)}")
    return 1 if report.rejected else 0


def cmd_list(args: argparse.Namespace) -> int:
    from .places import country_name
    from .read.errors import Invalid
    from .record import recommendations

    with cli_store.open_target(args) as store:
        try:
            found = recommendations.for_country(store, args.code)
        except Invalid as exc:
            raise cli_store.UsageError(str(exc).rstrip(".")) from None
    if args.format == "json":
        print(json.dumps([r.model_dump(mode="json") for r in found], ensure_ascii=False,
                         indent=2))
        return 0
    name = country_name(args.code) or args.code
    if not found:
        print(f"{name} ({args.code}): no recommendations in the record.")
        return 0
    print(f"{name} ({args.code}): {len(found)} recommendation{'s' * (len(found) != 1)}\n")
    for r in found:
        by = country_name(r.recommending_state) if r.recommending_state else None
        first_day = " (its session's first day)" if r.date_basis == "session" else ""
        made = (r.body + (f" session {r.session}" if r.session else "")
                + (f", {r.date}{first_day}" if r.date else "") + (f", by {by}" if by else ""))
        print(f"[{r.response or 'no response'}] {made}")
        print(textwrap.indent(textwrap.fill(r.text, 84), "  "))
        if r.themes:
            print(f"  themes: {', '.join(r.themes)}"
                  + ("" if r.theme_basis == "given" else f" (read by {r.theme_basis})"))
        print(f"  {r.followed_by}")
        for e in r.later_events:
            print(f"    {e.date}  {e.type or 'event'}: {e.title}  {e.href}")
        print()
    return 0
