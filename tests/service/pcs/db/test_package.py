"""pcs.db: the execute wrappers in the order its docstring states, and `.iterator()` on the
pipelined read path."""

from __future__ import annotations

import pytest

import pcs.db
from audit.models import AuditEvent
from pcs.db.router import READER, db_scope
from tenancy.context import tenant_reads
from tests.service.gevent_child import run_patched


def test_the_wrappers_run_in_the_order_the_package_states() -> None:
    # Under gevent every connection gets the deadline first; a binding block adds its own after
    # it, so the deadline (outermost: Django runs the list's first wrapper first) covers it.
    out = run_patched(
        """
import uuid
from django.db import connections
from tenancy.context import tenant_reads

reader = connections["reader"]
with tenant_reads(organization_id=uuid.uuid4(), alias="reader"):
    reader.cursor().execute("SELECT 1")
    print([getattr(w, "__name__", type(w).__name__) for w in reader.execute_wrappers])
""",
        django=True,
    )
    assert out == str(list(pcs.db.EXECUTE_WRAPPER_ORDER))
    assert pcs.db.EXECUTE_WRAPPER_ORDER == ("_query_deadline", "TenantBinding")
    doc = pcs.db.__doc__
    assert doc.index("`_query_deadline`") < doc.index("`TenantBinding`")


@pytest.mark.django_db(transaction=True, databases=["default", "reader"])
def test_iterating_a_queryset_on_the_pipelined_read_path_works(tenant_a) -> None:
    with db_scope(pinned=False), tenant_reads(organization_id=tenant_a.organization.pk):
        actions = [event.action for event in AuditEvent.objects.using(READER).iterator(2)]
    assert sorted(actions) == ["member.created", "token.issued"]
