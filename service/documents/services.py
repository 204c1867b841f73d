"""Writes for documents: register, complete an upload, record processing."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from uuid import UUID

from django.db import transaction
from django.utils import timezone

from audit.models import Outcome
from audit.services import SYSTEM, Actor, audit_record
from core.idempotency import task_run_once
from documents import storage
from documents.inspection import Inspection, inspect_chunks
from documents.models import Document
from outbox.dispatch import task_record
from tenancy.models import Membership

PROCESS_TASK_NAME = "documents.process"


class DocumentStateError(Exception):
    """The document is not in a state that allows the operation."""


@dataclass(frozen=True)
class Registration:
    """A new document and the form to upload its content with."""

    document: Document
    upload: storage.UploadForm


def _safe_filename(filename: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", filename).strip("._")
    return cleaned[:200] or "document"


def document_register(
    *, membership: Membership, title: str, filename: str, content_type: str
) -> Registration:
    """Create the document record and a pre-signed SSE-KMS upload form."""
    document_id = uuid.uuid4()
    org_id = membership.organization_id
    with transaction.atomic():
        document = Document.objects.create(
            id=document_id,
            organization_id=org_id,
            title=title,
            filename=filename,
            content_type=content_type,
            object_key=f"{org_id}/{document_id}/{_safe_filename(filename)}",
            created_by_id=membership.user_id,
        )
        audit_record(
            action="document.registered",
            actor=Actor.of(membership),
            organization_id=org_id,
            object_type="document",
            object_id=document.pk,
            details={"title": title, "content_type": content_type},
        )
    upload = storage.upload_form_create(object_key=document.object_key, content_type=content_type)
    return Registration(document=document, upload=upload)


def document_upload_complete(*, membership: Membership, document: Document) -> Document:
    """Mark the upload done (after checking S3 has it) and queue processing once committed."""
    if document.status != Document.Status.AWAITING_UPLOAD:
        raise DocumentStateError(f"document is {document.status}, not awaiting_upload")
    if not storage.object_exists(object_key=document.object_key):
        raise DocumentStateError("no uploaded object found for this document")
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document.pk)
        if document.status != Document.Status.AWAITING_UPLOAD:
            raise DocumentStateError(f"document is {document.status}, not awaiting_upload")
        document.status = Document.Status.UPLOADED
        document.save(update_fields=["status", "updated_at"])
        audit_record(
            action="document.uploaded",
            actor=Actor.of(membership),
            organization_id=document.organization_id,
            object_type="document",
            object_id=document.pk,
        )
        # Recorded with the change: sent after the commit, or by the dispatcher if Redis is down.
        task_record(
            task_name=PROCESS_TASK_NAME,
            kwargs={
                "document_id": str(document.pk),
                "organization_id": str(document.organization_id),
            },
        )
    return document


def _content_types_compatible(declared: str, detected: str) -> bool:
    return declared == detected or (declared.startswith("text/") and detected == "text/plain")


def _processing_result_record(document: Document, inspection: Inspection | None) -> None:
    """Store the outcome of processing (None: the object is gone) and audit it."""
    document.processed_at = timezone.now()
    data: dict[str, object] = {}
    if inspection is None:
        # Retrying cannot help: record the failure (the task then succeeds and is done).
        document.status = Document.Status.FAILED
        document.failure_reason = "the uploaded object is no longer in the bucket"
    else:
        document.size_bytes = inspection.size_bytes
        document.checksum_sha256 = inspection.sha256
        document.detected_content_type = inspection.content_type
        data = {"sha256": inspection.sha256, "size_bytes": inspection.size_bytes}
        if _content_types_compatible(document.content_type, inspection.content_type):
            document.status = Document.Status.PROCESSED
        else:
            document.status = Document.Status.FAILED
            document.failure_reason = (
                f"declared {document.content_type} but content is {inspection.content_type}"
            )
    document.save()
    audit_record(
        action=f"document.{document.status}",
        actor=SYSTEM,
        organization_id=document.organization_id,
        object_type="document",
        object_id=document.pk,
        outcome=Outcome.SUCCESS
        if document.status == Document.Status.PROCESSED
        else Outcome.FAILURE,
        reason=document.failure_reason,
        details=data,
    )


def document_process(*, organization_id: UUID | str, document_id: UUID | str) -> bool:
    """Inspect the uploaded object and record the result, exactly once per document.

    Runs inside the tenant's context (the task opens it). True when it processed now.
    """

    def effect() -> None:
        document = (
            Document.objects.select_for_update()
            .filter(pk=document_id, organization_id=organization_id)
            .first()
        )
        if document is None or document.status != Document.Status.UPLOADED:
            return
        try:
            inspection = inspect_chunks(storage.object_chunks(object_key=document.object_key))
        except storage.ObjectMissingError:
            inspection = None
        _processing_result_record(document, inspection)

    return task_run_once(
        key=f"{PROCESS_TASK_NAME}:{organization_id}:{document_id}",
        task_name=PROCESS_TASK_NAME,
        effect=effect,
        organization_id=organization_id,
    )
