"""System check: the application's database role must not be able to bypass row-level security.

Database checks run with `migrate` and with `manage.py check --database default --database
reader`. Production requires it in every process but the migrate task's (`DB_ROLE=owner`), which
connects as the tables' owner to migrate and provision the app role (`db_app_role`).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register
from django.db import connections


@register(Tags.database)
def rls_role_check(
    app_configs: object = None, databases: Iterable[str] | None = None, **kwargs: object
) -> list[CheckMessage]:
    """tenancy.E001 for each alias whose role is a superuser or has BYPASSRLS."""
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
        if superuser or bypass:
            errors.append(
                Error(
                    f"database role {role!r} ({alias}) bypasses row-level security",
                    hint="Connect as a role that is neither superuser nor BYPASSRLS.",
                    id="tenancy.E001",
                )
            )
    return errors
