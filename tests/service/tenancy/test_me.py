"""`GET /api/v1/me/`: who the credential stands for, so the portal shows each role its pages;
and the words the portal shows for a bad invitation."""

from __future__ import annotations

import pytest

from tenancy.models import Role
from tenancy.services import api_token_issue, member_create
from tests.service.conftest import bearer, tenant_make

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "reader"])

ME = "/api/v1/me/"


@pytest.mark.parametrize("role", list(Role))
def test_each_role_reads_its_person_organization_and_role(role) -> None:
    tenant = tenant_make("acme", role=role)
    response = tenant.client().get(ME)
    assert response.status_code == 200
    assert response.json() == {
        "id": tenant.membership.pk,
        "username": "acme-member",
        "role": role.value,
        "organization": {"id": str(tenant.organization.pk), "name": "acme"},
    }


def test_a_colleague_reads_their_own_identity_not_the_first_members() -> None:
    tenant = tenant_make("acme", role=Role.ADMIN)
    colleague = member_create(
        organization=tenant.organization, username="colleague", role=Role.AUDITOR
    )
    body = bearer(api_token_issue(membership=colleague).raw).get(ME).json()
    assert (body["id"], body["username"], body["role"]) == (colleague.pk, "colleague", "auditor")


def test_without_a_credential_the_answer_is_401() -> None:
    assert bearer("pcs_not-a-token").get(ME).status_code == 401


def test_an_invitation_with_a_bad_username_says_what_is_allowed() -> None:
    admin = tenant_make("acme", role=Role.ADMIN)
    response = admin.client().post(
        "/api/v1/members/", {"username": "not a name", "role": "member"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "username": ["use letters, digits and . @ + - _ only (no spaces)"]
    }
