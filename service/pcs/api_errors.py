"""API errors as JSON with field-level messages; never a stack trace for a caller's mistake."""

from __future__ import annotations

import sys

import redis
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, JsonResponse
from kombu.exceptions import OperationalError as BrokerError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """DRF's handler, with validation errors wrapped as {"errors": {field: [messages]}}."""
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    if isinstance(data, dict) and set(data) != {"detail"}:
        response.data = {"errors": data}
    elif isinstance(data, list):
        response.data = {"errors": {"non_field_errors": data}}
    return response


def bad_request(request: HttpRequest, exception: Exception) -> JsonResponse:
    """Requests Django refuses before any view (bad Host, malformed input): JSON."""
    return JsonResponse({"detail": "Bad request."}, status=400)


def permission_denied(request: HttpRequest, exception: Exception) -> JsonResponse:
    """PermissionDenied outside DRF views: JSON, not Django's HTML page."""
    return JsonResponse({"detail": "Permission denied."}, status=403)


def not_found(request: HttpRequest, exception: Exception) -> JsonResponse:
    """Unknown URLs answer JSON like the rest of the API (Django's default is an HTML page)."""
    return JsonResponse({"detail": "Not found."}, status=404)


# A dependency that is down, stalled or out of connections: the request may succeed later.
DEPENDENCY_UNAVAILABLE = (OperationalError, InterfaceError, redis.RedisError, BrokerError)


def server_error(request: HttpRequest) -> JsonResponse:
    """Unhandled exceptions: 503 with Retry-After when a dependency failed, else a bare 500."""
    from pcs.health import unavailable

    if isinstance(sys.exc_info()[1], DEPENDENCY_UNAVAILABLE):
        body = {"detail": "A dependency is temporarily unavailable; retry later."}
        return unavailable(JsonResponse(body, status=503))
    return JsonResponse({"detail": "Internal server error."}, status=500)
