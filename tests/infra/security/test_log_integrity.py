"""Log integrity (AU-9): every log-delivery grant is pinned to its source, the log buckets are
under Object Lock and no one deletes a log version."""

from __future__ import annotations

import pytest

LOG_DELIVERY_SERVICES = {
    "cloudtrail.amazonaws.com",
    "delivery.logs.amazonaws.com",
    "logging.s3.amazonaws.com",
    "logdelivery.elasticloadbalancing.amazonaws.com",
}
ELB_US_EAST_1 = "127311923021"  # Elastic Load Balancing's log-writing account in us-east-1


def _statements(result, resource_type: str, document: str):
    """``(stack, logical id, statement)`` of every policy of ``resource_type`` in every stack."""
    for name, stack in result.stacks.items():
        for logical_id, resource in stack.template["Resources"].items():
            if resource["Type"] == resource_type:
                for statement in resource["Properties"][document]["Statement"]:
                    yield name, logical_id, statement


def _principal_services(statement: dict) -> set[str]:
    services = statement.get("Principal", {}).get("Service", [])
    return {services} if isinstance(services, str) else set(services)


def _log_delivery_grants(result) -> list[tuple[str, str, dict]]:
    return [
        (stack, logical_id, statement)
        for stack, logical_id, statement in _statements(
            result, "AWS::S3::BucketPolicy", "PolicyDocument"
        )
        if statement["Effect"] == "Allow" and _principal_services(statement) & LOG_DELIVERY_SERVICES
    ]


def test_every_log_delivery_grant_names_its_source_arn_and_account(prod):
    grants = _log_delivery_grants(prod)
    # flow logs (2 regions x 2), CloudTrail (2), S3 access logs of 4 primary + 2 DR buckets
    assert len(grants) >= 12
    for stack, logical_id, statement in grants:
        keys = {key for test in statement.get("Condition", {}).values() for key in test}
        assert {"aws:SourceArn", "aws:SourceAccount"} <= keys, (stack, logical_id, statement)


def test_s3_access_logs_of_each_bucket_go_only_under_its_own_prefix(prod):
    logging = [
        s
        for _, _, s in _log_delivery_grants(prod)
        if _principal_services(s) == {"logging.s3.amazonaws.com"}
    ]
    prefixes = [s["Resource"]["Fn::Join"][1][-1] for s in logging]
    assert len(prefixes) == len(set(prefixes))
    assert all(len(s["Condition"]["ArnLike"]["aws:SourceArn"]) > 0 for s in logging)


def test_the_only_other_log_writer_is_elb_under_this_accounts_alb_prefix(prod):
    writers = [
        s
        for _, _, s in _statements(prod, "AWS::S3::BucketPolicy", "PolicyDocument")
        if s["Effect"] == "Allow" and "AWS" in s.get("Principal", {})
    ]
    assert writers
    assert any(ELB_US_EAST_1 in str(s["Principal"]["AWS"]) for s in writers)
    for elb in writers:
        assert elb["Sid"] == "LoadBalancerLogs"
        assert elb["Action"] == "s3:PutObject"
        assert elb["Resource"]["Fn::Join"][1][-1] == "/alb/AWSLogs/111111111111/*"


def _buckets(result) -> dict[str, dict]:
    return {
        resource["Properties"].get("BucketName", logical_id): resource["Properties"]
        for stack in result.stacks.values()
        for logical_id, resource in stack.template["Resources"].items()
        if resource["Type"] == "AWS::S3::Bucket"
    }


@pytest.mark.parametrize("purpose", ["access-logs", "dr-access-logs"])
def test_access_log_buckets_are_under_object_lock_and_no_version_is_deleted(prod, purpose):
    name = prod.config.names.bucket(purpose)
    bucket = _buckets(prod)[name]
    # S3 server access logging refuses a target with a default retention: lock without one.
    assert bucket["ObjectLockEnabled"] is True
    assert "ObjectLockConfiguration" not in bucket
    denies = [
        s
        for _, _, s in _statements(prod, "AWS::S3::BucketPolicy", "PolicyDocument")
        if s["Effect"] == "Deny" and s["Action"] == "s3:DeleteObjectVersion"
    ]
    assert any(s["Principal"] == {"AWS": "*"} and "Condition" not in s for s in denies)
    assert len(denies) == 2  # one per access-log bucket


def test_every_log_bucket_is_under_object_lock(prod):
    names = prod.config.names
    logs = [names.bucket("logs"), names.bucket("access-logs"), names.bucket("dr-access-logs")]
    buckets = _buckets(prod)
    assert all(buckets[name]["ObjectLockEnabled"] is True for name in logs)
    (archive,) = [b for key, b in buckets.items() if key.startswith("ArchiveBucket")]
    assert archive["ObjectLockConfiguration"]["Rule"]["DefaultRetention"]["Mode"] == "COMPLIANCE"
