"""Recording audit events: in the caller's transaction, and through the outbox to Kafka.

Each event is one row of audit_auditevent and one outbox event on the audit topic, written
together: a change and its audit record commit or roll back as one, and the outbox delivers the
durable copy (the publisher never prunes an event before it is published).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.db import transaction

from audit.group_commit import GroupCommit
from audit.models import AuditEvent, Outcome
from audit.request_meta import request_meta_var
from outbox.services import AUDIT_TOPIC, event_build, events_record
from pcs.db_router import WRITER
from pcs.request_id import request_id_var
from tenancy.context import tenant_set
from tenancy.models import Membership

NO_ORGANIZATION_KEY = "platform"


@dataclass(frozen=True)
class Actor:
    """Who acted: a member, the system (tasks, commands), or an unidentified caller."""

    user_id: int | None
    name: str

    @classmethod
    def of(cls, membership: Membership) -> Actor:
        """A member, named by the username they had when they acted."""
        return cls(user_id=membership.user_id, name=membership.user.username)


SYSTEM = Actor(user_id=None, name="system")
OPERATOR = Actor(user_id=None, name="operator")  # manage.py commands run in a one-off task
ANONYMOUS = Actor(user_id=None, name="anonymous")


def _payload(event: AuditEvent) -> dict[str, Any]:
    return {
        "audit_id": event.pk,
        "occurred_at": event.occurred_at.isoformat(),
        "actor": event.actor,
        "actor_id": event.actor_id,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "outcome": event.outcome,
        "reason": event.reason,
        "source_ip": event.source_ip,
        "user_agent": event.user_agent,
        "request_id": event.request_id,
        "details": event.details,
    }


def audit_record(
    *,
    action: str,
    organization_id: UUID | str | None,
    actor: Actor,
    object_type: str,
    object_id: UUID | str | int | None = None,
    outcome: Outcome = Outcome.SUCCESS,
    reason: str = "",
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Record one event, with the request's source IP, user agent and request id.

    Inside an open writer transaction (a write's, in the tenant's context) it joins it, so the
    change and its record commit or roll back together. Otherwise (reads, whose request runs on
    the reader; authentication; commands) it is committed on the writer, batched with the
    records of concurrent requests (audit.group_commit), before the caller goes on: a read is
    answered only once its record is stored.
    """
    meta = request_meta_var.get()
    request_id = request_id_var.get()
    event = AuditEvent(
        organization_id=organization_id,
        actor_id=actor.user_id,
        actor=actor.name[:150],
        action=action,
        object_type=object_type,
        object_id="" if object_id is None else str(object_id),
        outcome=outcome,
        reason=reason[:300],
        source_ip=meta.source_ip,
        user_agent=meta.user_agent,
        request_id="" if request_id == "-" else request_id,
        details=details or {},
    )
    if transaction.get_connection(WRITER).in_atomic_block:
        _stored([event])
    else:
        _group_commit.submit(event)
    return event


def _stored(events: list[AuditEvent]) -> None:
    """Insert the rows and their outbox copies (in the caller's transaction, one tenant's)."""
    AuditEvent.objects.using(WRITER).bulk_create(events)
    events_record(
        [
            event_build(
                topic=AUDIT_TOPIC,
                event_type=event.action,
                organization_id=event.organization_id,
                # Kafka key: one partition per organization keeps each tenant's trail in order.
                aggregate_id=str(event.organization_id or NO_ORGANIZATION_KEY),
                data=_payload(event),
            )
            for event in events
        ]
    )


def _stored_batch(events: list[AuditEvent]) -> None:
    """One writer transaction for a batch: each organization's rows under its own tenant
    setting (row-level security checks every row against it), in the order they came."""
    by_organization: dict[str, list[AuditEvent]] = {}
    for event in events:
        key = "" if event.organization_id is None else str(event.organization_id)
        by_organization.setdefault(key, []).append(event)
    with transaction.atomic(using=WRITER):
        connection = transaction.get_connection(WRITER)
        for organization_id, group in by_organization.items():
            tenant_set(connection, organization_id)
            _stored(group)


_group_commit: GroupCommit[AuditEvent] = GroupCommit(_stored_batch)


def audit_member_action(*, membership: Membership, action: str, **event: Any) -> AuditEvent:
    """`audit_record` for what a signed-in member did, in the request's transaction."""
    return audit_record(
        action=action,
        organization_id=membership.organization_id,
        actor=Actor.of(membership),
        **event,
    )
