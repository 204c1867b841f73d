"""Route 53: the imported hosted zone, alias records and the public health check."""

from __future__ import annotations

from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_elasticloadbalancingv2 as elbv2
from aws_cdk import aws_route53 as route53
from aws_cdk import aws_route53_targets as targets
from constructs import Construct

from infra.config import EdgeConfig


def hosted_zone(scope: Construct, construct_id: str, *, edge: EdgeConfig) -> route53.IHostedZone:
    """The zone named in configuration, by id (no lookup: synthesis needs no AWS account)."""
    return route53.HostedZone.from_hosted_zone_attributes(
        scope, construct_id, hosted_zone_id=edge.hosted_zone_id, zone_name=edge.hosted_zone_name
    )


class SiteRecords(Construct):
    """Alias records for the site (to CloudFront) and the origin (to the internal ALB).

    The origin record resolves only to private addresses; it exists so the name CloudFront
    validates the ALB's certificate against also resolves, whichever way the VPC origin uses it.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        zone: route53.IHostedZone,
        domain_name: str,
        origin_name: str,
        distribution: cloudfront.IDistribution,
        load_balancer: elbv2.IApplicationLoadBalancer,
    ) -> None:
        super().__init__(scope, construct_id)
        site = route53.RecordTarget.from_alias(targets.CloudFrontTarget(distribution))
        route53.ARecord(self, "SiteIpv4", zone=zone, record_name=domain_name, target=site)
        route53.AaaaRecord(self, "SiteIpv6", zone=zone, record_name=domain_name, target=site)
        route53.ARecord(
            self,
            "Origin",
            zone=zone,
            record_name=origin_name,
            target=route53.RecordTarget.from_alias(targets.LoadBalancerTarget(load_balancer)),
        )


def site_health_check(
    scope: Construct, construct_id: str, *, edge: EdgeConfig, port: int
) -> route53.CfnHealthCheck:
    """An HTTPS health check of the public site's liveness path, through CloudFront."""
    return route53.CfnHealthCheck(
        scope,
        construct_id,
        health_check_config=route53.CfnHealthCheck.HealthCheckConfigProperty(
            type="HTTPS",
            fully_qualified_domain_name=edge.domain_name,
            port=port,
            resource_path=edge.health_check_path,
            request_interval=edge.health_check_interval_seconds,
            failure_threshold=edge.health_check_failure_threshold,
            enable_sni=True,
        ),
    )
