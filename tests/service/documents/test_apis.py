"""The documents API: registration, SSE-KMS upload forms, processing state, errors."""

from __future__ import annotations

import base64
import json

import pytest
from django.conf import settings

from documents.models import ALLOWED_CONTENT_TYPES, Document
from outbox.models import OutboxEvent
from pcs.db.router import READER, WRITER
from pcs.queues import Queue

pytestmark = pytest.mark.django_db(transaction=True, databases=[WRITER, READER])

PDF = {"title": "System Security Plan", "filename": "ssp v2.pdf", "content_type": "application/pdf"}


def register(tenant, body=PDF):
    """POST a registration as `tenant`."""
    return tenant.client().post("/api/v1/documents/", body, format="json")


def test_registering_returns_an_upload_form_that_requires_sse_kms(tenant_a, s3) -> None:
    response = register(tenant_a)
    assert response.status_code == 201
    body = response.json()
    assert body["document"]["status"] == "awaiting_upload"
    fields = body["upload"]["fields"]
    assert fields["x-amz-server-side-encryption"] == "aws:kms"
    assert fields["x-amz-server-side-encryption-aws-kms-key-id"] == settings.DOCUMENTS_KMS_KEY_ID
    policy = json.loads(base64.b64decode(fields["policy"]))
    conditions = policy["conditions"]
    assert {"x-amz-server-side-encryption": "aws:kms"} in conditions
    assert {
        "x-amz-server-side-encryption-aws-kms-key-id": settings.DOCUMENTS_KMS_KEY_ID
    } in conditions
    assert ["content-length-range", 1, settings.DOCUMENTS_MAX_BYTES] in conditions
    assert fields["key"].startswith(f"{tenant_a.organization.pk}/")


def test_every_write_emits_an_audit_event_in_the_outbox(tenant_a, s3) -> None:
    document_id = register(tenant_a).json()["document"]["id"]
    with tenant_a.scope():
        event = OutboxEvent.objects.get(event_type="document.registered")
    assert event.topic == "audit"
    assert event.organization_id == tenant_a.organization.pk
    assert event.payload["object_id"] == document_id
    assert event.payload["actor_id"] == tenant_a.membership.user_id


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**PDF, "content_type": "application/x-msdownload"}, "content_type"),
        ({k: v for k, v in PDF.items() if k != "title"}, "title"),
        ({**PDF, "filename": ""}, "filename"),
        ({**PDF, "title": "x" * 201}, "title"),
    ],
)
def test_bad_registration_input_is_a_400_naming_the_field(tenant_a, s3, body, field) -> None:
    response = register(tenant_a, body)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]


def test_an_unknown_content_type_error_lists_the_allowed_values(tenant_a, s3) -> None:
    response = register(tenant_a, {**PDF, "content_type": "application/zip"})
    message = response.json()["errors"]["content_type"][0]
    assert "application/zip" in message
    assert all(allowed in message for allowed in ALLOWED_CONTENT_TYPES)


