"""In AWS the service reaches both user pools through the pool-admin function
(infra/identity/pool_admin/admin.py), invoked through the Lambda interface endpoint: here the
service's Lambda client hands each invocation to the function's handler, which calls moto's
pools in two regions, so the payloads both sides agree on are the ones tested."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from botocore.stub import Stubber
from infra.identity.pool_admin import admin

from tenancy import identity_pool
from tenancy.models import Membership, Role
from tests.service.conftest import Tenant, tenant_make

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "reader"])

MEMBERS = "/api/v1/members/"
BOB = "bob@victimco.example"
STANDBY_REGION = "us-west-2"
POOL_NAME = "pcs-test-users"


class FunctionClient:
    """The Lambda client, as far as the service uses it: each invocation runs the handler."""

    def __init__(self) -> None:
        self.events: list[dict] = []

    def invoke(self, *, FunctionName: str, Payload: bytes) -> dict:
        assert FunctionName == "pcs-test-pool-admin"
        event = json.loads(Payload)
        self.events.append(event)
        answer = json.dumps(admin.handler(event, None)).encode()
        return {"StatusCode": 200, "Payload": io.BytesIO(answer)}


@pytest.fixture
def victim() -> Tenant:
    return tenant_make("victimco", role=Role.ADMIN)


@pytest.fixture
def function(aws_test_credentials, settings, monkeypatch) -> Iterator[tuple[FunctionClient, dict]]:
    """The function's configuration as the compute stack sets it, over moto's two pools."""
    from moto import mock_aws

    with mock_aws():
        ids = {
            region: boto3.client("cognito-idp", region_name=region).create_user_pool(
                PoolName=POOL_NAME
            )["UserPool"]["Id"]
            for region in (settings.AWS_REGION, STANDBY_REGION)
        }
        monkeypatch.setenv("AWS_REGION", settings.AWS_REGION)
        monkeypatch.setenv("HOME_POOL_ID", ids[settings.AWS_REGION])
        monkeypatch.setenv("STANDBY_REGION", STANDBY_REGION)
        monkeypatch.setenv("POOL_NAME", POOL_NAME)
        admin._client.cache_clear()
        admin._standby_pool_id.cache_clear()
        settings.COGNITO_USER_POOL_ID = ids[settings.AWS_REGION]
        settings.COGNITO_STANDBY_REGION = STANDBY_REGION
        settings.COGNITO_STANDBY_USER_POOL_ID = ""  # the service does not know it in AWS
        settings.COGNITO_ADMIN_FUNCTION = "pcs-test-pool-admin"
        client = FunctionClient()
        monkeypatch.setattr(identity_pool, "admin_function_client", lambda: client)
        yield client, ids
    admin._client.cache_clear()
    admin._standby_pool_id.cache_clear()


def test_an_invitation_through_the_function_reaches_both_pools(victim, function) -> None:
    client, ids = function
    response = victim.client().post(MEMBERS, {"username": BOB, "role": "member"}, format="json")
    assert response.status_code == 201
    member = Membership.objects.select_related("user").get(pk=response.json()["id"])
    assert [(e["pool"], e["operation"]) for e in client.events] == [
        ("home", "AdminCreateUser"),
        ("standby", "AdminCreateUser"),
    ]
    assert all("UserPoolId" not in e["arguments"] for e in client.events)  # the function's
    subjects = []
    for region in (identity_pool.settings.AWS_REGION, STANDBY_REGION):
        cognito = boto3.client("cognito-idp", region_name=region)
        user = cognito.admin_get_user(UserPoolId=ids[region], Username=member.user.username)
        subjects.append({a["Name"]: a["Value"] for a in user["UserAttributes"]}["sub"])
    assert [member.idp_subject, member.idp_standby_subject] == subjects
    url = f"{MEMBERS}{member.pk}/"
    client.events.clear()
    assert victim.client().patch(url, {"is_active": False}, format="json").status_code == 200
    assert [(e["pool"], e["operation"]) for e in client.events] == [
        ("home", "AdminDisableUser"),
        ("home", "AdminUserGlobalSignOut"),
        ("standby", "AdminCreateUser"),
        ("standby", "AdminGetUser"),
        ("standby", "AdminDisableUser"),
        ("standby", "AdminUserGlobalSignOut"),
    ]


def test_a_function_that_cannot_be_invoked_is_a_503_and_nothing_is_written(
    victim, aws_test_credentials, settings
) -> None:
    settings.COGNITO_USER_POOL_ID = "us-east-1_Home"
    settings.COGNITO_ADMIN_FUNCTION = "pcs-test-pool-admin"
    identity_pool.admin_function_client.cache_clear()
    with Stubber(identity_pool.admin_function_client()) as stub:
        stub.add_client_error("invoke", "TooManyRequestsException", http_status_code=429)
        response = victim.client().post(MEMBERS, {"username": BOB, "role": "member"}, format="json")
    identity_pool.admin_function_client.cache_clear()
    assert response.status_code == 503
    assert "AdminCreateUser" in response.json()["detail"]
    assert not Membership.objects.filter(username=BOB).exists()


@pytest.mark.parametrize(
    "event, error",
    [
        ([], "InvalidEvent"),
        ({"pool": "other", "operation": "AdminGetUser", "arguments": {}}, "InvalidPool"),
        ({"pool": "home", "operation": "DeleteUserPool", "arguments": {}}, "InvalidOperation"),
        ({"pool": "home", "operation": "AdminDeleteUser", "arguments": {}}, "InvalidOperation"),
        (
            {"pool": "home", "operation": "AdminGetUser", "arguments": {"UserPoolId": "x"}},
            "InvalidArguments",
        ),
    ],
)
def test_the_function_runs_only_the_six_operations_on_its_own_pools(event, error) -> None:
    assert admin.handler(event, None) == {"error": error}
    assert sorted(admin.OPERATIONS) == [
        "AdminCreateUser",
        "AdminDisableUser",
        "AdminEnableUser",
        "AdminGetUser",
        "AdminLinkProviderForUser",
        "AdminUserGlobalSignOut",
    ]


def test_the_function_links_a_member_in_the_pool_it_names_itself(function) -> None:
    """moto 5.2.5 has no AdminLinkProviderForUser: the function's client is stubbed for it."""
    _, ids = function
    link = identity_pool.federated_link(username="u-1", email=BOB, identity_provider="VictimcoIdP")
    event = {"pool": "home", "operation": "AdminLinkProviderForUser", "arguments": link}
    with Stubber(admin._client(identity_pool.settings.AWS_REGION)) as stub:
        stub.add_response(
            "admin_link_provider_for_user",
            {},
            {"UserPoolId": ids[identity_pool.settings.AWS_REGION], **link},
        )
        assert admin.handler(event, None) == {"result": {}}
        stub.assert_no_pending_responses()


def test_the_function_s_code_imports_as_lambda_loads_it() -> None:
    """Lambda imports `admin` from the code's root folder, not as a package."""
    folder = Path(admin.__file__).parent
    loaded = subprocess.run(
        [sys.executable, "-c", "import admin; print(','.join(admin.OPERATIONS))"],
        cwd=folder,
        env={"PATH": os.environ["PATH"], "PYTHONPATH": str(folder)},
        capture_output=True,
        text=True,
        check=True,
    )
    assert loaded.stdout.strip() == ",".join(admin.OPERATIONS)


def test_without_a_standby_region_the_function_says_so(function, monkeypatch) -> None:
    monkeypatch.setenv("STANDBY_REGION", "")
    event = {"pool": "standby", "operation": "AdminGetUser", "arguments": {"Username": "x"}}
    assert admin.handler(event, None) == {"error": "NoStandbyPool"}
    monkeypatch.setenv("STANDBY_REGION", STANDBY_REGION)
    assert admin.handler(event, None) == {"error": "UserNotFoundException"}
