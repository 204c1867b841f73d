"""Writes for tenancy: organizations, members and their roles, API tokens; each one audited."""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone

from audit.services import Actor, audit_record
from pcs.db.router import WRITER
from tenancy.context import tenant_context
from tenancy.credential_cache import credential_cache
from tenancy.identity_pool import (
    IdentityPoolUnavailable,
    pool_user_disable,
    pool_user_enable,
    pool_user_invite,
    pool_username_new,
    standby_configured,
    standby_user_sync,
)
from tenancy.models import ApiToken, Membership, Organization, Role

TOKEN_PREFIX = "pcs_"
logger = logging.getLogger(__name__)


class TenancyError(Exception):
    """A request the tenancy rules refuse (the message names the field and why)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def token_hash(raw_token: str) -> str:
    """The stored form of a token."""
    return hashlib.sha256(raw_token.encode()).hexdigest()


def _is_email(value: str) -> bool:
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True


def organization_create(*, name: str) -> Organization:
    """Create a tenant."""
    return Organization.objects.create(name=name)


def organization_identity_provider_set(
    *, organization: Organization, identity_provider: str | None, actor: Actor
) -> None:
    """Name the organization's own identity provider (an operator's step: the provider is
    configured in the user pools by the deployment), or none. Members invited afterwards are
    linked to it; one organization per provider. Audited as
    `organization.identity_provider_set`."""
    if identity_provider is not None and (
        not identity_provider or len(identity_provider) > 32 or identity_provider == "Cognito"
    ):
        raise TenancyError(
            "provider", "the provider's name in the pools: 1-32 characters, not Cognito"
        )
    taken = Organization.objects.filter(identity_provider=identity_provider)
    if identity_provider is not None and taken.exclude(pk=organization.pk).exists():
        raise TenancyError("provider", "that provider is another organization's")
    with tenant_context(organization_id=organization.pk, aliases=(WRITER,)):
        previous = organization.identity_provider
        organization.identity_provider = identity_provider
        organization.save(update_fields=["identity_provider"])
        audit_record(
            action="organization.identity_provider_set",
            organization_id=organization.pk,
            actor=actor,
            object_type="organization",
            object_id=organization.pk,
            details={"from": previous, "to": identity_provider},
        )


def member_create(
    *,
    organization: Organization,
    username: str,
    role: Role = Role.MEMBER,
    actor: Actor | None = None,
) -> Membership:
    """Add a member to `organization` with `role`, invited to the user pool (their username is
    the e-mail address the invitation goes to) and bound to the `sub` the pool returns. Audited
    as `member.created`. The name need only be free in this organization, and a refusal names
    nothing of another's. The pool is asked last, inside the transaction: if it fails, nothing
    is written (IdentityPoolUnavailable); they sign in through it, or use API tokens. Then the
    standby pool gets the same user (`member_standby_sync`; a failure there is retried)."""
    with tenant_context(organization_id=organization.pk, aliases=(WRITER,)):
        if settings.COGNITO_USER_POOL_ID and not _is_email(username):
            raise TenancyError("username", "must be an e-mail address: the invitation goes there")
        if Membership.objects.filter(organization=organization, username=username).exists():
            raise TenancyError("username", f"{username!r} is already a member here")
        user = get_user_model().objects.create_user(username=pool_username_new(username))
        membership = Membership.objects.create(
            user=user, organization=organization, username=username, role=role
        )
        invited = pool_user_invite(
            username=user.username,
            email=username,
            identity_provider=organization.identity_provider,
        )
        membership.idp_subject = invited.subject
        membership.standby_pending = standby_configured()
        membership.save(update_fields=["idp_subject", "standby_pending"])
        audit_record(
            action="member.created",
            organization_id=organization.pk,
            actor=actor or Actor.of(membership),
            object_type="member",
            object_id=membership.pk,
            details={"username": username, "role": role},
        )
    member_standby_sync(membership=membership)
    return membership


def member_standby_sync(*, membership: Membership) -> bool:
    """Bring the standby pool in line with a member marked pending; True if it now is.

    Called after each change commits, and again by the worker (tenancy.tasks) for members still
    pending: a standby that fails leaves the mark, never undoes the change (the region's own
    pool has it). Logged as `member.standby_pending` (warning) while it fails.
    """
    if not membership.standby_pending:
        return True
    user = membership.user
    try:
        subject = standby_user_sync(
            username=user.username,
            email=membership.username,
            enabled=user.is_active,
            identity_provider=membership.organization.identity_provider,
        )
    except IdentityPoolUnavailable as error:
        logger.warning(
            "member.standby_pending",
            extra={"member": membership.pk, "operation": error.operation},
        )
        return False
    with tenant_context(organization_id=membership.organization_id, aliases=(WRITER,)):
        Membership.objects.filter(pk=membership.pk).update(
            idp_standby_subject=subject, standby_pending=False
        )
    membership.idp_standby_subject, membership.standby_pending = subject, False
    return True


def members_standby_sync(*, limit: int = 100) -> tuple[int, int]:
    """Retry the standby for up to `limit` pending members: (now in line, still pending)."""
    pending = list(
        Membership.objects.using(WRITER)
        .select_related("user", "organization")
        .filter(standby_pending=True)
        .order_by("pk")[:limit]
    )
    synced = sum(member_standby_sync(membership=membership) for membership in pending)
    return synced, len(pending) - synced


def member_update(
    *, membership: Membership, actor: Membership, role: Role | None, is_active: bool | None
) -> Membership:
    """Change a member's role or active state (an admin's action; not on themselves).

    Deactivating also disables the pool user and signs them out everywhere; reactivating
    enables them (tenancy.identity_pool; if the pool fails, nothing changes). The process that
    makes a change stops accepting the member's credentials as they were at once; every other
    API process within CREDENTIAL_CACHE_SECONDS (tenancy.credential_cache).
    """
    if membership.pk == actor.pk:
        raise TenancyError("member", "an admin cannot change their own role or active state")
    changes: list[tuple[str, dict[str, object]]] = []
    with tenant_context(organization_id=membership.organization_id, aliases=(WRITER,)):
        if role is not None and role != membership.role:
            changes.append(("member.role_changed", {"from": membership.role, "to": role}))
            membership.role = role
            membership.save(update_fields=["role"])
        user = membership.user
        if is_active is not None and is_active != user.is_active:
            action = "member.activated" if is_active else "member.deactivated"
            changes.append((action, {}))
            user.is_active = is_active
            user.save(update_fields=["is_active"])
            (pool_user_enable if is_active else pool_user_disable)(username=user.username)
            if standby_configured():
                membership.standby_pending = True
                membership.save(update_fields=["standby_pending"])
        for action, details in changes:
            audit_record(
                action=action,
                organization_id=membership.organization_id,
                actor=Actor.of(actor),
                object_type="member",
                object_id=membership.pk,
                details={"username": membership.username, **details},
            )
    if changes:
        credential_cache.clear()
    member_standby_sync(membership=membership)
    return membership


def member_subject_bind(*, membership: Membership, subject: str, actor: Actor) -> None:
    """Bind the pool's `sub` to a member who has none (an operator's step where the service
    cannot reach the pool). Audited as `member.identity_bound`."""
    if membership.idp_subject is not None:
        raise TenancyError("member", "the member's identity is already bound")
    if Membership.objects.filter(idp_subject=subject).exists():
        raise TenancyError("subject", "that subject is bound to another member")
    with tenant_context(organization_id=membership.organization_id, aliases=(WRITER,)):
        membership.idp_subject = subject
        membership.save(update_fields=["idp_subject"])
        audit_record(
            action="member.identity_bound",
            organization_id=membership.organization_id,
            actor=actor,
            object_type="member",
            object_id=membership.pk,
            details={"subject": subject},
        )


@dataclass(frozen=True)
class IssuedToken:
    """A new token: its record, and the raw value shown once."""

    token: ApiToken
    raw: str


def api_token_issue(
    *,
    membership: Membership,
    actor: Actor | None = None,
    days: int | None = None,
    name: str = "",
) -> IssuedToken:
    """Issue a bearer token expiring in `days` (at most API_TOKEN_MAX_DAYS, the default).

    The raw value is returned once and never stored. Audited as `token.issued`.
    """
    limit = settings.API_TOKEN_MAX_DAYS
    days = limit if days is None else days
    if not 1 <= days <= limit:
        raise TenancyError("days", f"days must be from 1 to {limit}")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with tenant_context(organization_id=membership.organization_id, aliases=(WRITER,)):
        token = ApiToken.objects.create(
            key_hash=token_hash(raw),
            membership=membership,
            name=name,
            expires_at=timezone.now() + timedelta(days=days),
        )
        audit_record(
            action="token.issued",
            organization_id=membership.organization_id,
            actor=actor or Actor.of(membership),
            object_type="api_token",
            object_id=token.pk,
            details={"member": membership.username, "days": days, "name": name},
        )
    return IssuedToken(token=token, raw=raw)


def api_token_revoke(*, token: ApiToken, actor: Actor) -> bool:
    """Revoke a token now; True if it was live (revoking twice changes nothing)."""
    membership = token.membership
    with tenant_context(organization_id=membership.organization_id, aliases=(WRITER,)):
        revoked = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        if revoked:
            audit_record(
                action="token.revoked",
                organization_id=membership.organization_id,
                actor=actor,
                object_type="api_token",
                object_id=token.pk,
                details={"member": membership.username},
            )
    credential_cache.forget(token.key_hash)  # other processes: CREDENTIAL_CACHE_SECONDS
    token.refresh_from_db(fields=["revoked_at"])
    return bool(revoked)
