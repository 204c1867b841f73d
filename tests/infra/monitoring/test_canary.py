"""The synthetic canaries: one in each region, signed in with the smoke-test tenant's token (its
secret named, never inlined), listing documents through the public site every 5 minutes, paging
that region's alert topic; their bucket, role and log group locked down like the platform's
others."""

from __future__ import annotations

import json

import pytest

from infra.config import ConfigError, MonitoringConfig
from tests.infra.conftest import resources
from tests.infra.monitoring.helpers import alarm, is_alerts_topic
from tests.infra.monitoring.test_dr_paging import _dr_topic, _names_the_topic

# (stack, region) of each region's canary
REGIONS = [("monitoring", "us-east-1"), ("dr-watch", "us-west-2")]


def _one(result, stack: str, resource_type: str) -> tuple[str, dict]:
    (found,) = [
        (logical_id, resource)
        for logical_id, resource in resources(result, stack, resource_type).items()
        if logical_id.startswith("DocumentsCanary")
    ]
    return found


@pytest.mark.parametrize(("stack", "region"), REGIONS)
def test_each_region_lists_documents_through_the_public_site_every_5_minutes(prod, stack, region):
    assert prod.stacks[f"pcs-prod-{stack}"].region == region
    _, canary = _one(prod, stack, "AWS::Synthetics::Canary")
    properties = canary["Properties"]
    assert properties["Name"] == "pcs-prod-docs"
    assert properties["Schedule"]["Expression"] == "rate(5 minutes)"
    assert properties["StartCanaryAfterCreation"] is True
    assert properties["RuntimeVersion"] == "syn-python-selenium-7.0"
    assert properties["Code"]["Handler"] == "documents_canary.handler"
    # The secret's ARN only: the token is read from Secrets Manager at each run.
    environment = properties["RunConfig"]["EnvironmentVariables"]
    assert sorted(environment) == ["SITE_URL", "TOKEN_SECRET"]
    assert environment["SITE_URL"] == "https://app.pcs.example.com"
    assert "smoketesttoken" in json.dumps(environment["TOKEN_SECRET"]).lower()
    assert properties["RunConfig"]["TimeoutInSeconds"] == 60
    assert (properties["SuccessRetentionPeriod"], properties["FailureRetentionPeriod"]) == (31, 31)


def test_the_primary_canary_pages_the_alerts_topic(prod):
    failed = alarm(prod, "monitoring", "canary-documents-failed")
    assert [is_alerts_topic(a) for a in failed["AlarmActions"]] == [True]
    assert [is_alerts_topic(a) for a in failed["OKActions"]] == [True]


def test_the_dr_canary_pages_the_dr_regions_own_topic(prod):
    failed = alarm(prod, "dr-watch", "canary-documents-failed")
    topic = _dr_topic(prod)
    for actions in (failed["AlarmActions"], failed["OKActions"]):
        assert [_names_the_topic(prod, "pcs-prod-dr-watch", a, topic) for a in actions] == [True]


@pytest.mark.parametrize(("stack", "region"), REGIONS)
def test_two_failed_or_missing_runs_in_a_row_alarm(prod, stack, region):
    failed = alarm(prod, stack, "canary-documents-failed")
    canary_id, _ = _one(prod, stack, "AWS::Synthetics::Canary")
    assert (failed["Namespace"], failed["MetricName"]) == ("CloudWatchSynthetics", "SuccessPercent")
    assert failed["Dimensions"] == [{"Name": "CanaryName", "Value": {"Ref": canary_id}}]
    assert (failed["Statistic"], failed["Period"], failed["EvaluationPeriods"]) == (
        "Minimum",
        300,
        2,
    )
    assert (failed["ComparisonOperator"], failed["Threshold"]) == ("LessThanThreshold", 100)
    assert failed["TreatMissingData"] == "breaching"


@pytest.mark.parametrize(
    ("stack", "days", "copies"),
    # The primary's groups keep a year and copy to the 30-month locked archive; the DR
    # region's keep 36 months in CloudWatch (infra/audit/log_copies.py).
    [("monitoring", 365, 1), ("dr-watch", 1096, 0)],
)
def test_the_canarys_function_logs_to_an_encrypted_group_kept_30_months(prod, stack, days, copies):
    canary_id, _ = _one(prod, stack, "AWS::Synthetics::Canary")
    group_id, group = _one(prod, stack, "AWS::Logs::LogGroup")
    properties = group["Properties"]
    assert properties["LogGroupName"] == {
        "Fn::Join": ["", ["/aws/lambda/cwsyn-pcs-prod-docs-", {"Fn::GetAtt": [canary_id, "Id"]}]]
    }
    assert properties["RetentionInDays"] == days
    assert "KmsKeyId" in properties
    filters = resources(prod, stack, "AWS::Logs::SubscriptionFilter").values()
    assert [f["Properties"]["LogGroupName"] for f in filters].count({"Ref": group_id}) == copies
    # The canary's role cannot create a group of its own that never expires.
    _, policy = _one(prod, stack, "AWS::IAM::Policy")
    actions = json.dumps(policy["Properties"]["PolicyDocument"])
    assert "logs:CreateLogGroup" not in actions
    assert "logs:CreateLogStream" in actions


@pytest.mark.parametrize(("stack", "region"), REGIONS)
def test_the_artifacts_bucket_is_private_encrypted_logged_and_expires_runs(prod, stack, region):
    _, bucket = _one(prod, stack, "AWS::S3::Bucket")
    properties = bucket["Properties"]
    (rule,) = properties["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert rule["ServerSideEncryptionByDefault"]["SSEAlgorithm"] == "aws:kms"
    assert set(properties["PublicAccessBlockConfiguration"].values()) == {True}
    assert properties["VersioningConfiguration"] == {"Status": "Enabled"}
    assert properties["LoggingConfiguration"]["LogFilePrefix"] == "s3/canary-pcs-prod-docs/"
    (lifecycle,) = properties["LifecycleConfiguration"]["Rules"]
    assert lifecycle["ExpirationInDays"] == 31
    _, bucket_policy = _one(prod, stack, "AWS::S3::BucketPolicy")
    assert '"aws:SecureTransport": "false"' in json.dumps(bucket_policy)


@pytest.mark.parametrize(("stack", "region"), REGIONS)
def test_the_token_is_read_from_this_regions_secret_only(prod, stack, region):
    _, policy = _one(prod, stack, "AWS::IAM::Policy")
    (read,) = [
        s
        for s in policy["Properties"]["PolicyDocument"]["Statement"]
        if s["Sid"] == "ReadTheSecret"
    ]
    assert read["Action"] == ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"]
    resource = read["Resource"]
    assert "smoketesttoken" in json.dumps(resource).lower()
    if "Fn::ImportValue" in resource:  # the primary's secret, from its foundation stack
        exporter = resource["Fn::ImportValue"].split(":")[0]
        assert (exporter, prod.stacks[exporter].region) == ("pcs-prod-foundation", region)
    else:  # the DR replica, by this region's ARN
        assert f":secretsmanager:{region}:" in json.dumps(resource)


@pytest.mark.parametrize(
    ("field", "value"),
    [("canary_every_minutes", 0), ("canary_failed_runs", 0), ("canary_timeout_seconds", 301)],
)
def test_a_canary_figure_out_of_range_is_refused_naming_the_field(field, value):
    with pytest.raises(ConfigError, match=f"monitoring.{field}={value!r} is not allowed"):
        MonitoringConfig(**{field: value})
