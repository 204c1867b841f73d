"""Reads of the audit trail (row-level security also limits them to the current organization)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from django.db.models import QuerySet

from audit.models import AuditEvent


def audit_event_list(
    *,
    organization_id: UUID,
    action: str | None = None,
    actor: str | None = None,
    outcome: str | None = None,
    object_type: str | None = None,
    object_id: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> QuerySet[AuditEvent]:
    """The organization's events matching every given filter, newest first."""
    filters = {
        "action": action,
        "actor": actor,
        "outcome": outcome,
        "object_type": object_type,
        "object_id": object_id,
        "occurred_at__gte": since,
        "occurred_at__lt": until,
    }
    return AuditEvent.objects.filter(
        organization_id=organization_id,
        **{name: value for name, value in filters.items() if value is not None},
    ).order_by("-occurred_at", "-id")
