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
    """`Authorization: Bearer <access token or pcs_ API token>`, resolved by the middleware."""

    def authenticate(self, request: Request) -> tuple[object, object] | None:
        """The member's user, or 401 for a credential that was refused (the audit says why)."""
        membership = getattr(request._request, "membership", None)
        if membership is not None:
            return membership.user, membership
        if bearer_token(request._request):
            raise AuthenticationFailed("Invalid, expired or revoked credentials.")
        return None

    def authenticate_header(self, request: Request) -> str:
        """Makes DRF answer 401 (not 403) to anonymous callers."""
        return 'Bearer realm="pcs"'


class IsTenantMember(BasePermission):
    """Any authenticated member, whatever the role (the OpenAPI schema)."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        """True when the middleware bound a tenant to this request."""
        return getattr(request._request, "membership", None) is not None
