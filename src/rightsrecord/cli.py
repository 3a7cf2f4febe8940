"""The `rightsrecord` command: thin commands over the library."""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from . import __version__, cli_args
from .cli_store import UsageError, open_target, target
from .errors import StoreError
from .store import DEFAULT_DB, db_path, open_store, passwords, redact

_target = target
_store = open_target


@contextmanager
def _cursor_checked(cursor: str | None) -> Iterator[None]:
    """A --cursor the store did not make (of any shape or depth) is a usage error."""
    from .read.errors import Invalid
    from .read.services import cursors_checked

    try:
        with cursors_checked(cursor):
            yield
    except Invalid:
        raise UsageError("--cursor: not a cursor this store made") from None


def _options(args: argparse.Namespace) -> Any:
    from .ingest.pipeline import Options

    options = Options()
    for name in ("timeout", "max_bytes", "allow_hosts"):
        value = getattr(args, name, None)
        if value is not None:
            setattr(options, name, frozenset(value) if name == "allow_hosts" else value)
    return options


def cmd_ingest(args: argparse.Namespace) -> int:
    from .extract.pipeline import Pipeline
    from .ingest.pipeline import read
    from .process import Tally, process
    from .progress import echo, progress, shown

    tally = Tally()
    with _store(args) as store:
        inputs = read(args.targets, _options(args), args.input_format)
        outcomes = process(inputs, store, Pipeline(), args.batch_size)
        total = _inputs_total(args) if shown() else None
        for outcome in progress(outcomes, total, "ingest", "input"):
            tally.add(outcome)
            if args.format == "jsonl":
                echo(outcome.json())
            else:
                echo(outcome.line(), sys.stderr if outcome.status == "rejected" else None)
    if args.format != "jsonl":
        print(tally.line())
    return 1 if tally.rejected else 0


def _inputs_total(args: argparse.Namespace) -> int | None:
    """How many inputs an ingest reads, where that is known before reading them: a file,
    a folder's file or a URL is one input each; JSONL lines and standard input are not
    counted."""
    if args.input_format != "document" or "-" in args.targets:
        return None
    from .ingest.walk import expand

    return sum(1 for _ in expand(args.targets))


def cmd_demo(args: argparse.Namespace) -> int:
    from .demo import corpus_files
    from .ingest.pipeline import read
    from .process import Tally, process

    tally = Tally()
    with _store(args) as store:
        for outcome in process(read(corpus_files()), store):
            tally.add(outcome)
            if outcome.status == "rejected":
                print(outcome.line(), file=sys.stderr)
        counts = store.counts()
        from .record.recommendations import load_demo

        recommended = load_demo(store)
    print(f"demo corpus: {tally.line()}; the store holds {counts.documents} documents, "
          f"{counts.items} items, {counts.summaries} summaries; UN recommendations: "
          f"{recommended.stored} stored, {recommended.unchanged} unchanged")
    return 1 if tally.rejected else 0


def cmd_annotate(args: argparse.Namespace) -> int:
    from .annotate import annotate

    with _store(args) as store:
        done = annotate(store, stale_only=args.stale, batch_size=args.batch_size,
                        progress=not args.quiet)
    print(f"{done.versions} versions re-annotated"
          f" ({done.failed} failed), {done.linked} linked; stages now {','.join(done.stage_ids)}")
    return 1 if done.failed else 0


def _json(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2, default=str)


def _read(args: argparse.Namespace, make: Any) -> Any:
    """A read service's result, or None after saying what was not found (exit 2). A bad
    filter or cursor is a usage error."""
    from .read.errors import Invalid, NotFound

    with _store(args) as store:
        try:
            return make(store)
        except NotFound as exc:
            message = str(exc).rstrip(".")
            print(f"error: {message[:1].lower()}{message[1:]}", file=sys.stderr)
            return None
        except Invalid as exc:
            if str(exc).startswith("Bad cursor"):
                raise UsageError("--cursor: not a cursor this store made") from None
            raise UsageError(str(exc).rstrip(".")) from None


