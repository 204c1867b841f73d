"""The audit API: auditors and admins read their organization's trail, filtered and paginated."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from audit import selectors
from audit.serializers import AuditEventOutput, AuditFilterInput, AuditPageOutput
from audit.services import audit_member_action
from pcs.api_schema import COMMON_ERRORS, ErrorOutput
from tenancy.permissions import AUDIT_READERS

MAX_PAGE = 500


class AuditPagination(LimitOffsetPagination):
    """Limit/offset pages (default 100, at most 500)."""

    default_limit = 100
    max_limit = MAX_PAGE


class AuditEventListApi(APIView):
    """The organization's audit events, newest first. Reading the trail is itself recorded."""

    roles = {"GET": AUDIT_READERS}

    @extend_schema(
        parameters=[AuditFilterInput],
        responses={200: AuditPageOutput, 400: ErrorOutput, **COMMON_ERRORS},
        operation_id="audit_events_list",
    )
    def get(self, request: Request) -> Response:
        """Filter by action, actor, outcome, object and time; page with limit and offset."""
        filters = AuditFilterInput(data=request.query_params)
        filters.is_valid(raise_exception=True)
        paginator = AuditPagination()
        events = selectors.audit_event_list(
            organization_id=request.auth.organization_id, **filters.validated_data
        )
        page = paginator.paginate_queryset(events, request, view=self)
        audit_member_action(
            membership=request.auth,
            action="audit.listed",
            object_type="audit_event",
            details={"filters": request.query_params.dict(), "count": len(page)},
        )
        return paginator.get_paginated_response(AuditEventOutput(page, many=True).data)
