"""The one error type a DR command reports as bad input (exit 2, nothing changed)."""

from __future__ import annotations


class BadInput(Exception):
    """A value the command cannot act on; ``str()`` is one line: field, value, what is allowed."""

    def __init__(self, field: str, value: object, allowed: str) -> None:
        super().__init__(f"{field}={value} is not allowed; allowed: {allowed}")
        self.field = field
