"""`manage.py db_app_role`: create or update the services' database login role (migrate task).

Run by `bin/migrate` as the tables' owner (the cluster's master) after the migrations. The role
named by settings.DATABASE_APP_ROLE (the app secret's current username and password) gets LOGIN,
the current password, none of SUPERUSER, BYPASSRLS, CREATEROLE, CREATEDB, REPLICATION, and only
DML on the schema's tables and sequences, now and for tables the owner creates later; on an
append-only table (one carrying the `pcs_append_only` trigger: the audit trail) only SELECT and
INSERT. Idempotent.

Where settings.DATABASE_PUBLISHER_ROLE is set (the publisher secret's username and password),
the outbox publisher's login is provisioned the same way, but with only SELECT, UPDATE and
DELETE on the outbox's events and membership in outbox.models.PUBLISHER_ROLE, the one role the
outbox's policy admits to every tenant's rows. The app role is never a member of it.

Multi-user rotation alternates the secret between `<role>` and `<role>_clone` (the clone is a
member of the role): grants always go to the base role, so both names keep every table.
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections, transaction
from psycopg import sql

from outbox.models import PUBLISHER_ROLE
from tenancy.rls import APPEND_ONLY_FUNCTION

ROTATION_CLONE_SUFFIX = "_clone"  # the AWS multi-user rotation Lambda's alternate user
SCHEMA = "public"
ROLE_ATTRIBUTES = "LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEROLE NOCREATEDB NOREPLICATION INHERIT"
TABLE_PRIVILEGES = "SELECT, INSERT, UPDATE, DELETE"
SEQUENCE_PRIVILEGES = "USAGE, SELECT"
PUBLISHER_TABLE = "outbox_outboxevent"
PUBLISHER_PRIVILEGES = "SELECT, UPDATE, DELETE"


class Command(BaseCommand):
    """Create or update the app role from settings.DATABASE_APP_ROLE; grant it DML only."""

    help = "Create or update the application's DML-only database role (run as the owner)."

    def add_arguments(self, parser: CommandParser) -> None:
        """--database: the alias to connect with (the owner's)."""
        parser.add_argument("--database", default="default", help="database alias (the owner's)")

    def handle(self, *args: object, database: str, **options: object) -> None:
        """Apply the roles and their grants in one transaction; print what was done."""
        username, password = _credentials("DATABASE_APP_ROLE", "DB_APP_USER")
        publisher = (
            _credentials("DATABASE_PUBLISHER_ROLE", "DB_PUBLISHER_USER")
            if settings.DATABASE_PUBLISHER_ROLE is not None
            else None
        )
        base = username.removesuffix(ROTATION_CLONE_SUFFIX)
        if publisher is not None and publisher[0].removesuffix(ROTATION_CLONE_SUFFIX) == base:
            raise CommandError("DATABASE_PUBLISHER_ROLE must name another role than the app's")
        connection = connections[database]
        done = []
        with transaction.atomic(using=database), connection.cursor() as cursor:
            logins = (username, base, *(publisher[0:1] if publisher else ()))
            if cursor.connection.info.user in logins:
                raise CommandError(f"run db_app_role as the tables' owner, not as {username!r}")
            done.append(_login_apply(cursor, username, password))
            _privileges_grant(cursor, base)
            cursor.execute(
                sql.SQL("REVOKE {} FROM {}").format(
                    sql.Identifier(PUBLISHER_ROLE), sql.Identifier(base)
                )
            )
            if publisher is not None:
                done.append(_login_apply(cursor, *publisher))
                _publisher_grant(cursor, publisher[0].removesuffix(ROTATION_CLONE_SUFFIX))
        self.stdout.write("\n".join(done))


def _credentials(setting: str, variable: str) -> tuple[str, str]:
    credentials = getattr(settings, setting)
    if not credentials or not credentials.get("USER") or not credentials.get("PASSWORD"):
        raise CommandError(f"{setting} needs USER and PASSWORD ({variable}, ...)")
    return credentials["USER"], credentials["PASSWORD"]


def _login_apply(cursor, username: str, password: str) -> str:
    """The login role, and its rotation clone's membership in the base role; what was done."""
    created = _login_role_apply(cursor, username, password)
    base = username.removesuffix(ROTATION_CLONE_SUFFIX)
    if base != username:
        cursor.execute(
            sql.SQL("GRANT {} TO {}").format(sql.Identifier(base), sql.Identifier(username))
        )
    return f"{'created' if created else 'updated'} database role {username}"


def _publisher_grant(cursor, role_name: str) -> None:
    """Membership in PUBLISHER_ROLE, and only what publishing and pruning do to the events."""
    role, schema = sql.Identifier(role_name), sql.Identifier(SCHEMA)
    database = sql.Identifier(cursor.connection.info.dbname)
    for statement in (
        "GRANT CONNECT ON DATABASE {database} TO {role}",
        "GRANT USAGE ON SCHEMA {schema} TO {role}",
        "REVOKE CREATE ON SCHEMA {schema} FROM {role}",
        "GRANT {publisher} TO {role}",
        f"GRANT {PUBLISHER_PRIVILEGES} ON {{table}} TO {{role}}",
    ):
        cursor.execute(
            sql.SQL(statement).format(
                database=database,
                schema=schema,
                role=role,
                publisher=sql.Identifier(PUBLISHER_ROLE),
                table=sql.Identifier(SCHEMA, PUBLISHER_TABLE),
            )
        )


def _login_role_apply(cursor, username: str, password: str) -> bool:
    """Create the role, or set its password and LOGIN; True if created.

    The password is sent as a SCRAM verifier computed here, so the statement (which pgaudit's
    `role` class logs) never carries it in clear.
    """
    role = sql.Identifier(username)
    verifier = cursor.connection.pgconn.encrypt_password(
        password.encode(), username.encode(), b"scram-sha-256"
    ).decode()
    cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [username])
    created = cursor.fetchone() is None
    if created:
        statement = "CREATE ROLE {} WITH " + ROLE_ATTRIBUTES + " PASSWORD {}"
    else:
        # ALTER names only what the owner may always change: on Aurora the master is not a
        # superuser and may not even restate NOSUPERUSER/NOBYPASSRLS. Drift is corrected below.
        statement = "ALTER ROLE {} WITH LOGIN PASSWORD {}"
    cursor.execute(sql.SQL(statement).format(role, sql.Literal(verifier)))
    cursor.execute(
        "SELECT rolsuper, rolbypassrls, rolcreaterole, rolcreatedb, rolreplication"
        " FROM pg_roles WHERE rolname = %s",
        [username],
    )
    if any(cursor.fetchone()):
        cursor.execute(sql.SQL("ALTER ROLE {} WITH " + ROLE_ATTRIBUTES).format(role))
    return created


