"""A person invited by an organization that has its own identity provider signs in through it as
the invited member: at invitation, the pool user AdminCreateUser makes is linked to the identity
that provider asserts for the member's e-mail address (AdminLinkProviderForUser), in both pools,
and the `sub` already bound is what their federated sign-in carries. Without the link Cognito
makes another user (another `sub`) at the first federated sign-in, which no member holds.

Only the inviting organization's own provider is ever named, so a member of one tenant is never
linked to another tenant's IdP (docs/decisions/identity-federated-link.md).

moto 5.2.5 does not implement AdminLinkProviderForUser, so both pools here are botocore
Stubbers: each request is checked against Cognito's API model and must be exactly the one
expected, in order; an unexpected call fails the test.
"""

from __future__ import annotations

import io
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from botocore.stub import Stubber
from django.core.management import CommandError, call_command

from audit.models import AuditEvent
from tenancy import identity_pool
from tenancy.models import Membership, Organization, Role
from tenancy.tasks import standby_sync
from tests.service.conftest import Tenant, bearer, tenant_make

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "reader"])

MEMBERS = "/api/v1/members/"
ME = "/api/v1/me/"
BOB = "bob@victimco.example"
VICTIM_IDP = "VictimcoIdP"
EVIL_IDP = "EvilcorpIdP"
HOME_POOL = "us-east-1_Home"
STANDBY_POOL = "us-west-2_Standby"
BOB_USERNAME = "0b0b0b0b-0000-4000-8000-000000000001"  # the pool username generated for Bob
HOME_SUB, STANDBY_SUB = "sub-home-bob", "sub-standby-bob"


@dataclass
class Pools:
    """The two pools' stubs: what each must receive, in order, and what it answers."""

    home: Stubber
    standby: Stubber

    def created(self, stub: Stubber, pool_id: str, sub: str, *, invited: bool, standby: bool):
        attributes = [{"Name": "email", "Value": BOB}]
        if standby:
            attributes.append({"Name": "email_verified", "Value": "true"})
        expected = {"UserPoolId": pool_id, "Username": BOB_USERNAME, "UserAttributes": attributes}
        expected |= (
            {"DesiredDeliveryMediums": ["EMAIL"]} if invited else {"MessageAction": "SUPPRESS"}
        )
        user = {"Username": BOB_USERNAME, "Attributes": [{"Name": "sub", "Value": sub}]}
        stub.add_response("admin_create_user", {"User": user}, expected)

    def linked(self, stub: Stubber, pool_id: str, provider: str) -> None:
        stub.add_response(
            "admin_link_provider_for_user",
            {},
            {
                "UserPoolId": pool_id,
                "DestinationUser": {
                    "ProviderName": "Cognito",
                    "ProviderAttributeValue": BOB_USERNAME,
                },
                "SourceUser": {
                    "ProviderName": provider,
                    "ProviderAttributeName": "email",
                    "ProviderAttributeValue": BOB,
                },
            },
        )

    def invited_and_linked(self, provider: str) -> None:
        """Bob's invitation by the organization owning `provider`, in both pools."""
        self.created(self.home, HOME_POOL, HOME_SUB, invited=False, standby=False)
        self.linked(self.home, HOME_POOL, provider)
        self.created(self.standby, STANDBY_POOL, STANDBY_SUB, invited=False, standby=True)
        self.linked(self.standby, STANDBY_POOL, provider)

    def settled(self) -> None:
        self.home.assert_no_pending_responses()
        self.standby.assert_no_pending_responses()


@pytest.fixture
def victim() -> Tenant:
    """victimco, whose people sign in through its own IdP."""
    tenant = tenant_make("victimco", role=Role.ADMIN)
    call_command(
        "organization_idp", organization="victimco", provider=VICTIM_IDP, stdout=io.StringIO()
    )
    tenant.organization.refresh_from_db()
    return tenant


@pytest.fixture
def evil() -> Tenant:
    return tenant_make("evilcorp", role=Role.ADMIN)


@pytest.fixture
def pools(aws_test_credentials, settings, monkeypatch) -> Iterator[Pools]:
    """Both pools configured as the service's (called directly, as locally), stubbed."""
    settings.COGNITO_USER_POOL_ID = HOME_POOL
    settings.COGNITO_STANDBY_REGION = "us-west-2"
    settings.COGNITO_STANDBY_USER_POOL_ID = STANDBY_POOL
    monkeypatch.setattr(identity_pool.uuid, "uuid4", lambda: uuid.UUID(BOB_USERNAME))
    identity_pool.pool_client.cache_clear()
    home = identity_pool.pool_client(identity_pool.HOME)
    standby = identity_pool.pool_client(identity_pool.STANDBY)
    with Stubber(home) as home_stub, Stubber(standby) as standby_stub:
        yield Pools(home_stub, standby_stub)
    identity_pool.pool_client.cache_clear()


def invite(admin: Tenant, username: str = BOB):
    return admin.client().post(MEMBERS, {"username": username, "role": "member"}, format="json")


