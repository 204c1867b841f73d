"""Access tokens of the identity provider: only valid ones of our issuer and client get in.

The issuer is real enough: RSA keys generated here, its JWKS served over HTTP on a free port
(tests/service/oidc_issuer.py); each refusal is a 401 whose reason is in the audit trail.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import socket
import time

import pytest
from cryptography.hazmat.primitives import serialization

from audit.models import AuditEvent
from tenancy.context import tenant_context
from tenancy.models import Membership, Role
from tenancy.services import member_create, organization_create
from tests.service.conftest import bearer

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "reader"])

DOCUMENTS = "/api/v1/documents/"


@pytest.fixture
def person() -> Membership:
    """A member created by an admin, who has not signed in yet."""
    organization = organization_create(name="acme")
    return member_create(organization=organization, username="alice", role=Role.MEMBER)


def refusal_reason() -> str:
    """The reason of the one authentication failure recorded (its tenant may be unknown)."""
    failures = AuditEvent.objects.filter(action="authentication.failed")
    assert failures.count() == 1
    return failures.get().reason


def test_a_valid_access_token_signs_in_the_member_its_subject_names(issuer, person) -> None:
    token = issuer.token(sub=person.idp_subject)
    assert bearer(token).get(DOCUMENTS).status_code == 200
    assert bearer(token).get(DOCUMENTS).status_code == 200
    # Only the subject counts, whatever the username claim says.
    renamed = issuer.token(username="renamed", sub=person.idp_subject)
    assert bearer(renamed).get(DOCUMENTS).status_code == 200
    with tenant_context(organization_id=person.organization_id):
        sign_ins = AuditEvent.objects.filter(action="authentication.succeeded").count()
    assert sign_ins == 2  # one per new token, not one per request


@pytest.mark.parametrize(
    ("make_token", "reason"),
    [
        (lambda i: i.token(exp=int(time.time()) - 120), "access token expired"),
        (lambda i: i.token(nbf=int(time.time()) + 300), "access token not yet valid"),
        (lambda i: i.token(iss="https://evil.example/pool"), "access token from another issuer"),
        (lambda i: i.token(client_id="another-client"),
         "access token of an app client not accepted"),
        (lambda i: i.token(token_use="id"), "not an access token (token_use)"),
        (lambda i: i.token(exp=None), "access token lacks a required claim"),
        (lambda i: i.unsigned_token(), "access token algorithm 'none' not accepted"),
        (lambda i: i.token(kid=i.key_add("rogue", publish=False)),
         "access token signed with an unknown key"),
        (lambda i: tampered(i.token()), "access token signature invalid"),
        (lambda i: "not.a.jwt", "malformed access token"),
    ],
    ids=["expired", "not-yet-valid", "wrong-issuer", "wrong-client", "id-token", "no-exp",
         "alg-none", "unknown-kid", "tampered-signature", "malformed"],
)  # fmt: skip
def test_a_bad_access_token_is_refused_with_its_reason(issuer, person, make_token, reason) -> None:
    response = bearer(make_token(issuer)).get(DOCUMENTS)
    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid, expired or revoked credentials."}
    assert refusal_reason() == reason


def tampered(token: str) -> str:
    """The same signature over a payload that claims another subject."""
    header, _payload, signature = token.split(".")
    forged = {"sub": "someone-else", "username": "alice", "token_use": "access"}
    payload = base64.urlsafe_b64encode(json.dumps(forged).encode()).rstrip(b"=").decode()
    return f"{header}.{payload}.{signature}"


def test_an_hmac_token_keyed_with_the_public_key_is_refused(issuer, person) -> None:
    public_pem = (
        issuer.keys["key-1"]
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )

    def part(data: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    signing_input = f"{part({'alg': 'HS256', 'kid': 'key-1'})}.{part(issuer.claims())}"
    signature = hmac.new(public_pem, signing_input.encode(), hashlib.sha256).digest()
    token = f"{signing_input}.{base64.urlsafe_b64encode(signature).rstrip(b'=').decode()}"
    assert bearer(token).get(DOCUMENTS).status_code == 401
    assert refusal_reason() == "access token algorithm 'HS256' not accepted"


def test_a_rotated_key_is_fetched_on_its_first_unknown_kid(issuer, person, settings) -> None:
    settings.OIDC_JWKS_REFRESH_COOLDOWN_SECONDS = 0
    assert bearer(issuer.token(sub=person.idp_subject)).get(DOCUMENTS).status_code == 200
    issuer.key_add("key-2")
    token = issuer.token(kid="key-2", sub=person.idp_subject)
    assert bearer(token).get(DOCUMENTS).status_code == 200
    assert bearer(token).get(DOCUMENTS).status_code == 200
    assert issuer.fetches == 2  # the first sign-in, then once for key-2; cached afterwards


def test_forged_kids_refetch_the_key_set_at_most_once_per_cooldown(issuer, person) -> None:
    assert bearer(issuer.token(sub=person.idp_subject)).get(DOCUMENTS).status_code == 200
    issuer.key_add("flood", publish=False)
    for _ in range(5):
        forged = issuer.token(kid="flood", sub=person.idp_subject)
        assert bearer(forged).get(DOCUMENTS).status_code == 401
    assert issuer.fetches == 1


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_an_unreachable_key_set_is_a_fast_503_not_a_401(issuer, person, settings) -> None:
    settings.OIDC_JWKS_URL = f"http://127.0.0.1:{free_port()}/jwks.json"
    response = bearer(issuer.token(sub=person.idp_subject)).get(DOCUMENTS)
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert refusal_reason() == "identity provider key set unavailable"


def test_a_key_set_that_never_answers_times_out(issuer, person, settings) -> None:
    with socket.socket() as silent:  # accepts connections (backlog), never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        settings.OIDC_JWKS_URL = f"http://127.0.0.1:{silent.getsockname()[1]}/jwks.json"
        settings.OIDC_JWKS_TIMEOUT_SECONDS = 0.5
        started = time.monotonic()
        response = bearer(issuer.token(sub=person.idp_subject)).get(DOCUMENTS)
        elapsed = time.monotonic() - started
    assert response.status_code == 503
    assert elapsed < 3


def test_an_identity_that_is_no_member_is_refused(issuer, person) -> None:
    assert bearer(issuer.token(username="mallory")).get(DOCUMENTS).status_code == 401
    assert refusal_reason() == "no member for this identity"


def test_a_token_naming_the_members_username_under_another_subject_is_refused(
    issuer, person
) -> None:
    for username in ("alice", person.user.username):
        assert bearer(issuer.token(username=username)).get(DOCUMENTS).status_code == 401


@pytest.mark.parametrize("inactive", ["user", "organization"])
def test_an_inactive_user_or_organization_is_refused_within_the_cache_window(
    issuer, person, inactive, credential_clock, settings
) -> None:
    token = issuer.token(sub=person.idp_subject)
    assert bearer(token).get(DOCUMENTS).status_code == 200
    if inactive == "user":
        person.user.is_active = False
        person.user.save()
    else:
        person.organization.is_active = False
        person.organization.save()
    credential_clock.advance(settings.CREDENTIAL_CACHE_SECONDS)
    assert bearer(token).get(DOCUMENTS).status_code == 401
    with tenant_context(organization_id=person.organization_id):
        failure = AuditEvent.objects.get(action="authentication.failed")
    assert (failure.reason, failure.actor) == (f"{inactive} inactive", "alice")


def test_a_token_of_another_accepted_issuer_signs_in(issuer, person, settings) -> None:
    """The DR region's API accepts the primary pool's tokens (OIDC_ISSUER lists both)."""
    primary = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Primary"
    settings.OIDC_ISSUERS = [settings.OIDC_ISSUER, primary]
    token = issuer.token(iss=primary, sub=person.idp_subject)
    assert bearer(token).get(DOCUMENTS).status_code == 200
    settings.OIDC_ISSUERS = [settings.OIDC_ISSUER]
    # A token not seen before (an accepted one is cached for its lifetime).
    token = issuer.token(iss=primary, sub=person.idp_subject, username="again")
    assert bearer(token).get(DOCUMENTS).status_code == 401
    assert refusal_reason() == "access token from another issuer"
