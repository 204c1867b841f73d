"""Document tasks (thin: the work is in documents.services)."""

from __future__ import annotations

from botocore.exceptions import BotoCoreError, ClientError
from celery import shared_task
from django.conf import settings
from django.db import OperationalError

from documents import services
from tenancy.context import tenant_task_context


@shared_task(
    name=services.PROCESS_TASK_NAME,
    soft_time_limit=80,
    time_limit=90,
    autoretry_for=(BotoCoreError, ClientError, OperationalError),
    max_retries=5,
    retry_backoff=5,
    retry_backoff_max=settings.TASK_RETRY_BACKOFF_MAX_SECONDS,
    retry_jitter=True,
)
def document_process(document_id: str, organization_id: str) -> bool:
    """Checksum, size and type of an uploaded document (idempotent per document)."""
    with tenant_task_context(organization_id=organization_id):
        return services.document_process(organization_id=organization_id, document_id=document_id)
