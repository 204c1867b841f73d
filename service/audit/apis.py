"""The audit API: auditors and admins read their organization's trail, filtered and paginated."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from audit import selectors
from audit.serializers import MAX_PAGE, AuditEventOutput, AuditFilterInput, AuditPageOutput
from audit.services import audit_member_action
from pcs.api_schema import COMMON_ERRORS, ErrorOutput
from tenancy.permissions import AUDIT_READERS

PAGE_PARAMS = ("limit", "offset")


class AuditPagination(LimitOffsetPagination):
    """Limit/offset pages (default 100, at most 500)."""

    default_limit = 100
    max_limit = MAX_PAGE


class AuditEventListApi(APIView):
    """The organization's audit events, newest first. Reading the trail is itself recorded."""

    roles = {"GET": AUDIT_READERS}
    query_params = {"GET": tuple(AuditFilterInput().fields)}

    @extend_schema(
        parameters=[AuditFilterInput],
        responses={200: AuditPageOutput, 400: ErrorOutput, **COMMON_ERRORS},
        operation_id="audit_events_list",
    )
    def get(self, request: Request) -> Response:
        """Filter by action, actor, outcome, object and time; page with limit and offset."""
        params = AuditFilterInput(data=request.query_params)
        params.is_valid(raise_exception=True)
        filters = dict(params.validated_data)
        paginator = AuditPagination()
        events = selectors.audit_event_list(
            organization_id=request.auth.organization_id,
            **{name: value for name, value in filters.items() if name not in PAGE_PARAMS},
        )
        page = paginator.paginate_queryset(events, request, view=self)
        # The record holds the validated values only (what the caller sent never reaches it).
        audit_member_action(
            membership=request.auth,
            action="audit.listed",
            object_type="audit_event",
            details={"filters": AuditFilterInput(filters).data, "count": len(page)},
        )
        return paginator.get_paginated_response(AuditEventOutput(page, many=True).data)
