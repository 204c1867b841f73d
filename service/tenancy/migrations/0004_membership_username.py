"""A member's name within their organization (unique there only), taken for existing members
from their user's username."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("tenancy", "0003_roles_token_expiry"),
    ]

    operations = [
        migrations.AddField(
            model_name="membership",
            name="username",
            field=models.CharField(default="", max_length=150),
            preserve_default=False,
        ),
        migrations.RunSQL(
            sql="""
            UPDATE tenancy_membership m SET username = u.username
            FROM auth_user u WHERE u.id = m.user_id
            """,
            reverse_sql=migrations.RunSQL.noop,
        ),
        migrations.AddConstraint(
            model_name="membership",
            constraint=models.UniqueConstraint(
                fields=("organization", "username"), name="membership_username_per_organization"
            ),
        ),
    ]
