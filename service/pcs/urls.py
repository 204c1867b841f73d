"""URL configuration: the versioned API and its OpenAPI schema.

Health is answered in front of Django (pcs.health.HealthApp).
"""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

urlpatterns = [
    path("api/schema/", SpectacularAPIView.as_view(), name="openapi-schema"),
    path("api/v1/", include("documents.urls")),
    path("api/v1/", include("tenancy.urls")),
    path("api/v1/", include("audit.urls")),
]

# JSON for errors raised outside DRF views (unknown URLs, unhandled exceptions, bad requests).
handler400 = "pcs.api_errors.bad_request"
handler403 = "pcs.api_errors.permission_denied"
handler404 = "pcs.api_errors.not_found"
handler500 = "pcs.api_errors.server_error"
