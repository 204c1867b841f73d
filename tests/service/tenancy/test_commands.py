"""`manage.py tenant_create`, used by the local run and the benchmark."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from tenancy.selectors import membership_for_token

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "reader"])


def create(organization: str, username: str) -> str:
    """Run the command; its stdout."""
    out = io.StringIO()
    call_command("tenant_create", organization=organization, username=username, stdout=out)
    return out.getvalue().strip()


def test_the_printed_token_authenticates_the_member() -> None:
    token = create("acme", "alice")
    membership = membership_for_token(raw_token=token)
    assert membership.username == "alice"
    assert membership.organization.name == "acme"


def test_running_it_again_reuses_the_member_and_issues_a_new_token() -> None:
    first, second = create("acme", "alice"), create("acme", "alice")
    assert first != second
    assert membership_for_token(raw_token=first) == membership_for_token(raw_token=second)


def test_the_same_name_in_another_organization_is_another_member() -> None:
    acme, globex = create("acme", "alice"), create("globex", "alice")
    members = [membership_for_token(raw_token=token) for token in (acme, globex)]
    assert [(m.organization.name, m.username) for m in members] == [
        ("acme", "alice"),
        ("globex", "alice"),
    ]
    assert members[0].user != members[1].user
