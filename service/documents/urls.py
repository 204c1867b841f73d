"""Routes of the documents API."""

from django.urls import path

from documents.apis import DocumentDetailApi, DocumentListCreateApi, DocumentUploadCompleteApi

urlpatterns = [
    path("documents/", DocumentListCreateApi.as_view(), name="documents"),
    path("documents/<uuid:document_id>/", DocumentDetailApi.as_view(), name="document"),
    path(
        "documents/<uuid:document_id>/upload-complete/",
        DocumentUploadCompleteApi.as_view(),
        name="document-upload-complete",
    ),
]
