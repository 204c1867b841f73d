"""The foundation's log buckets: private, TLS-only, versioned, kept seven years."""

from __future__ import annotations

import pytest

from tests.infra.conftest import resources


def _buckets(result) -> dict[str, dict]:
    return {
        k.removesuffix(k[-8:]): v["Properties"]
        for k, v in resources(result, "foundation", "AWS::S3::Bucket").items()
    }


def _policy(result, bucket: str) -> list[dict]:
    for policy in resources(result, "foundation", "AWS::S3::BucketPolicy").values():
        if policy["Properties"]["Bucket"]["Ref"].startswith(bucket):
            return policy["Properties"]["PolicyDocument"]["Statement"]
    raise AssertionError(f"no policy for {bucket}")


@pytest.mark.parametrize("bucket", ["Logs", "AccessLogs"])
def test_log_bucket_blocks_all_public_access(prod, bucket):
    assert _buckets(prod)[bucket]["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True,
        "BlockPublicPolicy": True,
        "IgnorePublicAcls": True,
        "RestrictPublicBuckets": True,
    }


@pytest.mark.parametrize("bucket", ["Logs", "AccessLogs"])
def test_log_bucket_denies_requests_without_tls(prod, bucket):
    assert {
        "Action": "s3:*",
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        "Effect": "Deny",
        "Principal": {"AWS": "*"},
    }.items() <= _policy(prod, bucket)[0].items()


@pytest.mark.parametrize("bucket", ["Logs", "AccessLogs"])
def test_log_bucket_keeps_objects_seven_years(prod, bucket):
    (rule,) = _buckets(prod)[bucket]["LifecycleConfiguration"]["Rules"]
    assert rule["ExpirationInDays"] == 2555
    assert rule["Transitions"] == [{"StorageClass": "GLACIER_IR", "TransitionInDays": 90}]


def test_logs_bucket_is_encrypted_with_the_logs_key_and_logs_its_access(prod):
    logs = _buckets(prod)["Logs"]
    encryption = logs["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]
    assert encryption["ServerSideEncryptionByDefault"]["SSEAlgorithm"] == "aws:kms"
    assert encryption["BucketKeyEnabled"] is True
    assert logs["LoggingConfiguration"]["DestinationBucketName"]["Ref"].startswith("AccessLogs")


def test_logs_bucket_lets_log_delivery_write_flow_logs_only_under_its_prefix(prod):
    (write,) = [
        s
        for s in _policy(prod, "Logs")
        if s["Principal"] == {"Service": "delivery.logs.amazonaws.com"}
        and s["Action"] == "s3:PutObject"
    ]
    assert write["Resource"]["Fn::Join"][1][-1] == "/vpc-flow-logs/AWSLogs/111111111111/*"


def test_logs_bucket_locks_every_object_in_compliance_mode_for_30_months(prod):
    logs = _buckets(prod)["Logs"]
    assert logs["ObjectLockEnabled"] is True
    assert logs["ObjectLockConfiguration"] == {
        "ObjectLockEnabled": "Enabled",
        "Rule": {"DefaultRetention": {"Days": 913, "Mode": "COMPLIANCE"}},
    }


def test_access_logs_bucket_uses_sse_s3_for_log_delivery(prod):
    encryption = _buckets(prod)["AccessLogs"]["BucketEncryption"]
    rule = encryption["ServerSideEncryptionConfiguration"][0]
    assert rule["ServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"
