"""App config for core."""

from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Platform plumbing."""

    name = "core"
    default_auto_field = "django.db.models.BigAutoField"
