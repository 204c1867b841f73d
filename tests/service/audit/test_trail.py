"""The audit trail: one complete row per audited action, append-only, read by auditors."""

from __future__ import annotations

import itertools
import json

import pytest
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory

from audit.models import AuditEvent
from audit.request_meta import source_ip
from documents.tasks import document_process
from outbox.models import OutboxEvent
from tenancy.context import tenant_context
from tenancy.models import Role
from tenancy.services import api_token_issue, member_create, organization_create
from tests.service.conftest import bearer

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "reader"])

VIEWER, FORWARDED = "HTTP_CLOUDFRONT_VIEWER_ADDRESS", "HTTP_X_FORWARDED_FOR"
EDGE = {
    "HTTP_CLOUDFRONT_VIEWER_ADDRESS": "198.51.100.7:51234",
    "HTTP_X_FORWARDED_FOR": "203.0.113.9, 10.0.0.5",
    "HTTP_USER_AGENT": "audit-probe/1.0",
}
PDF = {"title": "Plan", "filename": "plan.pdf", "content_type": "application/pdf"}
REQUEST_ACTIONS = [
    "authentication.succeeded",
    "authentication.failed",
    "member.created",
    "member.role_changed",
    "member.deactivated",
    "member.listed",
    "token.issued",
    "token.revoked",
    "document.registered",
    "document.uploaded",
    "document.listed",
    "document.read",
    "authorization.denied",
    "audit.listed",
]


def call(client, method: str, path: str, request_id: str, body: dict | None = None):
    """A request as it arrives through CloudFront and the ALB, with its own request id."""
    extra = {**EDGE, "HTTP_X_REQUEST_ID": request_id}
    if body is not None:
        return client.generic(
            method, path, data=_json(body), content_type="application/json", **extra
        )
    return client.generic(method, path, **extra)


def _json(body: dict) -> str:
    return json.dumps(body)


def test_every_audited_action_leaves_one_complete_row(issuer, s3) -> None:
    org = organization_create(name="acme")
    admin = member_create(organization=org, username="ada", role=Role.ADMIN)
    signed_in = bearer(issuer.token(sub=admin.idp_subject))
    auditor_token = api_token_issue(
        membership=member_create(organization=org, username="aud", role=Role.AUDITOR)
    ).raw
    auditor = bearer(auditor_token)
    request_ids = itertools.count(1)

    def with_edge(client, method: str, path: str, body: dict | None = None):
        return call(client, method, path, f"req-{next(request_ids)}", body)

    assert with_edge(signed_in, "GET", "/api/v1/documents/").status_code == 200
    hire = with_edge(signed_in, "POST", "/api/v1/members/", {"username": "hal", "role": "member"})
    member_id = hire.json()["id"]
    with_edge(signed_in, "PATCH", f"/api/v1/members/{member_id}/", {"role": "auditor"})
    with_edge(signed_in, "PATCH", f"/api/v1/members/{member_id}/", {"is_active": False})
    with_edge(signed_in, "GET", "/api/v1/members/")
    token = with_edge(signed_in, "POST", "/api/v1/tokens/", {"name": "ci"}).json()
    with_edge(signed_in, "POST", f"/api/v1/tokens/{token['id']}/revoke/")
    with_edge(bearer(token["token"]), "GET", "/api/v1/documents/")  # refused: revoked
    document = with_edge(signed_in, "POST", "/api/v1/documents/", PDF).json()["document"]
    s3.put_object(
        Bucket=settings.DOCUMENTS_BUCKET,
        Key=f"{org.pk}/{document['id']}/plan.pdf",
        Body=b"%PDF-1.7",
    )
    upload = with_edge(signed_in, "POST", f"/api/v1/documents/{document['id']}/upload-complete/")
    assert upload.status_code == 202
    with_edge(signed_in, "GET", f"/api/v1/documents/{document['id']}/")
    with_edge(auditor, "POST", "/api/v1/documents/", PDF)  # denied: auditors read only
    listed = with_edge(auditor, "GET", "/api/v1/audit-events/?limit=500")
    assert listed.status_code == 200
    document_process.apply(
        kwargs={"document_id": document["id"], "organization_id": str(org.pk)}
    ).get()

    with tenant_context(organization_id=org.pk):
        rows = list(AuditEvent.objects.order_by("id"))
        outbox = {e.payload["audit_id"]: e for e in OutboxEvent.objects.filter(topic="audit")}
    by_action: dict[str, list[AuditEvent]] = {}
    for row in rows:
        by_action.setdefault(row.action, []).append(row)
    for action in REQUEST_ACTIONS:
        assert action in by_action, action
        row = by_action[action][-1]
        assert row.occurred_at and row.organization_id == org.pk, action
        assert row.actor and row.object_type and row.outcome, action
        assert row.source_ip == "198.51.100.7", action
        assert row.user_agent == "audit-probe/1.0", action
        assert row.request_id.startswith("req-"), action
        assert outbox[row.pk].payload["request_id"] == row.request_id, action
    assert by_action["authentication.failed"][-1].reason == "API token revoked"
    assert by_action["member.role_changed"][-1].details["to"] == "auditor"
    assert by_action["authorization.denied"][-1].outcome == "denied"
    processed = by_action["document.processed"][-1]
    assert (processed.actor, processed.object_id) == ("system", document["id"])
    assert by_action["member.created"][-1].actor == admin.username == "ada"


def test_auditors_read_a_filtered_paginated_trail_of_their_organization_only(
    tenant_a, tenant_b
) -> None:
    auditor = api_token_issue(
        membership=member_create(
            organization=tenant_a.organization, username="aud", role=Role.AUDITOR
        )
    ).raw
    for _ in range(3):
        tenant_a.client().get("/api/v1/documents/")
    tenant_b.client().get("/api/v1/documents/")
    page = bearer(auditor).get("/api/v1/audit-events/?action=document.listed&limit=2").json()
    assert page["count"] == 3 and len(page["results"]) == 2 and page["next"]
    assert {e["organization_id"] for e in page["results"]} == {str(tenant_a.organization.pk)}
    failures = bearer(auditor).get("/api/v1/audit-events/?outcome=failure").json()
    assert failures["count"] == 0
    bad = bearer(auditor).get("/api/v1/audit-events/?outcome=maybe")
    assert bad.status_code == 400 and list(bad.json()["errors"]) == ["outcome"]


def test_the_app_role_cannot_rewrite_or_delete_audit_rows_even_with_the_privilege(tenant_a) -> None:
    tenant_a.client().get("/api/v1/documents/")
    with tenant_a.scope(), connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM audit_auditevent")
        before = cursor.fetchone()[0]
        assert before > 0
        for statement in (
            "UPDATE audit_auditevent SET reason = 'x'",
            "DELETE FROM audit_auditevent",
        ):
            with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
                cursor.execute(statement)
        cursor.execute("SELECT count(*) FROM audit_auditevent")
        assert cursor.fetchone()[0] == before


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({VIEWER: "198.51.100.7:443", FORWARDED: "1.2.3.4, 10.0.0.9"}, "198.51.100.7"),
        ({VIEWER: "2001:db8::1:443"}, "2001:db8::1"),
        ({FORWARDED: "6.6.6.6, 203.0.113.5"}, "203.0.113.5"),
        ({VIEWER: "garbage", FORWARDED: "spoofed"}, "127.0.0.1"),
    ],
    ids=["cloudfront-first", "ipv6", "alb-appended-entry", "unparseable-falls-back-to-peer"],
)  # fmt: skip
def test_the_source_ip_comes_only_from_the_edges_headers(headers, expected) -> None:
    assert source_ip(RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", **headers)) == expected
