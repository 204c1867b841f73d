"""App config for documents."""

from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    """Compliance documents."""

    name = "documents"
    default_auto_field = "django.db.models.BigAutoField"
