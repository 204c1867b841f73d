"""The outbox's cross-tenant scope: a policy TO a database role, not a setting (issue 22).

0003's policy also admitted every row when `app.outbox_publisher` was 'on', a setting any
session may set, the app role's included. Now the tenant policy is the plain one, and a second
policy admits every row only to members of PUBLISHER_ROLE (NOLOGIN): the publisher's login
(`db_app_role`, from DATABASE_PUBLISHER_ROLE) is its only member. Roles are cluster-wide: the
role is created if missing and never dropped here (another database of the cluster may use it).
"""

from django.db import migrations

from outbox.models import PUBLISHER_ROLE
from tenancy.rls import TENANT_OR_PLATFORM_ROWS

TABLE = "outbox_outboxevent"
OLD_ROWS = f"{TENANT_OR_PLATFORM_ROWS} OR current_setting('app.outbox_publisher', true) = 'on'"


class Migration(migrations.Migration):
    dependencies = [("outbox", "0004_pendingtask_request_id")]

    operations = [
        migrations.RunSQL(
            sql=f"""
            DO $$ BEGIN
                CREATE ROLE {PUBLISHER_ROLE} NOLOGIN;
            EXCEPTION WHEN duplicate_object THEN NULL;
            END $$;
            DROP POLICY tenant_isolation ON {TABLE};
            CREATE POLICY tenant_isolation ON {TABLE}
                USING ({TENANT_OR_PLATFORM_ROWS}) WITH CHECK ({TENANT_OR_PLATFORM_ROWS});
            CREATE POLICY publisher ON {TABLE} TO {PUBLISHER_ROLE} USING (true) WITH CHECK (true);
            """,
            reverse_sql=f"""
            DROP POLICY publisher ON {TABLE};
            DROP POLICY tenant_isolation ON {TABLE};
            CREATE POLICY tenant_isolation ON {TABLE} USING ({OLD_ROWS}) WITH CHECK ({OLD_ROWS});
            """,
        ),
    ]
