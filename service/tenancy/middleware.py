"""Authenticate the bearer token and run the request inside its tenant's RLS context."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from pcs.db_router import READER, WRITER, writer_pinned
from tenancy.context import tenant_context
from tenancy.selectors import membership_for_token


def bearer_token(request: HttpRequest) -> str | None:
    """The token from `Authorization: Bearer <token>`, if any."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


class TenantMiddleware:
    """Sets `request.membership` and binds the tenant for the whole request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        """Authenticate, then handle the request inside the tenant's context."""
        raw = bearer_token(request)
        membership = membership_for_token(raw_token=raw) if raw else None
        request.membership = membership
        if membership is None:
            return self.get_response(request)
        request.user = membership.user
        # One transaction, where this request's queries go: the writer for unsafe methods, the
        # reader for safe ones (which must not write: no transaction is open on the writer).
        aliases = (WRITER,) if writer_pinned() else (READER,)
        with tenant_context(organization_id=membership.organization_id, aliases=aliases):
            return self.get_response(request)
