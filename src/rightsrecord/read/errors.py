"""What a read can refuse: no such thing (404) or a request it cannot answer as asked (422)."""


class NotFound(Exception):
    """No such page: a 404."""


class Invalid(Exception):
    """A request that cannot be answered as asked (a bad cursor or filter): a 422."""