def test_an_invited_member_signing_in_through_their_organization_s_idp_is_that_member(
    victim, pools, issuer
) -> None:
    pools.invited_and_linked(VICTIM_IDP)
    response = invite(victim)
    assert response.status_code == 201
    pools.settled()
    # The answer tells the admin what happened: no e-mail, a sign-in through victimco's IdP.
    assert (response.json()["invitation"], response.json()["identity_provider"]) == (
        "identity_provider",
        VICTIM_IDP,
    )
    member = Membership.objects.get(pk=response.json()["id"])
    assert (member.idp_subject, member.idp_standby_subject) == (HOME_SUB, STANDBY_SUB)
    assert member.standby_pending is False
    # A sign-in through the linked IdP is the pool user the link names (Cognito returns the
    # destination user): its token carries the `sub` bound at invitation, in either pool.
    for subject in (HOME_SUB, STANDBY_SUB):
        me = bearer(issuer.token(sub=subject, username=BOB_USERNAME)).get(ME)
        assert (me.status_code, me.json()["organization"]["name"]) == (200, "victimco")
    # Unlinked, the IdP's person becomes a new pool user "<provider>_<their subject>" with a new
    # `sub`, which the API refuses: the name is never matched.
    stranger = bearer(issuer.token(sub="sub-new-user", username=f"{VICTIM_IDP}_bob")).get(ME)
    assert stranger.status_code == 401


def test_another_organization_s_invitation_of_the_same_address_is_never_linked_to_its_idp(
    victim, evil, pools
) -> None:
    # evilcorp has no IdP of its own: its Bob gets the pool's invitation, and no link at all.
    pools.created(pools.home, HOME_POOL, "sub-evil-bob", invited=True, standby=False)
    pools.created(pools.standby, STANDBY_POOL, "sub-evil-bob-dr", invited=False, standby=True)
    assert invite(evil).status_code == 201
    pools.settled()
    # Nor can it claim victimco's IdP, which is an operator's setting and one organization's.
    with pytest.raises(CommandError, match="--provider: that provider is another organization's"):
        call_command("organization_idp", organization="evilcorp", provider=VICTIM_IDP)
    assert Organization.objects.get(name="evilcorp").identity_provider is None


def test_an_organization_links_its_members_to_its_own_idp_only(evil, pools) -> None:
    call_command(
        "organization_idp", organization="evilcorp", provider=EVIL_IDP, stdout=io.StringIO()
    )
    pools.invited_and_linked(EVIL_IDP)  # not VictimcoIdP, though the address is victimco's
    assert invite(evil).status_code == 201
    pools.settled()
    with evil.scope():
        (claimed,) = AuditEvent.objects.filter(action="organization.identity_provider_set")
    assert (claimed.actor, claimed.details) == ("operator", {"from": None, "to": EVIL_IDP})


def test_a_link_the_region_s_pool_refuses_is_a_503_and_nothing_is_written(victim, pools) -> None:
    pools.created(pools.home, HOME_POOL, HOME_SUB, invited=False, standby=False)
    pools.home.add_client_error("admin_link_provider_for_user", "LimitExceededException")
    response = invite(victim)
    assert response.status_code == 503
    assert "AdminLinkProviderForUser" in response.json()["detail"]
    assert not Membership.objects.filter(username=BOB).exists()
    pools.settled()


def test_a_standby_link_that_fails_is_retried_and_a_linked_user_is_not_linked_twice(
    victim, pools
) -> None:
    pools.created(pools.home, HOME_POOL, HOME_SUB, invited=False, standby=False)
    pools.linked(pools.home, HOME_POOL, VICTIM_IDP)
    pools.created(pools.standby, STANDBY_POOL, STANDBY_SUB, invited=False, standby=True)
    pools.standby.add_client_error("admin_link_provider_for_user", "TooManyRequestsException")
    response = invite(victim)
    assert response.status_code == 201
    member = Membership.objects.get(pk=response.json()["id"])
    assert (member.standby_pending, member.idp_standby_subject) == (True, None)
    # The retry: the user exists, carries no identity of the IdP yet, so it is linked.
    exists = ("admin_create_user", "UsernameExistsException")
    standby_user = {
        "Username": BOB_USERNAME,
        "UserAttributes": [{"Name": "sub", "Value": STANDBY_SUB}],
    }
    pools.standby.add_client_error(*exists)
    pools.standby.add_response(
        "admin_get_user", standby_user, {"UserPoolId": STANDBY_POOL, "Username": BOB_USERNAME}
    )
    pools.linked(pools.standby, STANDBY_POOL, VICTIM_IDP)
    pools.standby.add_response(
        "admin_enable_user", {}, {"UserPoolId": STANDBY_POOL, "Username": BOB_USERNAME}
    )
    assert standby_sync() == {"synced": 1, "pending": 0}
    # A retry after a lost answer: the user already carries the IdP's identity, so no link.
    Membership.objects.filter(pk=member.pk).update(standby_pending=True)
    identities = [{"providerName": VICTIM_IDP, "providerType": "SAML", "userId": BOB}]
    linked_user = {
        **standby_user,
        "UserAttributes": [
            *standby_user["UserAttributes"],
            {"Name": "identities", "Value": json.dumps(identities)},
        ],
    }
    pools.standby.add_client_error(*exists)
    pools.standby.add_response(
        "admin_get_user", linked_user, {"UserPoolId": STANDBY_POOL, "Username": BOB_USERNAME}
    )
    pools.standby.add_response(
        "admin_enable_user", {}, {"UserPoolId": STANDBY_POOL, "Username": BOB_USERNAME}
    )
    assert standby_sync() == {"synced": 1, "pending": 0}
    pools.settled()


def test_an_operator_creates_a_federated_organization_whose_first_admin_is_linked(pools) -> None:
    pools.invited_and_linked(VICTIM_IDP)
    call_command(
        "tenant_create",
        organization="victimco",
        username=BOB,
        role="admin",
        identity_provider=VICTIM_IDP,
        stdout=io.StringIO(),
    )
    pools.settled()
    member = Membership.objects.select_related("organization").get(username=BOB)
    assert (member.organization.identity_provider, member.idp_subject) == (VICTIM_IDP, HOME_SUB)
