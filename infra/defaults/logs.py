"""CloudWatch log groups: KMS-encrypted, with a retention of at least a year (AU-11)."""

from __future__ import annotations

from aws_cdk import RemovalPolicy
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from constructs import Construct

# jsii exposes RetentionDays by name only (``.value == "ONE_YEAR"``), so the day counts CloudWatch
# accepts are listed here against those names.
_RETENTION_NAMES = {
    1: "ONE_DAY",
    3: "THREE_DAYS",
    5: "FIVE_DAYS",
    7: "ONE_WEEK",
    14: "TWO_WEEKS",
    30: "ONE_MONTH",
    60: "TWO_MONTHS",
    90: "THREE_MONTHS",
    120: "FOUR_MONTHS",
    150: "FIVE_MONTHS",
    180: "SIX_MONTHS",
    365: "ONE_YEAR",
    400: "THIRTEEN_MONTHS",
    545: "EIGHTEEN_MONTHS",
    731: "TWO_YEARS",
    1096: "THREE_YEARS",
    1827: "FIVE_YEARS",
    2192: "SIX_YEARS",
    2557: "SEVEN_YEARS",
    2922: "EIGHT_YEARS",
    3288: "NINE_YEARS",
    3653: "TEN_YEARS",
}
_RETENTION = {days: logs.RetentionDays[name] for days, name in _RETENTION_NAMES.items()}


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
