"""The row-level-security context: the tenant set locally in the transaction of each query.

Policies on tenant tables compare `organization_id` with the transaction-local setting
`app.current_organization` (see migration tenancy 0002); outside these contexts it is unset and
tenant tables show no rows and accept no writes. Writes and tasks run in one transaction per
alias (`tenant_context`); a request's reads, each query in its own (`tenant_reads`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from contextvars import ContextVar
from uuid import UUID

from django.db import connections, transaction

from pcs.db.binding import TenantBinding
from pcs.db.router import READER, WRITER, db_scope

# The organization the enclosing context binds (None outside any): a context opened inside
# another is for the same organization or refused, since a transaction-local setting made by an
# inner block would outlive it for the rest of the outer transaction.
_bound: ContextVar[str | None] = ContextVar("pcs_tenant_bound", default=None)


class TenantContextConflict(RuntimeError):
    """A tenant context was opened inside one bound to another organization."""


@contextmanager
def _bound_to(organization_id: str) -> Iterator[None]:
    outer = _bound.get()
    if outer is not None and outer != organization_id:
        raise TenantContextConflict(
            f"a tenant context for another organization ({organization_id}) cannot open"
            f" inside one for {outer}"
        )
    token = _bound.set(organization_id)
    try:
        yield
    finally:
        _bound.reset(token)


@contextmanager
def tenant_context(
    *, organization_id: UUID | str, aliases: Sequence[str] = (WRITER, READER)
) -> Iterator[None]:
    """Open a transaction on each alias and bind the tenant to it for its duration.

    The binding travels with the alias's first query (BEGIN, the setting and that query in one
    round trip); an alias the block never queries costs no round trip at all. Inside another
    context, only for the same organization (else TenantContextConflict, before any query).
    """
    with ExitStack() as stack:
        stack.enter_context(_bound_to(str(organization_id)))
        for alias in aliases:
            if alias not in connections.settings:
                continue
            stack.enter_context(transaction.atomic(using=alias))
            binding = TenantBinding(str(organization_id), every_query=False)
            stack.enter_context(connections[alias].execute_wrapper(binding))
        yield


@contextmanager
def tenant_reads(*, organization_id: UUID | str, alias: str = READER) -> Iterator[None]:
    """Bind the tenant to each query on `alias` by itself, with no transaction around them.

    For reads (a safe method on the reader): each query and the setting travel in one pipeline,
    whose implicit transaction the Sync at its end closes, so a read is one round trip with no
    BEGIN or COMMIT; each query sees its own snapshot.
    """
    binding = TenantBinding(str(organization_id), every_query=True)
    with _bound_to(str(organization_id)), connections[alias].execute_wrapper(binding):
        yield


@contextmanager
def tenant_task_context(*, organization_id: UUID | str) -> Iterator[None]:
    """For tasks: everything on the writer (a task acts on data that may be seconds old)."""
    with db_scope(pinned=True), tenant_context(organization_id=organization_id, aliases=(WRITER,)):
        yield
