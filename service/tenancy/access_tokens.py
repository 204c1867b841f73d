"""Verifying the identity provider's access tokens (an Amazon Cognito user pool in AWS).

PyJWT checks the RS256 signature against the issuer's JWKS, the issuer, expiry, not-before and
issued-at; this module adds what Cognito's access tokens carry instead of an audience: `token_use`
must be "access" and `client_id` one of the accepted app clients. In AWS the key set is the one
captured at deploy (`OIDC_JWKS`: the API has no route to Cognito, and a user pool's signing keys
do not rotate); otherwise it is fetched, cached (`OIDC_JWKS_CACHE_SECONDS`) and refetched on an
unknown `kid` at most once per cooldown; every fetch has a timeout. Errors name the reason for the
audit trail, never for the caller.
"""

from __future__ import annotations

import functools
from typing import Any

import jwt
from django.conf import settings

JWKS_PATH = "/.well-known/jwks.json"
REQUIRED_CLAIMS = ["iss", "sub", "exp", "iat", "token_use", "client_id"]


class CredentialRejected(Exception):
    """A credential was refused; `reason` goes to the audit trail (the caller gets a plain 401)."""

    def __init__(self, reason: str, *, membership: object = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.membership = membership


class IdentityProviderUnavailable(Exception):
    """The issuer's key set could not be fetched (and none is cached): answer 503, not 401."""


@functools.lru_cache(maxsize=4)
def _jwks_client(url: str, timeout: float, lifespan: float, cooldown: float) -> jwt.PyJWKClient:
    return jwt.PyJWKClient(
        url, cache_jwk_set=True, lifespan=lifespan, timeout=timeout, cooldown_duration=cooldown
    )


def jwks_client() -> jwt.PyJWKClient:
    """The process's key-set client for the configured issuer (one cache per configuration)."""
    url = settings.OIDC_JWKS_URL or settings.OIDC_ISSUER.rstrip("/") + JWKS_PATH
    return _jwks_client(
        url,
        settings.OIDC_JWKS_TIMEOUT_SECONDS,
        settings.OIDC_JWKS_CACHE_SECONDS,
        settings.OIDC_JWKS_REFRESH_COOLDOWN_SECONDS,
    )


@functools.lru_cache(maxsize=4)
def _pinned_key_set(document: str) -> jwt.PyJWKSet:
    return jwt.PyJWKSet.from_json(document)


def _pinned_signing_key(token: str) -> Any:
    """The key of ``token``'s ``kid`` in the configured key set (``OIDC_JWKS``), never fetched."""
    try:
        keys = _pinned_key_set(settings.OIDC_JWKS)
    except (jwt.PyJWKSetError, ValueError) as exc:
        raise IdentityProviderUnavailable("configured key set unreadable") from exc
    try:
        kid = jwt.get_unverified_header(token).get("kid")
    except jwt.InvalidTokenError as exc:
        raise CredentialRejected("malformed access token") from exc
    try:
        return keys[kid].key
    except KeyError as exc:
        raise CredentialRejected("access token signed with an unknown key") from exc


_DECODE_REASONS: tuple[tuple[type[Exception], str], ...] = (
    (jwt.ExpiredSignatureError, "access token expired"),
    (jwt.ImmatureSignatureError, "access token not yet valid"),
    (jwt.InvalidIssuerError, "access token from another issuer"),
    (jwt.InvalidSignatureError, "access token signature invalid"),
    (jwt.MissingRequiredClaimError, "access token lacks a required claim"),
    (jwt.InvalidIssuedAtError, "access token issued in the future"),
)


def _signing_key(token: str) -> Any:
    if settings.OIDC_JWKS:
        return _pinned_signing_key(token)
    try:
        return jwks_client().get_signing_key_from_jwt(token).key
    except jwt.PyJWKClientConnectionError as exc:
        raise IdentityProviderUnavailable("identity provider key set unavailable") from exc
    except jwt.PyJWKClientError as exc:
        raise CredentialRejected("access token signed with an unknown key") from exc
    except jwt.InvalidTokenError as exc:
        raise CredentialRejected("malformed access token") from exc


def access_token_claims(token: str) -> dict[str, Any]:
    """The verified claims of an access token, or CredentialRejected with the reason."""
    if not settings.OIDC_ISSUER:
        raise CredentialRejected("sign-in is not configured (no OIDC_ISSUER)")
    try:
        algorithm = jwt.get_unverified_header(token).get("alg")
    except jwt.InvalidTokenError as exc:
        raise CredentialRejected("malformed access token") from exc
    if algorithm not in settings.OIDC_ALGORITHMS:
        raise CredentialRejected(f"access token algorithm {str(algorithm)[:20]!r} not accepted")
    key = _signing_key(token)
    try:
        claims = jwt.decode(
            token,
            key,
            algorithms=settings.OIDC_ALGORITHMS,
            issuer=settings.OIDC_ISSUERS or settings.OIDC_ISSUER,
            leeway=settings.OIDC_LEEWAY_SECONDS,
            options={"require": REQUIRED_CLAIMS, "verify_aud": False},
        )
    except jwt.InvalidTokenError as exc:
        reason = next((r for kind, r in _DECODE_REASONS if isinstance(exc, kind)), None)
        raise CredentialRejected(reason or "access token invalid") from exc
    if claims["token_use"] != "access":
        raise CredentialRejected("not an access token (token_use)")
    if claims["client_id"] not in settings.OIDC_CLIENT_IDS:
        raise CredentialRejected("access token of an app client not accepted")
    return claims
