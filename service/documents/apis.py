"""The documents API (thin views: services write, selectors read)."""

from __future__ import annotations

import json
from dataclasses import asdict
from uuid import UUID

from django.http import HttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from audit.models import Outcome
from audit.services import audit_member_action
from documents import selectors, services
from documents.models import Document
from documents.serializers import (
    MAX_PAGE,
    DocumentListQuery,
    DocumentOutput,
    DocumentPageOutput,
    DocumentRegisteredOutput,
    DocumentRegisterInput,
)
from pcs.api_schema import BODY_ERRORS, COMMON_ERRORS, ErrorOutput
from tenancy.permissions import DOCUMENT_WRITERS, EVERY_ROLE


class DocumentPagination(LimitOffsetPagination):
    """Limit/offset pages (default 50), capped so one request cannot read a whole tenant."""

    default_limit = 50
    max_limit = MAX_PAGE


# The serializer's fields and bounds, read once (building a serializer's fields per request
# cost more than the rest of the validation).
_LIST_BOUNDS = {
    name: (field.min_value, field.max_value) for name, field in DocumentListQuery().fields.items()
}


def _list_query(request: Request) -> dict[str, int]:
    """limit and offset in range (KnownQueryParams refused any other, or a repeated one)."""
    params = request.query_params
    given = {name: params[name] for name in _LIST_BOUNDS if name in params}
    # Plain digits within bounds are what the serializer would accept, as the same integers;
    # anything else goes through it for its error messages (or its lenient forms, e.g. "5.0").
    if all(value.isascii() and value.isdigit() for value in given.values()):
        numbers = {name: int(value) for name, value in given.items()}
        if all(_LIST_BOUNDS[n][0] <= v <= _LIST_BOUNDS[n][1] for n, v in numbers.items()):
            return numbers
    query = DocumentListQuery(data=given)
    query.is_valid(raise_exception=True)
    return query.validated_data


def _document_or_404(request: Request, document_id: UUID, *, action: str) -> Document:
    document = selectors.document_get(
        organization_id=request.auth.organization_id, document_id=document_id
    )
    if document is None:
        audit_member_action(
            membership=request.auth,
            action=action,
            object_type="document",
            object_id=document_id,
            outcome=Outcome.FAILURE,
            reason="no such document",
        )
        raise NotFound("No such document.")
    return document


class DocumentListCreateApi(APIView):
    """List the organization's documents (every role); register a new one (admin, member)."""

    roles = {"GET": EVERY_ROLE, "POST": DOCUMENT_WRITERS}
    query_params = {"GET": tuple(_LIST_BOUNDS)}

    @extend_schema(
        responses={200: DocumentPageOutput, 400: ErrorOutput, **COMMON_ERRORS},
        parameters=[DocumentListQuery],
        operation_id="documents_list",
    )
    def get(self, request: Request) -> HttpResponse:
        """Documents, newest first (from the reader endpoint)."""
        query = _list_query(request)
        paginator = DocumentPagination()
        paginator.request = request
        paginator.limit = query.get("limit", paginator.default_limit)
        paginator.offset = query.get("offset", 0)
        paginator.count, results = selectors.document_page_json(
            organization_id=request.auth.organization_id,
            fields=DocumentOutput.Meta.fields,
            limit=paginator.limit,
            offset=paginator.offset,
        )
        audit_member_action(
            membership=request.auth,
            action="document.listed",
            object_type="document",
            details={
                "count": paginator.count,
                "offset": paginator.offset,
                "limit": paginator.limit,
            },
        )
        # DocumentPageOutput's shape, with the page as PostgreSQL wrote it (no re-encoding).
        links = {"next": paginator.get_next_link(), "previous": paginator.get_previous_link()}
        body = json.dumps({"count": paginator.count, **links})[:-1] + f', "results": {results}}}'
        return HttpResponse(body, content_type="application/json")

    @extend_schema(
        request=DocumentRegisterInput,
        responses={201: DocumentRegisteredOutput, **BODY_ERRORS, **COMMON_ERRORS},
        operation_id="documents_register",
    )
    def post(self, request: Request) -> Response:
        """Register a document and get a pre-signed upload form that requires SSE-KMS."""
        data = DocumentRegisterInput(data=request.data)
        data.is_valid(raise_exception=True)
        registration = services.document_register(membership=request.auth, **data.validated_data)
        # Read back through the selector: the request wrote, so this read goes to the writer.
        document = _document_or_404(request, registration.document.pk, action="document.read")
        body = DocumentRegisteredOutput(
            {"document": document, "upload": asdict(registration.upload)}
        ).data
        return Response(body, status=status.HTTP_201_CREATED)


class DocumentDetailApi(APIView):
    """One document and its processing state (every role)."""

    roles = {"GET": EVERY_ROLE}

    @extend_schema(
        responses={200: DocumentOutput, 404: ErrorOutput, **COMMON_ERRORS},
        operation_id="documents_retrieve",
    )
    def get(self, request: Request, document_id: UUID) -> Response:
        """The document (from the reader endpoint)."""
        document = _document_or_404(request, document_id, action="document.read")
        audit_member_action(
            membership=request.auth,
            action="document.read",
            object_type="document",
            object_id=document.pk,
        )
        return Response(DocumentOutput(document).data)


class DocumentUploadCompleteApi(APIView):
    """Tell the service the upload is done; processing is queued (admin, member)."""

    roles = {"POST": DOCUMENT_WRITERS}

    @extend_schema(
        request=None,
        responses={202: DocumentOutput, 404: ErrorOutput, 409: ErrorOutput, **COMMON_ERRORS},
        operation_id="documents_upload_complete",
    )
    def post(self, request: Request, document_id: UUID) -> Response:
        """Checks the object is in S3, marks the document uploaded and queues processing."""
        document = _document_or_404(request, document_id, action="document.uploaded")
        try:
            document = services.document_upload_complete(membership=request.auth, document=document)
        except services.DocumentStateError as exc:
            audit_member_action(
                membership=request.auth,
                action="document.uploaded",
                object_type="document",
                object_id=document.pk,
                outcome=Outcome.FAILURE,
                reason=str(exc),
            )
            return Response({"errors": {"status": [str(exc)]}}, status=status.HTTP_409_CONFLICT)
        return Response(DocumentOutput(document).data, status=status.HTTP_202_ACCEPTED)
