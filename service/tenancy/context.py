"""The row-level-security context: one transaction per alias with the tenant set locally.

Policies on tenant tables compare `organization_id` with the transaction-local setting
`app.current_organization` (see migration tenancy 0002); outside this context it is unset and
tenant tables show no rows and accept no writes.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from uuid import UUID

from django.db import connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from psycopg import Cursor

from pcs.database import client_deadline
from pcs.db_router import READER, WRITER, db_scope

TENANT_SETTING = "app.current_organization"


@contextmanager
def tenant_context(
    *, organization_id: UUID | str, aliases: Sequence[str] = (WRITER, READER)
) -> Iterator[None]:
    """Open a transaction on each alias and bind the tenant to it for its duration."""
    with ExitStack() as stack:
        for alias in aliases:
            if alias not in connections.settings:
                continue
            stack.enter_context(transaction.atomic(using=alias))
            tenant_set(connections[alias], str(organization_id))
        yield


def tenant_set(connection: BaseDatabaseWrapper, organization_id: str) -> None:
    """Bind the tenant in `connection`'s open transaction ("" for platform rows only); BEGIN,
    when not sent yet, and the setting in one round trip (psycopg pipeline mode)."""
    connection.ensure_connection()
    raw = connection.connection
    with connection.wrap_database_errors, client_deadline(connection), raw.pipeline():
        Cursor(raw).execute("SELECT set_config(%s, %s, true)", [TENANT_SETTING, organization_id])


@contextmanager
def tenant_task_context(*, organization_id: UUID | str) -> Iterator[None]:
    """For tasks: everything on the writer (a task acts on data that may be seconds old)."""
    with db_scope(pinned=True), tenant_context(organization_id=organization_id, aliases=(WRITER,)):
        yield
