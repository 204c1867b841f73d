"""DRF authentication that trusts what TenantMiddleware established."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from tenancy.middleware import bearer_token

if TYPE_CHECKING:  # importing views here would be circular (DRF imports this class)
    from rest_framework.views import APIView


class TenantTokenAuthentication(BaseAuthentication):
    """`Authorization: Bearer pcs_...`; the middleware resolved it and opened the tenant context."""

    def authenticate(self, request: Request) -> tuple[object, object] | None:
        """The member's user, or 401 for a token that is unknown or revoked."""
        membership = getattr(request._request, "membership", None)
        if membership is not None:
            return membership.user, membership
        if bearer_token(request._request):
            raise AuthenticationFailed("Invalid or revoked token.")
        return None

    def authenticate_header(self, request: Request) -> str:
        """Makes DRF answer 401 (not 403) to anonymous callers."""
        return 'Bearer realm="pcs"'


class IsTenantMember(BasePermission):
    """Only authenticated members of an organization."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        """True when the middleware bound a tenant to this request."""
        return getattr(request._request, "membership", None) is not None
