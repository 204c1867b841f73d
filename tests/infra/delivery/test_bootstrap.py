"""The bootstrap's CloudFormation execution policy and the stacks' permissions boundary."""

from __future__ import annotations

import json

import boto3
import pytest
from click.testing import CliRunner
from moto import mock_aws

from infra.cli import cli
from infra.delivery import bootstrap
from tests.infra.conftest import resources

ACCOUNT = "123456789012"  # moto's


def _allowed_actions(document: dict) -> list[str]:
    return [
        action
        for statement in document["Statement"]
        if statement["Effect"] == "Allow"
        for action in statement["Action"]
    ]


@pytest.mark.parametrize(
    "document",
    [bootstrap.execution_policy(account=ACCOUNT), bootstrap.permissions_boundary()],
    ids=["execution-policy", "boundary"],
)
def test_no_statement_allows_every_action(document):
    for action in _allowed_actions(document):
        assert action not in ("*", "*:*")
        service, name = action.split(":")
        assert service and name, action
        assert service != "iam" or name != "*", action


def test_cloudformation_may_create_roles_only_with_the_boundary():
    statements = bootstrap.execution_policy(account=ACCOUNT)["Statement"]
    creating = [s for s in statements if "iam:CreateRole" in s["Action"]]
    bounded, rotation = creating
    assert bounded["Condition"] == {
        "StringEquals": {
            "iam:PermissionsBoundary": f"arn:aws:iam::{ACCOUNT}:policy/pcs-permissions-boundary"
        }
    }
    # The one exception: the rotation applications' roles (their templates take no boundary).
    assert rotation["Resource"].endswith(":role/pcs-*-AuroraRotation*")
    assert "Condition" not in rotation


def test_the_boundary_allows_no_iam_but_passing_and_reading_roles():
    iam = {a for a in _allowed_actions(bootstrap.permissions_boundary()) if a.startswith("iam:")}
    assert iam == {"iam:PassRole", "iam:GetRole"}


@pytest.mark.parametrize("env_name", ["prod", "dev"])
def test_the_execution_policy_names_exactly_the_services_the_stacks_use(request, env_name):
    result = request.getfixturevalue(env_name)
    types = {
        resource["Type"]
        for stack in result.stacks.values()
        for resource in stack.template["Resources"].values()
    }
    namespaces = bootstrap.SERVICES_BY_NAMESPACE
    assert {t for t in types if not any(t.startswith(n) for n in namespaces)} == set()
    used = {n for n in namespaces if any(t.startswith(n) for t in types)}
    if env_name == "prod":  # every namespace of the table is used by prod
        assert used == set(bootstrap.SERVICES_BY_NAMESPACE)
    assert used <= set(bootstrap.SERVICES_BY_NAMESPACE)


def test_every_role_the_stacks_create_carries_the_boundary(prod):
    roles = [
        role
        for stack in prod.stacks.values()
        for role in resources(prod, stack.name.removeprefix("pcs-prod-"), "AWS::IAM::Role").values()
    ]
    assert roles
    for role in roles:
        boundary = json.dumps(role["Properties"]["PermissionsBoundary"])
        assert ":policy/pcs-permissions-boundary" in boundary


@mock_aws
def test_bootstrap_creates_then_updates_both_policies_and_bootstraps_both_regions():
    client = boto3.client("iam", region_name="us-east-1")
    commands = []

    def run(command):
        commands.append(command)
        return 0

    for _ in range(6):  # more updates than IAM keeps versions
        assert bootstrap.bootstrap(
            client, account=ACCOUNT, regions=("us-east-1", "us-west-2"), cdk="cdk", run=run
        ) == 0  # fmt: skip
    arn = f"arn:aws:iam::{ACCOUNT}:policy/pcs-cdk-execution"
    assert len(client.list_policy_versions(PolicyArn=arn)["Versions"]) == 5
    version = client.get_policy(PolicyArn=arn)["Policy"]["DefaultVersionId"]
    document = client.get_policy_version(PolicyArn=arn, VersionId=version)["PolicyVersion"]
    assert document["Document"] == bootstrap.execution_policy(account=ACCOUNT)
    assert commands[-1] == [
        "cdk", "bootstrap", f"aws://{ACCOUNT}/us-east-1", f"aws://{ACCOUNT}/us-west-2",
        "--cloudformation-execution-policies", arn,
    ]  # fmt: skip


@mock_aws
def test_bootstrap_refuses_credentials_of_another_account_in_one_line(monkeypatch):
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    result = CliRunner().invoke(cli, ["bootstrap", "--deployment", "prod"])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1
    assert f"credentials are for account {ACCOUNT}" in result.output
