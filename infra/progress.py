"""Named steps that say what they are doing and how long each took."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager


class Steps:
    """Announces each step through ``progress`` as it starts and when it ends, with its
    duration, and keeps ``(name, seconds)`` for a summary."""

    def __init__(self, progress: Callable[[str], None]) -> None:
        self._progress = progress
        self._timings: list[tuple[str, float]] = []

    @contextmanager
    def __call__(self, name: str, doing: str) -> Iterator[None]:
        self._progress(doing)
        started = time.monotonic()
        yield
        seconds = time.monotonic() - started
        self._timings.append((name, seconds))
        self._progress(f"{name}: {seconds:.1f} s")

    @property
    def timings(self) -> tuple[tuple[str, float], ...]:
        return tuple(self._timings)
