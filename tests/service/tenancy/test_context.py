"""The tenant bindings come and go with their block, on the connections the API worker makes."""

from __future__ import annotations

import uuid

import pytest
from django.db import connections

from pcs.db.router import WRITER
from tenancy.context import TenantContextConflict, tenant_context, tenant_reads
from tests.service.gevent_child import run_patched


def test_reads_leave_no_binding_behind_when_the_block_made_the_connection() -> None:
    # Under gevent each new connection also gets the query deadline's wrapper; a binding block
    # open at that moment must still remove its own wrapper, not the deadline's.
    out = run_patched(
        """
import uuid
from django.db import connections
from tenancy.context import tenant_context, tenant_reads

reader = connections["reader"]
for _ in range(3):
    with tenant_reads(organization_id=uuid.uuid4(), alias="reader"):
        with reader.cursor() as cursor:
            cursor.execute("SELECT current_setting('app.current_organization', true)")
            assert cursor.fetchone()[0]  # the binding was in force for the query
    reader.close()  # back to the pool, as at the end of a request
with tenant_context(organization_id=uuid.uuid4(), aliases=["reader"]):
    reader.cursor().execute("SELECT 1")
print([wrapper.__name__ for wrapper in reader.execute_wrappers])
""",
        django=True,
    )
    assert out == "['_query_deadline']"


@pytest.mark.django_db(transaction=True, databases=["default", "reader"])
def test_a_nested_context_for_another_organization_is_refused_and_the_outer_one_holds() -> None:
    outer, other = uuid.uuid4(), uuid.uuid4()
    with tenant_context(organization_id=outer, aliases=[WRITER]):
        with (
            pytest.raises(TenantContextConflict, match="another organization"),
            tenant_context(organization_id=other, aliases=[WRITER]),
        ):
            current_organization()
        assert current_organization() == str(outer)
        with tenant_context(organization_id=outer, aliases=[WRITER]):  # the same one nests
            assert current_organization() == str(outer)
        with pytest.raises(TenantContextConflict), tenant_reads(organization_id=other):
            pass
        assert current_organization() == str(outer)


def current_organization() -> str:
    with connections[WRITER].cursor() as cursor:
        cursor.execute("SELECT current_setting('app.current_organization', true)")
        return cursor.fetchone()[0]
