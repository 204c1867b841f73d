"""App config for the outbox."""

from django.apps import AppConfig


class OutboxConfig(AppConfig):
    """Events waiting for Kafka."""

    name = "outbox"
    default_auto_field = "django.db.models.BigAutoField"
