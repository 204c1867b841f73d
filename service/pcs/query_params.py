"""Query parameters: only the ones an endpoint names, each at most once (else 400 naming them).

Each API view lists the parameters each method takes (`query_params`, as `roles` lists the roles);
a method it does not list takes none. `KnownQueryParams` checks them for every view, after the
role check and before the view runs, so an unknown parameter never reaches a filter, a record
or the audit trail (issue 22: one tenant's `?zz=%00` failed other tenants' audit batch).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.http import QueryDict
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import BasePermission

if TYPE_CHECKING:
    from rest_framework.request import Request
    from rest_framework.views import APIView


def query_params_check(params: QueryDict, allowed: Sequence[str]) -> None:
    """Refuse unknown and repeated parameters with one message per offending name."""
    known = f"allowed: {', '.join(allowed)}" if allowed else "this endpoint takes none"
    errors = {name: [f"unknown parameter; {known}"] for name in sorted(set(params) - set(allowed))}
    errors |= {name: ["give it at most once"] for name in allowed if len(params.getlist(name)) > 1}
    if errors:
        raise ValidationError(errors)


class KnownQueryParams(BasePermission):
    """Admit a request whose query parameters the view's `query_params[method]` lists (400 if
    not: a bad request, not a refusal)."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        """True, or ValidationError naming each unknown or repeated parameter."""
        method = "GET" if request.method == "HEAD" else request.method
        allowed: dict[str, Sequence[str]] = getattr(view, "query_params", {})
        query_params_check(request.query_params, allowed.get(method, ()))
        return True