def _model_json(model: Any) -> str:
    return _json(model.model_dump(mode="json"))


def _cite(source: Any) -> str:
    """A source as a citation line: its title, outlet or name, date and public address."""
    parts = [source.title or source.name]
    if source.title and source.name != source.title:
        parts.append(source.name)
    if source.published:
        parts.append(source.published)
    if source.url:
        parts.append(f"<{source.url}>")
    return ", ".join(parts) + f" [document {source.document_id}]"


def cmd_show_country(args: argparse.Namespace) -> int:
    from .read.models import CountryFilters
    from .read.provenance import date_label
    from .record.country import country as record_country

    filters = CountryFilters(theme=args.theme, year=args.year, event_type=args.type)
    rec = _read(args, lambda store: record_country(store, args.code, filters=filters,
                                                   limit=args.limit, cursor=args.cursor))
    if rec is None:
        from .places import country_name

        name = country_name(args.code.upper())
        if name is None:
            print(f"error: unknown country code {args.code!r} (use ISO 3166-1 alpha-2, "
                  "e.g. KZ)", file=sys.stderr)
            return 2
        print(f"{name} ({args.code.upper()})\n\nNothing stored about this country yet.")
        return 0
    if args.format == "json":
        print(_model_json(rec))
        return 0
    if args.format == "markdown":
        from .record.drafts import to_markdown

        print(to_markdown(rec.name, rec.code, rec.draft_summary), end="")
        return 0
    print(f"{rec.name} ({rec.code})\n")
    notes: list[str] = []

    def cite(source: Any) -> str:
        notes.append(_cite(source))
        return f"[{len(notes)}]"

    for block in rec.summaries.data:
        print(f"[{block.year or 'undated'}] {cite(block.source)}")
        print(textwrap.fill(block.text, 88), end="\n\n")
    for draft in rec.draft_summary:
        print(f"[{draft.year}, a draft made by {draft.stage} from the record: check it against "
              "its sources]")
        text = " ".join(f"{s.text} " + "".join(cite(c.source) for c in s.sources)
                        for s in draft.sentences)
        print(textwrap.fill(text, 88), end="\n\n")
    for item in rec.feed.data:
        line = f"• {item.published or 'undated'}  {item.title or ''}".rstrip()
        print(f"{line} {cite(item.source)}")
        if item.event is not None:
            ev = item.event
            print(f"    event {ev.id}: {(ev.type or 'development').replace('-', ' ')}, "
                  f"{date_label(ev.when)}; {ev.sources} source"
                  f"{'' if ev.sources == 1 else 's'}")
        if item.teaser:
            print(textwrap.indent(textwrap.fill(item.teaser, 84), "    "))
    if not rec.summaries.data and not rec.feed.data:
        print("Nothing stored about this country" + (" with these filters." if any(
            (args.theme, args.year, args.type)) else " yet."))
    _print_trends(rec)
    _print_recommendations(rec)
    if notes:
        print("\nSources")
        for i, note in enumerate(notes, 1):
            print(f"[{i}] {note}")
    if rec.feed.next_cursor:
        print(f"\nmore: --cursor {rec.feed.next_cursor}")
    return 0


def _print_trends(rec: Any) -> None:
    rows = [t for t in rec.trends if t.theme is None and t.event_type is None]
    if not rows:
        return
    print("\nEvents per year (distinct events a source dates; documents held that year)")
    for t in rows:
        rate = f"{t.rate:.1f} per 100 documents" if t.rate is not None else "no documents"
        print(f"  {t.year}  {t.events:>4} events  {t.documents:>5} documents  {rate}"
              + (f"  {t.direction}" if t.direction else ""))


def _print_recommendations(rec: Any) -> None:
    from .places import country_name

    if not rec.recommendations:
        return
    print("\nUN recommendations, and the events of their themes that came after")
    for r in rec.recommendations:
        who = f"{r.body}, recommended by {country_name(r.recommending_state) or '?'}" \
            if r.recommending_state else r.body
        print(textwrap.fill(f"• {r.text} ({who})", 88, subsequent_indent="  "))
        print(textwrap.fill(r.followed_by, 88, initial_indent="  ", subsequent_indent="  "))
        for e in r.later_events[:5]:
            print(f"    {e.date}  {e.title} (event {e.event_id})")


