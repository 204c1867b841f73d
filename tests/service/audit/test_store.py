"""How audit records are stored: each row with its outbox copy, in order, or not at all."""

from __future__ import annotations

import pytest
from django.db import connections, transaction

from audit.models import AuditEvent, Outcome
from audit.services import SYSTEM, Actor, _stored_batch, audit_record
from outbox.models import OutboxEvent
from pcs.db.router import PUBLISHER, WRITER

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "reader", "publisher"])

FIELDS = ("actor_id", "actor", "action", "object_type", "object_id", "outcome", "reason",
          "user_agent", "request_id", "details")  # fmt: skip


def stored() -> tuple[list[AuditEvent], dict[int, OutboxEvent]]:
    """Every audit row (oldest first) and every outbox copy by audit id, across tenants."""
    # The outbox's cross-tenant reader: the publisher's login.
    copies = {
        e.payload["audit_id"]: e for e in OutboxEvent.objects.using(PUBLISHER).filter(topic="audit")
    }
    rows = []
    for organization_id in {e.organization_id for e in copies.values()}:
        with transaction.atomic():
            with connections[WRITER].cursor() as cursor:
                cursor.execute(
                    "SELECT set_config('app.current_organization', %s, true)",
                    [str(organization_id or "")],
                )
            rows += AuditEvent.objects.all()
    return sorted(rows, key=lambda row: row.pk), copies


def test_each_row_has_an_outbox_copy_with_the_same_fields_and_its_id(tenant_a) -> None:
    audit_record(
        action="document.read",
        organization_id=tenant_a.organization.pk,
        actor=Actor.of(tenant_a.membership),
        object_type="document",
        object_id=42,
        outcome=Outcome.DENIED,
        reason="role",
        details={"role": "auditor", "nested": {"n": [1, 2]}},
    )
    rows, copies = stored()
    [row] = [row for row in rows if row.action == "document.read"]
    copy = copies[row.pk]
    assert {name: copy.payload[name] for name in FIELDS} == {
        name: getattr(row, name) for name in FIELDS
    }
    assert copy.payload["occurred_at"] == row.occurred_at.isoformat(timespec="microseconds")
    assert copy.payload["organization_id"] == str(tenant_a.organization.pk)
    assert (copy.event_type, copy.aggregate_id) == ("document.read", str(row.organization_id))
    assert copy.published_at is None and copy.attempts == 0


def test_a_batch_of_several_tenants_is_stored_in_order_each_under_its_tenant(
    tenant_a, tenant_b
) -> None:
    def event(organization, action: str) -> dict:
        return {
            "occurred_at": "2026-11-29T01:02:03.000004+00:00",
            "organization_id": organization and str(organization.pk),
            "actor_id": None, "actor": "system", "action": action, "object_type": "probe",
            "object_id": "", "outcome": "success", "reason": "", "source_ip": "2001:db8::7",
            "user_agent": "", "request_id": "", "details": {},
        }  # fmt: skip

    batch = [
        event(tenant_a.organization, "a.1"),
        event(None, "platform.1"),
        event(tenant_b.organization, "b.1"),
        event(tenant_a.organization, "a.2"),
    ]
    before, _ = stored()
    _stored_batch(batch)
    rows, copies = stored()
    rows = rows[len(before) :]
    # per tenant in the order they came (each tenant's rows under its own setting)
    assert [row.action for row in rows] == ["a.1", "a.2", "platform.1", "b.1"]
    assert {copies[row.pk].payload["action"] for row in rows} == {row.action for row in rows}
    assert copies[rows[2].pk].aggregate_id == "platform"
    assert {row.source_ip for row in rows} == {"2001:db8::7"}


def test_a_record_made_in_a_change_that_rolls_back_leaves_neither_row_nor_copy() -> None:
    with pytest.raises(ZeroDivisionError), transaction.atomic(using=WRITER):
        audit_record(action="token.issued", organization_id=None, actor=SYSTEM, object_type="t")
        1 / 0  # noqa: B018 - the change fails after its record was written
    assert stored() == ([], {})
