"""Where a request came from, for the audit trail: source IP (from the edge's headers) and agent.

The service sits behind CloudFront and an ALB that forwards only this distribution's requests
(CloudFront's addresses, with the origin header: docs/decisions/dr-traffic-dns-failover.md).
The client's address is taken from `CloudFront-Viewer-Address`, which CloudFront sets (the API
origin request policy forwards it); without it (a caller on the ALB itself: the blue/green test
listener), from the right-most `X-Forwarded-For` entry, the one the ALB appends; else the peer.
The left part of `X-Forwarded-For` is what the client sent and is never trusted.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse

USER_AGENT_MAX = 500


@dataclass(frozen=True)
class RequestMeta:
    """The audit fields a request contributes (none for tasks and commands)."""

    source_ip: str | None = None
    user_agent: str = ""


NO_REQUEST = RequestMeta()
request_meta_var: ContextVar[RequestMeta] = ContextVar("pcs_request_meta", default=NO_REQUEST)


def _ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip().strip("[]")))
    except ValueError:
        return None


def _viewer_address_ip(value: str) -> str | None:
    """`198.51.100.10:46532` or `2001:db8::1:46532`: the address without its port."""
    address, _, port = value.strip().rpartition(":")
    return _ip(address) if port.isdigit() else None


def source_ip(request: HttpRequest) -> str | None:
    """The client's address as the edge saw it (see the module docstring)."""
    viewer = request.headers.get("CloudFront-Viewer-Address")
    if viewer and (address := _viewer_address_ip(viewer)):
        return address
    forwarded = request.headers.get("X-Forwarded-For", "")
    if forwarded and (address := _ip(forwarded.split(",")[-1])):
        return address
    return _ip(request.META.get("REMOTE_ADDR", ""))


def request_meta_from(request: HttpRequest) -> RequestMeta:
    """The request's audit fields."""
    agent = request.headers.get("User-Agent", "")[:USER_AGENT_MAX]
    return RequestMeta(source_ip=source_ip(request), user_agent=agent)


class RequestMetaMiddleware:
    """Bind the request's audit fields for the services that record events."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        """Bind for the duration of the request."""
        token = request_meta_var.set(request_meta_from(request))
        try:
            return self.get_response(request)
        finally:
            request_meta_var.reset(token)
