"""The model over the synthesized environments (the session synths of tests/infra/conftest.py)."""

from __future__ import annotations

from collections import Counter

import pytest

from infra.summary import render_summary
from infra.synth import SynthResult
from ops.cost import monthly_total
from ops.cost.inventory import Inventory
from ops.cost.model import Estimate, estimate
from ops.cost.prices import load_prices
from ops.cost.usage import load_usage


def _estimate(result: SynthResult) -> Estimate:
    return estimate(
        Inventory.from_result(result),
        result.config,
        load_prices(),
        load_usage(result.config.tier.name),
    )


def _lines(result: SynthResult, resource_type: str, description_start: str) -> list:
    return [
        line
        for line in _estimate(result).lines
        if line.resource_type == resource_type and line.description.startswith(description_start)
    ]


def test_every_resource_is_priced_free_or_listed_as_not_priced(prod):
    inventory = Inventory.from_result(prod)
    result = _estimate(prod)
    priced = {line.resource for line in result.lines}
    accounted = (
        Counter(r.type for r in inventory.resources if r.address in priced)
        + Counter(result.no_charge)
        + Counter(item.resource_type for item in result.not_priced)
    )
    assert accounted == inventory.type_counts()


def test_prod_bills_no_nat_gateway_nat_data_or_internet_egress(prod):
    components = {c.component for c in _estimate(prod).components()}
    assert "NAT Gateway" not in components
    assert not [line for line in _estimate(prod).lines if "egress" in line.description]


def test_api_is_priced_at_the_tiers_expected_average_count(prod):
    api = prod.config.compute.api
    # The primary's service; the DR region's copy waits at 0 (test_model.py prices it).
    (line,) = [
        x
        for x in _lines(prod, "AWS::ECS::Service", "vCPU")
        if x.details["role"] == "api" and "-dr-" not in x.resource
    ]
    assert line.details["expected_average_count"] == api.expected_average_count
    assert line.details["desired_count"] == api.desired_count
    hours = load_prices().hours_per_month
    assert line.quantity == api.expected_average_count * hours * api.cpu / 1024


def test_every_aurora_instance_is_priced(prod):
    instances = _lines(prod, "AWS::RDS::DBInstance", "")
    database = prod.config.database
    assert len(instances) == 1 + database.reader_count + database.dr_reader
    (secondary,) = [line for line in instances if "global secondary" in line.description]
    assert secondary.details["average_acu"] == database.dr_reader_acu[0]


def test_monthly_total_is_the_estimates_on_demand_total(prod):
    assert monthly_total(prod) == _estimate(prod).on_demand > 0


def test_synth_summary_ends_with_the_monthly_on_demand_total(prod):
    last = render_summary(prod).splitlines()[-1]
    assert last == (
        f"monthly cost of prod at {prod.config.tier.name}, on-demand: "
        f"${monthly_total(prod):,.2f} (detail: make cost)"
    )


def test_sign_in_is_priced_per_monthly_active_user_on_the_pools_plan(prod):
    standby, line = sorted(_lines(prod, "AWS::Cognito::UserPool", ""), key=lambda x: x.quantity)
    assert "-dr-" in standby.resource and standby.quantity == 0  # no users until a failover
    usage = load_usage(prod.config.tier.name)
    assert prod.config.identity.monthly_active_user_share == 0.6
    assert line.quantity == usage.traffic.users * 0.6
    assert line.on_demand == line.quantity * load_prices()["cognito.plus.mau"].usd


def test_every_request_pays_one_edge_function_invocation(prod):
    (line,) = _lines(prod, "AWS::CloudFront::Function", "")
    assert line.quantity == load_usage(prod.config.tier.name).traffic.requests_per_month / 1e6


def test_the_web_service_is_priced_at_the_tiers_expected_average_count(prod, dev):
    for result in (prod, dev):
        web = result.config.compute.web
        (line,) = [
            x
            for x in _lines(result, "AWS::ECS::Service", "vCPU")
            if x.details["role"] == "web" and "-dr-" not in x.resource
        ]
        assert line.component == "ECS Fargate (Next.js)"
        assert line.quantity == web.expected_average_count * load_prices().hours_per_month * 0.5


def test_the_pool_admin_functions_lambda_endpoint_costs_21_90_a_month(prod):
    # Issue 22: the tasks reach the pool-admin function through a Lambda interface endpoint, in
    # the primary's two endpoint AZs and the DR region's one: 730 h x $0.01 per AZ.
    lines = _lines(prod, "AWS::EC2::VPCEndpoint", "lambda: ")
    hours = sorted(
        (line.description, round(line.on_demand, 2)) for line in lines if "AZ" in line.description
    )
    assert hours == [("lambda: 1 AZs", 7.30), ("lambda: 2 AZs", 14.60)]


def test_the_100k_writer_and_readers_bill_three_db_r7g_large_instance_months(prod):
    primary = [
        line
        for line in _lines(prod, "AWS::RDS::DBInstance", "")
        if "global secondary" not in line.description
    ]
    # $0.276 an hour x 730 hours each (issue 26: Serverless v2 at 4 ACU cost $1,051 of ACU).
    assert sorted((line.description, round(line.on_demand, 2)) for line in primary) == [
        ("db.r7g.large instance", 201.48),
        ("db.r7g.large instance", 201.48),
        ("db.r7g.large instance", 201.48),
    ]


@pytest.mark.parametrize(("fixture", "tier"), [("dev", "10k"), ("prod", "100k"), ("prod_1m", "1m")])
def test_the_canaries_and_the_objectives_cost_the_same_at_every_tier(request, fixture, tier):
    """Issue 25: a canary every 5 minutes in each region (8,760 runs at $0.0012) and the burn-rate
    alarms (windows by metric, composites by alarm) do not grow with the tier."""
    result = request.getfixturevalue(fixture)
    assert result.config.tier.name == tier
    lines = _estimate(result).lines
    canaries = [line for line in lines if line.resource_type == "AWS::Synthetics::Canary"]
    assert [(round(line.quantity, 3), round(line.on_demand, 3)) for line in canaries] == [
        (8760.0, 10.512),
        (8760.0, 10.512),
    ]
    objectives = [
        line
        for line in lines
        if "/ObjectivesApiSlo" in line.resource or "/ObjectivesPortalSlo" in line.resource
    ]
    assert round(sum(line.on_demand for line in objectives), 2) == 4.40


def test_the_release_alarms_bill_each_metric_they_read_in_both_regions(prod):
    """Issue 25: each blue/green service's green alarm reads 3 metrics of each of its two target
    groups and the ALB's own 5xx (7 metric-months at $0.10); web-5xx both web groups' 5xx."""
    lines = _lines(prod, "AWS::CloudWatch::Alarm", "alarm")
    release = sorted(
        (stack, alarm.rstrip("0123456789ABCDEF"), round(line.on_demand, 2))
        for line in lines
        for stack, alarm in [line.resource.split("/")[:2]]
        if "GreenErrorsAlarm" in alarm or "Web5xxAlarm" in alarm
    )
    assert release == [
        (stack, alarm, cost)
        for stack in ("pcs-prod-compute", "pcs-prod-dr-compute")
        for alarm, cost in (
            ("ApiGreenErrorsAlarm", 0.70),
            ("Web5xxAlarm", 0.20),
            ("WebGreenErrorsAlarm", 0.70),
        )
    ]
