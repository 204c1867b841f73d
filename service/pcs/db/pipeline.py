"""Statements sent in one round trip: psycopg's pipeline mode on a Django connection."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db.backends.base.base import BaseDatabaseWrapper
from psycopg import Cursor

from pcs.db.deadline import client_deadline


@contextmanager
def tenant_pipeline(connection: BaseDatabaseWrapper) -> Iterator[Cursor]:
    """A cursor whose statements (and BEGIN, when not sent yet) travel in one round trip, sent
    when the block ends, within the client deadline; errors come out as Django's."""
    connection.ensure_connection()
    raw = connection.connection
    with connection.wrap_database_errors, client_deadline(connection), raw.pipeline():
        yield Cursor(raw)
