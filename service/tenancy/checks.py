"""System check: the application's database role must not be able to bypass row-level security:
neither superuser nor BYPASSRLS (tenancy.E001), nor owner of a table under it, directly or
through a role it may become (tenancy.E002), nor, on any alias but the outbox publisher's, a
member of the role the outbox's policy admits to every tenant's events (tenancy.E003).

Database checks run with `migrate` and with `manage.py check --database default --database
reader`. Production requires it in every process but the migrate task's (`DB_ROLE=owner`), which
connects as the tables' owner to migrate and provision the app role (`db_app_role`).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register
from django.db import connections

from outbox.models import PUBLISHER_ROLE
from pcs.db.router import PUBLISHER

# A table under row-level security whose owner the role is, or may become (SET ROLE): an
# owner may disable or drop the policies (FORCE binds only its queries, not its DDL).
_OWNED_TENANT_TABLE = """
SELECT c.relname, pg_get_userbyid(c.relowner)
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relrowsecurity AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND pg_has_role(current_user, c.relowner, 'MEMBER')
ORDER BY 1 LIMIT 1
"""
# Membership (direct or inherited) in the outbox publisher's role; none where it does not exist.
_PUBLISHER_MEMBER = (
    "SELECT pg_has_role(current_user, oid, 'MEMBER') FROM pg_roles WHERE rolname = %s"
)


@register(Tags.database)
def rls_role_check(
    app_configs: object = None, databases: Iterable[str] | None = None, **kwargs: object
) -> list[CheckMessage]:
    """tenancy.E001 for each alias whose role is a superuser or has BYPASSRLS; tenancy.E002 for
    each whose role owns, or may become the owner of, a table under row-level security;
    tenancy.E003 for each but the publisher's whose role is a member of the publisher's role."""
    if not settings.TENANCY_REQUIRE_RLS_ROLE:
        return []
    errors: list[CheckMessage] = []
    for alias in databases or ():
        with connections[alias].cursor() as cursor:
            cursor.execute(
                "SELECT current_user, rolsuper, rolbypassrls FROM pg_roles"
                " WHERE rolname = current_user"
            )
            role, superuser, bypass = cursor.fetchone()
            cursor.execute(_OWNED_TENANT_TABLE)
            owned = cursor.fetchone()
            cursor.execute(_PUBLISHER_MEMBER, [PUBLISHER_ROLE])
            publisher = (cursor.fetchone() or (False,))[0]
        if superuser or bypass:
            errors.append(
                Error(
                    f"database role {role!r} ({alias}) bypasses row-level security",
                    hint="Connect as a role that is neither superuser nor BYPASSRLS.",
                    id="tenancy.E001",
                )
            )
        if owned is not None:
            table, owner = owned
            errors.append(
                Error(
                    f"database role {role!r} ({alias}) owns or can become the owner ({owner!r})"
                    f" of table {table!r} under row-level security",
                    hint="Connect as a role that owns no table and is a member of no owner.",
                    id="tenancy.E002",
                )
            )
        if publisher and alias != PUBLISHER and not (superuser or bypass):
            errors.append(
                Error(
                    f"database role {role!r} ({alias}) is a member of {PUBLISHER_ROLE!r}: it"
                    " reads every tenant's outbox events",
                    hint="Only the outbox publisher's login may be a member (db_app_role).",
                    id="tenancy.E003",
                )
            )
    return errors
