"""The member's `sub` in the standby pool, and whether that pool has yet to match the member."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("tenancy", "0004_membership_username"),
    ]

    operations = [
        migrations.AddField(
            model_name="membership",
            name="idp_standby_subject",
            field=models.CharField(blank=True, max_length=255, null=True, unique=True),
        ),
        migrations.AddField(
            model_name="membership",
            name="standby_pending",
            field=models.BooleanField(db_default=False, default=False),
        ),
    ]
