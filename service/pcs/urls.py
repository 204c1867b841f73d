"""URL configuration: the versioned API and its OpenAPI schema (health is served by middleware)."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

urlpatterns = [
    path("api/schema/", SpectacularAPIView.as_view(), name="openapi-schema"),
    path("api/v1/", include("documents.urls")),
]
