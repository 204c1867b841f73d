"""Invitations reach the user pools from AWS (issue 22): the API and worker tasks, which have no
route to Cognito, invoke each region's pool-admin function through the VPC's Lambda endpoint;
the function alone holds the six Admin* operations, on exactly the two pools
(docs/decisions/identity-member-invitations.md); the sixth links an invited member to their
organization's own IdP (identity-federated-link.md)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from infra.delivery.bootstrap import permissions_boundary
from tests.infra.conftest import resources

ADMIN_ACTIONS = [
    "cognito-idp:AdminCreateUser",
    "cognito-idp:AdminDisableUser",
    "cognito-idp:AdminEnableUser",
    "cognito-idp:AdminGetUser",
    "cognito-idp:AdminLinkProviderForUser",
    "cognito-idp:AdminUserGlobalSignOut",
]
REGIONS = {"compute": ("us-east-1", "us-west-2"), "dr-compute": ("us-west-2", "us-east-1")}


def _function(result, stack: str) -> dict:
    (function,) = [
        f["Properties"]
        for f in resources(result, stack, "AWS::Lambda::Function").values()
        if f["Properties"].get("FunctionName") == "pcs-prod-pool-admin"
    ]
    return function


def _policies(result, stack: str, role_ref: object) -> list[dict]:
    return [
        statement
        for policy in resources(result, stack, "AWS::IAM::Policy").values()
        if role_ref in policy["Properties"]["Roles"]
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]
    ]


def _role_id(result, stack: str, name: str) -> str:
    (logical_id,) = [
        logical_id
        for logical_id, r in resources(result, stack, "AWS::IAM::Role").items()
        if r["Properties"].get("RoleName") == name
    ]
    return logical_id


def _env(result, stack: str, service: str) -> dict[str, object]:
    (definition,) = [
        d["Properties"]
        for d in resources(result, stack, "AWS::ECS::TaskDefinition").values()
        if d["Properties"]["Family"] == f"pcs-prod-{service}"
    ]
    (only,) = definition["ContainerDefinitions"]
    return {e["Name"]: e["Value"] for e in only["Environment"]}


@pytest.mark.parametrize("stack", ["compute", "dr-compute"])
@pytest.mark.parametrize("service", ["api", "worker"])
def test_the_api_and_worker_name_the_pool_the_other_region_and_the_function(prod, stack, service):
    region, other = REGIONS[stack]
    env = _env(prod, stack, service)
    assert env["COGNITO_ADMIN_FUNCTION"] == "pcs-prod-pool-admin"
    assert env["COGNITO_STANDBY_REGION"] == other
    assert env["AWS_ENDPOINT_URL_LAMBDA"] == f"https://lambda.{region}.amazonaws.com"
    identity = stack.replace("compute", "identity")  # the region's own pool's id
    assert env["COGNITO_USER_POOL_ID"]["Fn::ImportValue"].startswith(
        f"pcs-prod-{identity}:ExportsOutputRefUsersPool"
    )
    assert "UserPoolId" not in env and "COGNITO_STANDBY_USER_POOL_ID" not in env


def test_beat_and_web_get_no_pool_variables(prod):
    for service in ("beat", "web"):
        env = _env(prod, "compute", service)
        assert not {n for n in env if n.startswith("COGNITO_") and n != "COGNITO_DOMAIN"}


@pytest.mark.parametrize("stack", ["compute", "dr-compute"])
def test_the_function_runs_outside_the_vpc_with_its_pool_and_the_other_region(prod, stack):
    _, other = REGIONS[stack]
    function = _function(prod, stack)
    assert "VpcConfig" not in function
    variables = function["Environment"]["Variables"]
    assert (variables["STANDBY_REGION"], variables["POOL_NAME"]) == (other, "pcs-prod-users")
    assert variables["AWS_USE_FIPS_ENDPOINT"] == "true"  # cognito-idp-fips in both regions
    assert (function["Handler"], function["Timeout"]) == ("admin.handler", 12)


def _cognito_statements(result, stack: str, role_name: str) -> list[dict]:
    role_ref = {"Ref": _role_id(result, stack, role_name)}
    return [
        s
        for s in _policies(result, stack, role_ref)
        if any(a.startswith("cognito-idp:") for a in _actions(s))
    ]


def _actions(statement: dict) -> list[str]:
    action = statement["Action"]
    return sorted([action] if isinstance(action, str) else action)


def test_the_primary_function_may_administer_exactly_its_pool_and_find_the_standby(prod):
    admin, listing = _cognito_statements(prod, "compute", "pcs-prod-pool-admin")
    assert (_actions(admin), _actions(listing)) == (ADMIN_ACTIONS, ["cognito-idp:ListUserPools"])
    assert _is_pool_arn_of(admin["Resource"], "pcs-prod-identity")  # one ARN, not a list
    assert listing["Resource"] == "*"


def _is_pool_arn_of(value: object, identity_stack: str) -> bool:
    """Whether ``value`` is the user pool ARN exported by ``identity_stack`` (the primary's,
    read across regions by CDK's export reader, or this region's by an import)."""
    if not isinstance(value, dict):
        return False
    if "Fn::ImportValue" in value:
        return (
            value["Fn::ImportValue"].startswith(f"{identity_stack}:ExportsOutputFnGetAttUsersPool")
            and "Arn" in value["Fn::ImportValue"]
        )
    reader, path = value["Fn::GetAtt"]
    compact = identity_stack.replace("-", "")
    return reader.startswith("ExportsReader") and f"/{compact}useast1FnGetAttUsersPool" in path


def test_the_dr_function_administers_both_pools_and_grants_the_primary_the_dr_pool(prod):
    admin, _ = _cognito_statements(prod, "dr-compute", "pcs-prod-pool-admin-us-west-2")
    assert _actions(admin) == ADMIN_ACTIONS
    primary_pool, dr_pool = admin["Resource"]
    assert _is_pool_arn_of(primary_pool, "pcs-prod-identity")
    assert _is_pool_arn_of(dr_pool, "pcs-prod-dr-identity")
    # IAM is global: the DR stack adds the DR pool to the primary function's role, by name.
    (grant,) = [
        p["Properties"]
        for p in resources(prod, "dr-compute", "AWS::IAM::Policy").values()
        if p["Properties"]["Roles"] == ["pcs-prod-pool-admin"]
    ]
    (statement,) = grant["PolicyDocument"]["Statement"]
    assert (_actions(statement), statement["Resource"]) == (ADMIN_ACTIONS, dr_pool)


@pytest.mark.parametrize("stack", ["compute", "dr-compute"])
@pytest.mark.parametrize("service", ["api", "worker"])
def test_the_tasks_may_only_invoke_the_function_and_call_no_pool(prod, stack, service):
    suffix = "-us-west-2" if stack == "dr-compute" else ""
    role_ref = {"Ref": _role_id(prod, stack, f"pcs-prod-{service}-task{suffix}")}
    statements = _policies(prod, stack, role_ref)
    invoke = [s for s in statements if "lambda:InvokeFunction" in _actions(s)]
    (only,) = invoke
    assert _actions(only) == ["lambda:InvokeFunction"]
    (function_id,) = [
        logical_id
        for logical_id, f in resources(prod, stack, "AWS::Lambda::Function").items()
        if f["Properties"].get("FunctionName") == "pcs-prod-pool-admin"
    ]
    assert only["Resource"] == {"Fn::GetAtt": [function_id, "Arn"]}  # no version wildcard
    assert not [a for s in statements for a in _actions(s) if a.startswith("cognito-idp:")]


@pytest.mark.parametrize("stack", ["network", "dr-network"])
def test_both_regions_vpcs_have_the_lambda_endpoint_in_the_endpoints_group(prod, stack):
    region = "us-west-2" if stack == "dr-network" else "us-east-1"
    (endpoint,) = [
        e["Properties"]
        for e in resources(prod, stack, "AWS::EC2::VPCEndpoint").values()
        if e["Properties"]["ServiceName"] == f"com.amazonaws.{region}.lambda"
    ]
    assert endpoint["PrivateDnsEnabled"] is True
    (group,) = endpoint["SecurityGroupIds"]
    groups = resources(prod, stack, "AWS::EC2::SecurityGroup")
    assert groups[group["Fn::GetAtt"][0]]["Properties"]["GroupName"] == "pcs-prod-endpoints-sg"
    assert len(endpoint["SubnetIds"]) == (1 if stack == "dr-network" else 2)


def test_the_permissions_boundary_allows_the_function_s_operations_and_no_other_pool_admin():
    (runtime,) = [
        s
        for s in permissions_boundary(account="111111111111")["Statement"]
        if s["Sid"] == "RuntimeActions"
    ]
    assert sorted(a for a in runtime["Action"] if a.startswith("cognito-idp:")) == ADMIN_ACTIONS


def test_the_bootstrap_reads_the_operations_without_the_cdk():
    """`make bootstrap` builds the boundary from the same list the function's grant reads."""
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, infra.delivery.bootstrap; print('aws_cdk' in sys.modules)",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert loaded.stdout.strip() == "False"
