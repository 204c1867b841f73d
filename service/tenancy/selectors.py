"""Reads for tenancy (identity tables carry no row-level security: every read filters by tenant)."""

from __future__ import annotations

from django.db.models import QuerySet

from tenancy.models import ApiToken, Membership, Role
from tenancy.services import token_hash


def membership_for_token(*, raw_token: str) -> Membership | None:
    """The member a live token belongs to, or None (commands and tests; requests authenticate
    through tenancy.credentials, which also checks expiry and active state)."""
    return (
        Membership.objects.select_related("user", "organization")
        .filter(tokens__key_hash=token_hash(raw_token), tokens__revoked_at__isnull=True)
        .first()
    )


def api_token_list(*, membership: Membership) -> QuerySet[ApiToken]:
    """The member's tokens; an admin sees every token of the organization. Newest first."""
    tokens = ApiToken.objects.select_related("membership__user").filter(
        membership__organization_id=membership.organization_id
    )
    if membership.role != Role.ADMIN:
        tokens = tokens.filter(membership=membership)
    return tokens.order_by("-created_at", "-id")


def member_list(*, organization_id: object) -> QuerySet[Membership]:
    """The organization's members, by username."""
    return (
        Membership.objects.select_related("user")
        .filter(organization_id=organization_id)
        .order_by("username")
    )
