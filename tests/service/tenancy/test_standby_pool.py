"""Members exist in both user pools, so that pool users sign in while the primary region is down
(docs/decisions/identity-standby-pool.md): the region's pool is asked first and refuses the
change if it fails; the DR region's standby pool follows, and a failure there leaves the member
pending for the worker's retry, never losing the invitation.

Both pools are moto's, in two regions; in AWS the same calls travel through the pool-admin
function (test_pool_admin_function.py)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import boto3
import pytest

from tenancy import identity_pool
from tenancy.models import Membership, Role
from tenancy.tasks import standby_sync
from tests.service.conftest import Tenant, bearer, tenant_make

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "reader"])

MEMBERS = "/api/v1/members/"
ME = "/api/v1/me/"
BOB = "bob@victimco.example"
STANDBY_REGION = "us-west-2"


@dataclass
class Pools:
    """The two moto pools as the service sees them."""

    home: object
    home_id: str
    standby: object
    standby_id: str

    def user(self, pool: str, username: str) -> dict:
        """A user of ``pool`` (home or standby): Enabled and attributes by name."""
        client, pool_id = (
            (self.home, self.home_id) if pool == "home" else (self.standby, self.standby_id)
        )
        found = client.admin_get_user(UserPoolId=pool_id, Username=username)
        return {
            "enabled": found["Enabled"],
            **{a["Name"]: a["Value"] for a in found["UserAttributes"]},
        }


def _pool(region: str) -> tuple[object, str]:
    client = boto3.client("cognito-idp", region_name=region)
    created = client.create_user_pool(PoolName="pcs-test-users", AliasAttributes=["email"])
    return client, created["UserPool"]["Id"]


@pytest.fixture
def pools(aws_test_credentials, settings) -> Iterator[Pools]:
    """A home pool in the service's region and a standby pool in the DR region (moto)."""
    from moto import mock_aws

    with mock_aws():
        (home, home_id), (standby, standby_id) = _pool(settings.AWS_REGION), _pool(STANDBY_REGION)
        settings.COGNITO_USER_POOL_ID = home_id
        settings.COGNITO_STANDBY_REGION = STANDBY_REGION
        settings.COGNITO_STANDBY_USER_POOL_ID = standby_id
        identity_pool.pool_client.cache_clear()
        yield Pools(home, home_id, standby, standby_id)
    identity_pool.pool_client.cache_clear()


@pytest.fixture
def victim() -> Tenant:
    return tenant_make("victimco", role=Role.ADMIN)


def invite(admin: Tenant, username: str):
    return admin.client().post(MEMBERS, {"username": username, "role": "member"}, format="json")


def test_an_invited_member_is_created_in_both_pools_and_signs_in_with_either(
    victim, pools, issuer
) -> None:
    response = invite(victim, BOB)
    assert response.status_code == 201
    member = Membership.objects.select_related("user").get(pk=response.json()["id"])
    home = pools.user("home", member.user.username)
    standby = pools.user("standby", member.user.username)
    # One invitation e-mail (the region's pool); the standby's address is verified, so that in a
    # failover the person sets a password there with the pool's "forgot password" code.
    assert (standby["email"], standby["email_verified"], standby["enabled"]) == (BOB, "true", True)
    assert (member.idp_subject, member.idp_standby_subject) == (home["sub"], standby["sub"])
    assert home["sub"] != standby["sub"]
    assert member.standby_pending is False
    for subject in (home["sub"], standby["sub"]):  # the DR API accepts either pool's tokens
        me = bearer(issuer.token(sub=subject, username=member.user.username)).get(ME)
        assert (me.status_code, me.json()["organization"]["name"]) == (200, "victimco")


def test_deactivating_disables_the_member_in_both_pools_and_reactivating_enables_both(
    victim, pools
) -> None:
    member = Membership.objects.select_related("user").get(pk=invite(victim, BOB).json()["id"])
    url = f"{MEMBERS}{member.pk}/"
    assert victim.client().patch(url, {"is_active": False}, format="json").status_code == 200
    assert [pools.user(p, member.user.username)["enabled"] for p in ("home", "standby")] == [
        False,
        False,
    ]
    assert victim.client().patch(url, {"is_active": True}, format="json").status_code == 200
    assert [pools.user(p, member.user.username)["enabled"] for p in ("home", "standby")] == [
        True,
        True,
    ]


def test_a_standby_that_fails_keeps_the_invitation_and_the_worker_retries(
    victim, pools, settings, caplog
) -> None:
    settings.COGNITO_STANDBY_USER_POOL_ID = "us-west-2_Gone"  # the standby refuses every call
    response = invite(victim, BOB)
    assert response.status_code == 201  # the invitation stands: the region's pool has Bob
    member = Membership.objects.select_related("user").get(pk=response.json()["id"])
    assert pools.user("home", member.user.username)["email"] == BOB
    assert (member.standby_pending, member.idp_standby_subject) == (True, None)
    assert [r.message for r in caplog.records if r.name == "tenancy.services"] == [
        "member.standby_pending"
    ]
    # Deactivated while the standby is still down: the retry brings that state too.
    url = f"{MEMBERS}{member.pk}/"
    assert victim.client().patch(url, {"is_active": False}, format="json").status_code == 200
    assert standby_sync() == {"synced": 0, "pending": 1}
    settings.COGNITO_STANDBY_USER_POOL_ID = pools.standby_id  # the standby is back
    assert standby_sync() == {"synced": 1, "pending": 0}
    member.refresh_from_db()
    standby = pools.user("standby", member.user.username)
    assert (member.standby_pending, member.idp_standby_subject) == (False, standby["sub"])
    assert (standby["email"], standby["enabled"]) == (BOB, False)
    assert standby_sync() == {"synced": 0, "pending": 0}


def test_the_retry_finds_a_standby_user_created_before_a_lost_answer(victim, pools) -> None:
    member = Membership.objects.select_related("user").get(pk=invite(victim, BOB).json()["id"])
    subject = member.idp_standby_subject
    Membership.objects.filter(pk=member.pk).update(idp_standby_subject=None, standby_pending=True)
    assert standby_sync() == {"synced": 1, "pending": 0}
    member.refresh_from_db()
    assert member.idp_standby_subject == subject


def test_without_a_standby_region_only_the_region_s_pool_is_called(victim, pools, settings) -> None:
    settings.COGNITO_STANDBY_REGION = ""
    member = Membership.objects.select_related("user").get(pk=invite(victim, BOB).json()["id"])
    assert (member.standby_pending, member.idp_standby_subject) == (False, None)
    with pytest.raises(pools.standby.exceptions.UserNotFoundException):
        pools.user("standby", member.user.username)
