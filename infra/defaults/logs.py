"""CloudWatch log groups: KMS-encrypted, with a retention of at least a year (AU-11)."""

from __future__ import annotations

from aws_cdk import RemovalPolicy
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from constructs import Construct

_RETENTION = {days.value: days for days in logs.RetentionDays if isinstance(days.value, int)}


def retention(days: int) -> logs.RetentionDays:
    """The CloudWatch retention setting for ``days`` (CloudWatch accepts only listed values)."""
    allowed = sorted(_RETENTION)
    if days not in _RETENTION:
        raise ValueError(f"log retention {days} days is not a CloudWatch value; allowed: {allowed}")
    return _RETENTION[days]


def encrypted_log_group(
    scope: Construct,
    construct_id: str,
    *,
    key: kms.IKey,
    retention_days: int,
    log_group_name: str | None = None,
) -> logs.LogGroup:
    """A log group encrypted with ``key`` and kept for ``retention_days``."""
    return logs.LogGroup(
        scope,
        construct_id,
        log_group_name=log_group_name,
        encryption_key=key,
        retention=retention(retention_days),
        removal_policy=RemovalPolicy.RETAIN,
    )
