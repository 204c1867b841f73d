"""The one error the cost model raises for bad input: a one-line message naming the entry."""

from __future__ import annotations


class CostInputError(ValueError):
    """A malformed price file, usage file or CLI option; ``str()`` is one line naming the entry."""
