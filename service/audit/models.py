"""One audit event per authentication, token, membership, document and admin action (AU-2, AU-3).

Append-only: the application role may insert and read (under row-level security: an
organization's rows only), never update or delete (privileges, a trigger, and no policy for it).
`organization_id` is empty for a failed authentication whose credential names no member.
"""

from django.db import models
from django.utils import timezone


class Outcome(models.TextChoices):
    """How the action ended."""

    SUCCESS = "success"
    FAILURE = "failure"  # e.g. a credential refused
    DENIED = "denied"  # authenticated, but the role may not do it


class AuditEvent(models.Model):
    """What happened, who did it, from where, and how it ended."""

    occurred_at = models.DateTimeField(default=timezone.now)
    organization_id = models.UUIDField(null=True)
    actor_id = models.IntegerField(null=True)  # the user's id; empty for the system
    actor = models.CharField(max_length=150)  # username when it happened, or "system"
    action = models.CharField(max_length=100)
    object_type = models.CharField(max_length=50)
    object_id = models.CharField(max_length=64, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    reason = models.CharField(max_length=300, blank=True)
    source_ip = models.GenericIPAddressField(null=True)
    user_agent = models.CharField(max_length=500, blank=True)
    request_id = models.CharField(max_length=128, blank=True)
    details = models.JSONField(default=dict)

    class Meta:
        indexes = [
            models.Index(fields=["organization_id", "-occurred_at"], name="audit_org_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.action}:{self.outcome}:{self.pk}"
