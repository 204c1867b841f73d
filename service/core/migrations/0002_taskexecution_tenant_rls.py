"""Task records name their organization and fall under row-level security (platform tasks'
records, with none, are visible only outside a tenant context)."""

from django.db import migrations, models

from tenancy.rls import TENANT_OR_PLATFORM_ROWS, tenant_table_rls


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("tenancy", "0002_current_organization_function"),
    ]

    operations = [
        migrations.AddField(
            model_name="taskexecution",
            name="organization_id",
            field=models.UUIDField(null=True),
        ),
        # Records of the document processing written before this column: their key names it.
        migrations.RunSQL(
            sql="""
            UPDATE core_taskexecution SET organization_id = split_part(key, ':', 2)::uuid
            WHERE key ~ '^[a-z_.]+:[0-9a-f-]{36}:'
            """,
            reverse_sql=migrations.RunSQL.noop,
        ),
        tenant_table_rls("core_taskexecution", rows=TENANT_OR_PLATFORM_ROWS),
    ]
