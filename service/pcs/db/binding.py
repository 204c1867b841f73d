"""The tenant binding: `app.current_organization`, set locally in the transaction of a query.

Row-level security policies compare each row's `organization_id` with it (tenancy.rls). A
binding is an execute wrapper (pcs.db's order: inside the query deadline) that sends the
setting in one pipeline with the transaction's first query, or with every query.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from psycopg import Cursor

from pcs.db.pipeline import tenant_pipeline

TENANT_SETTING = "app.current_organization"


class TenantBinding:
    """An execute wrapper that sends the tenant setting in one pipeline with a query: the
    transaction's first one, or every one (each its own implicit transaction)."""

    def __init__(self, organization_id: str, *, every_query: bool) -> None:
        self.organization_id = organization_id
        self.every_query = every_query
        self.bound = False

    def __call__(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict
    ) -> Any:
        if self.bound:
            return execute(sql, params, many, context)
        self.bound = not self.every_query
        with tenant_pipeline(context["connection"]) as cursor:
            tenant_bind(cursor, self.organization_id)
            return execute(sql, params, many, context)


def tenant_bind(cursor: Cursor, organization_id: str) -> None:
    """Bind the tenant in the cursor's open transaction ("" for platform rows only)."""
    cursor.execute("SELECT set_config(%s, %s, true)", [TENANT_SETTING, organization_id])
