"""Document tasks (thin: the work is in documents.services)."""

from __future__ import annotations

from botocore.exceptions import BotoCoreError, ClientError
from celery import shared_task
from django.db import OperationalError

from documents import services
from tenancy.context import tenant_task_context
from tenancy.models import Organization


@shared_task(
    name=services.PROCESS_TASK_NAME,
    soft_time_limit=80,
    time_limit=90,
    autoretry_for=(BotoCoreError, ClientError, OperationalError),
    max_retries=5,
    retry_backoff=5,
    retry_backoff_max=60,
    retry_jitter=True,
)
def document_process(document_id: str, organization_id: str) -> bool:
    """Checksum, size and type of an uploaded document (idempotent per document)."""
    with tenant_task_context(organization_id=organization_id):
        return services.document_process(organization_id=organization_id, document_id=document_id)


@shared_task(
    name="documents.requeue_stalled",
    soft_time_limit=50,
    time_limit=60,
    max_retries=0,  # Beat runs it again in ten minutes
)
def requeue_stalled() -> int:
    """Re-queue stalled documents of every organization (idempotent: processing is once-only)."""
    total = 0
    for organization_id in Organization.objects.values_list("id", flat=True):
        with tenant_task_context(organization_id=organization_id):
            total += services.documents_requeue_stalled(organization_id=organization_id)
    return total
