"""The errors a DR command reports in one line: bad input (exit 2, nothing changed) and a
region that does not answer (exit 1)."""

from __future__ import annotations


class BadInput(Exception):
    """A value the command cannot act on; ``str()`` is one line: field, value, what is allowed."""

    def __init__(self, field: str, value: object, allowed: str) -> None:
        super().__init__(f"{field}={value} is not allowed; allowed: {allowed}")
        self.field = field


class Unreachable(Exception):
    """A region's API did not answer; ``str()`` says which, what is done, and what to run."""


class SwitchNotConfirmed(Exception):
    """The traffic switch's metric was written but its alarm did not confirm the move; ``str()``
    is one line: what was written, what the alarm read, and what to check."""
