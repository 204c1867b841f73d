"""The organization's own identity provider, whose sign-ins its invited members are linked to."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("tenancy", "0005_membership_standby_subject"),
    ]

    operations = [
        migrations.AddField(
            model_name="organization",
            name="identity_provider",
            field=models.CharField(blank=True, max_length=32, null=True, unique=True),
        ),
    ]
