"""The audit trail under row-level security and append-only (tenancy.rls)."""

from django.db import migrations

from tenancy.rls import append_only_tenant_table


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
        ("tenancy", "0002_current_organization_function"),
    ]

    operations = [append_only_tenant_table("audit_auditevent")]