def _privileges_grant(cursor, role_name: str) -> None:
    """DML on every table and sequence of the schema, now and later; no DDL; owns nothing."""
    cursor.execute(
        "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = %s AND pg_get_userbyid(c.relowner) = %s",
        [SCHEMA, role_name],
    )
    if cursor.fetchone()[0]:
        raise CommandError(f"database role {role_name!r} owns tables: it must only use them")
    role, schema = sql.Identifier(role_name), sql.Identifier(SCHEMA)
    statements = (
        "GRANT CONNECT ON DATABASE {database} TO {role}",
        "GRANT USAGE ON SCHEMA {schema} TO {role}",
        "REVOKE CREATE ON SCHEMA {schema} FROM {role}",
        f"GRANT {TABLE_PRIVILEGES} ON ALL TABLES IN SCHEMA {{schema}} TO {{role}}",
        f"GRANT {SEQUENCE_PRIVILEGES} ON ALL SEQUENCES IN SCHEMA {{schema}} TO {{role}}",
        # Tables and sequences the owner (this connection's role) creates in later migrations.
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {{schema}} GRANT {TABLE_PRIVILEGES} ON TABLES"
        " TO {role}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {{schema}} GRANT {SEQUENCE_PRIVILEGES} ON SEQUENCES"
        " TO {role}",
    )
    database = sql.Identifier(cursor.connection.info.dbname)
    for statement in statements:
        cursor.execute(sql.SQL(statement).format(database=database, schema=schema, role=role))
    for table in append_only_tables(cursor):
        cursor.execute(
            sql.SQL("REVOKE UPDATE, DELETE, TRUNCATE ON {} FROM {}").format(
                sql.Identifier(SCHEMA, table), role
            )
        )


def append_only_tables(cursor) -> list[str]:
    """Tables of the schema whose trigger refuses UPDATE and DELETE (tenancy.rls)."""
    cursor.execute(
        "SELECT DISTINCT c.relname FROM pg_trigger t"
        " JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
        " JOIN pg_proc p ON p.oid = t.tgfoid"
        " WHERE n.nspname = %s AND p.proname = %s ORDER BY 1",
        [SCHEMA, APPEND_ONLY_FUNCTION],
    )
    return [row[0] for row in cursor.fetchall()]
