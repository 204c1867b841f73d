"""Accepted credentials are remembered for CREDENTIAL_CACHE_SECONDS, and no longer than that.

Each test changes the database as another process would (an API task elsewhere, an operator's
one-off task): this process keeps accepting the credential for at most the window. Changes made
through this process take effect at once, and expiry is checked on every use.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from tenancy.credential_cache import credential_cache
from tenancy.models import ApiToken, Role
from tenancy.services import api_token_issue, member_create, token_hash
from tests.service.conftest import bearer

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "reader"])

DOCUMENTS = "/api/v1/documents/"


def audited(tenant, action: str) -> list[AuditEvent]:
    with tenant.scope():
        return list(AuditEvent.objects.filter(action=action).order_by("id"))


def test_a_token_revoked_elsewhere_is_refused_once_the_window_has_passed(
    tenant_a, credential_clock, settings
) -> None:
    assert tenant_a.client().get(DOCUMENTS).status_code == 200
    ApiToken.objects.filter(key_hash=token_hash(tenant_a.token)).update(revoked_at=timezone.now())
    credential_clock.advance(settings.CREDENTIAL_CACHE_SECONDS - 0.1)
    assert tenant_a.client().get(DOCUMENTS).status_code == 200
    credential_clock.advance(0.1)
    assert tenant_a.client().get(DOCUMENTS).status_code == 401
    assert [e.reason for e in audited(tenant_a, "authentication.failed")] == ["API token revoked"]


def test_expiry_is_checked_on_every_use_of_a_remembered_token(tenant_a, monkeypatch) -> None:
    assert tenant_a.client().get(DOCUMENTS).status_code == 200
    later = timezone.now() + timedelta(days=91)  # past the token's 90 days
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert tenant_a.client().get(DOCUMENTS).status_code == 401
    assert [e.reason for e in audited(tenant_a, "authentication.failed")] == ["API token expired"]


def test_a_role_change_made_here_applies_to_the_next_request(tenant_a) -> None:
    admin = member_create(organization=tenant_a.organization, username="boss", role=Role.ADMIN)
    deputy = member_create(organization=tenant_a.organization, username="deputy", role=Role.ADMIN)
    deputy_token = api_token_issue(membership=deputy).raw
    assert bearer(deputy_token).get("/api/v1/members/").status_code == 200
    boss = bearer(api_token_issue(membership=admin).raw)
    changed = boss.patch(f"/api/v1/members/{deputy.pk}/", {"role": "member"}, format="json")
    assert changed.status_code == 200
    assert bearer(deputy_token).get("/api/v1/members/").status_code == 403


def test_a_remembered_token_is_still_stamped_and_its_use_recorded_once_per_resolution(
    tenant_a, monkeypatch, settings
) -> None:
    assert tenant_a.client().get(DOCUMENTS).status_code == 200
    first = ApiToken.objects.get(key_hash=token_hash(tenant_a.token)).last_used_at
    later = timezone.now() + timedelta(seconds=settings.API_TOKEN_LAST_USED_RESOLUTION_SECONDS)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert tenant_a.client().get(DOCUMENTS).status_code == 200
    assert tenant_a.client().get(DOCUMENTS).status_code == 200
    assert ApiToken.objects.get(key_hash=token_hash(tenant_a.token)).last_used_at == later > first
    assert len(audited(tenant_a, "authentication.succeeded")) == 2


def test_the_cache_is_bounded_and_refused_credentials_are_not_remembered(
    tenant_a, settings
) -> None:
    settings.CREDENTIAL_CACHE_MAX_ENTRIES = 2
    tokens = [api_token_issue(membership=tenant_a.membership).raw for _ in range(3)]
    for token in tokens:
        assert bearer(token).get(DOCUMENTS).status_code == 200
    assert bearer("pcs_" + "x" * 43).get(DOCUMENTS).status_code == 401
    assert len(credential_cache) == 2
    assert bearer(tokens[0]).get(DOCUMENTS).status_code == 200  # evicted: looked up again
