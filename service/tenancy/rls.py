"""Migration operations that put a table holding tenant data under row-level security.

Tenant tables get one policy: rows are visible and writable only when their `organization_id`
equals the transaction's `app.current_organization`. Tables that also hold platform rows (no
organization) use the null-safe form: a platform row is visible only outside any tenant context.
FORCE makes the policy apply to the table owner too; only superusers and BYPASSRLS roles escape
it, and the application role is neither (start scripts refuse one that is: pcs.preflight).
tenancy.catalog (and its test) finds any table with tenant data that lacks such a policy.
"""

from django.db import migrations

CURRENT_ORGANIZATION_FUNCTION = migrations.RunSQL(
    sql="""
    CREATE FUNCTION pcs_current_organization() RETURNS uuid
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT NULLIF(current_setting('app.current_organization', true), '')::uuid $$;
    """,
    reverse_sql="DROP FUNCTION pcs_current_organization();",
)


TENANT_ROWS = "organization_id = pcs_current_organization()"
TENANT_OR_PLATFORM_ROWS = "organization_id IS NOT DISTINCT FROM pcs_current_organization()"


def tenant_table_rls(table: str, *, rows: str = TENANT_ROWS) -> migrations.RunSQL:
    """Enable and force RLS on `table` with the tenant isolation policy over `rows`."""
    return migrations.RunSQL(
        sql=f"""
        ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;
        ALTER TABLE {table} FORCE ROW LEVEL SECURITY;
        CREATE POLICY tenant_isolation ON {table} USING ({rows}) WITH CHECK ({rows});
        """,
        reverse_sql=f"""
        DROP POLICY tenant_isolation ON {table};
        ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY;
        ALTER TABLE {table} DISABLE ROW LEVEL SECURITY;
        """,
    )


APPEND_ONLY_FUNCTION = "pcs_append_only"


def append_only_tenant_table(table: str) -> migrations.RunSQL:
    """RLS for an append-only table: read and insert the tenant's rows (platform rows outside
    any tenant context; INSERT ... RETURNING needs both), and nothing else: no UPDATE or DELETE
    policy, and a statement trigger that refuses both even where a role holds the privilege.
    `db_app_role` revokes UPDATE, DELETE and TRUNCATE on every table carrying the trigger."""
    return migrations.RunSQL(
        sql=f"""
        CREATE OR REPLACE FUNCTION {APPEND_ONLY_FUNCTION}() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
                USING ERRCODE = 'insufficient_privilege';
        END $$;
        ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;
        ALTER TABLE {table} FORCE ROW LEVEL SECURITY;
        CREATE POLICY tenant_read ON {table} FOR SELECT USING ({TENANT_OR_PLATFORM_ROWS});
        CREATE POLICY tenant_append ON {table} FOR INSERT WITH CHECK ({TENANT_OR_PLATFORM_ROWS});
        CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
            FOR EACH STATEMENT EXECUTE FUNCTION {APPEND_ONLY_FUNCTION}();
        """,
        reverse_sql=f"""
        DROP TRIGGER {table}_append_only ON {table};
        DROP POLICY tenant_append ON {table};
        DROP POLICY tenant_read ON {table};
        ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY;
        ALTER TABLE {table} DISABLE ROW LEVEL SECURITY;
        """,
    )
