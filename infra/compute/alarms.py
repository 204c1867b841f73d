"""The alarms that roll a release back and page on-call: the API's 5xx (spec §5.2), each
blue/green service's green error rate (the release's own signal), and the web's 5xx."""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_elasticloadbalancingv2 as elbv2
from constructs import Construct

from infra.config import PlatformConfig
from infra.edge.load_balancer import BlueGreenTargets
from infra.gate.nag import acknowledge
from infra.monitoring.metrics import tasks_below_desired


def api_5xx_alarm(
    scope: Construct,
    construct_id: str,
    *,
    config: PlatformConfig,
    load_balancer: elbv2.IApplicationLoadBalancer,
) -> cloudwatch.Alarm:
    """Target 5xx responses summed per minute over the whole ALB, above the threshold twice.

    The spec's figure counts customers' errors: it cannot see a test phase (the test traffic
    is a few requests a minute), which :func:`green_error_rate_alarm` watches.
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
        threshold=monitoring.api_5xx_threshold,
        evaluation_periods=monitoring.api_5xx_evaluation_periods,
    )


def green_error_rate_alarm(
    scope: Construct,
    construct_id: str,
    *,
    config: PlatformConfig,
    load_balancer: elbv2.IApplicationLoadBalancer,
    targets: BlueGreenTargets,
) -> cloudwatch.Alarm:
    """``<service>-green-errors``: the error rate (percent of requests) of the service's
    target groups, for its release.

    Errors are a group's target 5xx, its failed target connections and the load balancer's own
    5xx (502/503/504 when a green task crashes or times out). The ALB publishes its own 5xx
    per load balancer only, so that term counts every target group: during a release any 5xx
    the load balancer generates rolls back, which errs on the safe side. The rate is taken per
    target group and the higher one alarms: which group is green alternates from release to
    release, and green receives only the test listener's traffic during the test phase and
    production's after the shift, so a single error a minute in the hook's smoke test already
    exceeds the threshold (docs/decisions/delivery-release-gates.md).
    """
    monitoring = config.monitoring
    period = Duration.seconds(monitoring.api_5xx_period_seconds)
    using: dict[str, cloudwatch.IMetric] = {
        "elb5xx": load_balancer.metrics.http_code_elb(
            elbv2.HttpCodeElb.ELB_5XX_COUNT, statistic="Sum", period=period
        )
    }
    rates = []
    for index, group in enumerate(targets.pair):
        for name, metric in (
            ("target5xx", "HTTPCode_Target_5XX_Count"),
            ("connectionErrors", "TargetConnectionErrorCount"),
            ("requests", "RequestCount"),
        ):
            using[f"{name}{index}"] = group.metrics.custom(metric, statistic="Sum", period=period)
        rates.append(
            f"100 * (FILL(target5xx{index}, 0) + FILL(connectionErrors{index}, 0)"
            f" + FILL(elb5xx, 0)) / MAX([FILL(requests{index}, 0), 1])"
        )
    rate = cloudwatch.MathExpression(
        expression=f"MAX([{', '.join(rates)}])",
        using_metrics=using,
        label="Green error rate (%)",
        period=period,
    )
    return _rollback_alarm(
        scope,
        construct_id,
        alarm_name=config.names.alarm(f"{targets.service}-green-errors"),
        description=(
            f"Green (test) target group error rate above threshold: rolls the {targets.service} "
            "back"
        ),
        metric=rate,
        threshold=monitoring.green_error_rate_percent,
        evaluation_periods=monitoring.api_5xx_evaluation_periods,
    )


def tasks_below_desired_alarm(
    scope: Construct,
    construct_id: str,
    *,
    config: PlatformConfig,
    role: str,
    cluster_name: str,
    service_name: str,
    pilot_light: bool,
) -> cloudwatch.Alarm:
    """The ``role`` service's own signal for a release without a load balancer (worker, Beat):
    fewer tasks running than desired for ``running_tasks_evaluation_periods`` minutes, i.e. new
    tasks that cannot start or keep crashing.

    Silence breaches in a serving region: its services always run tasks, which Container
    Insights reports every minute. In a ``pilot_light`` region the services rest at 0 tasks
    and report nothing, so silence is the rest state and does not breach; scaled up, the
    desired count reported without running tasks still breaches
    (docs/decisions/dr-traffic-without-us-east-1.md, "Alarms at rest")."""
    monitoring = config.monitoring
    silence = (
        cloudwatch.TreatMissingData.NOT_BREACHING
        if pilot_light
        else cloudwatch.TreatMissingData.BREACHING
    )
    alarm = cloudwatch.Alarm(
        scope,
        construct_id,
        alarm_name=config.names.alarm(f"{role}-tasks-below-desired"),
        alarm_description=(
            f"The {role} service runs fewer tasks than desired for "
            f"{monitoring.running_tasks_evaluation_periods} minutes (rolls a {role} release back)"
        ),
        metric=tasks_below_desired(cluster_name, service_name, f"{role}: desired - running"),
        threshold=0,
        evaluation_periods=monitoring.running_tasks_evaluation_periods,
        comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        treat_missing_data=silence,
    )
    _acknowledge_rollback(alarm)
    return alarm


def web_5xx_alarm(
    scope: Construct,
    construct_id: str,
    *,
    config: PlatformConfig,
    targets: BlueGreenTargets,
) -> cloudwatch.Alarm:
    """The web target groups' 5xx responses (both: the serving one alternates), with the
    API's threshold and periods."""
    monitoring = config.monitoring
    period = Duration.seconds(monitoring.api_5xx_period_seconds)
    using = {
        f"target5xx{index}": group.metrics.http_code_target(
            elbv2.HttpCodeTarget.TARGET_5XX_COUNT, period=period, statistic="Sum"
        )
        for index, group in enumerate(targets.pair)
    }
    return _rollback_alarm(
        scope,
        construct_id,
        alarm_name=config.names.alarm("web-5xx"),
        description="Web front end 5XX errors exceeded threshold (rolls back a web release)",
        metric=cloudwatch.MathExpression(
            expression=" + ".join(f"FILL({name}, 0)" for name in using),
            using_metrics=using,
            label="Web target 5xx",
            period=period,
        ),
        threshold=monitoring.api_5xx_threshold,
        evaluation_periods=monitoring.api_5xx_evaluation_periods,
    )


def _rollback_alarm(
    scope: Construct,
    construct_id: str,
    *,
    alarm_name: str,
    description: str,
    metric: cloudwatch.IMetric,
    threshold: float,
    evaluation_periods: int,
) -> cloudwatch.Alarm:
    alarm = cloudwatch.Alarm(
        scope,
        construct_id,
        alarm_name=alarm_name,
        alarm_description=description,
        metric=metric,
        threshold=threshold,
        evaluation_periods=evaluation_periods,
        comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
    )
    _acknowledge_rollback(alarm)
    return alarm


def _acknowledge_rollback(alarm: cloudwatch.Alarm) -> None:
    acknowledge(
        alarm,
        "ECS evaluates this alarm itself during deployments (deployment_alarms with "
        "ROLLBACK_ON_ALARM); the monitoring stack attaches the on-call SNS actions to it.",
        "NIST.800.53.R5-CloudWatchAlarmAction",
    )
