"""Issue 26: every log group has a 30-month path (AU-11, OMB M-21-31), read from the templates."""

from __future__ import annotations

import json

import pytest

from infra.audit.log_copies import thirty_month_paths
from tests.infra.conftest import resources

COPY = (
    "copy: arn:<AWS::Partition>:firehose:us-east-1:111111111111:deliverystream/pcs-prod-log-copies"
)


def _paths(result) -> dict[str, str | None]:
    return {
        f"{stack}/{logical_id}": path
        for stack, synthesized in result.stacks.items()
        for logical_id, path in thirty_month_paths(synthesized.template).items()
    }


@pytest.mark.parametrize("environment", ["dev", "prod"])
def test_every_log_group_has_a_thirty_month_path(environment, request):
    paths = _paths(request.getfixturevalue(environment))
    assert paths and [group for group, path in paths.items() if path is None] == []


def test_primary_groups_are_copied_and_dr_groups_kept_three_years_in_cloudwatch(prod):
    paths = _paths(prod)
    primary = {k: v for k, v in paths.items() if "-dr-" not in k}
    dr = {k: v for k, v in paths.items() if "-dr-" in k}
    stream_errors = {k for k in primary if k.startswith("pcs-prod-foundation/LogCopiesErrors")}
    assert len(stream_errors) == 1
    assert {v for k, v in primary.items() if k not in stream_errors} == {COPY}
    assert {primary[k] for k in stream_errors} == {"cloudwatch: 1096 days"}
    assert dr and set(dr.values()) == {"cloudwatch: 1096 days"}


def test_primary_groups_keep_their_active_year_in_cloudwatch(prod):
    groups = [
        body["Properties"]
        for name, stack in prod.stacks.items()
        if "-dr-" not in name
        for body in stack.template["Resources"].values()
        if body["Type"] == "AWS::Logs::LogGroup"
    ]
    assert {g["RetentionInDays"] for g in groups} == {365, 1096}


def test_a_group_without_a_filter_or_long_retention_has_no_path():
    template = {
        "Resources": {
            "Copied": {"Type": "AWS::Logs::LogGroup", "Properties": {"RetentionInDays": 365}},
            "Kept": {"Type": "AWS::Logs::LogGroup", "Properties": {"RetentionInDays": 913}},
            "Lost": {"Type": "AWS::Logs::LogGroup", "Properties": {"RetentionInDays": 731}},
            "Filter": {
                "Type": "AWS::Logs::SubscriptionFilter",
                "Properties": {
                    "LogGroupName": {"Ref": "Copied"},
                    "DestinationArn": "arn:aws:firehose:us-east-1:1:deliverystream/x",
                },
            },
        }
    }
    assert thirty_month_paths(template) == {
        "Copied": "copy: arn:aws:firehose:us-east-1:1:deliverystream/x",
        "Kept": "cloudwatch: 913 days",
        "Lost": None,
    }


def _copies_bucket(result) -> dict:
    (bucket,) = [
        b["Properties"]
        for b in resources(result, "foundation", "AWS::S3::Bucket").values()
        if b["Properties"].get("BucketName") == "pcs-prod-log-copies-111111111111"
    ]
    return bucket


def test_copies_are_locked_in_compliance_mode_cold_on_arrival_and_expire_at_30_months(prod):
    bucket = _copies_bucket(prod)
    assert bucket["ObjectLockConfiguration"]["Rule"]["DefaultRetention"] == {
        "Mode": "COMPLIANCE",
        "Days": 913,
    }
    (rule,) = bucket["LifecycleConfiguration"]["Rules"]
    assert rule["Transitions"] == [{"StorageClass": "GLACIER", "TransitionInDays": 0}]
    assert rule["ExpirationInDays"] == 913
    (encryption,) = bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert "KeysLogs" in json.dumps(encryption["ServerSideEncryptionByDefault"])


def test_the_stream_writes_the_cloudwatch_payloads_into_the_copies_bucket(prod):
    (stream,) = [
        s["Properties"]
        for s in resources(prod, "foundation", "AWS::KinesisFirehose::DeliveryStream").values()
    ]
    assert stream["DeliveryStreamName"] == "pcs-prod-log-copies"
    assert stream["DeliveryStreamEncryptionConfigurationInput"]["KeyType"] == (
        "CUSTOMER_MANAGED_CMK"
    )
    destination = stream["ExtendedS3DestinationConfiguration"]
    assert "LogCopiesBucket" in json.dumps(destination["BucketARN"])
    assert destination["Prefix"].startswith("cloudwatch/")
    # Stored as CloudWatch Logs sends it (gzip): no compression of its own (the default).
    assert destination.get("CompressionFormat", "UNCOMPRESSED") == "UNCOMPRESSED"


def test_only_cloudwatch_logs_of_this_account_may_put_into_the_stream(prod):
    (role,) = [
        r["Properties"]
        for r in resources(prod, "foundation", "AWS::IAM::Role").values()
        if r["Properties"].get("RoleName") == "pcs-prod-log-copies-subscription"
    ]
    (trust,) = role["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Principal"] == {"Service": "logs.amazonaws.com"}
    assert "log-group:*" in json.dumps(trust["Condition"]["StringLike"]["aws:SourceArn"])
    (policy,) = [
        p["Properties"]["PolicyDocument"]["Statement"]
        for p in resources(prod, "foundation", "AWS::IAM::ManagedPolicy").values()
        if "log-copies stream" in p["Properties"].get("Description", "")
    ]
    assert [s["Action"] for s in policy] == [["firehose:PutRecord", "firehose:PutRecordBatch"]]


def test_every_stack_with_a_copied_group_deploys_after_the_stream(prod):
    manifest = json.loads(prod.outdir.joinpath("manifest.json").read_text())
    copying = {
        name
        for name, stack in prod.stacks.items()
        if any(
            b["Type"] == "AWS::Logs::SubscriptionFilter"
            for b in stack.template["Resources"].values()
        )
    }
    assert copying >= {"pcs-prod-compute", "pcs-prod-data", "pcs-prod-audit"}
    for name in copying - {"pcs-prod-foundation"}:
        assert "pcs-prod-foundation" in manifest["artifacts"][name]["dependencies"], name