def cmd_show_document(args: argparse.Namespace) -> int:
    from .read import services

    doc = _read(args, lambda store: services.document(store, args.id, args.version))
    if doc is None:
        return 2
    if args.format == "json":
        print(_json(_read(args, lambda store: services.document_record(store, args.id,
                                                                       args.version))))
        return 0
    print(f"{doc.title}\n{_cite(doc.source)}\n"
          f"document {doc.id}, version {doc.version} of {len(doc.versions)}, "
          f"{doc.source.kind}, published {doc.source.published or 'unknown'}, "
          f"country {doc.country or 'unknown'}")
    if doc.notes:  # what a reading limit or the stages' budget left out
        print("read in part:")
        for note in doc.notes:
            print(f"  - {note}")
    for ev in doc.record["events"]:
        stated = ev["date"] if ev.get("date_source") == "text" else None
        print(f"• {ev['type']} {stated or ''} {ev['country'] or ''}: "
              f"{' '.join(ev['evidence']['text'].split())[:160]}")
    return 0


def cmd_show_event(args: argparse.Namespace) -> int:
    from .read import services
    from .read.provenance import date_label

    ev = _read(args, lambda store: services.event(store, args.id))
    if ev is None:
        return 2
    if args.format == "json":
        print(_model_json(ev))
        return 0
    print(f"{ev.title}\nevent {ev.id}: {(ev.type or 'development').replace('-', ' ')}, "
          f"{date_label(ev.when)}, {ev.country or 'no country'}; "
          f"{ev.sources} source{'' if ev.sources == 1 else 's'}")
    for t in ev.targets:
        print(f"against: {t.name} (actor {t.id})")
    for r in ev.report_list:
        print(f"• {_cite(r.source)}")
        if r.evidence:
            print(textwrap.indent(textwrap.fill(f"“{r.evidence.text}”", 84), "    "))
        why = r.link.rule or ("first report" if r.link.first else "")
        print(f"    linked by {r.link.linked_by}{': ' + why if why else ''}, "
              f"score {r.link.score:.2f}")
        for c in r.republished:
            print(f"    also published at {_cite(c)}")
    return 0


def _actor(args: argparse.Namespace) -> Any:
    """The actor named by `args.actor` (an id, any spelling, or a person's surname), or None
    after saying there is no such actor."""
    from .read import services

    def make(store: Any) -> Any:
        found = services.find_actor(store, args.actor)
        if found is None:
            from .read.errors import NotFound

            raise NotFound(f"no actor {args.actor!r} in the store")
        return services.actor(store, found)

    return _read(args, make)


def cmd_show_actor(args: argparse.Namespace) -> int:
    actor = _actor(args)
    if actor is None:
        return 2
    if args.format == "json":
        print(_model_json(actor))
        return 0
    print(f"{actor.name} ({actor.type}, actor {actor.id})")
    print(f"also written: {', '.join(actor.aliases)}")
    roles = ", ".join(f"{k} {v}" for k, v in actor.roles.items()) or "none recorded"
    n = len(actor.documents)
    print(f"roles in events: {roles}; in {n} document{'' if n == 1 else 's'}")
    for d in actor.documents:
        print(f"• {d.published or 'undated'}  {d.title}  (document {d.id})")
    return 0


def cmd_show_case(args: argparse.Namespace) -> int:
    from .read.provenance import date_label

    actor = _actor(args)
    if actor is None:
        return 2
    if args.format == "json":
        print(_json({"actor": {"id": actor.id, "name": actor.name},
                     "case": [s.model_dump(mode="json") for s in actor.case]}))
        return 0
    n = len(actor.case)
    print(f"The case of {actor.name} (actor {actor.id}): {n} step{'' if n == 1 else 's'}")
    if not actor.case:
        print("No event names them as its target.")
    for st in actor.case:
        print(f"• {date_label(st.when):<10}  {st.step}  (event {st.event_id})")
        for r in st.reports:
            print(f"    {_cite(r.source)}")
    return 0


