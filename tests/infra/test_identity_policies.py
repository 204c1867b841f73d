"""parliament over prod's IAM identity policies: nothing at MEDIUM or above without a reason in
docs/decisions/security-identity-policies-parliament.md."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from infra.gate.iam_policies import ParliamentFinding, audit, identity_policies

DECISION = (
    Path(__file__).resolve().parents[2]
    / "docs"
    / "decisions"
    / "security-identity-policies-parliament.md"
)
_ROW = re.compile(r"^\| `(?P<policy>[^`]+)` \| (?P<issue>[A-Z_]+) \| (?P<reason>.{20,}) \|$")


def _reasoned() -> set[tuple[str, str]]:
    return {
        (match["policy"], match["issue"])
        for line in DECISION.read_text().splitlines()
        if (match := _ROW.match(line))
    }


@pytest.fixture(scope="module")
def policies(prod) -> dict[str, dict]:
    account = prod.config.deployment.account
    prefix = f"{prod.config.prefix}-"
    found = identity_policies(
        {s.name: (s.region, account, s.template_path) for s in prod.stacks.values()}
    )
    return {name.removeprefix(prefix): document for name, document in found.items()}


@pytest.fixture(scope="module")
def findings(policies) -> list[ParliamentFinding]:
    return audit(policies)


def test_parliament_reads_every_identity_policy_of_prod(prod, policies):
    expected = sum(
        (r["Type"] in ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"))
        + len(r.get("Properties", {}).get("Policies", ()) if r["Type"] == "AWS::IAM::Role" else ())
        for stack in prod.stacks.values()
        for r in stack.template["Resources"].values()
    )
    assert len(policies) == expected > 20
    # Every intrinsic is rendered: parliament sees strings, not CloudFormation functions.
    assert "Fn::" not in str(policies) and "'Ref'" not in str(policies)


def test_no_parliament_finding_at_medium_or_above_without_a_reason(findings):
    unreasoned = [str(f) for f in findings if f.at_least("MEDIUM") and f.key not in _reasoned()]
    assert unreasoned == []


def test_every_reasoned_parliament_finding_still_occurs(findings):
    assert _reasoned() - {f.key for f in findings} == set()


def test_parliament_flags_an_action_on_the_wrong_resource():
    bucket_only = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket"}
        ],
    }
    (finding,) = audit({"probe": bucket_only})
    assert (finding.issue, finding.severity) == ("RESOURCE_MISMATCH", "MEDIUM")


def test_intrinsics_render_to_the_arns_the_resources_will_have(tmp_path):
    exporter = tmp_path / "a.json"
    exporter.write_text(
        '{"Resources": {"Logs": {"Type": "AWS::Logs::LogGroup",'
        ' "Properties": {"LogGroupName": "/pcs/x"}}},'
        ' "Outputs": {"O": {"Value": {"Fn::GetAtt": ["Logs", "Arn"]}, "Export": {"Name": "E"}}}}'
    )
    importer = tmp_path / "b.json"
    importer.write_text(
        '{"Resources": {"P": {"Type": "AWS::IAM::Policy", "Properties": {"PolicyDocument":'
        ' {"Statement": [{"Resource": [{"Fn::ImportValue": "E"},'
        ' {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":s3:::b/*"]]}]}]}}}}}'
    )
    rendered = identity_policies(
        {"a": ("us-west-2", "111111111111", exporter), "b": ("us-east-1", "1", importer)}
    )
    assert rendered["b/P"]["Statement"][0]["Resource"] == [
        "arn:aws:logs:us-west-2:111111111111:log-group:/pcs/x:*",
        "arn:aws:s3:::b/*",
    ]
