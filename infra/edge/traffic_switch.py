"""The traffic switch: which region's origin entry answers the origin name, moved with no
us-east-1 control plane (docs/decisions/dr-traffic-dns-failover.md).

The origin name is a Route 53 failover record pair, one record in each region's origin stack:
PRIMARY (the primary region's origin entry) carries a health check that reads the switch's
alarm in the DR region, SECONDARY (the DR region's entry) none. ``ops.dr`` moves traffic by
writing the switch's metric in the DR region (``PutMetricData``, a regional data-plane call);
Route 53 health checks and the DNS answers that follow them are Route 53's data plane. Neither
record evaluates its entry's target health (:func:`origin_record`): only the switch moves traffic.
"""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_elasticloadbalancingv2 as elbv2
from aws_cdk import aws_route53 as route53
from constructs import Construct

from infra.names import TrafficSwitch


def traffic_switch_alarm(
    scope: Construct, construct_id: str, *, switch: TrafficSwitch, period_seconds: int
) -> cloudwatch.Alarm:
    """The switch's alarm, in the DR region: ALARM once a period's lowest value is ``STANDBY``.

    Missing data keeps its state, and the health check keeps its last known status: the switch
    holds until the next write, whatever CloudWatch in either region does meanwhile.
    """
    return cloudwatch.Alarm(
        scope,
        construct_id,
        alarm_name=switch.alarm,
        alarm_description=(
            "Traffic switch: ALARM = the DR region serves the site (ops.dr wrote "
            f"{switch.metric}={switch.STANDBY:g}); OK = the primary region serves"
        ),
        metric=cloudwatch.Metric(
            namespace=switch.namespace,
            metric_name=switch.metric,
            dimensions_map=dict(switch.dimensions),
            statistic="Minimum",
            period=Duration.seconds(period_seconds),
        ),
        threshold=switch.PRIMARY,
        evaluation_periods=1,
        comparison_operator=cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        treat_missing_data=cloudwatch.TreatMissingData.IGNORE,
    )


def origin_record(
    scope: Construct,
    construct_id: str,
    *,
    zone: route53.IHostedZone,
    origin_name: str,
    load_balancer: elbv2.ILoadBalancerV2,
    region: str,
    switch: TrafficSwitch | None,
) -> route53.CfnRecordSet:
    """The region's record of the origin name: PRIMARY behind the switch's health check when
    ``switch`` is given (the primary region), SECONDARY otherwise (the DR region).

    L1, because CDK refuses a failover alias without EvaluateTargetHealth. With it, Route 53
    would move traffic by itself on the entry's health, which says only whether the ALB answers
    (its fixed health path), not whether the region's services run or its database is the
    writer: a pilot-light region must take traffic only after ``ops.dr`` has promoted it.
    """
    health_check_id = None
    if switch is not None:
        health_check_id = route53.CfnHealthCheck(
            scope,
            f"{construct_id}Switch",
            health_check_config=route53.CfnHealthCheck.HealthCheckConfigProperty(
                type="CLOUDWATCH_METRIC",
                alarm_identifier=route53.CfnHealthCheck.AlarmIdentifierProperty(
                    name=switch.alarm, region=switch.region
                ),
                # A new check with no data yet is healthy (the primary serves); afterwards the
                # switch holds the last value written, whatever CloudWatch reports meanwhile.
                insufficient_data_health_status="LastKnownStatus",
            ),
        ).attr_health_check_id
    return route53.CfnRecordSet(
        scope,
        construct_id,
        hosted_zone_id=zone.hosted_zone_id,
        name=f"{origin_name}.",
        type="A",
        failover="SECONDARY" if switch is None else "PRIMARY",
        set_identifier=region,
        health_check_id=health_check_id,
        alias_target=route53.CfnRecordSet.AliasTargetProperty(
            dns_name=load_balancer.load_balancer_dns_name,
            hosted_zone_id=load_balancer.load_balancer_canonical_hosted_zone_id,
            evaluate_target_health=False,
        ),
    )
