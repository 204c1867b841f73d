"""Recording audit events: in the caller's transaction, and through the outbox to Kafka.

Each event is one row of audit_auditevent and one outbox event on the audit topic, written
together: a change and its audit record commit or roll back as one, and the outbox delivers the
durable copy (the publisher never prunes an event before it is published).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.db import DatabaseError, InterfaceError, OperationalError, transaction
from django.utils import timezone

from audit.group_commit import GroupCommit
from audit.models import AuditEvent, Outcome
from audit.request_meta import request_meta_var
from outbox.models import OutboxEvent
from outbox.services import AUDIT_TOPIC
from pcs.db.binding import tenant_bind
from pcs.db.pipeline import tenant_pipeline
from pcs.db.router import WRITER
from pcs.request_id import request_id_var
from tenancy.models import Membership

NO_ORGANIZATION_KEY = "platform"


@dataclass(frozen=True)
class Actor:
    """Who acted: a member, the system (tasks, commands), or an unidentified caller."""

    user_id: int | None
    name: str

    @classmethod
    def of(cls, membership: Membership) -> Actor:
        """A member, named as their organization knew them when they acted (a member the
        previous release added during a rollout has only their user's name)."""
        return cls(user_id=membership.user_id, name=membership.username or membership.user.username)


SYSTEM = Actor(user_id=None, name="system")
OPERATOR = Actor(user_id=None, name="operator")  # manage.py commands run in a one-off task
ANONYMOUS = Actor(user_id=None, name="anonymous")


# The audit row's fields, in the order the outbox copy lists them (its id comes first).
_FIELDS = (
    "occurred_at", "organization_id", "actor_id", "actor", "action", "object_type", "object_id",
    "outcome", "reason", "source_ip", "user_agent", "request_id", "details",
)  # fmt: skip
# In the outbox copy, the time as Python's isoformat() writes it (always with microseconds).
_PAYLOAD_VALUES = {
    "occurred_at": """to_char(occurred_at AT TIME ZONE 'UTC',
                              'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"')"""
}


def _store_statement() -> str:
    """One INSERT of the rows and, from what it returns, their outbox copies: the copies carry
    the rows' ids, which a second statement would wait a round trip for. The events come as one
    JSON array (one parameter, however many events) and keep their order."""
    audit, outbox = AuditEvent._meta.db_table, OutboxEvent._meta.db_table
    columns = ", ".join(_FIELDS)
    payload = ", ".join(
        f"'{key}', {value}"
        for key, value in [("audit_id", "id")]
        + [(name, _PAYLOAD_VALUES.get(name, name)) for name in _FIELDS]
    )
    return f"""
        WITH stored AS (
            INSERT INTO {audit} ({columns})
            SELECT {columns}
            FROM jsonb_array_elements(%(events)s::jsonb) WITH ORDINALITY AS given(event, n),
                 jsonb_populate_record(NULL::{audit}, given.event)
            ORDER BY given.n
            RETURNING *
        )
        INSERT INTO {outbox} (topic, event_type, organization_id, aggregate_id, payload,
                              created_at, attempts, last_error)
        SELECT %(topic)s, action, organization_id,
               coalesce(organization_id::text, %(no_organization)s),
               jsonb_build_object({payload}), now(), 0, ''
        FROM stored ORDER BY id
    """  # identifiers and names come from the models and this module; values are parameters


_STORE = _store_statement()


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
) -> None:
    """Record one event, with the request's source IP, user agent and request id.

    Inside an open writer transaction (a write's, in the tenant's context) it joins it, so the
    change and its record commit or roll back together. Otherwise (reads, whose request runs on
    the reader; authentication; commands) it is committed on the writer, batched with the
    records of concurrent requests (audit.group_commit), before the caller goes on: a read is
    answered only once its record is stored.
    """
    meta = request_meta_var.get()
    request_id = request_id_var.get()
    event = {
        "occurred_at": timezone.now().isoformat(),
        "organization_id": None if organization_id is None else str(organization_id),
        "actor_id": actor.user_id,
        "actor": actor.name[:150],
        "action": action,
        "object_type": object_type,
        "object_id": "" if object_id is None else str(object_id),
        "outcome": outcome,
        "reason": reason[:300],
        "source_ip": meta.source_ip,
        "user_agent": meta.user_agent,
        "request_id": "" if request_id == "-" else request_id,
        "details": details or {},
    }
    connection = transaction.get_connection(WRITER)
    if connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute(_STORE, _store_params([event]))
    else:
        _group_commit.submit(event)


def _store_params(events: list[dict[str, Any]]) -> dict[str, str]:
    return {
        "events": json.dumps(events),
        "topic": AUDIT_TOPIC,
        # Kafka key: one partition per organization keeps each tenant's trail in order.
        "no_organization": NO_ORGANIZATION_KEY,
    }


def _stored_batch(events: list[dict[str, Any]]) -> None:
    """One writer transaction for a batch, in one round trip besides its COMMIT: each
    organization's rows under its own tenant setting (row-level security checks every row
    against it), in the order they came."""
    by_organization: dict[str, list[dict[str, Any]]] = {}
    for event in events:
        by_organization.setdefault(event["organization_id"] or "", []).append(event)
    with transaction.atomic(using=WRITER):
        connection = transaction.get_connection(WRITER)
        with tenant_pipeline(connection) as cursor:
            for organization_id, group in by_organization.items():
                tenant_bind(cursor, organization_id)
                cursor.execute(_STORE, _store_params(group))


def _refused_data(exc: BaseException) -> bool:
    """An error of the records themselves (PostgreSQL refused a value), not of the database."""
    return isinstance(exc, DatabaseError) and not isinstance(exc, OperationalError | InterfaceError)


_group_commit: GroupCommit[dict[str, Any]] = GroupCommit(
    _stored_batch, alone_retryable=_refused_data
)


def audit_member_action(*, membership: Membership, action: str, **event: Any) -> None:
    """`audit_record` for what a signed-in member did, in the request's transaction."""
    audit_record(
        action=action,
        organization_id=membership.organization_id,
        actor=Actor.of(membership),
        **event,
    )
