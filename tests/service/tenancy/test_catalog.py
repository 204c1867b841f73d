"""Every table holding tenant data is under forced row-level security (read from the catalog)."""

from __future__ import annotations

import pytest
from django.db import connection

from tenancy.catalog import (
    ISOLATING_EXPRESSIONS,
    PLATFORM_TABLES,
    POLICY_EXCEPTIONS,
    tables_without_isolation,
)

pytestmark = pytest.mark.django_db(databases=["default", "reader"])


def test_every_table_is_isolated_or_a_listed_platform_table() -> None:
    with connection.cursor() as cursor:
        assert tables_without_isolation(cursor) == []


def test_the_tables_the_issue_named_are_under_forced_row_level_security() -> None:
    tenant_tables = ("documents_document", "outbox_outboxevent", "core_taskexecution")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_class WHERE relrowsecurity AND relforcerowsecurity"
            " AND relname = ANY(%s)",
            [[*tenant_tables, "audit_auditevent"]],
        )
        assert {name for (name,) in cursor.fetchall()} == {*tenant_tables, "audit_auditevent"}
    assert not set(tenant_tables) & set(PLATFORM_TABLES)


@pytest.mark.usefixtures("as_superuser")
@pytest.mark.django_db(transaction=True, databases=["default", "reader"])
@pytest.mark.parametrize(
    "isolation",
    [
        "",  # no row-level security at all
        "ALTER TABLE probe_notes ENABLE ROW LEVEL SECURITY",  # enabled, not forced, no policy
        "ALTER TABLE probe_notes ENABLE ROW LEVEL SECURITY;"
        " ALTER TABLE probe_notes FORCE ROW LEVEL SECURITY;"
        " CREATE POLICY everything ON probe_notes USING (true)",  # a policy that isolates nothing
        "ALTER TABLE probe_notes ENABLE ROW LEVEL SECURITY;"
        " ALTER TABLE probe_notes FORCE ROW LEVEL SECURITY;"
        " CREATE POLICY mentions ON probe_notes"
        " USING (organization_id = pcs_current_organization() OR true)",  # names it, admits all
        "ALTER TABLE probe_notes ENABLE ROW LEVEL SECURITY;"
        " ALTER TABLE probe_notes FORCE ROW LEVEL SECURITY;"
        " CREATE POLICY tenant ON probe_notes USING (organization_id = pcs_current_organization());"
        " CREATE POLICY also ON probe_notes FOR SELECT USING (body <> '')",  # a second door
    ],
)
def test_a_new_tenant_table_without_a_tenant_policy_is_found(isolation: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE probe_notes (organization_id uuid, body text)")
        try:
            if isolation:
                cursor.execute(isolation)
            assert tables_without_isolation(cursor) == ["probe_notes"]
            cursor.execute(
                "DROP TABLE probe_notes;"
                " CREATE TABLE probe_notes (organization_id uuid, body text);"
                " ALTER TABLE probe_notes ENABLE ROW LEVEL SECURITY;"
                " ALTER TABLE probe_notes FORCE ROW LEVEL SECURITY;"
                " CREATE POLICY tenant_isolation_probe ON probe_notes"
                " USING (organization_id = pcs_current_organization())"
            )
            assert tables_without_isolation(cursor) == []
        finally:
            cursor.execute("DROP TABLE probe_notes")


def test_each_policy_has_an_isolating_expression_or_is_a_listed_exception() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename, policyname, roles::text[], cmd, qual, with_check FROM pg_policies"
            " WHERE schemaname = 'public' ORDER BY 1, 2"
        )
        policies = cursor.fetchall()
    tenant = "(organization_id = pcs_current_organization())"
    or_platform = "(NOT (organization_id IS DISTINCT FROM pcs_current_organization()))"
    assert (tenant, or_platform) == ISOLATING_EXPRESSIONS
    assert [*POLICY_EXCEPTIONS] == [("outbox_outboxevent", "publisher")]
    everyone = ["public"]
    assert policies == [
        ("audit_auditevent", "tenant_append", everyone, "INSERT", None, or_platform),
        ("audit_auditevent", "tenant_read", everyone, "SELECT", or_platform, None),
        ("core_taskexecution", "tenant_isolation", everyone, "ALL", or_platform, or_platform),
        ("documents_document", "tenant_isolation", everyone, "ALL", tenant, tenant),
        ("outbox_outboxevent", "publisher", ["pcs_outbox_publisher"], "ALL", "true", "true"),
        ("outbox_outboxevent", "tenant_isolation", everyone, "ALL", or_platform, or_platform),
    ]


@pytest.mark.usefixtures("as_superuser")
@pytest.mark.django_db(transaction=True, databases=["default", "reader"])
@pytest.mark.parametrize(
    "widening",
    [
        "ALTER POLICY publisher ON outbox_outboxevent TO public",  # every role, not the publisher
        "ALTER POLICY publisher ON outbox_outboxevent TO pcs_outbox_publisher"
        " USING (current_setting('app.outbox_publisher', true) = 'on')",  # a setting anyone sets
        "ALTER POLICY tenant_isolation ON outbox_outboxevent"
        " USING (organization_id IS NOT DISTINCT FROM pcs_current_organization()"
        " OR current_setting('app.outbox_publisher', true) = 'on')",  # issue 22's escape hatch
    ],
)
def test_the_outbox_policies_are_checked_whole_not_by_a_substring(widening: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("BEGIN")
        try:
            cursor.execute(widening)
            assert tables_without_isolation(cursor) == ["outbox_outboxevent"]
        finally:
            cursor.execute("ROLLBACK")