def cmd_link(args: argparse.Namespace) -> int:
    from .link import incremental

    with _store(args) as store:
        if args.action == "all":
            n = incremental.relink(store, show_progress=True)
            print(f"linked {n} documents again; corrections kept")
            return 0
        if args.action == "split":
            if len(args.ids) != 1:
                print("error: link split takes one report key (as `show event` prints it)",
                      file=sys.stderr)
                return 2
            try:
                new = incremental.split(store, args.ids[0], args.note)
            except KeyError:
                print(f"error: no report {args.ids[0]!r} in the store", file=sys.stderr)
                return 2
            print(f"report {args.ids[0]} is now event {new}, kept apart from its old event")
            return 0
        if len(args.ids) != 2:
            print("error: link merge takes two event ids", file=sys.stderr)
            return 2
        try:
            a, b = (cli_args.record_id(i) for i in args.ids)
        except argparse.ArgumentTypeError as exc:
            print(f"error: link merge takes two event ids: {exc}", file=sys.stderr)
            return 2
        try:
            kept = incremental.merge(store, a, b, args.note)
        except KeyError as exc:
            print(f"error: no event {exc.args[0]} in the store", file=sys.stderr)
            return 2
        except ValueError as exc:  # an event merged into itself
            print(f"error: {exc}", file=sys.stderr)
            return 2
        print(f"event {args.ids[1]} merged into event {kept}, for good")
        return 0


def cmd_search(args: argparse.Namespace) -> int:
    from .read import services
    from .read.models import SearchQuery

    query = SearchQuery(q=args.query, country=args.country, theme=args.theme,
                        event_type=args.type, year=args.year, date_from=args.date_from,
                        date_to=args.date_to, sort=args.sort)
    found = _read(args, lambda store: services.search(store, query, limit=args.limit,
                                                      cursor=args.cursor))
    if found is None:
        return 2
    if args.format == "json":
        print(_model_json(found))
        return 0
    if not found.hits.data:
        print("no matches")
    for hit in found.hits.data:
        print(f"{hit.published or '----------'}  {hit.kind:<8} {hit.title or ''}")
        print(f"    {_cite(hit.source)}")
        print(f"    {hit.snippet}")
    if found.hits.next_cursor:
        print(f"\nmore: --cursor {found.hits.next_cursor}")
    return 0


def cmd_extract(args: argparse.Namespace) -> int:
    from .extract.pipeline import Pipeline, PipelineError
    from .extract.run import run

    try:
        pipeline = Pipeline(args.stages.split(",")) if args.stages else Pipeline()
    except PipelineError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    written, failed = run(args.inputs or ["-"], args.input_format, sys.stdout, sys.stderr,
                          _options(args), pipeline, pretty=args.format == "json")
    if args.summary:
        print(f"{written} extracted, {failed} failed", file=sys.stderr)
    return 1 if failed else 0


def cmd_cluster(args: argparse.Namespace) -> int:
    from .link.run import run

    written, failed = run(args.inputs or ["-"], args.input_format, sys.stdout, sys.stderr,
                          _options(args))
    if args.summary:
        print(f"{written} clustered, {failed} failed", file=sys.stderr)
    return 1 if failed else 0


def cmd_eval(args: argparse.Namespace) -> int:
    from .evaluation.report import run_all

    return run_all(args.shared, only=args.only, as_json=args.json, check=args.check)


