"""Authorization per endpoint by role: admin, member, auditor (read-only, audit log included)."""

from __future__ import annotations

import json

import pytest
from rest_framework.test import APIClient

from audit.models import AuditEvent
from tenancy.context import tenant_context
from tenancy.models import ApiToken, Role
from tenancy.services import api_token_issue, member_create, organization_create
from tests.service.conftest import bearer

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "reader"])

ADMIN, MEMBER, AUDITOR = Role.ADMIN, Role.MEMBER, Role.AUDITOR
PDF = {"title": "Plan", "filename": "plan.pdf", "content_type": "application/pdf"}

# (method, path template, body, roles admitted): the matrix docs/service.md publishes.
MATRIX = [
    ("GET", "/api/v1/documents/", None, {ADMIN, MEMBER, AUDITOR}),
    ("POST", "/api/v1/documents/", PDF, {ADMIN, MEMBER}),
    ("GET", "/api/v1/documents/{document}/", None, {ADMIN, MEMBER, AUDITOR}),
    ("POST", "/api/v1/documents/{document}/upload-complete/", None, {ADMIN, MEMBER}),
    ("GET", "/api/v1/audit-events/", None, {ADMIN, AUDITOR}),
    ("GET", "/api/v1/members/", None, {ADMIN}),
    ("POST", "/api/v1/members/", {"username": "new-hire", "role": "member"}, {ADMIN}),
    ("PATCH", "/api/v1/members/{colleague}/", {"role": "auditor"}, {ADMIN}),
    ("GET", "/api/v1/tokens/", None, {ADMIN, MEMBER, AUDITOR}),
    ("GET", "/api/v1/me/", None, {ADMIN, MEMBER, AUDITOR}),
    ("GET", "/api/schema/", None, {ADMIN, MEMBER, AUDITOR}),
    # Last: it ends the caller's token.
    ("POST", "/api/v1/tokens/{own_token}/revoke/", None, {ADMIN, MEMBER, AUDITOR}),
]


@pytest.fixture
def organization(s3) -> dict[str, object]:
    """One organization with a member of each role, a colleague and a document."""
    org = organization_create(name="acme")
    tokens = {
        role: api_token_issue(
            membership=member_create(organization=org, username=f"{role}-1", role=role)
        ).raw
        for role in Role
    }
    colleague = member_create(organization=org, username="colleague")
    admin = bearer(tokens[ADMIN])
    document = admin.post("/api/v1/documents/", PDF, format="json").json()["document"]["id"]
    return {"org": org, "tokens": tokens, "colleague": colleague.pk, "document": document}


@pytest.mark.parametrize("role", list(Role))
def test_each_role_reaches_exactly_its_endpoints(organization, role) -> None:
    client = bearer(organization["tokens"][role])
    own_token = ApiToken.objects.get(membership__username=f"{role}-1").pk
    reached, refused = set(), set()
    for method, path, body, _ in MATRIX:
        url = path.format(
            document=organization["document"],
            colleague=organization["colleague"],
            own_token=own_token,
        )
        status = client.generic(method, url, **_json(body)).status_code
        assert status != 401, (method, url)
        (refused if status == 403 else reached).add((method, path))
    assert reached == {(m, p) for m, p, _, admitted in MATRIX if role in admitted}
    with tenant_context(organization_id=organization["org"].pk):
        denials = AuditEvent.objects.filter(action="authorization.denied", actor=f"{role}-1")
        assert {(e.details["method"], e.outcome) for e in denials} <= {
            (m, "denied") for m, _ in refused
        }
        assert denials.count() == len(refused)


def _json(body: dict | None) -> dict:
    return {"data": json.dumps(body), "content_type": "application/json"} if body else {}


def test_an_anonymous_caller_gets_401_everywhere_including_the_schema() -> None:
    for method, path, _, _ in MATRIX:
        url = path.format(document="00000000-0000-0000-0000-000000000000", colleague=1, own_token=1)
        assert APIClient().generic(method, url).status_code == 401, url
