"""Machine API tokens: issued by a signed-in person, expiring, stamped when used, revocable."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from audit.models import AuditEvent
from tenancy.models import ApiToken, Role
from tenancy.services import api_token_issue, member_create, token_hash
from tests.service.conftest import bearer, tenant_make

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "reader"])

DOCUMENTS = "/api/v1/documents/"
TOKENS = "/api/v1/tokens/"


def stored(raw: str) -> ApiToken:
    return ApiToken.objects.get(key_hash=token_hash(raw))


def audited(tenant, action: str) -> list[AuditEvent]:
    with tenant.scope():
        return list(AuditEvent.objects.filter(action=action).order_by("id"))


def test_a_token_expires_after_90_days_by_default(tenant_a) -> None:
    token = stored(tenant_a.token)
    assert abs(token.expires_at - token.created_at - timedelta(days=90)) < timedelta(seconds=1)


def test_an_expired_token_is_refused(tenant_a) -> None:
    ApiToken.objects.filter(pk=stored(tenant_a.token).pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert tenant_a.client().get(DOCUMENTS).status_code == 401
    assert [e.reason for e in audited(tenant_a, "authentication.failed")] == ["API token expired"]


def test_last_use_is_stamped_at_most_once_per_resolution(tenant_a, settings) -> None:
    assert stored(tenant_a.token).last_used_at is None
    tenant_a.client().get(DOCUMENTS)
    first = stored(tenant_a.token).last_used_at
    tenant_a.client().get(DOCUMENTS)
    assert first is not None and stored(tenant_a.token).last_used_at == first
    assert len(audited(tenant_a, "authentication.succeeded")) == 1
    settings.API_TOKEN_LAST_USED_RESOLUTION_SECONDS = 0
    tenant_a.client().get(DOCUMENTS)
    assert stored(tenant_a.token).last_used_at > first
    assert len(audited(tenant_a, "authentication.succeeded")) == 2


def test_a_member_revokes_their_token_through_the_api(tenant_a) -> None:
    token = stored(tenant_a.token)
    response = tenant_a.client().post(f"{TOKENS}{token.pk}/revoke/")
    assert response.status_code == 200 and response.json()["revoked_at"]
    assert tenant_a.client().get(DOCUMENTS).status_code == 401
    assert [e.object_id for e in audited(tenant_a, "token.revoked")] == [str(token.pk)]
    assert [e.reason for e in audited(tenant_a, "authentication.failed")] == ["API token revoked"]


def test_a_member_cannot_revoke_another_members_token_but_an_admin_can(tenant_a) -> None:
    admin = api_token_issue(
        membership=tenant_make("acme-admins", role=Role.ADMIN).membership
    )  # another organization's admin
    other = stored(tenant_a.token).pk
    assert bearer(admin.raw).post(f"{TOKENS}{other}/revoke/").status_code == 404
    colleague = member_create(organization=tenant_a.organization, username="bob")
    colleague_token = api_token_issue(membership=colleague).raw
    assert bearer(colleague_token).post(f"{TOKENS}{other}/revoke/").status_code == 404
    boss = member_create(organization=tenant_a.organization, username="boss", role=Role.ADMIN)
    boss_token = api_token_issue(membership=boss).raw
    listed = bearer(boss_token).get(TOKENS).json()
    assert {token["member"] for token in listed} == {"acme-member", "bob", "boss"}
    assert bearer(boss_token).post(f"{TOKENS}{other}/revoke/").status_code == 200
    assert tenant_a.client().get(DOCUMENTS).status_code == 401


def test_the_command_revokes_a_token_by_id_or_every_token_of_a_member(tenant_a) -> None:
    second = api_token_issue(membership=tenant_a.membership).raw
    out = io.StringIO()
    call_command("token_revoke", id=stored(tenant_a.token).pk, stdout=out)
    assert out.getvalue().strip() == "revoked 1 token(s)"
    assert tenant_a.client().get(DOCUMENTS).status_code == 401
    assert bearer(second).get(DOCUMENTS).status_code == 200
    call_command("token_revoke", username="acme-member", stdout=out)
    assert bearer(second).get(DOCUMENTS).status_code == 401
    assert {e.actor for e in audited(tenant_a, "token.revoked")} == {"operator"}
    with pytest.raises(CommandError, match="no such token"):
        call_command("token_revoke", username="acme-member")


def test_only_a_signed_in_person_may_issue_a_token(tenant_a, issuer) -> None:
    response = tenant_a.client().post(TOKENS, {"name": "ci"}, format="json")
    assert response.status_code == 403
    signed_in = bearer(issuer.token(sub=tenant_a.membership.idp_subject))
    response = signed_in.post(TOKENS, {"name": "ci", "days": 30}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["token"].startswith("pcs_") and body["name"] == "ci"
    assert bearer(body["token"]).get(DOCUMENTS).status_code == 200
    token = stored(body["token"])
    assert abs(token.expires_at - token.created_at - timedelta(days=30)) < timedelta(seconds=1)
    issued = audited(tenant_a, "token.issued")
    assert [(e.outcome, e.object_id) for e in issued][-2:] == [
        ("denied", ""),
        ("success", str(token.pk)),
    ]


@pytest.mark.parametrize(("limit", "days"), [(90, 91), (30, 31), (90, 0)])
def test_a_lifetime_over_the_configured_limit_is_a_400_naming_days(
    tenant_a, issuer, settings, limit, days
) -> None:
    settings.API_TOKEN_MAX_DAYS = limit
    signed_in = bearer(issuer.token(sub=tenant_a.membership.idp_subject))
    response = signed_in.post(TOKENS, {"days": days}, format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["days"]


def test_tenant_create_refuses_a_lifetime_over_90_days() -> None:
    with pytest.raises(CommandError, match="--days: days must be from 1 to 90"):
        call_command("tenant_create", organization="acme", username="ops", days=91)


@pytest.mark.parametrize("inactive", ["user", "organization"])
def test_a_token_of_an_inactive_user_or_organization_is_refused_within_the_cache_window(
    tenant_a, inactive, credential_clock, settings
) -> None:
    assert tenant_a.client().get(DOCUMENTS).status_code == 200
    holder = tenant_a.membership.user if inactive == "user" else tenant_a.organization
    holder.is_active = False
    holder.save()  # as another process would: this one still remembers the token
    credential_clock.advance(settings.CREDENTIAL_CACHE_SECONDS - 0.1)
    assert tenant_a.client().get(DOCUMENTS).status_code == 200
    credential_clock.advance(0.1)
    assert tenant_a.client().get(DOCUMENTS).status_code == 401
    failures = audited(tenant_a, "authentication.failed")
    assert [(e.reason, e.actor) for e in failures] == [(f"{inactive} inactive", "acme-member")]


def test_listing_tokens_is_audited_with_what_was_shown(tenant_a) -> None:
    response = tenant_a.client().get(TOKENS)
    assert response.status_code == 200
    (event,) = audited(tenant_a, "token.listed")
    assert (event.actor, event.object_type, event.outcome) == (
        "acme-member",
        "api_token",
        "success",
    )
    assert event.details == {"count": 1}


def test_the_command_asks_for_the_organization_when_a_name_is_in_several(tenant_a) -> None:
    globex = tenant_make("globex").organization
    namesake = member_create(organization=globex, username="acme-member")
    api_token_issue(membership=namesake)
    with pytest.raises(CommandError, match="several organizations: give --organization"):
        call_command("token_revoke", username="acme-member")
    out = io.StringIO()
    call_command("token_revoke", username="acme-member", organization="globex", stdout=out)
    assert out.getvalue().strip() == "revoked 1 token(s)"
    assert tenant_a.client().get(DOCUMENTS).status_code == 200
