"""The system check that refuses a database role able to bypass row-level security."""

from __future__ import annotations

import pytest
from django.db import connection
from tenancy.checks import rls_role_check

pytestmark = pytest.mark.django_db


def test_a_superuser_role_is_refused(settings) -> None:
    settings.TENANCY_REQUIRE_RLS_ROLE = True
    errors = rls_role_check(databases=["default"])
    assert [error.id for error in errors] == ["tenancy.E001"]
    assert "bypasses row-level security" in errors[0].msg


def test_a_plain_role_passes(settings) -> None:
    settings.TENANCY_REQUIRE_RLS_ROLE = True
    with connection.cursor() as cursor:
        cursor.execute("CREATE ROLE pcs_check_app NOSUPERUSER NOBYPASSRLS NOLOGIN")
        cursor.execute("SET ROLE pcs_check_app")
        try:
            assert rls_role_check(databases=["default"]) == []
        finally:
            cursor.execute("RESET ROLE")


def test_the_check_is_off_unless_required(settings) -> None:
    settings.TENANCY_REQUIRE_RLS_ROLE = False
    assert rls_role_check(databases=["default"]) == []
