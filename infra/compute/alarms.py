"""The 5xx alarms that page on-call and roll a release back: the API's (spec §5.2) and the web's."""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_elasticloadbalancingv2 as elbv2
from constructs import Construct

from infra.config import MonitoringConfig, PlatformConfig
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
    return _rollback_alarm(
        scope,
        construct_id,
        alarm_name=config.names.alarm("api-5xx"),
        description="API 5XX errors exceeded threshold (rolls back a blue/green release)",
        metric=load_balancer.metrics.http_code_target(
            elbv2.HttpCodeTarget.TARGET_5XX_COUNT,
            period=Duration.seconds(monitoring.api_5xx_period_seconds),
            statistic="Sum",
        ),
        monitoring=monitoring,
    )


def web_5xx_alarm(
    scope: Construct,
    construct_id: str,
    *,
    config: PlatformConfig,
    target_group: elbv2.IApplicationTargetGroup,
) -> cloudwatch.Alarm:
    """The web target group's 5xx responses, with the API's threshold and periods."""
    monitoring = config.monitoring
    return _rollback_alarm(
        scope,
        construct_id,
        alarm_name=config.names.alarm("web-5xx"),
        description="Web front end 5XX errors exceeded threshold (rolls back a web release)",
        metric=target_group.metrics.http_code_target(
            elbv2.HttpCodeTarget.TARGET_5XX_COUNT,
            period=Duration.seconds(monitoring.api_5xx_period_seconds),
            statistic="Sum",
        ),
        monitoring=monitoring,
    )


def _rollback_alarm(
    scope: Construct,
    construct_id: str,
    *,
    alarm_name: str,
    description: str,
    metric: cloudwatch.IMetric,
    monitoring: MonitoringConfig,
) -> cloudwatch.Alarm:
    alarm = cloudwatch.Alarm(
        scope,
        construct_id,
        alarm_name=alarm_name,
        alarm_description=description,
        metric=metric,
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
