"""App config for tenancy."""

from django.apps import AppConfig


class TenancyConfig(AppConfig):
    """Organizations and API tokens."""

    name = "tenancy"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Register the OpenAPI bearer scheme and the RLS role check."""
        from tenancy import checks, schema  # noqa: F401
