"""The outbox's cross-tenant scope belongs to a database role only the publisher's login has.

Issue 22: the policy used to admit every row to any session that set `app.outbox_publisher`,
which the app role may set itself.
"""

from __future__ import annotations

import pytest
from django.db import connections, transaction

from outbox.models import PUBLISHER_ROLE, OutboxEvent
from pcs.db.router import PUBLISHER, WRITER

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "reader", "publisher"])


def _event(tenant) -> int:
    with tenant.scope():
        return OutboxEvent.objects.create(
            topic="documents",
            event_type="document.registered",
            organization_id=tenant.organization.pk,
            aggregate_id="doc-1",
            payload={"title": "Q3 layoffs"},
        ).pk


def test_the_app_role_cannot_read_other_tenants_events_by_setting_the_old_switch(
    tenant_a, tenant_b
) -> None:
    _event(tenant_b)
    others = "SELECT count(*) FROM outbox_outboxevent WHERE organization_id IS DISTINCT FROM %s"
    with tenant_a.scope(), connections[WRITER].cursor() as cursor:
        cursor.execute("SELECT set_config('app.outbox_publisher', 'on', true)")
        cursor.execute(others, [tenant_a.organization.pk])
        assert cursor.fetchone() == (0,)
    with transaction.atomic(using=WRITER), connections[WRITER].cursor() as cursor:
        cursor.execute("SELECT set_config('app.outbox_publisher', 'on', true)")
        cursor.execute("SELECT count(*) FROM outbox_outboxevent WHERE organization_id IS NOT NULL")
        assert cursor.fetchone() == (0,)


def test_the_publishers_login_reads_every_tenants_events_and_the_app_role_only_its_own(
    tenant_a, tenant_b
) -> None:
    ids = {_event(tenant_a), _event(tenant_b)}
    assert set(OutboxEvent.objects.using(PUBLISHER).values_list("pk", flat=True)) >= ids
    with tenant_a.scope():
        assert set(OutboxEvent.objects.values_list("organization_id", flat=True)) == {
            tenant_a.organization.pk
        }


def test_only_the_publishers_login_is_a_member_of_the_publisher_role() -> None:
    with connections[WRITER].cursor() as cursor:
        cursor.execute("SELECT pg_has_role(current_user, %s, 'MEMBER')", [PUBLISHER_ROLE])
        assert cursor.fetchone() == (False,)
    with connections[PUBLISHER].cursor() as cursor:
        cursor.execute("SELECT pg_has_role(current_user, %s, 'MEMBER')", [PUBLISHER_ROLE])
        assert cursor.fetchone() == (True,)
