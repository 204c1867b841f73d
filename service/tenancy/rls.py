"""Migration operations that put a tenant-owned table under row-level security.

Every tenant table gets the same policy: rows are visible and writable only when their
`organization_id` equals the transaction's `app.current_organization`. FORCE makes the policy
apply to the table owner too; only superusers and BYPASSRLS roles escape it, and the application
role is neither.
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


def tenant_table_rls(table: str) -> migrations.RunSQL:
    """Enable and force RLS on `table` with the tenant isolation policy."""
    return migrations.RunSQL(
        sql=f"""
        ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;
        ALTER TABLE {table} FORCE ROW LEVEL SECURITY;
        CREATE POLICY tenant_isolation ON {table}
            USING (organization_id = pcs_current_organization())
            WITH CHECK (organization_id = pcs_current_organization());
        """,
        reverse_sql=f"""
        DROP POLICY tenant_isolation ON {table};
        ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY;
        ALTER TABLE {table} DISABLE ROW LEVEL SECURITY;
        """,
    )
