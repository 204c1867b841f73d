"""The documents API (thin views: services write, selectors read)."""

from __future__ import annotations

from dataclasses import asdict
from uuid import UUID

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from documents import selectors, services
from documents.models import Document
from documents.serializers import (
    DocumentOutput,
    DocumentPageOutput,
    DocumentRegisteredOutput,
    DocumentRegisterInput,
)

MAX_PAGE = 200


class DocumentPagination(LimitOffsetPagination):
    """Limit/offset pages (default 50), capped so one request cannot read a whole tenant."""

    default_limit = 50
    max_limit = MAX_PAGE


def _document_or_404(request: Request, document_id: UUID) -> Document:
    document = selectors.document_get(
        organization_id=request.auth.organization_id, document_id=document_id
    )
    if document is None:
        raise NotFound("No such document.")
    return document


class DocumentListCreateApi(APIView):
    """List the organization's documents; register a new one."""

    @extend_schema(
        responses=DocumentPageOutput,
        parameters=[
            OpenApiParameter("limit", int, description=f"page size, at most {MAX_PAGE}"),
            OpenApiParameter("offset", int, description="documents to skip"),
        ],
        operation_id="documents_list",
    )
    def get(self, request: Request) -> Response:
        """Documents, newest first (from the reader endpoint)."""
        paginator = DocumentPagination()
        # Plain rows, not model instances through DocumentOutput: the same JSON (the renderer
        # formats UUIDs and datetimes as the serializer does) for a fraction of the CPU.
        rows = selectors.document_list(organization_id=request.auth.organization_id).values(
            *DocumentOutput.Meta.fields
        )
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(page)

    @extend_schema(
        request=DocumentRegisterInput,
        responses={201: DocumentRegisteredOutput},
        operation_id="documents_register",
    )
    def post(self, request: Request) -> Response:
        """Register a document and get a pre-signed upload form that requires SSE-KMS."""
        data = DocumentRegisterInput(data=request.data)
        data.is_valid(raise_exception=True)
        registration = services.document_register(membership=request.auth, **data.validated_data)
        # Read back through the selector: the request wrote, so this read goes to the writer.
        document = _document_or_404(request, registration.document.pk)
        body = DocumentRegisteredOutput(
            {"document": document, "upload": asdict(registration.upload)}
        ).data
        return Response(body, status=status.HTTP_201_CREATED)


class DocumentDetailApi(APIView):
    """One document and its processing state."""

    @extend_schema(responses=DocumentOutput, operation_id="documents_retrieve")
    def get(self, request: Request, document_id: UUID) -> Response:
        """The document (from the reader endpoint)."""
        return Response(DocumentOutput(_document_or_404(request, document_id)).data)


class DocumentUploadCompleteApi(APIView):
    """Tell the service the upload is done; processing is queued."""

    @extend_schema(
        request=None,
        responses={202: DocumentOutput},
        operation_id="documents_upload_complete",
    )
    def post(self, request: Request, document_id: UUID) -> Response:
        """Checks the object is in S3, marks the document uploaded and queues processing."""
        document = _document_or_404(request, document_id)
        try:
            document = services.document_upload_complete(membership=request.auth, document=document)
        except services.DocumentStateError as exc:
            return Response({"errors": {"status": [str(exc)]}}, status=status.HTTP_409_CONFLICT)
        return Response(DocumentOutput(document).data, status=status.HTTP_202_ACCEPTED)
