"""Processing an uploaded document: checksum, size, content type, recorded exactly once."""

from __future__ import annotations

import hashlib

import pytest
from django.conf import settings

from audit.models import AuditEvent
from documents.models import Document
from documents.services import document_register
from documents.tasks import document_process
from outbox.models import OutboxEvent
from pcs.db.router import READER, WRITER

pytestmark = pytest.mark.django_db(transaction=True, databases=[WRITER, READER])

CONTENT = b"%PDF-1.7\n" + b"x" * 3_000_000  # spans several 1 MiB chunks


def uploaded_document(tenant, s3, *, content: bytes, content_type: str) -> Document:
    """Register a document, put its content in S3 and mark it uploaded."""
    with tenant.scope():
        document = document_register(
            membership=tenant.membership, title="t", filename="f", content_type=content_type
        ).document
        Document.objects.filter(pk=document.pk).update(status=Document.Status.UPLOADED)
    s3.put_object(Bucket=settings.DOCUMENTS_BUCKET, Key=document.object_key, Body=content)
    return document


def reloaded(tenant, document: Document) -> Document:
    """The document as stored now (read in its tenant's context)."""
    with tenant.scope():
        return Document.objects.get(pk=document.pk)


def run_task(document: Document) -> bool:
    """Run the Celery task in-process, with the arguments the service enqueues."""
    return document_process.apply(
        kwargs={"document_id": str(document.pk), "organization_id": str(document.organization_id)}
    ).get()


def test_processing_records_checksum_size_and_content_type(tenant_a, s3) -> None:
    document = uploaded_document(tenant_a, s3, content=CONTENT, content_type="application/pdf")
    assert run_task(document) is True
    document = reloaded(tenant_a, document)
    assert document.status == Document.Status.PROCESSED
    assert document.checksum_sha256 == hashlib.sha256(CONTENT).hexdigest()
    assert document.size_bytes == len(CONTENT)
    assert document.detected_content_type == "application/pdf"
    assert document.processed_at is not None


def test_processing_twice_records_once(tenant_a, s3) -> None:
    document = uploaded_document(tenant_a, s3, content=CONTENT, content_type="application/pdf")
    assert run_task(document) is True
    assert run_task(document) is False
    with tenant_a.scope():
        events = AuditEvent.objects.filter(object_id=str(document.pk), action="document.processed")
        assert events.count() == 1
        assert OutboxEvent.objects.filter(event_type="document.processed").count() == 1


def test_content_that_is_not_the_declared_type_fails_with_a_reason(tenant_a, s3) -> None:
    document = uploaded_document(
        tenant_a, s3, content=b"\x89PNG\r\n\x1a\n....", content_type="application/pdf"
    )
    run_task(document)
    document = reloaded(tenant_a, document)
    assert document.status == Document.Status.FAILED
    assert document.failure_reason == "declared application/pdf but content is image/png"


def test_a_vanished_object_fails_the_document_instead_of_retrying(tenant_a, s3) -> None:
    document = uploaded_document(tenant_a, s3, content=CONTENT, content_type="application/pdf")
    s3.delete_object(Bucket=settings.DOCUMENTS_BUCKET, Key=document.object_key)
    assert run_task(document) is True
    document = reloaded(tenant_a, document)
    assert document.status == Document.Status.FAILED
    assert document.failure_reason == "the uploaded object is no longer in the bucket"
    with tenant_a.scope():
        event = AuditEvent.objects.get(object_id=str(document.pk), action="document.failed")
    assert (event.outcome, event.reason) == ("failure", document.failure_reason)
    assert (event.actor, event.actor_id) == ("system", None)


def test_the_task_only_sees_its_own_tenants_document(tenant_a, tenant_b, s3) -> None:
    document = uploaded_document(tenant_a, s3, content=CONTENT, content_type="application/pdf")
    document_process.apply(
        kwargs={"document_id": str(document.pk), "organization_id": str(tenant_b.organization.pk)}
    ).get()
    assert reloaded(tenant_a, document).status == Document.Status.UPLOADED
    assert run_task(document) is True
    assert reloaded(tenant_a, document).status == Document.Status.PROCESSED
