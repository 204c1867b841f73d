"""Tell drf-spectacular how the API authenticates (bearer tokens)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class TenantTokenScheme(OpenApiAuthenticationExtension):
    """`Authorization: Bearer pcs_...`."""

    target_class = "tenancy.authentication.TenantTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema: object) -> dict[str, str]:
        """An HTTP bearer scheme."""
        return {"type": "http", "scheme": "bearer"}
