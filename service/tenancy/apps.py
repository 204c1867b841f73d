"""App config for tenancy."""

from django.apps import AppConfig


class TenancyConfig(AppConfig):
    """Organizations and API tokens."""

    name = "tenancy"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Register the OpenAPI description of the bearer authentication."""
        from tenancy import schema  # noqa: F401
