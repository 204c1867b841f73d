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

Without a pool (COGNITO_USER_POOL_ID unset) nothing is called. Locally and in tests
(IDENTITY_LOCAL_ACCOUNTS) the local OpenID provider's accounts stand in, whose `sub` is the
username signed in with, so a member's pool username is their subject (and, while free, their
name: `pool_username_new`). Elsewhere the member has
no subject until an operator, having created the pool user, binds the `sub` the pool shows
(`manage.py member_bind`): in AWS the tasks have no route to Cognito
(docs/decisions/identity-member-invitations.md).
"""

from __future__ import annotations

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


@cache
def pool_client() -> object:
    """The cognito-idp client: bounded waits, no retries (the caller answers 503 at once)."""
    return boto3.client(
        "cognito-idp",
        region_name=settings.AWS_REGION,
        endpoint_url=settings.COGNITO_ENDPOINT_URL or None,
        config=Config(
            connect_timeout=settings.COGNITO_CONNECT_TIMEOUT_SECONDS,
            read_timeout=settings.COGNITO_READ_TIMEOUT_SECONDS,
            retries={"total_max_attempts": 1},
        ),
    )


def _call(operation: str, **arguments: object) -> dict:
    method = getattr(pool_client(), _snake(operation))
    try:
        return method(UserPoolId=settings.COGNITO_USER_POOL_ID, **arguments)
    except (BotoCoreError, ClientError) as exc:
        raise IdentityPoolUnavailable(operation) from exc


def _snake(operation: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in operation).lstrip("_")


def pool_username_new(name: str) -> str:
    """The pool username for a new member called `name`: generated, unique across the platform
    (Cognito's sign-in also takes the e-mail address once it is verified). With the local
    provider only, `name` itself while no user has it, so that its sign-in page takes the name
    (local development and the portal's browser tests)."""
    local = settings.IDENTITY_LOCAL_ACCOUNTS and not settings.COGNITO_USER_POOL_ID
    if local and not get_user_model().objects.filter(username=name).exists():
        return name
    return str(uuid.uuid4())


def pool_user_invite(*, username: str, email: str) -> PoolUser:
    """Create the pool user `username` and send them the pool's invitation at `email`."""
    if not settings.COGNITO_USER_POOL_ID:
        return PoolUser(username, username if settings.IDENTITY_LOCAL_ACCOUNTS else None)
    created = _call(
        "AdminCreateUser",
        Username=username,
        UserAttributes=[{"Name": "email", "Value": email}],
        DesiredDeliveryMediums=["EMAIL"],
    )
    attributes = {a["Name"]: a["Value"] for a in created["User"]["Attributes"]}
    return PoolUser(username=username, subject=attributes["sub"])


def pool_user_disable(*, username: str) -> None:
    """Refuse the user's sign-ins and end every session they have."""
    if settings.COGNITO_USER_POOL_ID:
        _call("AdminDisableUser", Username=username)
        _call("AdminUserGlobalSignOut", Username=username)


def pool_user_enable(*, username: str) -> None:
    """Let the user sign in again."""
    if settings.COGNITO_USER_POOL_ID:
        _call("AdminEnableUser", Username=username)
