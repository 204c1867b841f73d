"""From "an admin adds a person" to "that person works": the user pool invites them, the `sub` it
returns binds them, and no tenant can capture, enumerate or outlive another's members.

Cognito is moto's (`pool` fixture); without a pool (the other tests, local development) the
local provider's accounts stand in and nothing is called.
"""

from __future__ import annotations

import io
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import boto3
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from audit.models import AuditEvent
from tenancy import identity_pool
from tenancy.models import Membership, Role
from tenancy.services import member_create
from tests.service.conftest import Tenant, bearer, tenant_make

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "reader"])

MEMBERS = "/api/v1/members/"
ME = "/api/v1/me/"
BOB = "bob@victimco.example"


@dataclass
class Pool:
    """moto's user pool as the service sees it, and the operations the service called."""

    client: object
    pool_id: str
    calls: list[str] = field(default_factory=list)

    def user(self, username: str) -> dict:
        """A pool user: Enabled, UserStatus and attributes by name."""
        found = self.client.admin_get_user(UserPoolId=self.pool_id, Username=username)
        return {
            "enabled": found["Enabled"],
            "status": found["UserStatus"],
            **{a["Name"]: a["Value"] for a in found["UserAttributes"]},
        }


@pytest.fixture
def pool(aws_test_credentials, settings) -> Iterator[Pool]:
    """A moto Cognito user pool configured as the service's; records each call it receives."""
    from moto import mock_aws

    with mock_aws():
        client = boto3.client("cognito-idp", region_name=settings.AWS_REGION)
        pool_id = client.create_user_pool(
            PoolName="pcs-test-users", AliasAttributes=["email"], AutoVerifiedAttributes=["email"]
        )["UserPool"]["Id"]
        settings.COGNITO_USER_POOL_ID = pool_id
        identity_pool.pool_client.cache_clear()
        recorded = Pool(client, pool_id)
        identity_pool.pool_client(identity_pool.HOME).meta.events.register(
            "before-call.cognito-idp.*",
            lambda model, **_: recorded.calls.append(model.name),
        )
        yield recorded
    identity_pool.pool_client.cache_clear()


@pytest.fixture
def admins() -> tuple[Tenant, Tenant]:
    """Two organizations, each with an admin."""
    return tenant_make("evilcorp", role=Role.ADMIN), tenant_make("victimco", role=Role.ADMIN)


def invite(admin: Tenant, username: str, role: str = "member"):
    return admin.client().post(MEMBERS, {"username": username, "role": role}, format="json")


def test_adding_a_member_invites_them_and_binds_the_subject_the_pool_returns(
    admins, pool, issuer
) -> None:
    _, victim = admins
    response = invite(victim, BOB)
    assert response.status_code == 201
    assert (response.json()["invitation"], response.json()["identity_provider"]) == ("email", None)
    member = Membership.objects.select_related("user").get(pk=response.json()["id"])
    assert pool.calls == ["AdminCreateUser"]
    invited = pool.user(member.user.username)
    assert (invited["email"], invited["status"], invited["enabled"]) == (
        BOB,
        "FORCE_CHANGE_PASSWORD",
        True,
    )
    assert member.idp_subject == invited["sub"]
    # The person's first sign-in: their token names the pool's sub, and lands in victimco.
    token = issuer.token(sub=invited["sub"], username=member.user.username)
    me = bearer(token).get(ME)
    assert me.status_code == 200
    assert (me.json()["username"], me.json()["organization"]["name"]) == (BOB, "victimco")


def test_another_tenant_cannot_capture_a_first_sign_in(admins, issuer) -> None:
    evil, victim = admins
    assert invite(evil, BOB).status_code == 201
    assert invite(victim, BOB).status_code == 201
    # A token whose `sub` no member holds is refused, whatever its username claim says: members
    # are bound by the subject the pool returned when they were added, never by a name.
    assert bearer(issuer.token(username=BOB)).get(ME).status_code == 401
    with victim.scope():
        assert not AuditEvent.objects.filter(action="member.identity_bound").exists()
    victims_bob = Membership.objects.get(organization=victim.organization, username=BOB)
    me = bearer(issuer.token(sub=victims_bob.idp_subject, username=BOB)).get(ME)
    assert me.json()["organization"]["name"] == "victimco"


def test_no_response_reveals_a_name_taken_in_another_organization(admins) -> None:
    evil, victim = admins
    first = invite(evil, BOB)
    second = invite(victim, BOB)
    assert (first.status_code, second.status_code) == (201, 201)
    assert set(first.json()) == set(second.json())
    # Within one organization a name is taken, and saying so reveals nothing new to its admin.
    again = invite(victim, BOB)
    assert again.status_code == 400
    assert again.json() == {"errors": {"username": [f"{BOB!r} is already a member here"]}}


