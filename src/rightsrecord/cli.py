"""The `rightsrecord` command: thin commands over the library."""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from collections.abc import Sequence
from typing import Any

from . import __version__
from .errors import StoreError
from .store import DEFAULT_DB, SQLiteStore, open_store


def _store(args: argparse.Namespace) -> SQLiteStore:
    return open_store(args.db)


def cmd_ingest(args: argparse.Namespace) -> int:
    from .ingest.pipeline import Options, ingest

    options = Options(timeout=args.timeout)
    if args.max_bytes is not None:
        options.max_bytes = args.max_bytes

    def report(outcome: Any) -> None:
        stream = sys.stderr if outcome.status == "rejected" else sys.stdout
        print(outcome.line(), file=stream, flush=True)

    with _store(args) as store:
        tally = ingest(store, args.targets, options, report)
    print(tally.line())
    return 1 if tally.rejected else 0


def cmd_demo(args: argparse.Namespace) -> int:
    from .demo import corpus_files
    from .ingest.pipeline import ingest

    with _store(args) as store:
        tally = ingest(store, corpus_files(),
                       report=lambda o: print(o.line(), file=sys.stderr) if o.status ==
                       "rejected" else None)
        counts = store.counts()
    print(f"demo corpus: {tally.line()}; the store holds {counts['documents']} documents, "
          f"{counts['items']} items, {counts['summaries']} summaries")
    return 1 if tally.rejected else 0


def cmd_show_country(args: argparse.Namespace) -> int:
    with _store(args) as store:
        page = store.country(args.code)
    if page is None:
        print(f"error: unknown country code {args.code!r} (use ISO 3166-1 alpha-2, e.g. KZ)",
              file=sys.stderr)
        return 2
    if args.format == "json":
        print(json.dumps(page, ensure_ascii=False, indent=2))
        return 0
    print(f"{page['name']} ({page['code']})\n")
    for block in page["summaries"]:
        print(f"[{block['year'] or 'undated'}]")
        print(textwrap.fill(block["text"], 88), end="\n\n")
    for item in page["items"]:
        print(f"• {item['date'] or 'undated'}  {item['title'] or ''}".rstrip())
        if item["text"]:
            print(textwrap.indent(textwrap.fill(item["text"], 84), "    "))
    if not page["summaries"] and not page["items"]:
        print("Nothing stored about this country yet.")
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    with _store(args) as store:
        hits = store.search(args.query, limit=args.limit)
    if args.format == "json":
        print(json.dumps(hits, ensure_ascii=False, indent=2))
        return 0
    if not hits:
        print("no matches")
    for hit in hits:
        print(f"{hit['date'] or '----------'}  {hit['kind']:<8} {hit['title'] or ''}  "
              f"<{hit['url']}>")
        print(f"    {hit['snippet']}")
    return 0


def cmd_extract(args: argparse.Namespace) -> int:
    from .extract.pipeline import Pipeline, PipelineError
    from .extract.run import run
    from .ingest.pipeline import Options

    try:
        pipeline = Pipeline(args.stages.split(",")) if args.stages else Pipeline()
    except PipelineError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    options = Options()
    if args.max_bytes is not None:
        options.max_bytes = args.max_bytes
    written, failed = run(args.inputs or ["-"], args.input_format, sys.stdout, sys.stderr,
                          options, pipeline, pretty=args.format == "json")
    if args.summary:
        print(f"{written} extracted, {failed} failed", file=sys.stderr)
    return 1 if failed else 0


def cmd_eval(args: argparse.Namespace) -> int:
    from .evaluation.report import run_all

    return run_all(args.shared, only=args.only, as_json=args.json, check=args.check)


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from .web.app import create_app

    open_store(args.db).close()  # fail early, with a clean message, if the store is unusable
    uvicorn.run(create_app(args.db), host=args.host, port=args.port, log_level="warning")
    return 0


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", default=argparse.SUPPRESS, metavar="PATH",
                        help=f"the store (default: $RIGHTSRECORD_DB or ./{DEFAULT_DB})")
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
    p.add_argument("--max-bytes", type=int, default=None,
                   help="reject inputs larger than this (default: $RIGHTSRECORD_MAX_BYTES "
                        "or 20 MB)")
    p.add_argument("--timeout", type=float, default=20.0, help="seconds per URL (default 20)")
    p.set_defaults(func=cmd_ingest)

    p = command("demo", "Load the bundled demo corpus into the store.", "rightsrecord demo")
    p.set_defaults(func=cmd_demo)

    p = command("show", "Show a stored record.", "rightsrecord show country KZ --format json")
    what = p.add_subparsers(dest="what", required=True, metavar="WHAT")
    c = what.add_parser("country", parents=[common],
                        help="A country page: summaries, then the dated feed, newest first.",
                        description="A country page: summaries, then the dated feed, newest "
                                    "first.",
                        epilog="example: rightsrecord show country KZ --format json")
    c.add_argument("code", help="ISO 3166-1 alpha-2 code, e.g. KZ")
    c.add_argument("--format", choices=("text", "json"), default="text")
    c.set_defaults(func=cmd_show_country)

    p = command("search", "Full-text search over documents and listing items.",
                'rightsrecord search "appeals court"')
    p.add_argument("query")
    p.add_argument("--limit", type=int, default=20)
    p.add_argument("--format", choices=("text", "json"), default="text")
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
    p.add_argument("--input-format", choices=("document", "jsonl"), default="document",
                   help="document: read each input as a document (default); jsonl: each line "
                        "is {id, text|html, title?, url?, published?}")
    p.add_argument("--stages", default=None,
                   help="comma-separated stages to run (default: all, in order: "
                        "sentences,dates,places,themes,actors,events)")
    p.add_argument("--max-bytes", type=int, default=None)
    p.add_argument("--summary", action="store_true", help="print counts to standard error")
    p.set_defaults(func=cmd_extract)

    p = command("eval", "Measure the extraction engine on the evaluation sets in ../shared/eval.",
                "rightsrecord eval --shared ../shared")
    p.add_argument("--shared", default=None, help="the shared folder (default: ../shared)")
    p.add_argument("--only", default=None,
                   help="comma-separated parts: themes,dates,events,countries,throughput")
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    p.add_argument("--check", action="store_true",
                   help="exit 1 when a figure is under its floor (evaluation/floors.json)")
    p.set_defaults(func=cmd_eval)

    p = command("serve", "Serve the web UI.", "rightsrecord serve --port 8000")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.set_defaults(func=cmd_serve)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if not hasattr(args, "db"):
        args.db = None
    try:
        return int(args.func(args))
    except StoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
