"""The compliance gate holds for every stack: cdk-nag NIST 800-53 R5 and AwsSolutions, cfn-lint,
checkov (with the platform's own checks)."""

from __future__ import annotations

import json
from pathlib import Path

import aws_cdk as cdk
import pytest
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_s3 as s3

from infra.gate.checkov import OPEN_EGRESS_CHECK, CheckovReport, scan_assembly
from infra.gate.lint import lint_template
from infra.gate.nag import acknowledge, register_compliance_packs
from infra.summary import render_summary


@pytest.fixture(params=["prod", "dev"])
def synthesized(request):
    return request.getfixturevalue(request.param)


def test_no_unacknowledged_nist_or_aws_solutions_error(synthesized):
    assert [str(f) for f in synthesized.nag_errors] == []


def test_staging_synthesizes_with_no_unacknowledged_cdk_nag_error(staging):
    # Staging is synthesized plain (no scanners): cdk-nag runs inside every synth.
    assert staging.checkov is None
    assert [str(f) for f in staging.nag_errors] == []


def test_no_cfn_lint_error_in_any_template(synthesized):
    assert [str(f) for f in synthesized.lint_errors] == []


def test_every_acknowledgement_carries_a_reason(synthesized):
    reasons = [
        reason
        for metadata in synthesized.outdir.glob("*.metadata.json")
        for entries in json.loads(metadata.read_text()).values()
        for entry in entries
        if entry["type"] == "aws:cdk:acknowledged-rules"
        for reason in entry["data"].values()
    ]
    assert len(reasons) == synthesized.acknowledgements > 0
    assert all(len(reason) >= 20 for reason in reasons)


def test_the_gate_fails_an_unencrypted_public_bucket(tmp_path):
    app = cdk.App(outdir=str(tmp_path))
    s3.Bucket(cdk.Stack(app, "Probe"), "Bare")
    register_compliance_packs(app)
    with pytest.raises(RuntimeError, match="ValidationFailed"):
        app.synth()
    rules = {
        v["ruleName"]
        for plugin in json.loads((tmp_path / "validation-report.json").read_text())["pluginReports"]
        for v in plugin["violations"]
    }
    assert {"AwsSolutions-S10", "NIST.800.53.R5-S3DefaultEncryptionKMS"} <= rules


def test_an_acknowledged_rule_no_longer_fails_the_gate(tmp_path):
    app = cdk.App(outdir=str(tmp_path))
    bucket = s3.Bucket(cdk.Stack(app, "Probe"), "Bare")
    acknowledge(bucket, "probe: the compensating control is named here", "AwsSolutions-S10")
    register_compliance_packs(app)
    with pytest.raises(RuntimeError):
        app.synth()
    rules = {
        v["ruleName"]
        for plugin in json.loads((tmp_path / "validation-report.json").read_text())["pluginReports"]
        for v in plugin["violations"]
    }
    assert "AwsSolutions-S10" not in rules


def test_acknowledging_without_a_reason_is_refused():
    app = cdk.App()
    bucket = s3.Bucket(cdk.Stack(app, "Probe"), "Bare")
    with pytest.raises(ValueError, match="needs a reason"):
        acknowledge(bucket, "because", "AwsSolutions-S1")


def test_cfn_lint_reports_an_invalid_property_as_an_error():
    template = {
        "Resources": {"Bucket": {"Type": "AWS::S3::Bucket", "Properties": {"Versioned": True}}}
    }
    findings = lint_template("probe", template, "us-east-1")
    assert [f.level for f in findings if f.rule == "E3002"] == ["error"]


@pytest.fixture(params=["prod", "dev"])
def environment(request):
    return request.getfixturevalue(request.param)


def test_checkov_fails_nothing_in_any_environment(environment):
    assert [str(r) for r in environment.checkov.failed] == []


def test_every_checkov_skip_names_its_control(environment):
    assert environment.checkov.figures()["skipped"] > 0
    assert [str(s) for s in environment.checkov.unreasoned_skips] == []


# The failures checkov measured on prod (issue 12): each is now fixed or skipped with a reason.
MEASURED = {
    "CKV_AWS_115": "AWS::Lambda::Function",  # function-level concurrency
    "CKV_AWS_116": "AWS::Lambda::Function",  # dead-letter queue
    "CKV_AWS_117": "AWS::Lambda::Function",  # inside a VPC
    "CKV_AWS_173": "AWS::Lambda::Function",  # environment encryption
    "CKV_AWS_18": "AWS::S3::Bucket",  # access logging on the access-log buckets
    "CKV_AWS_86": "AWS::CloudFront::Distribution",  # legacy logging beside logging v2
    "CKV_AWS_111": "AWS::IAM::Policy",  # write without constraints (test-phase role)
}


