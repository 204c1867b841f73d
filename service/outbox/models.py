"""The outbox table.

Under row-level security (migration 0002): a tenant's events are visible only in its context,
platform events (no organization) only outside one, and every row to members of
PUBLISHER_ROLE (migration 0005): only the publisher's login is one, and the publisher uses it
through its own alias (pcs.db.router.PUBLISHER). No API exposes the table.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone

# A NOLOGIN role; the policy admits it to every row (docs/decisions/outbox-publisher-role.md).
PUBLISHER_ROLE = "pcs_outbox_publisher"


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


class PendingTask(models.Model):
    """A Celery task recorded in the transaction of the change that asks for it.

    Redis holds only messages, and loses them when it restarts; this row stays until the task
    has run (succeeded, or failed for good), so the dispatcher can send it again.
    """

    task_name = models.CharField(max_length=200)
    kwargs = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    # The Redis server's run_id at dispatch: a different one now means Redis restarted (or
    # failed over) since, and the message may be gone.
    broker_run_id = models.CharField(max_length=64, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    # The request (or task) that asked for it: every send carries it, so a re-sent task logs
    # under the original request id, not the dispatcher's. NULL: none (or recorded before).
    request_id = models.CharField(max_length=128, null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.task_name}:{self.pk}"
