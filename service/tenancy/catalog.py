"""Which tables escape tenant isolation, read from PostgreSQL's catalog.

A table is isolated when row-level security is enabled and forced and a policy compares rows
with `pcs_current_organization()`. Every other table of the schema must be listed here with the
reason it holds no tenant content; a new table that is neither fails the suite
(tests/service/tenancy/test_catalog.py), so tenant data cannot arrive without a policy.
"""

from __future__ import annotations

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

_UNISOLATED = """
SELECT c.relname
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = %s AND c.relkind IN ('r', 'p')
  AND NOT (
    c.relrowsecurity AND c.relforcerowsecurity AND EXISTS (
      SELECT 1 FROM pg_policies p
      WHERE p.schemaname = n.nspname AND p.tablename = c.relname
        AND concat(p.qual, ' ', p.with_check) LIKE '%%pcs_current_organization()%%'
    )
  )
ORDER BY 1
"""


def tables_without_isolation(cursor, *, schema: str = "public") -> list[str]:
    """Tables of `schema` with no forced tenant policy that PLATFORM_TABLES does not excuse."""
    cursor.execute(_UNISOLATED, [schema])
    return [name for (name,) in cursor.fetchall() if name not in PLATFORM_TABLES]
