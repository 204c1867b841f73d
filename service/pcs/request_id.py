"""A request id on every request, response and log line (ALB trace id when present)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

request_id_var: ContextVar[str] = ContextVar("pcs_request_id", default="-")

_ACCEPTABLE = re.compile(r"^[A-Za-z0-9._:=;-]{1,128}$")
HEADER = "X-Request-ID"


def request_id_of(caller_id: str | None, trace_id: str | None) -> str:
    """The caller's id if it is safe to log, else the ALB trace id, else a new uuid."""
    for candidate in (caller_id, trace_id):
        if candidate and _ACCEPTABLE.match(candidate):
            return candidate
    return uuid.uuid4().hex


def request_id_from(request: HttpRequest) -> str:
    """The request id of a Django request (see request_id_of)."""
    return request_id_of(request.headers.get(HEADER), request.headers.get("X-Amzn-Trace-Id"))


class RequestIdMiddleware:
    """Bind the request id for logging and echo it in the response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        """Bind the id, handle the request, echo the id."""
        request_id = request_id_from(request)
        # Not reset on the way out: Django logs 4xx/5xx responses after the middleware returns,
        # and those lines must carry the id too. The next request on this thread overwrites it.
        request_id_var.set(request_id)
        response = self.get_response(request)
        response[HEADER] = request_id
        return response
