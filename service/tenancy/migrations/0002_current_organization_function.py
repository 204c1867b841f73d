"""The SQL function RLS policies use to read the tenant of the current transaction."""

from django.db import migrations

from tenancy.rls import CURRENT_ORGANIZATION_FUNCTION


class Migration(migrations.Migration):
    dependencies = [("tenancy", "0001_initial")]
    operations = [CURRENT_ORGANIZATION_FUNCTION]
