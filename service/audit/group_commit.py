"""Group commit: concurrent callers' records stored by one transaction, each caller waiting for it.

Under gevent many requests of one process wait on the database at once. Each read records its
audit event before it is answered; instead of a writer transaction per request (BEGIN, the
tenant, two INSERTs, COMMIT: five round trips), the caller that finds no batch being written
writes everything queued so far in one transaction, and callers arriving meanwhile queue behind
it; the next one to get the lock writes their batch. Nobody returns before their own record is
committed (or raises the error that kept it out), so the guarantee is the one a transaction per
request gives; a lone caller (tests, tasks, commands, a quiet process) writes a batch of one.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from typing import Generic, TypeVar

from django.db import OperationalError

T = TypeVar("T")


class NotStored(OperationalError):
    """The batch holding this caller's record failed (the writer's own error is logged by it)."""


class _Entry(Generic[T]):
    __slots__ = ("done", "error", "item")

    def __init__(self, item: T) -> None:
        self.item = item
        self.done = False
        self.error: BaseException | None = None


class GroupCommit(Generic[T]):
    """Store items through `store_batch(items)`, batching callers that overlap.

    A batch that fails with an error `alone_retryable` admits (one item the database refuses:
    bad data, not a database that is down) is stored again one item at a time, so that an item
    that cannot be stored fails only its own caller: the records of concurrent requests of
    every tenant share a batch, and one tenant's bad record must not cost another's.
    """

    def __init__(
        self,
        store_batch: Callable[[list[T]], None],
        *,
        alone_retryable: Callable[[BaseException], bool] = lambda exc: False,
    ) -> None:
        self._store_batch = store_batch
        self._alone_retryable = alone_retryable
        self._queue: deque[_Entry[T]] = deque()
        self._lock = threading.Lock()  # gevent's when patched: waiting parks the greenlet

    def submit(self, item: T) -> None:
        """Return once `item` is stored; raise if it could not be."""
        entry = _Entry(item)
        self._queue.append(entry)
        with self._lock:
            if not entry.done:
                self._write_queued()
        if entry.error is not None:
            raise entry.error

    def _write_queued(self) -> None:
        batch: list[_Entry[T]] = []
        while self._queue:  # popleft is atomic: callers may append meanwhile
            batch.append(self._queue.popleft())
        try:
            self._store_batch([entry.item for entry in batch])
        except BaseException as exc:
            if len(batch) > 1 and self._alone_retryable(exc):
                for entry in batch:
                    self._write_alone(entry)
                return
            # The writer gets the error itself; each other caller gets NotStored.
            for entry in batch:
                entry.error = NotStored(f"audit batch not stored: {type(exc).__name__}")
            raise
        finally:
            for entry in batch:
                entry.done = True

    def _write_alone(self, entry: _Entry[T]) -> None:
        try:
            self._store_batch([entry.item])
        except Exception as exc:  # this caller's own error, whoever wrote it
            entry.error = exc
