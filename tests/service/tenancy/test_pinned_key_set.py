"""Access tokens verified against the key set captured at deploy (``COGNITO_JWKS``), as in AWS.

The API's tasks have no route to Cognito (issue 12: no internet egress), so production settings
carry the user pool's key set itself; nothing is fetched, whatever the URL says.
"""

from __future__ import annotations

import json

import pytest

from tenancy.access_tokens import _pinned_key_set
from tenancy.models import Membership, Role
from tenancy.services import member_create, organization_create
from tests.service.conftest import bearer
from tests.service.tenancy.test_access_tokens import DOCUMENTS, refusal_reason

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "reader"])


@pytest.fixture
def person() -> Membership:
    """A member who signs in with the identity provider's tokens."""
    return member_create(
        organization=organization_create(name="acme"), username="alice", role=Role.MEMBER
    )


@pytest.fixture
def pinned(issuer, settings):
    """The issuer's key set in the setting, and its URL unreachable: any fetch would fail."""
    settings.OIDC_JWKS = json.dumps(issuer.jwks())
    settings.OIDC_JWKS_URL = "http://127.0.0.1:1/jwks.json"
    _pinned_key_set.cache_clear()
    yield issuer
    _pinned_key_set.cache_clear()


def test_a_valid_token_is_verified_with_the_pinned_keys_and_nothing_is_fetched(pinned, person):
    assert bearer(pinned.token(sub=person.idp_subject)).get(DOCUMENTS).status_code == 200
    assert pinned.fetches == 0


def test_a_token_of_a_key_outside_the_pinned_set_is_refused(pinned, person):
    token = pinned.token(kid=pinned.key_add("rogue", publish=False), username="alice")
    assert bearer(token).get(DOCUMENTS).status_code == 401
    assert refusal_reason() == "access token signed with an unknown key"
    assert pinned.fetches == 0


def test_an_unreadable_pinned_set_is_a_503_not_a_401(pinned, person, settings):
    settings.OIDC_JWKS = '{"keys": [}'
    assert bearer(pinned.token(username="alice")).get(DOCUMENTS).status_code == 503
    assert refusal_reason() == "configured key set unreadable"
