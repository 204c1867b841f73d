"""Writes for tenancy: organizations, members, tokens."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth import get_user_model
from django.db import transaction

from tenancy.models import ApiToken, Membership, Organization

TOKEN_PREFIX = "pcs_"


def token_hash(raw_token: str) -> str:
    """The stored form of a token."""
    return hashlib.sha256(raw_token.encode()).hexdigest()


def organization_create(*, name: str) -> Organization:
    """Create a tenant."""
    return Organization.objects.create(name=name)


def member_create(*, organization: Organization, username: str) -> Membership:
    """Create a user who belongs to `organization`."""
    with transaction.atomic():
        user = get_user_model().objects.create_user(username=username)
        return Membership.objects.create(user=user, organization=organization)


def api_token_issue(*, membership: Membership) -> str:
    """Issue a bearer token; the raw value is returned once and never stored."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    ApiToken.objects.create(key_hash=token_hash(raw), membership=membership)
    return raw
