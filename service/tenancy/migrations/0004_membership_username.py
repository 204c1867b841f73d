"""A member's name within their organization (unique there only), taken for existing members
from their user's username; empty (a database default) for rows a release without the field
inserts during a rollout."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("tenancy", "0003_roles_token_expiry"),
    ]

    operations = [
        migrations.AddField(
            model_name="membership",
            name="username",
            field=models.CharField(db_default="", max_length=150),
        ),
        migrations.RunSQL(
            sql="""
            UPDATE tenancy_membership m SET username = u.username
            FROM auth_user u WHERE u.id = m.user_id AND m.username = ''
            """,
            reverse_sql=migrations.RunSQL.noop,
        ),
        migrations.AddConstraint(
            model_name="membership",
            constraint=models.UniqueConstraint(
                condition=models.Q(("username", ""), _negated=True),
                fields=("organization", "username"),
                name="membership_username_per_organization",
            ),
        ),
    ]
