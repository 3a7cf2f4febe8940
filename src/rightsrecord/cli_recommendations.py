"""The `rightsrecord recommendations` commands."""

from __future__ import annotations

import argparse
from collections.abc import Callable

Command = Callable[[str, str, str], argparse.ArgumentParser]


def register(command: Command) -> None:
    """Add the commands to the `rightsrecord` parser (`command(name, help, example)` makes
    a subcommand's parser). A command's function opens the store with
    `cli_store.open_target(args)` and raises `cli_store.UsageError` for a value it cannot
    use (`cli_store`, never `cli`: the parts of the package import no cycle)."""
