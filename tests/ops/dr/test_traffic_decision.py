"""What docs/decisions/dr-traffic-without-us-east-1.md says of the CloudFront KeyValueStore's
write API and of the Route 53 switch it records, read from botocore's own models and endpoint
rules (no network)."""

from __future__ import annotations

import json
from pathlib import Path

from botocore.loaders import Loader

from infra.config import load_config
from ops.cost.prices import load_prices
from ops.dr.clients import boto3_client

DECISION = Path(__file__).resolve().parents[3] / "docs/decisions/dr-traffic-without-us-east-1.md"


def test_the_keyvaluestore_write_api_has_one_global_endpoint_signed_for_every_region():
    rules = json.dumps(
        Loader().load_service_model("cloudfront-keyvaluestore", "endpoint-rule-set-1")
    )
    assert "https://{parsedArn#accountId}.cloudfront-kvs.global.api.aws" in rules
    assert '"signingRegionSet": ["*"]' in rules
    assert "{Region}" not in rules  # no regional endpoint to choose


def _shape(service: str, name: str) -> dict:
    return Loader().load_service_model(service, "service-2")["shapes"][name]


def test_the_manual_switch_is_a_regional_call_in_the_dr_region():
    """The switch the decision records: PutMetricData answered by us-west-2's own endpoint,
    where Route 53's API (a record change) has one endpoint, in us-east-1's partition."""
    switch = boto3_client("cloudwatch", "us-west-2")
    assert switch.meta.endpoint_url == "https://monitoring.us-west-2.amazonaws.com"
    assert boto3_client("route53", "us-west-2").meta.endpoint_url == (
        "https://route53.amazonaws.com"
    )


def test_a_route53_health_check_can_read_an_alarm_in_the_dr_region_and_hold_its_last_status():
    assert "CLOUDWATCH_METRIC" in _shape("route53", "HealthCheckType")["enum"]
    assert "us-west-2" in _shape("route53", "CloudWatchRegion")["enum"]
    assert "LastKnownStatus" in _shape("route53", "InsufficientDataHealthStatus")["enum"]


def test_the_dns_switch_costs_what_the_decision_records_against_an_arc_cluster():
    """Standing cost of the unbuilt switch, from the cost model's price table: a health check,
    its alarm and custom metric, the header secret and its replica, and a public IPv4 address
    per subnet of the two internet-facing ALBs."""
    prices, deployment = load_prices(), load_config("prod").deployment
    addresses = len(deployment.availability_zones) + len(deployment.dr_availability_zones)
    ipv4 = addresses * prices["ipv4.public_hour"].usd * prices.hours_per_month
    monthly = ipv4 + sum(
        prices[key].usd * count
        for key, count in (
            ("route53.health_check_month", 1),
            ("cloudwatch.alarm.standard_metric_month", 1),
            ("cloudwatch.custom_metric_month", 1),
            ("secretsmanager.secret_month", 2),
        )
    )
    assert (addresses, round(ipv4, 2), round(monthly, 2)) == (6, 21.90, 23.60)
    arc_cluster_per_hour = 2.50  # not in the price table: third-party notes, see the decision
    assert arc_cluster_per_hour * prices.hours_per_month == 1825
    decision = DECISION.read_text()
    for figure in ("3 + 3 at $0.005 an hour: $21.90", "about $23.60 a month", "$1,825"):
        assert figure in decision
    # As built (with the origin entries), the figure docs/cost.md's gap table gives and tests.
    as_built = "$58.54 / $66.17 / $140.97"
    assert as_built in decision
    assert as_built in (DECISION.parents[1] / "cost.md").read_text()
