"""Row-level security: a tenant cannot read or write another tenant's rows, even with raw SQL.

The tests' connection is the application role (tests/service/conftest.py): not a superuser, no
BYPASSRLS, not the owner. One test makes it the owner to show FORCE still binds it.
"""

from __future__ import annotations

import uuid

import psycopg
import pytest
from django.db import DatabaseError, connection, transaction

from documents.models import Document
from pcs.db.binding import TENANT_SETTING
from tenancy.context import tenant_context

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "reader"])


@pytest.fixture
def documents(tenant_a, tenant_b) -> dict[str, Document]:
    """One document per tenant, created through the tenant context as the app does."""
    made = {}
    for tenant in (tenant_a, tenant_b):
        with tenant_context(organization_id=tenant.organization.pk):
            made[tenant.organization.name] = Document.objects.create(
                organization=tenant.organization,
                title=f"{tenant.organization.name} plan",
                filename="plan.pdf",
                content_type="application/pdf",
                object_key=f"{tenant.organization.pk}/{uuid.uuid4()}/plan.pdf",
                created_by=tenant.membership.user,
            )
    return made


@pytest.fixture
def app_cursor(documents):
    """A raw cursor of the application's connection, in a transaction, after the setup."""
    with transaction.atomic(), connection.cursor() as cursor:
        yield cursor


def _as_tenant(cursor, organization_id) -> None:
    cursor.execute("SELECT set_config(%s, %s, true)", [TENANT_SETTING, str(organization_id)])


def test_the_app_role_cannot_bypass_row_level_security(app_cursor) -> None:
    app_cursor.execute("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")
    assert app_cursor.fetchone() == (False, False)
    app_cursor.execute(
        "SELECT relrowsecurity, relforcerowsecurity, pg_get_userbyid(relowner) <> current_user"
        " FROM pg_class WHERE relname = 'documents_document'"
    )
    assert app_cursor.fetchone() == (True, True, True)


def test_raw_sql_sees_only_the_current_tenants_rows(app_cursor, tenant_a) -> None:
    _as_tenant(app_cursor, tenant_a.organization.pk)
    app_cursor.execute("SELECT title FROM documents_document")
    assert app_cursor.fetchall() == [("acme plan",)]


def test_without_a_tenant_no_rows_are_visible(app_cursor) -> None:
    app_cursor.execute("SELECT count(*) FROM documents_document")
    assert app_cursor.fetchone() == (0,)


def test_raw_sql_cannot_update_or_delete_another_tenants_rows(
    app_cursor, documents, tenant_a
) -> None:
    _as_tenant(app_cursor, tenant_a.organization.pk)
    other = documents["globex"].pk
    app_cursor.execute("UPDATE documents_document SET title = 'pwned' WHERE id = %s", [other])
    assert app_cursor.rowcount == 0
    app_cursor.execute("DELETE FROM documents_document WHERE id = %s", [other])
    assert app_cursor.rowcount == 0


def test_raw_sql_cannot_move_a_row_or_insert_into_another_tenant(
    app_cursor, documents, tenant_a, tenant_b
) -> None:
    _as_tenant(app_cursor, tenant_a.organization.pk)
    with pytest.raises(DatabaseError, match="row-level security"), transaction.atomic():
        app_cursor.execute(
            "UPDATE documents_document SET organization_id = %s WHERE id = %s",
            [str(tenant_b.organization.pk), str(documents["acme"].pk)],
        )
    with pytest.raises(DatabaseError, match="row-level security"), transaction.atomic():
        app_cursor.execute(
            "INSERT INTO documents_document (id, organization_id, title, filename, content_type,"
            " object_key, status, checksum_sha256, detected_content_type, failure_reason,"
            " created_by_id, created_at, updated_at) VALUES (%s, %s, 't', 'f', 'text/plain',"
            " %s, 'uploaded', '', '', '', %s, now(), now())",
            [
                str(uuid.uuid4()),
                str(tenant_b.organization.pk),
                str(uuid.uuid4()),
                tenant_a.membership.user_id,
            ],
        )


@pytest.fixture
def app_role_owns_documents(test_db_name):
    """Make the application role the table's owner for one test (as the superuser)."""
    app_role = connection.settings_dict["USER"]
    dsn = f"host=127.0.0.1 user=postgres dbname={test_db_name}"
    with psycopg.connect(dsn, autocommit=True) as superuser:
        superuser.execute(f"ALTER TABLE documents_document OWNER TO {app_role}")
        try:
            yield
        finally:
            # Handing ownership back drops the role's grants (they were the owner's): restore.
            superuser.execute("ALTER TABLE documents_document OWNER TO postgres")
            grants = "SELECT, INSERT, UPDATE, DELETE, TRUNCATE"
            superuser.execute(f"GRANT {grants} ON documents_document TO {app_role}")


@pytest.mark.usefixtures("app_role_owns_documents")
def test_forced_rls_also_binds_the_tables_owner(app_cursor, tenant_a) -> None:
    app_cursor.execute(
        "SELECT pg_get_userbyid(relowner) = current_user FROM pg_class"
        " WHERE relname = 'documents_document'"
    )
    assert app_cursor.fetchone() == (True,)
    _as_tenant(app_cursor, tenant_a.organization.pk)
    app_cursor.execute("SELECT title FROM documents_document")
    assert app_cursor.fetchall() == [("acme plan",)]
