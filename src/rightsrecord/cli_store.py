"""What every `rightsrecord` command shares, kept apart so that the commands in modules of
their own (`cli_*.py`) need not import `cli`: the store a command opens, and its usage
error."""

from __future__ import annotations

import argparse

from . import cli_args
from .store import SQLStore, db_path, open_store


class UsageError(Exception):
    """A value the command cannot use, found after parsing: one line, exit 2."""


def target(args: argparse.Namespace) -> str:
    """The store to open: --db (checked as it was parsed), else $RIGHTSRECORD_DB, checked
    here, else the default file."""
    where = db_path(args.db)
    if args.db is None:
        try:
            cli_args.store_target(where)
        except argparse.ArgumentTypeError as exc:
            raise UsageError(f"RIGHTSRECORD_DB: {exc}") from None
    return where


def open_target(args: argparse.Namespace) -> SQLStore:
    return open_store(target(args))
