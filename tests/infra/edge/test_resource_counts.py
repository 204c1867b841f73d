"""Hard counts of the edge stack's resources, so a silent removal fails."""

from __future__ import annotations

EXPECTED = {
    "AWS::CertificateManager::Certificate": 1,
    "AWS::CloudFront::CachePolicy": 1,  # /_next/static: a year, immutable
    "AWS::CloudFront::Distribution": 1,
    "AWS::CloudFront::Function": 1,  # refuses /health* at the edge
    "AWS::CloudFront::ResponseHeadersPolicy": 1,  # CSP, HSTS, frame and referrer policies
    "AWS::CloudWatch::Alarm": 1,  # the site's 5xx rate, read by the Route 53 health check
    "AWS::CloudFront::VpcOrigin": 2,  # the primary's ALB, and the DR region's (standby)
    "AWS::EC2::SecurityGroup": 1,  # the blue/green test clients
    "AWS::EC2::SecurityGroupEgress": 1,
    "AWS::EC2::SecurityGroupIngress": 1,
    # CDK's reader of the DR ALB's ARN (a cross-region reference): its function and role.
    "AWS::IAM::Role": 1,
    "AWS::Lambda::Function": 1,
    "Custom::CrossRegionExportReader": 1,
    "AWS::ElasticLoadBalancingV2::Listener": 2,
    "AWS::ElasticLoadBalancingV2::ListenerRule": 2,
    "AWS::ElasticLoadBalancingV2::LoadBalancer": 1,
    "AWS::ElasticLoadBalancingV2::TargetGroup": 3,  # API blue and green, web
    "AWS::Logs::Delivery": 1,
    "AWS::Logs::DeliveryDestination": 1,
    "AWS::Logs::DeliverySource": 1,
    "AWS::Logs::LogGroup": 2,  # WAF, CloudFront access logs
    "AWS::Route53::HealthCheck": 1,
    "AWS::Route53::RecordSet": 3,  # site A and AAAA, origin A
    "AWS::WAFv2::LoggingConfiguration": 1,
    "AWS::WAFv2::WebACL": 1,
}


def test_edge_stack_has_exactly_the_expected_resources(prod):
    assert dict(prod.stacks[f"{prod.config.prefix}-edge"].resource_types) == EXPECTED
