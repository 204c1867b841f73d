"""Query parameters: only the ones an endpoint names, each at most once (else 400 naming them)."""

from __future__ import annotations

from collections.abc import Sequence

from django.http import QueryDict
from rest_framework.exceptions import ValidationError


def query_params_check(params: QueryDict, allowed: Sequence[str]) -> None:
    """Refuse unknown and repeated parameters with one message per offending name."""
    errors = {
        name: [f"unknown parameter; allowed: {', '.join(allowed)}"]
        for name in sorted(set(params) - set(allowed))
    }
    errors |= {name: ["give it at most once"] for name in allowed if len(params.getlist(name)) > 1}
    if errors:
        raise ValidationError(errors)
