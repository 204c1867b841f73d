"""Routes of the audit API."""

from django.urls import path

from audit.apis import AuditEventListApi

urlpatterns = [path("audit-events/", AuditEventListApi.as_view(), name="audit-events")]
