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


EXECUTION = bootstrap.execution_policy(account=ACCOUNT)
BOUNDARY = bootstrap.permissions_boundary(account=ACCOUNT)
BOTH = pytest.mark.parametrize("document", [EXECUTION, BOUNDARY], ids=["execution", "boundary"])


def _as_list(value) -> list[str]:
    return [value] if isinstance(value, str) else value


@BOTH
def test_no_statement_allows_every_action(document):
    for action in _allowed_actions(document):
        assert action not in ("*", "*:*")
        service, name = action.split(":")
        assert service and name, action
        assert service != "iam" or name != "*", action


@BOTH
def test_no_wildcard_over_the_audit_key_and_role_services(document):
    for action in _allowed_actions(document):
        service, name = action.split(":")
        if service in ("cloudtrail", "guardduty", "config", "securityhub", "kms", "sts", "iam"):
            assert name != "*", action


def test_the_execution_policy_names_no_whole_service():
    assert [a for a in _allowed_actions(EXECUTION) if a.endswith(":*")] == []


@BOTH
def test_pass_role_only_for_platform_roles_to_the_services_that_take_them(document):
    passing = [
        s for s in document["Statement"]
        if s["Effect"] == "Allow" and any("PassRole" in a for a in _as_list(s["Action"]))
    ]  # fmt: skip
    assert [s["Action"] for s in passing] == [["iam:PassRole"]]
    (statement,) = passing
    assert statement["Resource"] == f"arn:aws:iam::{ACCOUNT}:role/pcs-*"
    services = statement["Condition"]["StringEquals"]["iam:PassedToService"]
    assert "ecs-tasks.amazonaws.com" in services and "*" not in "".join(services)


def _denies(document) -> dict[str, tuple[list[str], list[str] | str]]:
    return {
        s["Sid"]: (s["Action"], s["Resource"])
        for s in document["Statement"]
        if s["Effect"] == "Deny"
    }


LOG_AUDIT_BACKUP_BUCKETS = [
    "arn:aws:s3:::pcs-*log*",
    "arn:aws:s3:::pcs-*-audit-*",
    "arn:aws:s3:::pcs-*-backups-*",
    "arn:aws:s3:::aws-waf-logs-pcs-*",
]


@BOTH
def test_each_guardrail_is_an_explicit_deny(document):
    denies = _denies(document)
    assert denies["NeverNarrowOrStopTheTrail"] == (
        ["cloudtrail:DeleteTrail", "cloudtrail:PutEventSelectors", "cloudtrail:StopLogging"],
        "*",
    )
    assert denies["NeverDisableThreatDetection"] == (
        ["guardduty:DeleteDetector", "guardduty:UpdateDetector"],
        "*",
    )
    assert denies["NeverStopTheConfigurationRecorder"] == (
        [
            "config:DeleteConfigurationRecorder",
            "config:DeleteDeliveryChannel",
            "config:StopConfigurationRecorder",
        ],
        "*",
    )
    assert denies["NeverDisableSecurityHub"] == (["securityhub:DisableSecurityHub"], "*")
    assert denies["NeverAdministerTheKeys"] == (
        ["kms:DisableKey", "kms:PutKeyPolicy", "kms:ScheduleKeyDeletion"],
        "*",
    )
    actions, buckets = denies["NeverDeleteOrRepolicyTheEvidenceBuckets"]
    assert {"s3:DeleteBucket", "s3:DeleteBucketPolicy", "s3:PutBucketPolicy"} <= set(actions)
    assert buckets == LOG_AUDIT_BACKUP_BUCKETS


def test_the_guardrail_buckets_are_the_log_audit_and_backup_buckets(prod):
    from fnmatch import fnmatchcase

    names = {
        resource["Properties"].get("BucketName") or f"{stack.name}-{logical_id}".lower()
        for stack in prod.stacks.values()
        for logical_id, resource in stack.template["Resources"].items()
        if resource["Type"] == "AWS::S3::Bucket"
    }
    guarded = {
        n
        for n in names
        if any(fnmatchcase(f"arn:aws:s3:::{n}", p) for p in LOG_AUDIT_BACKUP_BUCKETS)
    }
    assert names - guarded == {
        "pcs-prod-documents-111111111111",
        "pcs-prod-documents-replica-111111111111",
        # The synthetic canaries' run artifacts (issue 25): reproduced every run, not evidence.
        "pcs-prod-monitoring-documentscanaryartifactse154f6d7",
        "pcs-prod-dr-watch-documentscanaryartifactse154f6d7",
    }
    assert guarded == {
        "pcs-prod-logs-111111111111",
        "pcs-prod-log-copies-111111111111",
        "pcs-prod-access-logs-111111111111",
        "pcs-prod-dr-access-logs-111111111111",
        "pcs-prod-audit-archivebucket49f1ac64",
        # The DR region's own log archive and audit archive (issue 20).
        "pcs-prod-dr-logs-111111111111",
        "pcs-prod-dr-audit-archivebucket49f1ac64",
        "pcs-prod-backups-111111111111",
        "pcs-prod-backups-replica-111111111111",
        # WAF's locked log bucket (issue 26): WAF names it aws-waf-logs-*.
        "aws-waf-logs-pcs-prod-111111111111",
    }


