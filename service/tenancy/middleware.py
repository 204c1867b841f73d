"""Authenticate the bearer credential, record the outcome, and run the request in its tenant.

Failures are recorded in a transaction of their own before the request goes on (DRF then
answers 401 without saying why); successes once per new credential use (tenancy.credentials).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse

from audit.models import Outcome
from audit.services import ANONYMOUS, Actor, audit_record
from pcs.db.router import READER, WRITER, writer_pinned
from tenancy.access_tokens import CredentialRejected, IdentityProviderUnavailable
from tenancy.context import tenant_context, tenant_reads
from tenancy.credentials import Authentication, authenticate, method_of


def bearer_token(request: HttpRequest) -> str | None:
    """The token from `Authorization: Bearer <token>`, if any."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


def _failure_record(raw: str, rejected: CredentialRejected) -> None:
    membership = rejected.membership
    audit_record(
        action="authentication.failed",
        organization_id=membership.organization_id if membership else None,
        actor=Actor.of(membership) if membership else ANONYMOUS,
        object_type=method_of(raw),
        outcome=Outcome.FAILURE,
        reason=rejected.reason,
    )


def _success_record(authentication: Authentication) -> None:
    membership = authentication.membership
    audit_record(
        action="authentication.succeeded",
        organization_id=membership.organization_id,
        actor=Actor.of(membership),
        object_type=authentication.method,
        object_id=authentication.credential_id,
        details={"role": membership.role},
    )


class TenantMiddleware:
    """Sets `request.membership` and `request.authentication`; binds the tenant for the request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        """Authenticate, then handle the request inside the tenant's context."""
        request.membership = None
        request.authentication = None
        raw = bearer_token(request)
        if raw is None:
            return self.get_response(request)
        try:
            authentication = authenticate(raw)
        except CredentialRejected as rejected:
            _failure_record(raw, rejected)
            return self.get_response(request)
        except IdentityProviderUnavailable as unavailable:
            _failure_record(raw, CredentialRejected(str(unavailable)))
            response = JsonResponse(
                {"detail": "Sign-in is unavailable; retry shortly."}, status=503
            )
            response["Retry-After"] = "5"
            return response
        if authentication.new_use:
            _success_record(authentication)
        membership = authentication.membership
        request.membership = membership
        request.authentication = authentication
        request.user = membership.user
        # Unsafe methods: one transaction on the writer. Safe ones read on the reader, each query
        # by itself (they must not write: no transaction is open on the writer).
        organization_id = membership.organization_id
        scope = (
            tenant_context(organization_id=organization_id, aliases=(WRITER,))
            if writer_pinned()
            else tenant_reads(organization_id=organization_id, alias=READER)
        )
        with scope:
            return self.get_response(request)
