"""What the server cannot enforce itself: a client-side deadline on every query.

`statement_timeout` makes a live server cancel a slow statement, but a frozen server (stopped
process, hung host) cancels nothing, and TCP keepalives do not help because its kernel still
acknowledges them. In the API (gevent) each query therefore also has a deadline on the client:
the statement timeout plus a grace period, after which the connection is closed (the pool drops
it) and `DatabaseStalled` is raised, which the API answers with 503.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import Any

from django.conf import settings
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created
from django.dispatch import receiver

from pcs.green import gevent_active


class DatabaseStalled(OperationalError):
    """The database did not answer within the client-side deadline."""


def client_deadline_seconds() -> float:
    """How long the API waits for any one query before giving up on its connection."""
    return settings.DB_STATEMENT_TIMEOUT_SECONDS + settings.DB_CLIENT_GRACE_SECONDS


def socket_shutdown(raw_connection: Any) -> None:
    """Break a connection whose server does not answer: a read blocked on it returns at once."""
    try:
        descriptor = raw_connection.pgconn.socket
    except Exception:  # already closed: nothing is blocked on it
        return
    with socket.socket(fileno=os.dup(descriptor)) as duplicate, suppress(OSError):
        duplicate.shutdown(socket.SHUT_RDWR)


@contextmanager
def client_deadline(connection: BaseDatabaseWrapper) -> Iterator[None]:
    """Give up on `connection` (closing it) when the block outlasts the client deadline.

    At the deadline the connection's socket is shut down, so whatever waits on it (a query, a
    pipeline's final sync, a ROLLBACK) fails at once instead of waiting for a frozen server;
    the failure is raised as DatabaseStalled and the broken connection is discarded, never
    handed back to the pool. Only under gevent (the API): elsewhere the Celery worker's hard
    time limit bounds a stalled task instead.
    """
    raw = connection.connection
    if not gevent_active() or raw is None:
        yield
        return
    from gevent import get_hub

    seconds = client_deadline_seconds()
    expired = False

    def expire() -> None:
        nonlocal expired
        expired = True
        socket_shutdown(raw)

    timer = get_hub().loop.timer(seconds)
    timer.start(expire)
    try:
        yield
    except Exception:
        if not expired:
            raise
        raw.close()
        connection.close()
        raise DatabaseStalled(f"no answer from the database within {seconds:g}s") from None
    finally:
        timer.close()


def _query_deadline(
    execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]
) -> Any:
    with client_deadline(context["connection"]):
        return execute(sql, params, many, context)


@receiver(connection_created)
def _add_query_deadline(sender: object, connection: BaseDatabaseWrapper, **_: object) -> None:
    """Every connection wrapper of the API gets the deadline on its queries, COMMITs and
    ROLLBACKs (once per wrapper: Django reuses it for every connection of its alias)."""
    if not gevent_active() or _query_deadline in connection.execute_wrappers:
        return
    # First: the outermost wrapper (its deadline covers the others), and never the last, which
    # an `execute_wrapper` block open while the connection was made pops on its exit.
    connection.execute_wrappers.insert(0, _query_deadline)
    for name in ("_commit", "_rollback"):
        end = getattr(connection, name)

        def ended(end: Callable[[], Any] = end) -> Any:
            with client_deadline(connection):
                return end()

        setattr(connection, name, ended)