def test_the_boundary_allows_role_assumption_only_of_the_bootstrap_roles():
    assuming = [
        s for s in BOUNDARY["Statement"]
        if s["Effect"] == "Allow" and any(a.startswith("sts:") for a in _as_list(s["Action"]))
    ]  # fmt: skip
    assert [(s["Action"], s["Resource"]) for s in assuming] == [
        (["sts:AssumeRole"], f"arn:aws:iam::{ACCOUNT}:role/cdk-hnb659fds-*")
    ]


def test_every_managed_policy_fits_iams_size_limit():
    documents = {**bootstrap.managed_policies(account=ACCOUNT), "boundary": BOUNDARY}
    assert sorted(documents) == [
        "boundary", "pcs-cdk-execution", "pcs-cdk-execution-2", "pcs-cdk-execution-3",
        "pcs-release-guardrails",
    ]  # fmt: skip
    for name, document in documents.items():
        assert bootstrap.policy_size(document) <= 6144, name


def test_the_managed_policies_together_are_the_execution_policy():
    statements = [
        s for d in bootstrap.managed_policies(account=ACCOUNT).values() for s in d["Statement"]
    ]
    assert sorted(s["Sid"] for s in statements) == sorted(s["Sid"] for s in EXECUTION["Statement"])


def test_the_key_administrator_gets_back_exactly_what_the_guardrails_take():
    guarded = bootstrap.guarded_controls_policy(account=ACCOUNT)["Statement"]
    # Nobody gets these back (the traffic switch is an operator's, not a deploy's).
    kept = ("NeverAssumeRoles", "NeverLoosenTheGuardrails", "NeverMoveTraffic")
    denied = {
        action
        for s in EXECUTION["Statement"]
        if s["Effect"] == "Deny" and s["Sid"] not in kept
        for action in s["Action"]
    }
    assert {a for s in guarded for a in s["Action"]} == denied


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


def test_the_boundary_allows_no_iam_but_passing_and_reading():
    iam = {a for a in _allowed_actions(BOUNDARY) if a.startswith("iam:")}
    assert iam == {"iam:PassRole", "iam:GetRole", "iam:Describe*", "iam:Get*", "iam:List*"}


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
    policies = bootstrap.managed_policies(account=ACCOUNT)
    arns = [f"arn:aws:iam::{ACCOUNT}:policy/{name}" for name in policies]
    for arn, expected in zip(arns, policies.values(), strict=True):
        assert len(client.list_policy_versions(PolicyArn=arn)["Versions"]) == 5
        version = client.get_policy(PolicyArn=arn)["Policy"]["DefaultVersionId"]
        document = client.get_policy_version(PolicyArn=arn, VersionId=version)["PolicyVersion"]
        assert document["Document"] == expected
    # The key administrator's policy and the boundary exist too; CloudFormation gets neither.
    for name in ("pcs-guarded-controls", "pcs-permissions-boundary"):
        client.get_policy(PolicyArn=f"arn:aws:iam::{ACCOUNT}:policy/{name}")
    assert commands[-1] == [
        "cdk", "bootstrap", f"aws://{ACCOUNT}/us-east-1", f"aws://{ACCOUNT}/us-west-2",
        "--cloudformation-execution-policies", ",".join(arns),
    ]  # fmt: skip
    assert arns[-1].endswith(":policy/pcs-release-guardrails")


@mock_aws
def test_bootstrap_refuses_credentials_of_another_account_in_one_line(monkeypatch):
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    result = CliRunner().invoke(cli, ["bootstrap", "--deployment", "prod"])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1
    assert f"credentials are for account {ACCOUNT}" in result.output
