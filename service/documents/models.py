"""A compliance document: registered, uploaded to S3 (SSE-KMS), then processed by the worker."""

import uuid

from django.conf import settings
from django.db import models

from tenancy.models import Organization

ALLOWED_CONTENT_TYPES = (
    "application/pdf",
    "application/json",
    "image/png",
    "image/jpeg",
    "text/csv",
    "text/plain",
)


class Document(models.Model):
    """Tenant-owned (row-level security keyed on organization_id)."""

    class Status(models.TextChoices):
        AWAITING_UPLOAD = "awaiting_upload"
        UPLOADED = "uploaded"
        PROCESSED = "processed"
        FAILED = "failed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT)
    title = models.CharField(max_length=200)
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    object_key = models.CharField(max_length=512, unique=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.AWAITING_UPLOAD)
    size_bytes = models.BigIntegerField(null=True, blank=True)
    checksum_sha256 = models.CharField(max_length=64, blank=True)
    detected_content_type = models.CharField(max_length=100, blank=True)
    failure_reason = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["organization", "-created_at"], name="document_org_recent")]

    def __str__(self) -> str:
        return self.title
