"""Certificate by DNS validation, alias records and the Route 53 health check."""

from __future__ import annotations

from tests.infra.conftest import resources


def test_certificate_covers_the_domain_and_is_validated_in_the_configured_zone(prod):
    (certificate,) = resources(prod, "edge", "AWS::CertificateManager::Certificate").values()
    properties = certificate["Properties"]
    assert properties["DomainName"] == prod.config.edge.domain_name
    assert properties["ValidationMethod"] == "DNS"
    zones = {o["HostedZoneId"] for o in properties["DomainValidationOptions"]}
    assert zones == {prod.config.edge.hosted_zone_id}
    # The origin name is each region's ALB's own certificate (the origin stacks), not a SAN here.
    assert "SubjectAlternativeNames" not in properties


def test_site_has_ipv4_and_ipv6_alias_records_to_cloudfront(prod):
    records = resources(prod, "edge", "AWS::Route53::RecordSet").values()
    site = {
        r["Properties"]["Type"]
        for r in records
        if r["Properties"]["Name"] == f"{prod.config.edge.domain_name}."
        and "CdnDistribution" in str(r["Properties"]["AliasTarget"]["DNSName"])
    }
    assert site == {"A", "AAAA"}


def test_route53_health_check_reads_the_site_5xx_rate_alarm_not_a_health_probe(prod):
    (check,) = resources(prod, "edge", "AWS::Route53::HealthCheck").values()
    config = check["Properties"]["HealthCheckConfig"]
    assert config["Type"] == "CLOUDWATCH_METRIC"
    assert "ResourcePath" not in config
    # Its alarm lives in us-east-1: if that region's CloudWatch stops reporting, the site is
    # unknown, and unknown must read as unhealthy, not as the last state seen (issue 20).
    assert config["InsufficientDataHealthStatus"] == "Unhealthy"
    ((alarm_id, alarm),) = resources(prod, "edge", "AWS::CloudWatch::Alarm").items()
    alarm = alarm["Properties"]
    assert config["AlarmIdentifier"]["Name"] == {"Ref": alarm_id}
    assert alarm["AlarmName"] == "pcs-prod-site-5xx-rate"
    assert (alarm["Namespace"], alarm["MetricName"], alarm["Threshold"]) == (
        "AWS/CloudFront",
        "5xxErrorRate",
        5,
    )


def test_the_site_5xx_alarm_pages_the_alert_topic(prod):
    ((_, alarm),) = resources(prod, "edge", "AWS::CloudWatch::Alarm").items()
    for actions in ("AlarmActions", "OKActions"):
        (action,) = alarm["Properties"][actions]
        assert action["Fn::ImportValue"].startswith("pcs-prod-alerts:ExportsOutputRefAlerts")