def test_deactivating_disables_the_pool_user_and_signs_them_out_reactivating_enables(
    admins, pool
) -> None:
    _, victim = admins
    member = Membership.objects.select_related("user").get(pk=invite(victim, BOB).json()["id"])
    pool.calls.clear()
    url = f"{MEMBERS}{member.pk}/"
    assert victim.client().patch(url, {"is_active": False}, format="json").status_code == 200
    assert pool.calls == ["AdminDisableUser", "AdminUserGlobalSignOut"]
    assert pool.user(member.user.username)["enabled"] is False
    pool.calls.clear()
    assert victim.client().patch(url, {"is_active": True}, format="json").status_code == 200
    assert pool.calls == ["AdminEnableUser"]
    assert pool.user(member.user.username)["enabled"] is True


@pytest.fixture
def pool_down(settings) -> Iterator[None]:
    """The pool's endpoint refuses connections."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.COGNITO_USER_POOL_ID = "us-east-1_Down"
    settings.COGNITO_ENDPOINT_URL = f"http://127.0.0.1:{port}"
    identity_pool.pool_client.cache_clear()
    yield
    identity_pool.pool_client.cache_clear()


@pytest.fixture
def pool_silent(settings) -> Iterator[None]:
    """The pool's endpoint accepts connections and never answers."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(16)
        settings.COGNITO_USER_POOL_ID = "us-east-1_Silent"
        settings.COGNITO_ENDPOINT_URL = f"http://127.0.0.1:{sock.getsockname()[1]}"
        identity_pool.pool_client.cache_clear()
        yield
    identity_pool.pool_client.cache_clear()


@pytest.mark.parametrize("outage", ["pool_down", "pool_silent"])
def test_a_pool_that_is_down_is_a_fast_503_and_nothing_is_half_written(
    aws_test_credentials, admins, outage, request
) -> None:
    _, victim = admins
    carol = member_create(organization=victim.organization, username="carol@victimco.example")
    request.getfixturevalue(outage)
    started = time.monotonic()
    response = invite(victim, BOB)
    elapsed = time.monotonic() - started
    assert response.status_code == 503
    assert response.json() == {
        "detail": "The user pool is unavailable (AdminCreateUser): nothing was changed; retry"
        " shortly."
    }
    assert response["Retry-After"] == "5"
    timeouts = settings.COGNITO_CONNECT_TIMEOUT_SECONDS + settings.COGNITO_READ_TIMEOUT_SECONDS
    assert elapsed < timeouts + 1
    assert not Membership.objects.filter(username=BOB).exists()
    patched = victim.client().patch(f"{MEMBERS}{carol.pk}/", {"is_active": False}, format="json")
    assert patched.status_code == 503
    carol.user.refresh_from_db()
    assert carol.user.is_active is True
    with victim.scope():
        changes = AuditEvent.objects.filter(action__in=["member.created", "member.deactivated"])
        assert [e.details["username"] for e in changes] == [
            "victimco-member",  # the admin, created by the fixture
            "carol@victimco.example",
        ]


def test_a_role_change_made_elsewhere_applies_once_the_cache_window_has_passed(
    admins, credential_clock
) -> None:
    assert settings.CREDENTIAL_CACHE_SECONDS == 5  # the window docs/service.md states
    _, victim = admins
    assert victim.client().get(MEMBERS).status_code == 200
    Membership.objects.filter(pk=victim.membership.pk).update(role=Role.MEMBER)  # another task
    credential_clock.advance(settings.CREDENTIAL_CACHE_SECONDS - 0.1)
    assert victim.client().get(MEMBERS).status_code == 200
    credential_clock.advance(0.1)
    assert victim.client().get(MEMBERS).status_code == 403


def test_without_a_reachable_pool_an_operator_binds_the_subject_the_pool_shows(
    admins, issuer, settings
) -> None:
    settings.IDENTITY_LOCAL_ACCOUNTS = False  # as in AWS, where the tasks cannot reach the pool
    _, victim = admins
    created = invite(victim, BOB).json()
    member = Membership.objects.get(pk=created["id"])
    assert member.idp_subject is None
    token = issuer.token(sub="pool-sub-of-bob", username=created["sign_in_username"])
    assert bearer(token).get(ME).status_code == 401  # no name binds, not even the pool's
    out = io.StringIO()
    call_command("member_bind", id=member.pk, subject="pool-sub-of-bob", stdout=out)
    assert out.getvalue().strip() == f"bound member {member.pk}"
    assert bearer(token).get(ME).json()["organization"]["name"] == "victimco"
    with pytest.raises(CommandError, match="--member: the member's identity is already bound"):
        call_command("member_bind", id=member.pk, subject="another")
    with victim.scope():
        (bound,) = AuditEvent.objects.filter(action="member.identity_bound")
    assert (bound.actor, bound.details) == ("operator", {"subject": "pool-sub-of-bob"})


def test_with_the_local_provider_a_member_signs_in_with_their_name_while_it_is_free(
    admins, issuer
) -> None:
    evil, victim = admins
    first, second = invite(evil, BOB).json(), invite(victim, BOB).json()
    assert first["sign_in_username"] == BOB  # the local provider's sub is the name typed
    assert (first["invitation"], first["identity_provider"]) == ("none", None)  # no pool, no mail
    assert second["sign_in_username"] not in (BOB, first["sign_in_username"])
    me = bearer(issuer.token(sub=second["sign_in_username"], username=BOB)).get(ME).json()
    assert me["organization"]["name"] == "victimco"