def test_the_measured_checkov_failures_are_closed_beside_their_resources(prod):
    skipped = {
        (r.check, r.resource.split(".")[0]) for r in prod.checkov.results if r.outcome == "skipped"
    }
    assert set(MEASURED.items()) <= skipped
    assert [str(r) for r in prod.checkov.failed if r.check in MEASURED] == []


def test_the_summary_prints_checkovs_figures_beside_cdk_nag_and_cfn_lint(prod):
    figures = prod.checkov.figures()
    lines = render_summary(prod).splitlines()
    checkov = next(i for i, line in enumerate(lines) if line.startswith("checkov 3.3.30: "))
    assert lines[checkov - 1].startswith("cfn-lint: ")
    assert lines[checkov] == (
        f"checkov 3.3.30: passed={figures['passed']}, failed=0, skipped={figures['skipped']}"
    )
    assert figures["passed"] > 500
    network = next(line for line in lines if line.startswith(f"{prod.config.prefix}-network "))
    assert network.split()[-1] == "/".join(
        map(str, prod.checkov.figures(f"{prod.config.prefix}-network").values())
    )


def _probe_template(tmp_path: Path) -> Path:
    """A stack with two open security groups, one closed, and a skip that gives no reason."""
    app = cdk.App(outdir=str(tmp_path))
    stack = cdk.Stack(app, "Probe")
    ec2.CfnSecurityGroup(
        stack,
        "OpenIpv4",
        group_description="egress to the whole IPv4 internet",
        security_group_egress=[
            ec2.CfnSecurityGroup.EgressProperty(
                ip_protocol="tcp", from_port=443, to_port=443, cidr_ip="0.0.0.0/0"
            )
        ],
    )
    closed = ec2.CfnSecurityGroup(
        stack,
        "Closed",
        group_description="egress to one private range",
        security_group_egress=[
            ec2.CfnSecurityGroup.EgressProperty(
                ip_protocol="tcp", from_port=443, to_port=443, cidr_ip="10.0.0.0/16"
            )
        ],
    )
    ec2.CfnSecurityGroupEgress(
        stack, "OpenIpv6", group_id=closed.attr_group_id, ip_protocol="-1", cidr_ipv6="::/0"
    )
    bucket = s3.CfnBucket(stack, "Unlogged")
    bucket.add_metadata("checkov", {"skip": [{"id": "CKV_AWS_18"}]})
    return Path(app.synth().get_stack_by_name("Probe").template_full_path)


@pytest.fixture(scope="module")
def probe(tmp_path_factory: pytest.TempPathFactory) -> CheckovReport:
    return scan_assembly({"probe": _probe_template(tmp_path_factory.mktemp("probe"))})


def test_the_gate_fails_a_security_group_open_to_the_internet(probe):
    open_groups = {r.resource for r in probe.failed if r.check == OPEN_EGRESS_CHECK}
    assert open_groups == {
        "AWS::EC2::SecurityGroup.OpenIpv4",
        "AWS::EC2::SecurityGroupEgress.OpenIpv6",
    }
    assert not probe.passed


def test_a_checkov_skip_without_a_reason_fails_the_gate(probe):
    assert [(s.resource, s.check) for s in probe.unreasoned_skips] == [("Unlogged", "CKV_AWS_18")]
    assert not probe.passed


def test_acknowledge_writes_the_checkov_skip_with_the_same_reason(tmp_path):
    app = cdk.App(outdir=str(tmp_path))
    bucket = s3.Bucket(cdk.Stack(app, "Probe"), "Bare")
    reason = "probe: the compensating control is named here"
    acknowledge(bucket, reason, "AwsSolutions-S1", "CKV_AWS_18", "CKV_AWS_21")
    template = app.synth().get_stack_by_name("Probe").template
    (resource,) = (r for r in template["Resources"].values() if r["Type"] == "AWS::S3::Bucket")
    assert resource["Metadata"]["checkov"]["skip"] == [
        {"id": "CKV_AWS_18", "comment": reason},
        {"id": "CKV_AWS_21", "comment": reason},
    ]
