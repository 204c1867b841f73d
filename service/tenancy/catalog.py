"""Which tables escape tenant isolation, read from PostgreSQL's catalog.

A table is isolated when row-level security is enabled and forced, it has a policy, and every
expression of every policy is one of ISOLATING_EXPRESSIONS, or the policy is exactly one that
POLICY_EXCEPTIONS lists with its reason (its roles, command and both expressions): a policy
that merely mentions the tenant function, or a second policy that admits other rows, or a
listed one widened to other roles or expressions, does not isolate. Every other table of the
schema must be listed here with the reason it holds no tenant content; a new table that is
neither fails the suite (tests/service/tenancy/test_catalog.py), so tenant data cannot arrive
without a policy.
"""

from __future__ import annotations

import json

# Tables without row-level security, and why that is safe.
PLATFORM_TABLES = {
    "django_migrations": "migration history",
    "django_content_type": "model registry",
    "auth_permission": "Django's permission registry (unused by the API)",
    "auth_group": "Django groups (unused)",
    "auth_group_permissions": "Django groups (unused)",
    "auth_user_groups": "Django groups (unused)",
    "auth_user_user_permissions": "Django permissions (unused)",
    "auth_user": "identity: read to authenticate, before the tenant is known; usernames only",
    "tenancy_organization": "the tenants themselves: names and active flags",
    "tenancy_membership": "identity: member to organization and role, read to authenticate",
    "tenancy_apitoken": "identity: token hashes and dates, read to authenticate",
    "outbox_pendingtask": "task names and ids (no titles); the dispatcher reads across tenants",
}

# What a policy on a tenant table may say, exactly as PostgreSQL deparses it (pg_policies): rows
# of the current organization; or those, and platform rows outside any tenant (tenancy.rls).
ISOLATING_EXPRESSIONS = (
    "(organization_id = pcs_current_organization())",
    "(NOT (organization_id IS DISTINCT FROM pcs_current_organization()))",
)
# Policies that say more, each exactly as pg_policies shows it, with the reason:
# (table, policy) -> (roles, command, USING, WITH CHECK, why).
POLICY_EXCEPTIONS = {
    ("outbox_outboxevent", "publisher"): (
        ["pcs_outbox_publisher"],
        "ALL",
        "true",
        "true",
        "the publisher reads, marks and prunes every tenant's events: only its login is a"
        " member of the role (outbox migration 0005, db_app_role)",
    ),
}

# Forced row-level security, at least one policy, and every policy's expressions isolating.
_UNISOLATED = """
SELECT c.relname
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = %(schema)s AND c.relkind IN ('r', 'p')
  AND NOT (
    c.relrowsecurity AND c.relforcerowsecurity
    AND EXISTS (
      SELECT 1 FROM pg_policies p WHERE p.schemaname = n.nspname AND p.tablename = c.relname
    )
    AND NOT EXISTS (
      SELECT 1 FROM pg_policies p, unnest(ARRAY[p.qual, p.with_check]) AS e(expression)
      WHERE p.schemaname = n.nspname AND p.tablename = c.relname AND e.expression IS NOT NULL
        AND e.expression <> ALL(%(isolating)s)
        AND jsonb_build_array(p.tablename, p.policyname, to_jsonb(p.roles::text[]), p.cmd,
                              p.qual, p.with_check) <> ALL(%(exceptions)s::jsonb[])
    )
  )
ORDER BY 1
"""


def tables_without_isolation(cursor, *, schema: str = "public") -> list[str]:
    """Tables of `schema` not isolated by their policies that PLATFORM_TABLES does not excuse."""
    exceptions = [
        json.dumps([table, policy, *exception[:-1]])
        for (table, policy), exception in POLICY_EXCEPTIONS.items()
    ]
    cursor.execute(
        _UNISOLATED,
        {"schema": schema, "isolating": list(ISOLATING_EXPRESSIONS), "exceptions": exceptions},
    )
    return [name for (name,) in cursor.fetchall() if name not in PLATFORM_TABLES]
