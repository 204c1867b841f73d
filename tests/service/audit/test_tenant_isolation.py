"""One tenant's bad request cannot fail another tenant's requests or lose their audit records.

The records of concurrent requests of every tenant share one group-commit batch
(audit.group_commit); a record PostgreSQL refuses (a `\\u0000` in jsonb, for one) must fail only
its own request. The requests below are held in one batch by taking the batch's lock while they
queue, as concurrent requests under gevent do.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest
from django.db import DataError

from audit import services as audit_services
from audit.models import AuditEvent
from audit.services import SYSTEM, audit_record
from tenancy.models import Role
from tests.service.conftest import Tenant, tenant_make

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "reader"])

AUDIT = "/api/v1/audit-events/"


@pytest.fixture
def admins() -> tuple[Tenant, Tenant]:
    """Two organizations, each with an admin (who may read its audit trail)."""
    return tenant_make("evilcorp", role=Role.ADMIN), tenant_make("victimco", role=Role.ADMIN)


def in_one_batch(*calls: Callable[[], object], queued: int) -> list[object]:
    """Run `calls` concurrently while the batch lock is held, until `queued` records wait (or
    every call has returned), then let one writer store them all; each call's result."""
    group = audit_services._group_commit
    results: list[object] = [None] * len(calls)

    def run(index: int) -> None:
        try:
            results[index] = calls[index]()
        except Exception as exc:
            results[index] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    with group._lock:
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 10
        while len(group._queue) < queued and time.monotonic() < deadline:
            time.sleep(0.01)
        assert len(group._queue) == queued
    for thread in threads:
        thread.join(10)
    return results


def listed(tenant: Tenant) -> list[dict]:
    """The details of the tenant's `audit.listed` records."""
    with tenant.scope():
        return [e.details for e in AuditEvent.objects.filter(action="audit.listed")]


def test_an_unknown_query_parameter_is_refused_naming_it(admins) -> None:
    evil, _ = admins
    response = evil.client().get(AUDIT, {"zz": "\x00", "action": "x"})
    assert response.status_code == 400
    assert response.json() == {
        "errors": {
            "zz": [
                "unknown parameter; allowed: action, actor, outcome, object_type, object_id,"
                " since, until, limit, offset"
            ]
        }
    }
    assert listed(evil) == []


def test_a_null_character_in_a_known_parameter_is_refused(admins) -> None:
    evil, _ = admins
    response = evil.client().get(AUDIT, {"action": "a\x00b"})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["action"]


def test_the_record_holds_the_validated_filters_only(admins) -> None:
    evil, _ = admins
    response = evil.client().get(AUDIT, {"action": "member.created", "limit": "5"})
    assert response.status_code == 200
    assert listed(evil) == [{"filters": {"action": "member.created", "limit": 5}, "count": 1}]


def test_a_bad_request_alongside_another_tenants_fails_neither_the_other_nor_its_record(
    admins,
) -> None:
    evil, victim = admins
    for tenant in admins:  # first uses recorded now, so that only the requests' own records queue
        assert tenant.client().get("/api/v1/tokens/").status_code == 200
    bad, good = in_one_batch(
        lambda: evil.client().get(AUDIT, {"zz": "\x00"}),
        lambda: victim.client().get(AUDIT),
        queued=1,  # the refused request records nothing; the victim's record waits
    )
    assert bad.status_code == 400
    assert good.status_code == 200
    assert [details["filters"] for details in listed(victim)] == [{}]


def test_a_record_that_cannot_be_stored_fails_only_its_own_caller(admins) -> None:
    evil, victim = admins

    def record(tenant: Tenant, details: dict) -> Callable[[], None]:
        return lambda: audit_record(
            action="probe", organization_id=tenant.organization.pk, actor=SYSTEM,
            object_type="probe", details=details,
        )  # fmt: skip

    bad, good, good_too = in_one_batch(
        record(evil, {"q": "\x00"}), record(victim, {"q": 1}), record(evil, {"q": 2}), queued=3
    )
    assert isinstance(bad, DataError)
    assert (good, good_too) == (None, None)
    for tenant, expected in ((victim, [{"q": 1}]), (evil, [{"q": 2}])):
        with tenant.scope():
            assert [e.details for e in AuditEvent.objects.filter(action="probe")] == expected