def cmd_serve(args: argparse.Namespace) -> int:
    from .web.server import serve

    target = _target(args)
    open_store(target).close()  # fail early, with a clean message, if the store is unusable
    if args.watch is None:
        serve(target, host=args.host, port=args.port)
        return 0
    import threading

    from .record.watch import loop

    stop = threading.Event()
    watcher = threading.Thread(target=loop, args=(target, args.watch, stop), daemon=True,
                               name="watchlists")
    watcher.start()
    try:
        serve(target, host=args.host, port=args.port)
    finally:
        stop.set()
        watcher.join(30)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """A country's events, a filtered list of events or a search's hits as CSV, JSON Lines or
    HURIDOCS records (JSON Lines): the web exports' rows, written a row at a time."""
    from .progress import progress
    from .read import rows, services
    from .read.errors import Invalid, NotFound
    from .read.models import SearchQuery

    pages = rows.pages_under(args.base_url or "")
    with _store(args) as store:
        try:
            if args.what == "search":
                query = SearchQuery(q=args.query, country=args.country, theme=args.theme,
                                    event_type=args.type, actor=args.actor, year=args.year,
                                    date_from=args.date_from, date_to=args.date_to,
                                    sort=args.sort)
                items, fields, unit = rows.hit_rows(store, query, pages), rows.HIT_FIELDS, "hit"
            else:
                country = services.known_country(store, args.code) if args.what == "country" \
                    else args.country
                filters = {"country": country} if args.what == "country" else {
                    "country": country, "event_type": args.type, "year": args.year,
                    "theme": args.theme}
                make = rows.huridocs_records if args.format == "huridocs" else rows.event_rows
                items, fields, unit = make(store, pages, **filters), rows.EVENT_FIELDS, "event"
            items = rows.primed(items)
        except NotFound as exc:
            message = str(exc).rstrip(".")
            print(f"error: {message[:1].lower()}{message[1:]}", file=sys.stderr)
            return 2
        except Invalid as exc:
            raise UsageError(str(exc).rstrip(".")) from None
        counted = iter(progress(items, desc="export", unit=unit))
        lines = rows.csv_lines(counted, fields) if args.format == "csv" \
            else rows.json_lines(counted)
        n = _write_lines(lines, args.output) - (args.format == "csv")  # less the header
    if args.output:
        print(f"{n} {unit}{'' if n == 1 else 's'} written to {args.output}", file=sys.stderr)
    return 0


def _write_lines(lines: Iterator[str], output: str | None) -> int:
    """Write the lines (UTF-8) to `output`, whole or not at all (a partial file is removed),
    or to standard output as they come; return how many were written."""
    import os

    n = 0
    if not output:
        stream = sys.stdout
        for line in lines:
            stream.write(line)
            n += 1
        stream.flush()
        return n
    part = f"{output}.part"
    try:
        with open(part, "w", encoding="utf-8", newline="") as fh:
            for line in lines:
                fh.write(line)
                n += 1
        os.replace(part, output)
    finally:
        if os.path.exists(part):
            os.remove(part)
    return n


