"""Hard counts of the edge and origin stacks' resources, so a silent removal fails."""

from __future__ import annotations

EXPECTED = {
    "AWS::CertificateManager::Certificate": 1,  # the site's name (CloudFront)
    "AWS::CloudFront::CachePolicy": 1,  # /_next/static: a year, immutable
    "AWS::CloudFront::Distribution": 1,
    "AWS::CloudFront::Function": 1,  # refuses /health* at the edge
    "AWS::CloudFront::ResponseHeadersPolicy": 1,  # CSP, HSTS, frame and referrer policies
    "AWS::CloudWatch::Alarm": 1,  # the site's 5xx rate, read by the Route 53 health check
    # CloudFront's standard logs (v2) and WAF's logs go straight to the locked vended-logs
    # bucket (issue 26): no log group, no copy.
    "AWS::Logs::Delivery": 1,
    "AWS::Logs::DeliveryDestination": 1,
    "AWS::Logs::DeliverySource": 1,
    "AWS::Route53::HealthCheck": 1,
    "AWS::Route53::RecordSet": 2,  # site A and AAAA (the origin name's are the regions')
    "AWS::WAFv2::LoggingConfiguration": 1,
    "AWS::WAFv2::WebACL": 1,
}

# Each region's origin, the same in both.
ORIGIN = {
    "AWS::CertificateManager::Certificate": 1,  # the origin name (the ALB's listeners)
    "AWS::EC2::SecurityGroup": 1,  # the blue/green test clients
    "AWS::EC2::SecurityGroupEgress": 1,
    "AWS::EC2::SecurityGroupIngress": 1,
    "AWS::ElasticLoadBalancingV2::Listener": 2,
    # on each listener, the API's and the web's blue/green rule
    "AWS::ElasticLoadBalancingV2::ListenerRule": 4,
    "AWS::ElasticLoadBalancingV2::LoadBalancer": 1,
    "AWS::ElasticLoadBalancingV2::TargetGroup": 4,  # API blue and green, web blue and green
    "AWS::Route53::RecordSet": 1,  # the region's failover record of the origin name
}


def test_edge_stack_has_exactly_the_expected_resources(prod):
    assert dict(prod.stacks[f"{prod.config.prefix}-edge"].resource_types) == EXPECTED


def test_each_regions_origin_stack_has_exactly_the_same_resources(prod):
    # The primary's record carries the traffic switch's health check; neither origin writes
    # anything into another region (no cross-region reference).
    switch = {"AWS::Route53::HealthCheck": 1}
    for stack, region, extra in (("origin", "us-east-1", switch), ("dr-origin", "us-west-2", {})):
        origin = prod.stacks[f"{prod.config.prefix}-{stack}"]
        assert (origin.region, dict(origin.resource_types)) == (region, ORIGIN | extra)
