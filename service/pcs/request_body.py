"""Read the whole request body before anything touches the database.

A client that sends its body slowly then holds a parked greenlet, not a pooled connection inside
an open transaction; a body over the limit is refused with 413 before it is read, and one that
takes longer than REQUEST_BODY_TIMEOUT_SECONDS gets 408 (docs/decisions/service-server-model.md).
Django logs each 4xx once, at WARNING.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse, UnreadablePostError

from pcs.green import gevent_active


class BodyTimeout(Exception):
    """The client did not send its declared body in time."""


def _read_body(request: HttpRequest) -> None:
    if not gevent_active():
        request.body  # noqa: B018  (reads and caches the body)
        return
    from gevent import Timeout

    with Timeout(settings.REQUEST_BODY_TIMEOUT_SECONDS, BodyTimeout):
        request.body  # noqa: B018


class RequestBodyMiddleware:
    """413 for a declared length over DATA_UPLOAD_MAX_MEMORY_SIZE, 408 for a stalled body."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        """Buffer the body (if any), then handle the request."""
        if request.META.get("CONTENT_LENGTH") not in (None, "", "0"):
            try:
                _read_body(request)
            except RequestDataTooBig:
                limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
                return JsonResponse(
                    {"detail": f"Request body larger than {limit} bytes."}, status=413
                )
            except BodyTimeout:
                return JsonResponse({"detail": "Request body not received in time."}, status=408)
            except UnreadablePostError:
                return JsonResponse({"detail": "Request body could not be read."}, status=400)
        return self.get_response(request)
