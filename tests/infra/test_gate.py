"""The compliance gate holds for every stack: cdk-nag NIST 800-53 R5 and AwsSolutions, cfn-lint."""

from __future__ import annotations

import json

import aws_cdk as cdk
import pytest
from aws_cdk import aws_s3 as s3

from infra.gate.lint import lint_template
from infra.gate.nag import acknowledge, register_compliance_packs


@pytest.fixture(params=["prod", "dev"])
def synthesized(request):
    return request.getfixturevalue(request.param)


def test_no_unacknowledged_nist_or_aws_solutions_error(synthesized):
    assert [str(f) for f in synthesized.nag_errors] == []


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
