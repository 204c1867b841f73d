"""Row-level security on the outbox: a tenant's events (their payloads name its documents) are
visible only in its context, or to the publisher's cross-tenant scope (outbox.services)."""

from django.db import migrations

from tenancy.rls import TENANT_OR_PLATFORM_ROWS, tenant_table_rls

# Replaced by a role only the publisher has (0005): any session may set this setting.
PUBLISHER_SCOPE = "current_setting('app.outbox_publisher', true) = 'on'"


class Migration(migrations.Migration):
    dependencies = [
        ("outbox", "0002_pendingtask"),
        ("tenancy", "0002_current_organization_function"),
    ]

    operations = [
        tenant_table_rls(
            "outbox_outboxevent", rows=f"{TENANT_OR_PLATFORM_ROWS} OR {PUBLISHER_SCOPE}"
        ),
    ]
