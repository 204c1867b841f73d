"""Reads go to the reader endpoint, writes to the writer; after a write, reads stay on the writer.

The "pinned" flag lives in a context variable scoped to one request (or one task), so a request
that wrote reads its own writes despite replica lag, and the next request starts unpinned.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import connections
from django.http import HttpRequest, HttpResponse

WRITER = "default"
READER = "reader"
# The outbox publisher's login (the writer, as a member of outbox.models.PUBLISHER_ROLE): only
# the processes that publish have it; outbox.services uses it explicitly, the router never.
PUBLISHER = "publisher"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

_pinned: ContextVar[bool] = ContextVar("pcs_db_pinned_to_writer", default=False)


def writer_pinned() -> bool:
    """True when reads in the current context must go to the writer."""
    return _pinned.get()


@contextmanager
def db_scope(*, pinned: bool) -> Iterator[None]:
    """A fresh routing scope (one request or one task); restored on exit."""
    token = _pinned.set(pinned)
    try:
        yield
    finally:
        _pinned.reset(token)


class ReplicaRouter:
    """Route reads to READER unless this scope has written or asked for the writer."""

    def db_for_read(self, model: type, **hints: object) -> str:
        """The reader, unless pinned or the reader alias is not configured."""
        if _pinned.get() or READER not in connections.settings:
            return WRITER
        return READER

    def db_for_write(self, model: type, **hints: object) -> str:
        """Always the writer; later reads in this scope follow it."""
        _pinned.set(True)
        return WRITER

    def allow_relation(self, obj1: object, obj2: object, **hints: object) -> bool:
        """Both aliases are the same cluster, so relations across them are fine."""
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: object) -> bool:
        """Migrations run on the writer only."""
        return db == WRITER


class ReadYourWritesMiddleware:
    """Unsafe methods start pinned to the writer; safe ones pin only once they write."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        """Handle the request in its own routing scope."""
        with db_scope(pinned=request.method not in SAFE_METHODS):
            return self.get_response(request)
