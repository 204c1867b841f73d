"""Route 53: the imported hosted zone, the site's alias records and its health check."""

from __future__ import annotations

from aws_cdk import Duration, Stack
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as actions
from aws_cdk import aws_route53 as route53
from aws_cdk import aws_route53_targets as targets
from aws_cdk import aws_sns as sns
from constructs import Construct

from infra.config import EdgeConfig


def hosted_zone(scope: Construct, construct_id: str, *, edge: EdgeConfig) -> route53.IHostedZone:
    """The zone named in configuration, by id (no lookup: synthesis needs no AWS account)."""
    return route53.HostedZone.from_hosted_zone_attributes(
        scope, construct_id, hosted_zone_id=edge.hosted_zone_id, zone_name=edge.hosted_zone_name
    )


class SiteRecords(Construct):
    """Alias records for the site, to CloudFront. The origin name's records are the regions'
    (:func:`infra.edge.traffic_switch.origin_record`)."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        zone: route53.IHostedZone,
        domain_name: str,
        distribution: cloudfront.IDistribution,
    ) -> None:
        super().__init__(scope, construct_id)
        site = route53.RecordTarget.from_alias(targets.CloudFrontTarget(distribution))
        route53.ARecord(self, "SiteIpv4", zone=zone, record_name=domain_name, target=site)
        route53.AaaaRecord(self, "SiteIpv6", zone=zone, record_name=domain_name, target=site)


def site_health_check(
    scope: Construct,
    construct_id: str,
    *,
    prefix: str,
    edge: EdgeConfig,
    distribution: cloudfront.IDistribution,
    alert_topic: sns.ITopic,
) -> route53.CfnHealthCheck:
    """The site's health as Route 53 sees it: unhealthy while CloudFront's 5xx error rate stays
    above the threshold (viewers' requests, not a probe: /health* is not public). The alarm
    behind it pages ``alert_topic``: it is what customers see."""
    alarm = cloudwatch.Alarm(
        scope,
        f"{construct_id}Alarm",
        alarm_name=f"{prefix}-site-5xx-rate",
        alarm_description="CloudFront 5xx error rate of the site (the Route 53 health check)",
        metric=cloudwatch.Metric(
            namespace="AWS/CloudFront",
            metric_name="5xxErrorRate",
            dimensions_map={"DistributionId": distribution.distribution_id, "Region": "Global"},
            statistic="Average",
            period=Duration.minutes(1),
        ),
        threshold=edge.site_5xx_rate_threshold_percent,
        evaluation_periods=edge.health_check_failure_threshold,
        comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,  # no requests, no errors
    )
    alarm.add_alarm_action(actions.SnsAction(alert_topic))
    alarm.add_ok_action(actions.SnsAction(alert_topic))
    return route53.CfnHealthCheck(
        scope,
        construct_id,
        health_check_config=route53.CfnHealthCheck.HealthCheckConfigProperty(
            type="CLOUDWATCH_METRIC",
            alarm_identifier=route53.CfnHealthCheck.AlarmIdentifierProperty(
                name=alarm.alarm_name, region=Stack.of(scope).region
            ),
            # The alarm is us-east-1's: no data from it is a reason to look, not "as before".
            insufficient_data_health_status="Unhealthy",
        ),
    )
