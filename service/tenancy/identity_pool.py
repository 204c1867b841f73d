"""The Cognito user pool people sign in with: every call the service makes to it is here.

An admin adding a member invites them (AdminCreateUser: the pool e-mails a temporary password),
and the pool's immutable `sub`, returned by that call, is what binds the person to the member:
no name is ever matched. Deactivating disables the pool user and signs them out everywhere
(AdminDisableUser, AdminUserGlobalSignOut: their refresh tokens stop working; access tokens
already issued run out within their lifetime, and the API refuses an inactive member at once);
reactivating enables the user again (AdminEnableUser).

Each call has a connect and a read timeout and no retry; a pool that refuses, fails or does not
answer raises IdentityPoolUnavailable naming the operation, which the API answers with 503 (the
caller's transaction rolls back: nothing is half-written).

Two pools: the region's (`home`) and the DR region's standby (`standby`, where
COGNITO_STANDBY_REGION is set), so that pool users can sign in while the primary region is down
(docs/decisions/identity-standby-pool.md). The home pool is asked inside the caller's
transaction and a failure refuses the change; the standby is brought in line afterwards
(`standby_user_sync`), and a failure there leaves the member marked pending for the worker's
retry (tenancy.tasks), never undoing the invitation.

How the calls travel: in AWS the tasks have no route to Cognito and a user pool with a domain
accepts no requests through AWS PrivateLink, so they invoke the region's pool-admin function
(COGNITO_ADMIN_FUNCTION, through the Lambda interface endpoint), which runs outside the VPC and
alone holds the Admin* permissions, on exactly the two pools; it names the pools itself, the
service only says which (docs/decisions/identity-member-invitations.md). Locally and in tests
the calls go to cognito-idp directly (moto).

A member of an organization with its own identity provider (`Organization.identity_provider`,
its name in the pools) signs in through that provider: at invitation the pool user is created
without the invitation e-mail (no password to choose: the organization's IdP alone lets them in)
and linked to the identity that provider asserts for the member's e-mail address
(AdminLinkProviderForUser, SourceUser attribute `email`), in both pools, so that their first
sign-in through it is the invited user, with the `sub` already bound. Only the inviting
organization's own provider is ever named: a member is never linked to another tenant's IdP
(docs/decisions/identity-federated-link.md).

Without a pool (COGNITO_USER_POOL_ID unset) nothing is called. Locally and in tests
(IDENTITY_LOCAL_ACCOUNTS) the local OpenID provider's accounts stand in, whose `sub` is the
username signed in with, so a member's pool username is their subject (and, while free, their
name: `pool_username_new`). Elsewhere without a pool the member has no subject until an
operator binds the `sub` the pool shows (`manage.py member_bind`).
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from functools import cache

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings
from django.contrib.auth import get_user_model


class IdentityPoolUnavailable(Exception):
    """The user pool did not do what was asked (down, slow, refusing); retry later."""

    def __init__(self, operation: str) -> None:
        super().__init__(f"the user pool is unavailable ({operation})")
        self.operation = operation


@dataclass(frozen=True)
class PoolUser:
    """A user of the pool: the name it knows them by, and their immutable subject."""

    username: str
    subject: str | None  # None: not known to the service until an operator binds it


HOME = "home"  # the region's own pool: its failures refuse the change
STANDBY = "standby"  # the DR region's pool: brought in line after, retried if it fails


class PoolRefused(Exception):
    """A pool operation that did not succeed: the pool's error code, or `Unreachable`."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def _config(read_timeout: float) -> Config:
    """Bounded waits, no retries (the caller answers 503 at once, or the retry comes later)."""
    return Config(
        connect_timeout=settings.COGNITO_CONNECT_TIMEOUT_SECONDS,
        read_timeout=read_timeout,
        retries={"total_max_attempts": 1},
    )


@cache
def pool_client(pool: str = HOME) -> object:
    """The cognito-idp client of `pool` (called directly: local development and tests)."""
    region = settings.AWS_REGION if pool == HOME else settings.COGNITO_STANDBY_REGION
    return boto3.client(
        "cognito-idp",
        region_name=region,
        endpoint_url=settings.COGNITO_ENDPOINT_URL or None,
        config=_config(settings.COGNITO_READ_TIMEOUT_SECONDS),
    )


