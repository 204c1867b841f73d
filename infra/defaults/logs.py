"""CloudWatch log groups: KMS-encrypted, with a retention of at least a year (AU-11)."""

from __future__ import annotations

import jsii
from aws_cdk import CfnResource, IAspect, RemovalPolicy
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct, IConstruct

from infra.gate.nag import acknowledge

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


@jsii.implements(IAspect)
class FunctionLogRetention:
    """Gives every ``AWS::Lambda::Function`` without a log group of its own one kept for
    ``retention_days``: CDK's helper functions (custom resource providers, cross-region
    references) otherwise log to a group Lambda creates that never expires.

    Like :class:`~infra.defaults.fips.FipsEndpoints` it works on the CloudFormation resource,
    since those providers are plain ``CfnResource`` objects.
    """

    def __init__(self, retention_days: int) -> None:
        retention(retention_days)  # refuses a figure CloudWatch does not accept
        self._days = retention_days

    def visit(self, node: IConstruct) -> None:
        """Add a log group beside a function that has none, and point the function at it."""
        if not (
            isinstance(node, CfnResource) and node.cfn_resource_type == "AWS::Lambda::Function"
        ):
            return
        if isinstance(node, lambda_.CfnFunction) and node.logging_config is not None:
            return
        group = logs.CfnLogGroup(
            node.node.scope, f"{node.node.id}Logs", retention_in_days=self._days
        )
        group.apply_removal_policy(RemovalPolicy.RETAIN)
        node.add_property_override("LoggingConfig.LogGroup", group.ref)
        acknowledge(
            group,
            "Log group of a CDK helper function (custom resource provider): it logs only "
            "CloudFormation request handling, no customer data or secrets; CloudWatch Logs "
            "encrypts it at rest with its service key, and it is kept for the platform's "
            "retention like every other log group.",
            "NIST.800.53.R5-CloudWatchLogGroupEncrypted",
            "CKV_AWS_158",
        )
