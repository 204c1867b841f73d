"""Reads for tenancy."""

from __future__ import annotations

from tenancy.models import Membership
from tenancy.services import token_hash


def membership_for_token(*, raw_token: str) -> Membership | None:
    """The member a live token belongs to, or None."""
    return (
        Membership.objects.select_related("user", "organization")
        .filter(tokens__key_hash=token_hash(raw_token), tokens__revoked_at__isnull=True)
        .first()
    )
