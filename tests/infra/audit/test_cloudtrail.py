"""CloudTrail: multi-region, validated, KMS-encrypted, to the logs bucket and CloudWatch Logs."""

from __future__ import annotations

from tests.infra.conftest import resources


def _trail(result) -> dict:
    (trail,) = resources(result, "audit", "AWS::CloudTrail::Trail").values()
    return trail["Properties"]


def _imported(value: dict) -> str:
    """The export name a cross-stack reference reads (names the foundation resource)."""
    return value["Fn::ImportValue"]


def test_trail_is_multi_region_with_global_service_events(prod):
    trail = _trail(prod)
    assert trail["IsMultiRegionTrail"] is True
    assert trail["IncludeGlobalServiceEvents"] is True


def test_trail_validates_log_files(prod):
    assert _trail(prod)["EnableLogFileValidation"] is True


def test_trail_is_encrypted_with_the_foundation_logs_key(prod):
    assert "KeysLogs" in _imported(_trail(prod)["KMSKeyId"])


def test_trail_writes_to_the_logs_bucket_under_cloudtrail(prod):
    trail = _trail(prod)
    assert trail["S3KeyPrefix"] == "cloudtrail"
    assert "RefLogs" in _imported(trail["S3BucketName"])


def _cloudtrail_log_groups(result) -> dict[str, dict]:
    return {
        logical_id: group
        for logical_id, group in resources(result, "audit", "AWS::Logs::LogGroup").items()
        if logical_id.startswith("CloudTrail")
    }


def test_trail_logs_to_the_audit_log_group(prod):
    (group_id,) = _cloudtrail_log_groups(prod)
    assert _trail(prod)["CloudWatchLogsLogGroupArn"] == {"Fn::GetAtt": [group_id, "Arn"]}


def test_audit_log_group_is_kms_encrypted_and_kept_a_year(prod):
    (group,) = _cloudtrail_log_groups(prod).values()
    assert group["Properties"]["LogGroupName"] == "/pcs-prod/cloudtrail"
    assert "KeysLogs" in _imported(group["Properties"]["KmsKeyId"])
    assert group["Properties"]["RetentionInDays"] == 365
    assert group["Properties"]["RetentionInDays"] == prod.config.monitoring.audit_log_retention_days


def test_logs_bucket_admits_cloudtrail_writes_only_under_its_prefix(prod):
    statements = [
        statement
        for policy in resources(prod, "foundation", "AWS::S3::BucketPolicy").values()
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]
        if statement.get("Principal") == {"Service": "cloudtrail.amazonaws.com"}
        and statement["Action"] == "s3:PutObject"
    ]
    assert len(statements) == 1
    assert statements[0]["Resource"]["Fn::Join"][1][-1] == "/cloudtrail/AWSLogs/111111111111/*"
