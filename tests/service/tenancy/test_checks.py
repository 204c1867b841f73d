"""The system check that refuses a database role able to bypass row-level security."""

from __future__ import annotations

import pytest

from tenancy.checks import rls_role_check

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "reader"])


@pytest.mark.usefixtures("as_superuser")
def test_a_superuser_role_is_refused(settings) -> None:
    settings.TENANCY_REQUIRE_RLS_ROLE = True
    errors = rls_role_check(databases=["default", "reader"])
    assert [error.id for error in errors] == ["tenancy.E001", "tenancy.E001"]
    assert "'postgres' (default) bypasses row-level security" in errors[0].msg


def test_the_application_role_passes(settings) -> None:
    settings.TENANCY_REQUIRE_RLS_ROLE = True
    assert rls_role_check(databases=["default", "reader"]) == []


@pytest.mark.usefixtures("as_superuser")
def test_the_check_is_off_unless_required(settings) -> None:
    settings.TENANCY_REQUIRE_RLS_ROLE = False
    assert rls_role_check(databases=["default"]) == []