@cache
def admin_function_client() -> object:
    """The Lambda client that invokes the pool-admin function (through the VPC endpoint). Its
    read timeout covers the function's own start and its Cognito calls (each 2 s + 3 s)."""
    return boto3.client(
        "lambda",
        region_name=settings.AWS_REGION,
        config=_config(settings.COGNITO_ADMIN_FUNCTION_READ_TIMEOUT_SECONDS),
    )


def _pool_id(pool: str) -> str:
    return settings.COGNITO_USER_POOL_ID if pool == HOME else settings.COGNITO_STANDBY_USER_POOL_ID


def _send(pool: str, operation: str, **arguments: object) -> dict:
    """Run `operation` on `pool`; PoolRefused with the pool's error code if it did not succeed."""
    if settings.COGNITO_ADMIN_FUNCTION:
        return _invoke(pool, operation, arguments)
    method = getattr(pool_client(pool), _snake(operation))
    try:
        return method(UserPoolId=_pool_id(pool), **arguments)
    except ClientError as exc:
        raise PoolRefused(exc.response["Error"]["Code"]) from exc
    except BotoCoreError as exc:
        raise PoolRefused("Unreachable") from exc


def _invoke(pool: str, operation: str, arguments: dict) -> dict:
    """The pool-admin function's answer: `{"result": ...}` or `{"error": code}`."""
    payload = json.dumps({"pool": pool, "operation": operation, "arguments": arguments})
    try:
        answer = admin_function_client().invoke(
            FunctionName=settings.COGNITO_ADMIN_FUNCTION, Payload=payload.encode()
        )
    except (BotoCoreError, ClientError) as exc:
        raise PoolRefused("Unreachable") from exc
    body = json.loads(answer["Payload"].read() or b"{}")
    if "FunctionError" in answer or "result" not in body:
        raise PoolRefused(str(body.get("error", "FunctionError")))
    return body["result"]


def _call(operation: str, **arguments: object) -> dict:
    """`operation` on the home pool; IdentityPoolUnavailable naming it if it did not succeed."""
    try:
        return _send(HOME, operation, **arguments)
    except PoolRefused as exc:
        raise IdentityPoolUnavailable(operation) from exc


def _snake(operation: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in operation).lstrip("_")


def _attributes(user: dict) -> dict[str, str]:
    listed = user.get("Attributes") or user.get("UserAttributes") or []
    return {a["Name"]: a["Value"] for a in listed}


def pool_username_new(name: str) -> str:
    """The pool username for a new member called `name`: generated, unique across the platform
    (Cognito's sign-in also takes the e-mail address once it is verified). With the local
    provider only, `name` itself while no user has it, so that its sign-in page takes the name
    (local development and the portal's browser tests)."""
    local = settings.IDENTITY_LOCAL_ACCOUNTS and not settings.COGNITO_USER_POOL_ID
    if local and not get_user_model().objects.filter(username=name).exists():
        return name
    return str(uuid.uuid4())


def federated_link(*, username: str, email: str, identity_provider: str) -> dict:
    """AdminLinkProviderForUser's arguments: the person whose e-mail claim (mapped to the pools'
    `email` attribute) `identity_provider` asserts as `email` signs in as the pool user
    `username`. Cognito_Subject would need the IdP's own subject, which an admin inviting by
    e-mail address does not know."""
    return {
        "DestinationUser": {"ProviderName": "Cognito", "ProviderAttributeValue": username},
        "SourceUser": {
            "ProviderName": identity_provider,
            "ProviderAttributeName": "email",
            "ProviderAttributeValue": email,
        },
    }


# How a new member is told (the members API says which, for the admin's status line).
INVITATION_EMAIL = "email"  # the pool e-mails a temporary password
INVITATION_IDENTITY_PROVIDER = "identity_provider"  # nothing sent: linked to the org's IdP
INVITATION_NONE = "none"  # no pool reached from here: nothing is sent
INVITATIONS = (INVITATION_EMAIL, INVITATION_IDENTITY_PROVIDER, INVITATION_NONE)


