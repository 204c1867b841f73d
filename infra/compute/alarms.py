"""The API's 5xx alarm (spec §5.2): pages on-call and rolls a blue/green release back."""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_elasticloadbalancingv2 as elbv2
from constructs import Construct

from infra.config import PlatformConfig
from infra.gate.nag import acknowledge


def api_5xx_alarm(
    scope: Construct,
    construct_id: str,
    *,
    config: PlatformConfig,
    load_balancer: elbv2.IApplicationLoadBalancer,
) -> cloudwatch.Alarm:
    """Target 5xx responses summed per minute over the whole ALB, above the threshold twice.

    Load-balancer wide on purpose: during a release it counts green's errors whichever target
    group the listener rules point at, including the test listener's traffic.
    """
    monitoring = config.monitoring
    alarm = cloudwatch.Alarm(
        scope,
        construct_id,
        alarm_name=config.names.alarm("api-5xx"),
        alarm_description="API 5XX errors exceeded threshold (rolls back a blue/green release)",
        metric=load_balancer.metrics.http_code_target(
            elbv2.HttpCodeTarget.TARGET_5XX_COUNT,
            period=Duration.seconds(monitoring.api_5xx_period_seconds),
            statistic="Sum",
        ),
        threshold=monitoring.api_5xx_threshold,
        evaluation_periods=monitoring.api_5xx_evaluation_periods,
        comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
    )
    acknowledge(
        alarm,
        "ECS evaluates this alarm itself during deployments (deployment_alarms with "
        "ROLLBACK_ON_ALARM); the monitoring stack attaches the on-call SNS actions to it.",
        "NIST.800.53.R5-CloudWatchAlarmAction",
    )
    return alarm
