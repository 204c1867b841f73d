"""The outbox table.

A platform table (no row-level security): only the publisher reads it, across tenants, and no API
exposes it. Every event names its organization.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone


class OutboxEvent(models.Model):
    """One event, written in the same transaction as the change it describes."""

    topic = models.CharField(max_length=100)
    event_type = models.CharField(max_length=100)
    organization_id = models.UUIDField(null=True)
    aggregate_id = models.CharField(max_length=64)
    payload = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["id"], condition=Q(published_at__isnull=True), name="outbox_pending_idx"
            ),
            models.Index(fields=["published_at"], name="outbox_published_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.topic}:{self.event_type}:{self.pk}"
