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
    # the ALB's two, and the origin entry's TCP passthrough
    "AWS::ElasticLoadBalancingV2::Listener": 3,
    # on each ALB listener, the API's and the web's blue/green rule; the entry's health path
    "AWS::ElasticLoadBalancingV2::ListenerRule": 5,
    "AWS::ElasticLoadBalancingV2::LoadBalancer": 2,  # the internal ALB, the entry (NLB)
    # API blue and green, web blue and green; the entry's group of the ALB
    "AWS::ElasticLoadBalancingV2::TargetGroup": 5,
    # the region's failover record of the origin name; inside the VPC, that name's private zone
    # and its alias to the ALB
    "AWS::Route53::RecordSet": 2,
    "AWS::Route53::HostedZone": 1,
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
