"""Organizations (tenants), membership with a role, and machine API tokens.

These identity tables are read before the tenant is known (to authenticate), so they carry no
row-level security (tenancy.catalog lists them with that reason); they hold names, roles and
token hashes, no tenant content. Token secrets are stored only as SHA-256 hashes.
"""

import uuid

from django.conf import settings
from django.db import models


class Organization(models.Model):
    """A tenant."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # An inactive organization's members and tokens are refused (AC-2(3)).
    is_active = models.BooleanField(default=True)
    # The name, in the user pools, of the organization's own identity provider (SAML or OIDC),
    # set by an operator (`manage.py organization_idp`), never by a tenant: its members are
    # linked to it when invited, so that signing in through it is the invited member
    # (tenancy.identity_pool). One organization per provider: another's member is never linked.
    identity_provider = models.CharField(max_length=32, unique=True, null=True, blank=True)

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    """What a member may do (tenancy.permissions maps each endpoint to the roles it admits)."""

    ADMIN = "admin"  # members, roles, every token of the organization, and what a member does
    MEMBER = "member"  # documents: register, upload, read
    AUDITOR = "auditor"  # read-only: documents and the audit trail


class Membership(models.Model):
    """A user belongs to exactly one organization, with one role.

    `username` is the name the organization knows the member by (their e-mail address where a
    user pool invites them), unique within the organization only: the same person may be a
    member of two organizations, and no organization learns which names another uses. The
    user's own `username` is the pool's, generated and unique across the platform.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    # A database default for the rows a release without this field inserts during a rollout
    # (core.migration_check); those have no name here until the next backfill, and the
    # uniqueness below ignores them.
    username = models.CharField(max_length=150, db_default="")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)
    # The identity provider's immutable `sub`, returned by the pool when the member was invited.
    idp_subject = models.CharField(max_length=255, unique=True, null=True, blank=True)
    # The same person's `sub` in the other region's pool (identity-standby-pool.md), and whether
    # that pool has yet to match the member (a failed call there; the worker retries).
    idp_standby_subject = models.CharField(max_length=255, unique=True, null=True, blank=True)
    standby_pending = models.BooleanField(db_default=False, default=False)
    # The last access token seen (jti): a new one is a sign-in, recorded once.
    last_token_id = models.CharField(max_length=255, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "username"],
                condition=~models.Q(username=""),
                name="membership_username_per_organization",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id}@{self.organization_id}"


class ApiToken(models.Model):
    """A machine bearer token for a member; only its hash is stored. It expires (IA-5)."""

    key_hash = models.CharField(max_length=64, unique=True)
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="tokens")
    name = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"token {self.pk} of {self.membership}"
