"""Row-level security on documents."""

from django.db import migrations

from tenancy.rls import tenant_table_rls


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0001_initial"),
        ("tenancy", "0002_current_organization_function"),
    ]
    operations = [tenant_table_rls("documents_document")]
