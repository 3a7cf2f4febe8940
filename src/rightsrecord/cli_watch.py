"""The `rightsrecord watch` commands."""

from __future__ import annotations

import argparse
from collections.abc import Callable

Command = Callable[[str, str, str], argparse.ArgumentParser]


def register(command: Command) -> None:
    """Add the commands to the `rightsrecord` parser (`command(name, help, example)` makes
    a subcommand's parser). A command's function opens the store with `cli.open_target`
    and raises `cli.UsageError` for a value it cannot use."""
