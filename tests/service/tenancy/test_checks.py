"""The system check that refuses a database role able to bypass row-level security."""

from __future__ import annotations

from contextlib import contextmanager

import pytest

from tenancy.checks import rls_role_check
from tests.service.conftest import APP_ROLE, SUPERUSER

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "reader"])


@pytest.mark.usefixtures("as_superuser")
def test_a_superuser_role_is_refused(settings) -> None:
    settings.TENANCY_REQUIRE_RLS_ROLE = True
    errors = rls_role_check(databases=["default", "reader"])
    assert [error.id for error in errors] == ["tenancy.E001", "tenancy.E002"] * 2
    assert "'postgres' (default) bypasses row-level security" in errors[0].msg


def test_the_application_role_passes(settings) -> None:
    settings.TENANCY_REQUIRE_RLS_ROLE = True
    assert rls_role_check(databases=["default", "reader"]) == []


@pytest.mark.usefixtures("as_superuser")
def test_the_check_is_off_unless_required(settings) -> None:
    settings.TENANCY_REQUIRE_RLS_ROLE = False
    assert rls_role_check(databases=["default"]) == []


@pytest.fixture
def superuser_sql():
    """Run statements as the superuser, on a connection of its own; undone by the test."""
    import psycopg
    from django.db import connections

    name = connections["default"].settings_dict["NAME"]
    with psycopg.connect(f"host=127.0.0.1 user={SUPERUSER} dbname={name}", autocommit=True) as c:
        yield c.execute


@contextmanager
def app_role_member_of(superuser_sql, role: str):
    """The application role is a member of ``role`` for the block, and no longer after it."""
    superuser_sql(f"GRANT {role} TO {APP_ROLE}")
    try:
        yield
    finally:
        superuser_sql(f"REVOKE {role} FROM {APP_ROLE}")


def test_a_role_that_owns_a_tenant_table_is_refused(settings, superuser_sql) -> None:
    settings.TENANCY_REQUIRE_RLS_ROLE = True
    superuser_sql("CREATE TABLE owned_probe (organization_id uuid)")
    superuser_sql("ALTER TABLE owned_probe ENABLE ROW LEVEL SECURITY")
    superuser_sql(f"ALTER TABLE owned_probe OWNER TO {APP_ROLE}")
    try:
        errors = rls_role_check(databases=["default"])
    finally:
        superuser_sql("DROP TABLE owned_probe")
    assert [(error.id, error.msg) for error in errors] == [
        (
            "tenancy.E002",
            f"database role {APP_ROLE!r} (default) owns or can become the owner"
            f" ({APP_ROLE!r}) of table 'owned_probe' under row-level security",
        )
    ]


def test_a_role_that_can_become_the_tables_owner_is_refused(settings, superuser_sql) -> None:
    settings.TENANCY_REQUIRE_RLS_ROLE = True
    with app_role_member_of(superuser_sql, SUPERUSER):
        errors = rls_role_check(databases=["default"])
    assert [error.id for error in errors] == ["tenancy.E002"]
    assert f"can become the owner ({SUPERUSER!r}) of table" in errors[0].msg


def test_an_app_role_that_is_a_member_of_the_outbox_publishers_role_is_refused(
    settings, superuser_sql
) -> None:
    settings.TENANCY_REQUIRE_RLS_ROLE = True
    with app_role_member_of(superuser_sql, "pcs_outbox_publisher"):
        errors = rls_role_check(databases=["default"])
    assert [(error.id, error.msg) for error in errors] == [
        (
            "tenancy.E003",
            f"database role {APP_ROLE!r} (default) is a member of 'pcs_outbox_publisher': it"
            " reads every tenant's outbox events",
        )
    ]


@pytest.mark.django_db(transaction=True, databases=["default", "reader", "publisher"])
def test_the_publishers_own_login_passes_on_its_alias(settings) -> None:
    settings.TENANCY_REQUIRE_RLS_ROLE = True
    assert rls_role_check(databases=["default", "reader", "publisher"]) == []
