"""Errors that carry a message fit to show a user in one line."""


class RejectedInput(Exception):
    """An input that cannot be stored; the message says why, in one line."""


class StoreError(Exception):
    """The store cannot be opened or written."""