def reading_args(p: argparse.ArgumentParser) -> None:
    """The reading options `extract` and `cluster` share."""
    p.add_argument("--input-format", choices=("document", "jsonl"), default="document",
                   help="document: read each input as a document (default); jsonl: each line "
                        "is {id, text|html, title?, url?, published?}")
    p.add_argument("--max-bytes", type=cli_args.max_bytes, default=None)
    p.add_argument("--allow-host", dest="allow_hosts", action="append", metavar="HOST",
                   help="fetch from this intranet host although it is private (repeatable)")
    p.add_argument("--summary", action="store_true", help="print counts to standard error")


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", type=cli_args.store_target, default=argparse.SUPPRESS,
                        metavar="PATH|URL",
                        help="the store: a SQLite file or a postgresql:// URL (default: "
                             f"$RIGHTSRECORD_DB or ./{DEFAULT_DB})")
    parser = argparse.ArgumentParser(
        prog="rightsrecord", parents=[common],
        description="Country human-rights records rebuilt from the documents, every fact cited.",
        epilog="example: rightsrecord ingest page.html feed.xml && rightsrecord show country KZ",
    )
    parser.add_argument("--version", action="version", version=f"rightsrecord {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, help_: str, example: str) -> argparse.ArgumentParser:
        return sub.add_parser(name, parents=[common], help=help_, description=help_,
                              epilog=f"example: {example}",
                              formatter_class=argparse.RawDescriptionHelpFormatter)

    p = command("ingest", "Read files, folders and URLs into the store.",
                "rightsrecord ingest ../shared/seeds/ https://example.org/feed.xml")
    p.add_argument("targets", nargs="+", metavar="PATH|URL")
    p.add_argument("--max-bytes", type=cli_args.max_bytes, default=None,
                   help="reject inputs larger than this (default: $RIGHTSRECORD_MAX_BYTES "
                        "or 20 MB)")
    p.add_argument("--timeout", type=cli_args.positive_float, default=20.0,
                   help="seconds per URL, the whole fetch (default 20)")
    p.add_argument("--allow-host", dest="allow_hosts", action="append", metavar="HOST",
                   help="fetch from this intranet host although it is private (repeatable; "
                        "also $RIGHTSRECORD_ALLOW_HOSTS, comma-separated)")
    p.add_argument("--format", choices=("text", "jsonl"), default="text",
                   help="text: one line per input (default); jsonl: {input, status, "
                        "document_id, version} or {input, status, reason} per input")
    p.add_argument("--input-format", choices=("document", "jsonl"), default="document",
                   help="document: each input is a document (default); jsonl: each line is "
                        "{id, text|html, title?, url?, published?}")
    p.add_argument("--batch-size", type=cli_args.batch_size, default=32,
                   help="documents run through the stages together (default 32)")
    p.set_defaults(func=cmd_ingest)

    p = command("annotate", "Re-run the stages over stored documents, without fetching them.",
                "rightsrecord annotate --stale")
    p.add_argument("--stale", action="store_true",
                   help="only versions whose facts were made by other stage versions")
    p.add_argument("--batch-size", type=cli_args.batch_size, default=32)
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_annotate)

    p = command("demo", "Load the bundled demo corpus into the store.", "rightsrecord demo")
    p.set_defaults(func=cmd_demo)

    p = command("show", "Show a stored record.", "rightsrecord show country KZ --format json")
    what = p.add_subparsers(dest="what", required=True, metavar="WHAT")
    c = what.add_parser("country", parents=[common],
                        help="A country page: summaries, then the dated feed, newest first.",
                        description="A country page: summaries, then the dated feed, newest "
                                    "first.",
                        epilog="example: rightsrecord show country KZ --format json")
    c.add_argument("code", type=cli_args.country_code, help="ISO 3166-1 alpha-2 code, e.g. KZ")
    c.add_argument("--format", choices=("text", "json", "markdown"), default="text",
                   help="text (default), json (as /api/v1/countries/CODE), or markdown: the "
                        "drafted yearly summaries with their sources as footnotes")
    c.add_argument("--limit", type=cli_args.limit, default=50,
                   help="feed entries per page (default 50)")
    c.add_argument("--cursor", default=None, help="the next page, as a previous page gave it")
    c.add_argument("--theme", default=None, help="only entries of this theme, e.g. "
                   "freedom-of-the-press")
    c.add_argument("--year", type=int, default=None, help="only entries of this year")
    c.add_argument("--type", default=None, help="only entries whose event is of this type, "
                   "e.g. arrest")
    c.set_defaults(func=cmd_show_country)
    d = what.add_parser("document", parents=[common],
                        help="A stored document's record: every fact with its span and stage.",
                        description="A stored document's record: every fact with its span and "
                                    "stage.",
                        epilog="example: rightsrecord show document 12 --format json")
    d.add_argument("id", type=cli_args.record_id, help="the document's id")
    d.add_argument("--version", type=cli_args.record_id, default=None,
                   help="an older version (default: the current one)")
    d.add_argument("--format", choices=("text", "json"), default="text")
    d.set_defaults(func=cmd_show_document)

    for name, func, helptext, arg, example in (
            ("event", cmd_show_event, "One event: every text that reports it, with evidence.",
             "id", "rightsrecord show event 9"),
            ("actor", cmd_show_actor, "A person or organisation across documents.", "actor",
             "rightsrecord show actor Nazarbayev"),
            ("case", cmd_show_case, "A case dossier: the events naming an actor as target, "
             "oldest first, with sources.", "actor", "rightsrecord show case Shamsiddin")):
        e = what.add_parser(name, parents=[common], help=helptext, description=helptext,
                            epilog=f"example: {example}")
        if arg == "id":
            e.add_argument("id", type=cli_args.record_id, help="the event's id")
        else:
            e.add_argument("actor", metavar="ID|NAME", help="the actor's id or any spelling "
                                                            "of its name")
        e.add_argument("--format", choices=("text", "json"), default="text")
        e.set_defaults(func=func)

    p = command("link", "Link events across documents again, or correct a link by hand.",
                "rightsrecord link all\n         rightsrecord link split 12:arrest:40\n"
                "         rightsrecord link merge 9 14")
    p.add_argument("action", choices=("all", "split", "merge"),
                   help="all: forget automatic links and link every document again "
                        "(corrections are kept); split KEY: take a report out of its event; "
                        "merge A B: join event B into event A")
    p.add_argument("ids", nargs="*", metavar="KEY|ID")
    p.add_argument("--note", default=None, help="why (kept with the correction)")
    p.set_defaults(func=cmd_link)

    p = command("search", "Full-text search over documents and listing items.",
                'rightsrecord search "appeals court"')
    p.add_argument("query")
    p.add_argument("--limit", type=cli_args.limit, default=20)
    p.add_argument("--cursor", default=None, help="the next page, as a previous page gave it")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--country", default=None, help="only hits about this country, e.g. KZ")
    p.add_argument("--theme", default=None, help="only hits of this theme")
    p.add_argument("--type", default=None, help="only hits whose event is of this type")
    p.add_argument("--year", type=int, default=None, help="only hits of this year")
    p.add_argument("--from", dest="date_from", default=None, help="from this date (YYYY-MM-DD)")
    p.add_argument("--to", dest="date_to", default=None, help="to this date (YYYY-MM-DD)")
    p.add_argument("--sort", choices=("relevance", "newest", "oldest"), default="relevance")
    p.set_defaults(func=cmd_search)

    p = command("extract", "Extract dates, places, themes, actors and events as JSON lines.",
                "rightsrecord extract report.html --format jsonl\n"
                "         rightsrecord extract --input-format jsonl docs.jsonl > facts.jsonl\n"
                "         echo 'Police in Almaty detained 5 activists on Monday.' | "
                "rightsrecord extract -")
    p.add_argument("inputs", nargs="*", metavar="PATH|URL|-",
                   help="files, folders, URLs, or - for standard input (the default)")
    p.add_argument("--format", choices=("jsonl", "json"), default="jsonl",
                   help="jsonl: one line per document (default); json: indented")
    reading_args(p)
    p.add_argument("--stages", default=None,
                   help="comma-separated stages to run (default: all, in order: "
                        "sentences,dates,places,themes,actors,events)")
    p.set_defaults(func=cmd_extract)

    p = command("cluster", "Group documents that report the same event: one {id, cluster} "
                "line each.",
                "rightsrecord cluster --input-format jsonl --format jsonl docs.jsonl")
    p.add_argument("inputs", nargs="*", metavar="PATH|URL|-",
                   help="files, folders, URLs, or - for standard input (the default)")
    p.add_argument("--format", choices=("jsonl",), default="jsonl",
                   help="jsonl: one line per document, in input order (default)")
    reading_args(p)
    p.set_defaults(func=cmd_cluster)

    p = command("eval", "Measure the extraction engine on the evaluation sets in ../shared/eval.",
                "rightsrecord eval --shared ../shared")
    p.add_argument("--shared", default=None, help="the shared folder (default: ../shared)")
    p.add_argument("--only", default=None,
                   help="comma-separated parts: themes,dates,events,countries,throughput")
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    p.add_argument("--check", action="store_true",
                   help="exit 1 when a figure is under its floor (evaluation/floors.json)")
    p.set_defaults(func=cmd_eval)

    p = command("export", "Export events or search hits as CSV, JSON Lines or HURIDOCS "
                "records, a row at a time.",
                "rightsrecord export country KZ --format csv -o kz.csv\n"
                "         rightsrecord export events --country KZ --year 2014 --format jsonl\n"
                '         rightsrecord export search "appeals court" --format csv')
    which = p.add_subparsers(dest="what", required=True, metavar="WHAT")
    for name, helptext in (
            ("country", "A country's events, newest first."),
            ("events", "Events, filtered by country, type, year and theme."),
            ("search", "A search's hits.")):
        e = which.add_parser(name, parents=[common], help=helptext, description=helptext)
        if name == "country":
            e.add_argument("code", type=cli_args.country_code,
                           help="ISO 3166-1 alpha-2 code, e.g. KZ")
        if name == "search":
            e.add_argument("query", help='words, "phrases", OR and NOT')
        if name != "country":
            e.add_argument("--country", type=cli_args.country_code, default=None,
                           help="only this country's, e.g. KZ")
            e.add_argument("--type", default=None, help="only events of this type")
            e.add_argument("--year", type=cli_args.year, default=None,
                           help="only what happened (as a source states) in this year")
            e.add_argument("--theme", default=None, help="only this theme's")
        if name == "search":
            e.add_argument("--actor", type=cli_args.record_id, default=None,
                           help="only hits naming this actor (its id)")
            e.add_argument("--from", dest="date_from", default=None,
                           help="from this date (YYYY-MM-DD)")
            e.add_argument("--to", dest="date_to", default=None, help="to this date")
            e.add_argument("--sort", choices=("relevance", "newest", "oldest"),
                           default="relevance")
        formats = ("csv", "jsonl") if name == "search" else ("csv", "jsonl", "huridocs")
        e.add_argument("--format", choices=formats, default="csv",
                       help="csv (default), jsonl: one JSON object a line"
                            + ("" if name == "search" else
                               ", huridocs: one HURIDOCS event record a line"))
        e.add_argument("-o", "--output", type=cli_args.output_file, default=None,
                       metavar="FILE", help="write to FILE (default: standard output)")
        e.add_argument("--base-url", type=cli_args.base_url, default=None, metavar="URL",
                       help="the site whose pages rows link to, e.g. https://example.org "
                            "(default: the pages' paths, e.g. /events/12)")
        e.set_defaults(func=cmd_export)

    from . import cli_recommendations, cli_watch

    cli_recommendations.register(command)
    cli_watch.register(command)

    p = command("serve", "Serve the web UI.", "rightsrecord serve --port 8000")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=cli_args.port, default=8000)
    p.add_argument("--watch", type=cli_args.positive_float, default=None, metavar="SECONDS",
                   help="also run the watchlists every SECONDS: match new developments and "
                        "deliver their webhooks (as `rightsrecord watch run` does)")
    p.set_defaults(func=cmd_serve)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if not hasattr(args, "db"):
        args.db = None
    try:
        return int(args.func(args))
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:
        from .extract.pipeline import PipelineError

        if isinstance(exc, PipelineError):  # a bad stage list or budget setting
            print(f"error: {exc}", file=sys.stderr)
            return 2
        if not _is_store_error(exc):
            raise
        print(f"error: {_store_message(exc, db_path(args.db))}", file=sys.stderr)
        return 1


def _driver_errors() -> tuple[type[Exception], ...]:
    """The database drivers' errors; only a driver already loaded can have raised one."""
    modules = (sys.modules.get(name) for name in ("sqlite3", "psycopg"))
    return tuple(m.Error for m in modules if m is not None)


def _is_store_error(exc: Exception) -> bool:
    """Whether the store could not be opened, read or written."""
    return isinstance(exc, (StoreError, *_driver_errors()))


def _store_message(exc: Exception, target: str) -> str:
    """The error as one line, with no password of `target`'s in it. The store's own errors
    name the store; a driver's error is put after the store's name."""
    text = str(exc) if isinstance(exc, StoreError) \
        else f"{target}: the store failed ({type(exc).__name__}: {exc})"
    for secret in passwords(target):
        text = text.replace(secret, "***")
    return " ".join(redact(text).split()) or type(exc).__name__


if __name__ == "__main__":
    sys.exit(main())