def test_a_body_that_is_not_json_is_a_400_not_a_500(tenant_a) -> None:
    response = tenant_a.client().post(
        "/api/v1/documents/", data="{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert "JSON parse error" in response.json()["detail"]


def test_calls_without_a_valid_token_are_401(tenant_a) -> None:
    from rest_framework.test import APIClient

    assert APIClient().get("/api/v1/documents/").status_code == 401
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer pcs_not-a-real-token")
    response = client.get("/api/v1/documents/")
    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid, expired or revoked credentials."}


def test_completing_an_upload_that_never_reached_s3_is_a_409(tenant_a, s3) -> None:
    document_id = register(tenant_a).json()["document"]["id"]
    response = tenant_a.client().post(f"/api/v1/documents/{document_id}/upload-complete/")
    assert response.status_code == 409
    assert "no uploaded object" in response.json()["errors"]["status"][0]


def test_completing_an_upload_queues_processing_once_committed(
    tenant_a, s3, empty_queues, queue_length
) -> None:
    registered = register(tenant_a).json()
    s3.put_object(
        Bucket=settings.DOCUMENTS_BUCKET, Key=registered["upload"]["fields"]["key"], Body=b"%PDF-1"
    )
    document_id = registered["document"]["id"]
    response = tenant_a.client().post(f"/api/v1/documents/{document_id}/upload-complete/")
    assert response.status_code == 202
    assert response.json()["status"] == "uploaded"
    assert queue_length(Queue.DOCUMENTS.value) == 1
    again = tenant_a.client().post(f"/api/v1/documents/{document_id}/upload-complete/")
    assert again.status_code == 409
    assert queue_length(Queue.DOCUMENTS.value) == 1


def test_a_document_shows_its_processing_state(tenant_a, s3) -> None:
    document_id = register(tenant_a).json()["document"]["id"]
    with tenant_a.scope():
        Document.objects.filter(pk=document_id).update(
            status=Document.Status.PROCESSED, size_bytes=6, checksum_sha256="ab" * 32
        )
    body = tenant_a.client().get(f"/api/v1/documents/{document_id}/").json()
    assert body["status"] == "processed"
    assert body["size_bytes"] == 6


def test_one_tenant_cannot_see_another_tenants_documents(tenant_a, tenant_b, s3) -> None:
    document_id = register(tenant_a).json()["document"]["id"]
    assert tenant_b.client().get(f"/api/v1/documents/{document_id}/").status_code == 404
    assert tenant_b.client().get("/api/v1/documents/").json()["count"] == 0
    assert tenant_a.client().get("/api/v1/documents/").json()["count"] == 1


def test_the_openapi_schema_describes_the_documents_api(tenant_a) -> None:
    response = tenant_a.client().get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {"/api/v1/documents/", "/api/v1/documents/{document_id}/"} <= set(paths)


def documents_make(tenant, count: int) -> None:
    with tenant.scope():
        Document.objects.bulk_create(
            Document(
                organization=tenant.organization,
                title=f"d{i}",
                filename="d.pdf",
                content_type="application/pdf",
                object_key=f"{tenant.organization.pk}/{i}",
                created_by=tenant.membership.user,
            )
            for i in range(count)
        )


def test_a_page_holds_at_most_200_documents_and_a_larger_limit_is_refused(tenant_a) -> None:
    documents_make(tenant_a, 201)
    body = tenant_a.client().get("/api/v1/documents/?limit=200").json()
    assert body["count"] == 201
    assert len(body["results"]) == 200
    assert body["next"].endswith("/api/v1/documents/?limit=200&offset=200")
    refused = tenant_a.client().get("/api/v1/documents/?limit=1000")
    assert refused.status_code == 400
    assert refused.json() == {
        "errors": {"limit": ["Ensure this value is less than or equal to 200."]}
    }


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("limit=abc", "limit", "A valid integer is required."),
        ("limit=", "limit", "A valid integer is required."),
        ("offset=-1", "offset", "Ensure this value is greater than or equal to 0."),
        ("limit=1&limit=2", "limit", "give it at most once"),
        ("page=2", "page", "unknown parameter; allowed: limit, offset"),
    ],
)
def test_bad_list_parameters_get_400_naming_the_parameter(tenant_a, query, field, message):
    response = tenant_a.client().get(f"/api/v1/documents/?{query}")
    assert response.status_code == 400
    assert response.json() == {"errors": {field: [message]}}


def test_the_list_shows_each_document_as_the_detail_does(tenant_a, s3) -> None:
    document_id = register(tenant_a).json()["document"]["id"]
    listed = tenant_a.client().get("/api/v1/documents/").json()
    detail = tenant_a.client().get(f"/api/v1/documents/{document_id}/").json()
    assert listed["count"] == 1 and listed["previous"] is None and listed["next"] is None
    assert listed["results"] == [detail]


def test_an_unknown_url_is_a_json_404(tenant_a) -> None:
    response = tenant_a.client().get("/api/v1/nothing-here/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
