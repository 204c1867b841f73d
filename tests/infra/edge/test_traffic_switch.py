"""The traffic switch: the origin name's failover records, the primary's health check on the DR
region's alarm, and that alarm read as Route 53 reads it (dr-traffic-dns-failover.md)."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import botocore

from tests.infra.conftest import resources

ORIGIN = "origin.app.pcs.example.com."
STACKS = ("origin", "dr-origin")


def _record(result, stack: str) -> dict:
    """The stack's public record of the origin name (the private zone has its own)."""
    (record,) = [
        r["Properties"]
        for r in resources(result, stack, "AWS::Route53::RecordSet").values()
        if "Failover" in r["Properties"]
    ]
    return record


def test_the_origin_name_is_a_failover_pair_one_record_per_region(prod):
    primary, standby = _record(prod, "origin"), _record(prod, "dr-origin")
    assert (primary["Name"], primary["Type"], primary["Failover"], primary["SetIdentifier"]) == (
        ORIGIN,
        "A",
        "PRIMARY",
        "us-east-1",
    )
    assert (standby["Name"], standby["Type"], standby["Failover"], standby["SetIdentifier"]) == (
        ORIGIN,
        "A",
        "SECONDARY",
        "us-west-2",
    )
    # Each region's record is its own entry, by attribute in its own stack: no cross-region value.
    for stack, record in zip(STACKS, (primary, standby), strict=True):
        (entry,) = [
            key
            for key, lb in resources(
                prod, stack, "AWS::ElasticLoadBalancingV2::LoadBalancer"
            ).items()
            if lb["Properties"]["Type"] == "network"
        ]
        alias = record["AliasTarget"]
        assert alias["DNSName"] == {"Fn::GetAtt": [entry, "DNSName"]}
        assert alias["HostedZoneId"] == {"Fn::GetAtt": [entry, "CanonicalHostedZoneID"]}
    assert "HealthCheckId" not in standby


def _documentation(shape: str, member: str) -> str:
    """A member's documentation in botocore's Route 53 model (AWS's API reference), as text."""
    model = Path(botocore.__file__).parent / "data/route53/2013-04-01/service-2.json.gz"
    shapes = json.loads(gzip.decompress(model.read_bytes()))["shapes"]
    documentation = shapes[shape]["members"][member]["documentation"]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", documentation))


def test_neither_record_evaluates_its_entrys_target_health(prod):
    """Only the switch moves traffic: the entry's health says the ALB answers, not that the
    region's services run or its database is the writer."""
    evaluated = {_record(prod, s)["AliasTarget"]["EvaluateTargetHealth"] for s in STACKS}
    assert evaluated == {False}


def test_the_primary_record_follows_the_switch_alarm_in_the_dr_region(prod):
    ((check_id, check),) = resources(prod, "origin", "AWS::Route53::HealthCheck").items()
    assert _record(prod, "origin")["HealthCheckId"] == {"Fn::GetAtt": [check_id, "HealthCheckId"]}
    assert check["Properties"]["HealthCheckConfig"] == {
        "Type": "CLOUDWATCH_METRIC",
        "AlarmIdentifier": {"Name": "pcs-prod-primary-serves", "Region": "us-west-2"},
        # New: healthy (the primary serves); then the last value written holds.
        "InsufficientDataHealthStatus": "LastKnownStatus",
    }
    text = _documentation("HealthCheckConfig", "InsufficientDataHealthStatus")
    assert (
        "For new health checks that have no last known status, the default status for the "
        "health check is healthy." in text
    )


def _switch_alarm(result) -> dict:
    (alarm,) = [
        a["Properties"]
        for a in resources(result, "dr-alerts", "AWS::CloudWatch::Alarm").values()
        if a["Properties"]["AlarmName"] == "pcs-prod-primary-serves"
    ]
    return alarm


def test_the_switch_alarm_lives_in_the_dr_regions_first_stack(prod):
    """Evaluated where us-east-1's outage does not reach, and deployed before the primary's
    origin stack, whose health check names it."""
    assert prod.stacks["pcs-prod-dr-alerts"].region == "us-west-2"
    alarm = _switch_alarm(prod)
    assert (alarm["Namespace"], alarm["MetricName"], alarm["Dimensions"]) == (
        "PCS/Traffic",
        "PrimaryServes",
        [{"Name": "Deployment", "Value": "pcs-prod"}],
    )
    assert (alarm["Period"], alarm["EvaluationPeriods"], alarm["Statistic"]) == (60, 1, "Minimum")
    assert (alarm["ComparisonOperator"], alarm["Threshold"]) == ("LessThanThreshold", 1)
    # Silence keeps the switch where it is.
    assert alarm["TreatMissingData"] == "ignore"
    # Moving traffic pages the DR region's on-call topic, both ways.
    assert alarm["AlarmActions"] == alarm["OKActions"] == [{"Ref": "Alerts91F83244"}]


def _state(alarm: dict, minimum: float | None) -> str:
    """The alarm's state after one period whose lowest value is ``minimum`` (None: no data),
    from its template, as CloudWatch evaluates a one-period static threshold."""
    if minimum is None:
        assert alarm["TreatMissingData"] == "ignore"
        return "unchanged"
    assert alarm["ComparisonOperator"] == "LessThanThreshold"
    return "ALARM" if minimum < alarm["Threshold"] else "OK"


def test_writing_standby_moves_traffic_and_primary_moves_it_back(prod):
    alarm = _switch_alarm(prod)
    switch = prod.config.names.traffic_switch
    assert _state(alarm, switch.STANDBY) == "ALARM"  # unhealthy: Route 53 answers SECONDARY
    assert _state(alarm, switch.PRIMARY) == "OK"  # healthy: PRIMARY again
    assert _state(alarm, None) == "unchanged"


def test_the_switch_period_is_the_configured_one(prod):
    assert _switch_alarm(prod)["Period"] == prod.config.edge.traffic_switch_period_seconds
