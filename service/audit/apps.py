"""App config for audit."""

from django.apps import AppConfig


class AuditConfig(AppConfig):
    """The append-only audit trail."""

    name = "audit"
    default_auto_field = "django.db.models.BigAutoField"
