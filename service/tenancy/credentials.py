"""Who presents a credential: an identity-provider access token (people) or an API token (machines).

Both arrive as `Authorization: Bearer ...`; API tokens start with `pcs_`. Either maps to one
member of one organization, refused when the member's user or organization is inactive. Each
credential's use is stamped with a guarded update, so `new_use` tells the caller to record an
`authentication.succeeded` event once per access token and once per API token per
API_TOKEN_LAST_USED_RESOLUTION_SECONDS, not on every request (each request's own audit event
names its actor). Accepted credentials are remembered for a few seconds
(tenancy.credential_cache); a remembered one is checked for expiry and stamped when due.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from pcs.db.router import WRITER
from tenancy.access_tokens import CredentialRejected, access_token_claims
from tenancy.credential_cache import Remembered, credential_cache
from tenancy.models import ApiToken, Membership
from tenancy.services import TOKEN_PREFIX, token_hash

ACCESS_TOKEN = "access_token"
API_TOKEN = "api_token"


@dataclass(frozen=True)
class Authentication:
    """An accepted credential."""

    membership: Membership
    method: str  # ACCESS_TOKEN or API_TOKEN
    credential_id: str  # the access token's jti (or iat) or the API token's id
    new_use: bool


def method_of(raw: str) -> str:
    """Which kind of credential a bearer value is."""
    return API_TOKEN if raw.startswith(TOKEN_PREFIX) else ACCESS_TOKEN


def authenticate(raw: str) -> Authentication:
    """The member a bearer credential stands for, or CredentialRejected with the reason."""
    key = token_hash(raw)
    remembered = credential_cache.get(key)
    if remembered is not None and remembered.expires_at > timezone.now():
        return _reused(remembered)
    if method_of(raw) == API_TOKEN:
        return _api_token(raw, key)
    return _access_token(raw, key)


def _reused(remembered: Remembered) -> Authentication:
    new_use = False
    if remembered.method == API_TOKEN:
        new_use, remembered.last_used_at = _use_stamped(
            int(remembered.credential_id), remembered.last_used_at
        )
    return Authentication(
        remembered.membership, remembered.method, remembered.credential_id, new_use
    )


def _members() -> object:
    return Membership.objects.select_related("user", "organization")


def _require_active(membership: Membership) -> None:
    if not membership.user.is_active:
        raise CredentialRejected("user inactive", membership=membership)
    if not membership.organization.is_active:
        raise CredentialRejected("organization inactive", membership=membership)


def _use_stamped(token_id: int, last_used_at: datetime | None) -> tuple[bool, datetime | None]:
    """Stamp an API token's use when its last stamp is older than the resolution.

    Returns whether this request's guarded update won (of concurrent first uses, one records the
    event) and the stamp as it now stands.
    """
    now = timezone.now()
    stale = now - timedelta(seconds=settings.API_TOKEN_LAST_USED_RESOLUTION_SECONDS)
    if last_used_at is not None and last_used_at >= stale:
        return False, last_used_at
    won = (
        ApiToken.objects.using(WRITER)
        .filter(Q(last_used_at__isnull=True) | Q(last_used_at__lt=stale), pk=token_id)
        .update(last_used_at=now)
    )
    return bool(won), now


def _api_token(raw: str, key: str) -> Authentication:
    token = (
        ApiToken.objects.select_related("membership__user", "membership__organization")
        .filter(key_hash=key)
        .first()
    )
    if token is None:
        raise CredentialRejected("unknown API token")
    membership = token.membership
    now = timezone.now()
    if token.revoked_at is not None:
        raise CredentialRejected("API token revoked", membership=membership)
    if token.expires_at <= now:
        raise CredentialRejected("API token expired", membership=membership)
    _require_active(membership)
    new_use, last_used_at = _use_stamped(token.pk, token.last_used_at)
    credential_cache.put(
        key,
        membership=membership,
        method=API_TOKEN,
        credential_id=str(token.pk),
        expires_at=token.expires_at,
        last_used_at=last_used_at,
    )
    return Authentication(membership, API_TOKEN, str(token.pk), new_use)


def _access_token(raw: str, key: str) -> Authentication:
    claims = access_token_claims(raw)
    # The pool's `sub`, bound when the member was invited, in the region's pool or the standby's
    # (the DR API accepts both); never a name (tenancy.identity_pool).
    subject = claims["sub"]
    membership = _members().filter(Q(idp_subject=subject) | Q(idp_standby_subject=subject)).first()
    if membership is None:
        raise CredentialRejected("no member for this identity")
    _require_active(membership)
    token_id = str(claims.get("jti") or claims["iat"])[:255]
    new_use = membership.last_token_id != token_id
    if new_use:  # guarded: of concurrent first uses, one records the event
        new_use = bool(
            Membership.objects.using(WRITER)
            .filter(pk=membership.pk)
            .exclude(last_token_id=token_id)
            .update(last_token_id=token_id)
        )
    credential_cache.put(
        key,
        membership=membership,
        method=ACCESS_TOKEN,
        credential_id=token_id,
        expires_at=datetime.fromtimestamp(claims["exp"], UTC),
    )
    return Authentication(membership, ACCESS_TOKEN, token_id, new_use)