def invitation_kind(identity_provider: str | None) -> str:
    """How a member invited by an organization with `identity_provider` (or none) is told."""
    if not settings.COGNITO_USER_POOL_ID:
        return INVITATION_NONE
    return INVITATION_IDENTITY_PROVIDER if identity_provider else INVITATION_EMAIL


def pool_user_invite(*, username: str, email: str, identity_provider: str | None) -> PoolUser:
    """Create the pool user `username`: sent the pool's invitation at `email`, or, for an
    organization with its own `identity_provider`, sent nothing and linked to the identity that
    provider asserts for `email` (they sign in through it); `invitation_kind` says which."""
    invitation = invitation_kind(identity_provider)
    if invitation == INVITATION_NONE:
        return PoolUser(username, username if settings.IDENTITY_LOCAL_ACCOUNTS else None)
    delivery = (
        {"MessageAction": "SUPPRESS"}
        if invitation == INVITATION_IDENTITY_PROVIDER
        else {"DesiredDeliveryMediums": ["EMAIL"]}
    )
    created = _call(
        "AdminCreateUser",
        Username=username,
        UserAttributes=[{"Name": "email", "Value": email}],
        **delivery,
    )
    if invitation == INVITATION_IDENTITY_PROVIDER:
        _call(
            "AdminLinkProviderForUser",
            **federated_link(username=username, email=email, identity_provider=identity_provider),
        )
    return PoolUser(username=username, subject=_attributes(created["User"])["sub"])


def pool_user_disable(*, username: str) -> None:
    """Refuse the user's sign-ins and end every session they have."""
    if settings.COGNITO_USER_POOL_ID:
        _call("AdminDisableUser", Username=username)
        _call("AdminUserGlobalSignOut", Username=username)


def pool_user_enable(*, username: str) -> None:
    """Let the user sign in again."""
    if settings.COGNITO_USER_POOL_ID:
        _call("AdminEnableUser", Username=username)


def standby_configured() -> bool:
    """Whether members are kept in a standby pool too (a pool here, and a DR region)."""
    return bool(settings.COGNITO_USER_POOL_ID and settings.COGNITO_STANDBY_REGION)


def _linked(user: dict, identity_provider: str) -> bool:
    """Whether the pool user carries an identity of `identity_provider` (its `identities`)."""
    identities = json.loads(_attributes(user).get("identities") or "[]")
    return any(identity.get("providerName") == identity_provider for identity in identities)


def standby_user_sync(
    *, username: str, email: str, enabled: bool, identity_provider: str | None
) -> str:
    """Make the standby pool's user `username` match the member; return its `sub`.

    Created if missing, without a second invitation (MessageAction SUPPRESS) and with the
    e-mail address verified, so that in a failover the person sets a password there with the
    pool's "forgot password" code and enrols MFA (identity-standby-pool.md), or, for an
    organization with its own `identity_provider`, linked to it as in the region's pool (unless
    the user already carries that provider's identity); then enabled, or disabled and signed
    out, as the member is. Safe to repeat. IdentityPoolUnavailable if the standby did not do it.
    """
    operation = "AdminCreateUser"
    try:
        try:
            user = _send(
                STANDBY,
                operation,
                Username=username,
                UserAttributes=[
                    {"Name": "email", "Value": email},
                    {"Name": "email_verified", "Value": "true"},
                ],
                MessageAction="SUPPRESS",
            )["User"]
            existed = False
        except PoolRefused as exc:
            if exc.code != "UsernameExistsException":
                raise
            operation = "AdminGetUser"
            user = _send(STANDBY, operation, Username=username)
            existed = True
        if identity_provider and not _linked(user, identity_provider):
            operation = "AdminLinkProviderForUser"
            _send(
                STANDBY,
                operation,
                **federated_link(
                    username=username, email=email, identity_provider=identity_provider
                ),
            )
        if not enabled:
            for operation in ("AdminDisableUser", "AdminUserGlobalSignOut"):
                _send(STANDBY, operation, Username=username)
        elif existed:
            operation = "AdminEnableUser"
            _send(STANDBY, operation, Username=username)
    except PoolRefused as exc:
        raise IdentityPoolUnavailable(f"standby {operation}") from exc
    return _attributes(user)["sub"]
