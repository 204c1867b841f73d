"""Authorization per endpoint by role (AC-3, AC-6): each view lists the roles each method admits.

A view without `roles`, or a method it does not list, admits nobody. A refusal of a signed-in
member is recorded (`authorization.denied`) in the request's transaction, which commits with
the 403.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from audit.models import Outcome
from audit.services import Actor, audit_record
from tenancy.models import Role

if TYPE_CHECKING:
    from rest_framework.views import APIView

EVERY_ROLE = frozenset(Role)
DOCUMENT_WRITERS = frozenset({Role.ADMIN, Role.MEMBER})
ADMINS = frozenset({Role.ADMIN})
AUDIT_READERS = frozenset({Role.ADMIN, Role.AUDITOR})


class HasRole(BasePermission):
    """Admit a member whose role the view's `roles[method]` lists."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        """True when the member's role may use this method of this view."""
        membership = request.auth
        if membership is None:
            return False  # DRF answers 401: the authenticator names the scheme
        method = "GET" if request.method == "HEAD" else request.method
        roles: dict[str, frozenset[str]] = getattr(view, "roles", {})
        if membership.role in roles.get(method, frozenset()):
            return True
        audit_record(
            action="authorization.denied",
            organization_id=membership.organization_id,
            actor=Actor.of(membership),
            object_type="endpoint",
            object_id=type(view).__name__,
            outcome=Outcome.DENIED,
            reason=f"role {membership.role} may not {method} {request.path}"[:300],
            details={"method": method, "path": request.path[:200]},
        )
        return False
