"""Errors that carry a message fit to show a user in one line."""


class RejectedInput(Exception):
    """An input that cannot be stored; the message says why, in one line."""


class StoreError(Exception):
    """The store cannot be opened or written."""


class Rejection:
    """An input that was not read: its name as given and why, in one line."""

    __slots__ = ("input", "reason")

    def __init__(self, input: str, reason: str) -> None:  # noqa: A002 - the input's name
        self.input, self.reason = input, reason

    def line(self) -> str:
        return f"rejected {self.input}: {self.reason}"
