"""`manage.py db_app_role` against the real local PostgreSQL: the services' DML-only role.

The command runs as the superuser here (the tables' owner, as the master is on Aurora); the role
it provisions is then used directly with psycopg.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import os
import uuid

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connections

pytestmark = [
    pytest.mark.django_db(transaction=True, databases=["default", "reader"]),
    pytest.mark.usefixtures("as_superuser"),
]

ROLE = f"pcs_app_cmd_{os.getpid()}"


@pytest.fixture
def app_role(settings):
    """Point DATABASE_APP_ROLE at a role of this run; drop it (and its grants) afterwards."""
    settings.DATABASE_APP_ROLE = {"USER": ROLE, "PASSWORD": "first-password"}
    yield settings.DATABASE_APP_ROLE
    with connections["default"].cursor() as cursor:
        for name in (f"{ROLE}_clone", ROLE):
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [name])
            if cursor.fetchone():
                cursor.execute(f"DROP OWNED BY {name}")
                cursor.execute(f"DROP ROLE {name}")


def apply() -> str:
    """Run the command; its stdout."""
    out = io.StringIO()
    call_command("db_app_role", stdout=out)
    return out.getvalue().strip()


def attributes(name: str = ROLE) -> tuple:
    with connections["default"].cursor() as cursor:
        cursor.execute(
            "SELECT rolcanlogin, rolsuper, rolbypassrls, rolcreaterole, rolcreatedb, rolreplication"
            " FROM pg_roles WHERE rolname = %s",
            [name],
        )
        return cursor.fetchone()


def table_privileges(name: str = ROLE) -> dict[str, set[str]]:
    """Per table of the schema, the privileges `name` holds (directly or through membership)."""
    kinds = ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER")
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        tables = [row[0] for row in cursor.fetchall()]
        found = {}
        for table in tables:
            found[table] = set()
            for kind in kinds:
                cursor.execute("SELECT has_table_privilege(%s, %s, %s)", [name, table, kind])
                if cursor.fetchone()[0]:
                    found[table].add(kind)
    return found


def connect_as(name: str = ROLE) -> psycopg.Connection:
    database = connections["default"].settings_dict["NAME"]
    return psycopg.connect(f"host=127.0.0.1 user={name} dbname={database}", autocommit=True)


def scram_matches(verifier: str, password: str) -> bool:
    """True if a SCRAM-SHA-256 verifier (pg_authid.rolpassword) was made from `password`."""
    _, rest = verifier.split("$", 1)
    iterations_salt, keys = rest.split("$")
    iterations, salt = iterations_salt.split(":")
    stored_key, _server_key = keys.split(":")
    salted = hashlib.pbkdf2_hmac(
        "sha256", password.encode(), base64.b64decode(salt), int(iterations)
    )
    client_key = hmac.new(salted, b"Client Key", "sha256").digest()
    return base64.b64encode(hashlib.sha256(client_key).digest()).decode() == stored_key


def stored_verifier(name: str = ROLE) -> str:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT rolpassword FROM pg_authid WHERE rolname = %s", [name])
        return cursor.fetchone()[0]


def test_it_creates_a_login_role_without_any_elevated_attribute(app_role) -> None:
    assert apply() == f"created database role {ROLE}"
    assert attributes() == (True, False, False, False, False, False)


def test_the_role_gets_only_dml_on_every_table_and_only_appends_to_the_audit_trail(
    app_role,
) -> None:
    apply()
    privileges = table_privileges()
    audit = privileges.pop("audit_auditevent")
    assert "documents_document" in privileges
    assert set(map(frozenset, privileges.values())) == {
        frozenset({"SELECT", "INSERT", "UPDATE", "DELETE"})
    }
    assert audit == {"SELECT", "INSERT"}


def test_the_role_cannot_update_delete_or_truncate_audit_rows_with_raw_sql(
    app_role, tenant_a
) -> None:
    apply()
    organization = str(tenant_a.organization.pk)
    with connect_as() as conn:
        conn.execute("SELECT set_config('app.current_organization', %s, false)", [organization])
        conn.execute(
            "INSERT INTO audit_auditevent (occurred_at, organization_id, actor, action,"
            " object_type, object_id, outcome, reason, user_agent, request_id, details)"
            " VALUES (now(), %s, 'probe', 'probe.appended', 'probe', '', 'success', '', '', '',"
            " '{}')",
            [organization],
        )
        count = "SELECT count(*) FROM audit_auditevent WHERE action = 'probe.appended'"
        assert conn.execute(count).fetchone() == (1,)
        for statement in (
            "UPDATE audit_auditevent SET reason = 'rewritten'",
            "DELETE FROM audit_auditevent",
            "TRUNCATE audit_auditevent",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match="permission denied"):
                conn.execute(statement)
        assert conn.execute(count).fetchone() == (1,)


def test_the_role_owns_nothing_and_cannot_change_the_schema(app_role) -> None:
    apply()
    with connect_as() as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("CREATE TABLE intruder (id int)")
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="must be owner"):
            conn.execute("ALTER TABLE documents_document DISABLE ROW LEVEL SECURITY")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("DROP TABLE outbox_outboxevent")


def test_row_level_security_applies_to_the_role(app_role, tenant_a) -> None:
    apply()
    with connect_as() as conn:
        conn.execute(
            "SELECT set_config('app.current_organization', %s, false)", [str(uuid.uuid4())]
        )
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            conn.execute(
                "INSERT INTO documents_document (id, organization_id, title, filename,"
                " content_type, object_key, status, checksum_sha256, detected_content_type,"
                " failure_reason, created_by_id, created_at, updated_at)"
                " VALUES (%s, %s, 't', 'f', 'text/plain', %s, 'uploaded', '', '', '', %s,"
                " now(), now())",
                [uuid.uuid4(), tenant_a.organization.pk, str(uuid.uuid4()),
                 tenant_a.membership.user_id],
            )  # fmt: skip


def test_running_it_again_changes_nothing(app_role) -> None:
    apply()
    before = (attributes(), table_privileges())
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_default_acl")
        default_acls = cursor.fetchone()[0]
    assert apply() == f"updated database role {ROLE}"
    assert (attributes(), table_privileges()) == before
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_default_acl")
        assert cursor.fetchone()[0] == default_acls
    assert scram_matches(stored_verifier(), "first-password")


def test_a_new_password_replaces_the_old_one(app_role) -> None:
    apply()
    app_role["PASSWORD"] = "second-password"
    apply()
    assert scram_matches(stored_verifier(), "second-password")
    assert not scram_matches(stored_verifier(), "first-password")


def test_tables_created_later_by_the_owner_are_granted_too(app_role) -> None:
    apply()
    with connections["default"].cursor() as cursor:
        cursor.execute("CREATE TABLE later_table (id bigserial primary key)")
    try:
        with connect_as() as conn:
            conn.execute("INSERT INTO later_table DEFAULT VALUES")
            assert conn.execute("SELECT count(*) FROM later_table").fetchone() == (1,)
    finally:
        with connections["default"].cursor() as cursor:
            cursor.execute("DROP TABLE later_table")


def test_drifted_attributes_are_put_back(app_role) -> None:
    apply()
    with connections["default"].cursor() as cursor:
        cursor.execute(f"ALTER ROLE {ROLE} BYPASSRLS CREATEDB")
    apply()
    assert attributes() == (True, False, False, False, False, False)


def test_the_rotation_clone_inherits_the_base_roles_grants(app_role) -> None:
    apply()
    app_role["USER"] = f"{ROLE}_clone"
    app_role["PASSWORD"] = "clone-password"
    assert apply() == f"created database role {ROLE}_clone"
    assert attributes(f"{ROLE}_clone") == (True, False, False, False, False, False)
    assert table_privileges(f"{ROLE}_clone") == table_privileges(ROLE)
    assert scram_matches(stored_verifier(f"{ROLE}_clone"), "clone-password")


def test_without_the_app_role_settings_it_fails_naming_them(settings) -> None:
    settings.DATABASE_APP_ROLE = None
    with pytest.raises(CommandError, match="DATABASE_APP_ROLE needs USER and PASSWORD"):
        apply()


PUBLISHER = f"pcs_publisher_cmd_{os.getpid()}"


@pytest.fixture
def publisher_role(settings, app_role):
    """DATABASE_PUBLISHER_ROLE set as well; its role dropped afterwards."""
    settings.DATABASE_PUBLISHER_ROLE = {"USER": PUBLISHER, "PASSWORD": "publisher-password"}
    yield settings.DATABASE_PUBLISHER_ROLE
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [PUBLISHER])
        if cursor.fetchone():
            cursor.execute(f"DROP OWNED BY {PUBLISHER}")
            cursor.execute(f"DROP ROLE {PUBLISHER}")


def test_the_publishers_login_may_only_read_mark_and_prune_outbox_events(publisher_role) -> None:
    assert apply() == f"created database role {ROLE}\ncreated database role {PUBLISHER}"
    assert attributes(PUBLISHER) == (True, False, False, False, False, False)
    granted = {table: kinds for table, kinds in table_privileges(PUBLISHER).items() if kinds}
    assert granted == {"outbox_outboxevent": {"SELECT", "UPDATE", "DELETE"}}
    assert scram_matches(stored_verifier(PUBLISHER), "publisher-password")


def test_the_publishers_login_reads_every_tenant_and_the_app_role_cannot(
    publisher_role, tenant_a, tenant_b
) -> None:
    apply()
    with connections["default"].cursor() as cursor:
        cursor.execute(f"GRANT pcs_outbox_publisher TO {ROLE}")  # drift: put right by the command
    apply()
    tenants = "SELECT count(DISTINCT organization_id) FROM outbox_outboxevent"
    with connect_as(PUBLISHER) as conn:
        assert conn.execute(tenants).fetchone() == (2,)
    with connect_as(ROLE) as conn:
        conn.execute("SELECT set_config('app.outbox_publisher', 'on', false)")
        assert conn.execute(tenants).fetchone() == (0,)
        assert conn.execute(
            "SELECT pg_has_role(current_user, 'pcs_outbox_publisher', 'MEMBER')"
        ).fetchone() == (False,)


def test_the_publisher_must_be_another_role_than_the_app(publisher_role) -> None:
    publisher_role["USER"] = f"{ROLE}_clone"
    with pytest.raises(CommandError, match="another role than the app's"):
        apply()
