"""The estimate of a fixed inventory with round prices: totals worked out by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ops.cost.inventory import CfnResource, Inventory
from ops.cost.model import estimate
from ops.cost.prices import load_prices
from ops.cost.pricing.compute import Share, spot_tasks
from ops.cost.pricing.observability import log_kind
from tests.ops.cost.conftest import FIXED_PRICES, STACK, fixed_config

# Worked by hand with a 1000-hour month (tests/ops/cost/data/prices-fixed.json):
#   API     3 tasks x 1000 h x (1 vCPU x 0.04 + 2 GB x 0.004)               = 144.00
#   worker  5 tasks: base 1 on-demand, 4 split 80/20 -> 3.2 Spot, 1.8 on-demand;
#           billed as 1.8 + 3.2 x 0.3 = 2.76 tasks x 1000 x (0.5 x 0.04 + 1 x 0.004) = 66.24
#   NAT     1000 h x 0.05 (it carries no data: nothing egresses)            =  50.00
#   IPv4    1000 h x 0.005                                                  =   5.00
#   alarms  2 x 0.10; dashboard 3.00; rotated key 2 versions x 1.00         =   5.20
ON_DEMAND = 144.00 + 66.24 + 50.00 + 5.00 + 5.20
# Savings Plan 0.8 (1 yr) / 0.5 (3 yr) on the on-demand Fargate part (API; worker 1.8 of 2.76).
WORKER_ON_DEMAND_PART = 66.24 * 1.8 / 2.76  # 43.20; the Spot part (23.04) is not covered
ONE_YEAR = 144.00 * 0.8 + WORKER_ON_DEMAND_PART * 0.8 + 23.04 + 60.20
THREE_YEAR = 144.00 * 0.5 + WORKER_ON_DEMAND_PART * 0.5 + 23.04 + 60.20


def test_fixed_inventory_on_demand_total_is_exact(fixed_inventory, fixed_prices, fixed_usage):
    result = estimate(fixed_inventory, fixed_config(), fixed_prices, fixed_usage)
    assert round(result.on_demand, 6) == round(ON_DEMAND, 6) == 270.44


def test_fixed_inventory_commitment_totals_are_exact(fixed_inventory, fixed_prices, fixed_usage):
    result = estimate(fixed_inventory, fixed_config(), fixed_prices, fixed_usage)
    assert round(result.one_year, 6) == round(ONE_YEAR, 6) == 233.0
    assert round(result.three_year, 6) == round(THREE_YEAR, 6) == 176.84


def test_fixed_inventory_costs_per_component(fixed_inventory, fixed_prices, fixed_usage):
    result = estimate(fixed_inventory, fixed_config(), fixed_prices, fixed_usage)
    by_component = {c.component: round(c.on_demand, 6) for c in result.components()}
    assert by_component == {
        "ECS Fargate (API)": 144.0,
        "ECS Fargate (Celery)": 66.24,
        "NAT Gateway": 50.0,
        "CloudWatch": 3.2,
        "Public IPv4": 5.0,
        "KMS": 2.0,
    }


def test_one_more_average_api_task_costs_one_task_month(fixed_inventory, fixed_prices, fixed_usage):
    base = estimate(fixed_inventory, fixed_config(api_average=3), fixed_prices, fixed_usage)
    more = estimate(fixed_inventory, fixed_config(api_average=4), fixed_prices, fixed_usage)
    task_month = 1000 * (1 * 0.04 + 2 * 0.004)
    assert round(more.on_demand - base.on_demand, 9) == round(task_month, 9) == 48.0


def test_one_more_average_worker_task_costs_its_spot_weighted_task_month(
    fixed_inventory, fixed_prices, fixed_usage
):
    base = estimate(fixed_inventory, fixed_config(worker_average=5), fixed_prices, fixed_usage)
    more = estimate(fixed_inventory, fixed_config(worker_average=6), fixed_prices, fixed_usage)
    # Beyond the base, a task is 80% Spot (30% of the price) and 20% on-demand.
    task_month = 1000 * (0.5 * 0.04 + 1 * 0.004) * (0.2 + 0.8 * 0.3)
    assert round(more.on_demand - base.on_demand, 9) == round(task_month, 9)


def test_unknown_resource_type_is_listed_as_not_priced(fixed_inventory, fixed_prices, fixed_usage):
    result = estimate(fixed_inventory, fixed_config(), fixed_prices, fixed_usage)
    assert [(n.resource, n.resource_type) for n in result.not_priced] == [
        (f"{STACK}/Gadget", "AWS::Example::Gadget")
    ]


def test_resource_without_a_price_in_the_snapshot_is_listed_as_not_priced(
    fixed_prices, fixed_usage
):
    inventory = Inventory.from_templates(
        {
            STACK: (
                "us-east-1",
                {
                    "Resources": {
                        "Alb": {
                            "Type": "AWS::ElasticLoadBalancingV2::LoadBalancer",
                            "Properties": {},
                        }
                    }
                },
            )
        }
    )
    result = estimate(inventory, fixed_config(), fixed_prices, fixed_usage)
    assert [(n.resource, n.reason) for n in result.not_priced] == [
        (f"{STACK}/Alb", "no price 'alb.hour' in the snapshot")
    ]
    assert result.lines == ()


def test_free_resource_types_are_counted_as_no_charge(fixed_inventory, fixed_prices, fixed_usage):
    result = estimate(fixed_inventory, fixed_config(), fixed_prices, fixed_usage)
    assert result.no_charge == {"AWS::ECS::TaskDefinition": 2, "AWS::KMS::Alias": 1}


@pytest.mark.parametrize(
    ("tasks", "expected_spot"),
    [(0.5, 0.0), (1, 0.0), (2, 0.8), (5, 3.2), (11, 8.0)],
)
def test_spot_share_fills_the_on_demand_base_then_splits_by_weight(tasks, expected_spot):
    strategy = [Share("FARGATE_SPOT", 80, 0), Share("FARGATE", 20, 1)]
    assert round(spot_tasks(strategy, tasks), 9) == expected_spot


def test_without_a_three_year_offer_three_years_renew_the_one_year_commitment(
    tmp_path, fixed_inventory, fixed_usage
):
    raw = json.loads(FIXED_PRICES.read_text())
    del raw["commitments"]["compute-savings-plan"]["3yr"]
    path = tmp_path / "prices.json"
    path.write_text(json.dumps(raw))
    result = estimate(fixed_inventory, fixed_config(), load_prices(path), fixed_usage)
    assert round(result.three_year, 6) == round(result.one_year, 6) == 233.0


def test_log_groups_share_their_kinds_volume_and_small_groups_count_as_other():
    def group(name: str) -> CfnResource:
        return CfnResource(
            STACK, "us-east-1", "Logs", "AWS::Logs::LogGroup", {"LogGroupName": name}
        )

    kinds = [
        log_kind(group(name))
        for name in (
            "/pcs/prod/api",
            "/pcs/prod/api-release-test",
            "/pcs/prod/worker",
            "/pcs/prod/beat",
        )
    ]
    assert kinds == ["api", "other", "worker", "other"]


def test_a_resource_whose_properties_the_rule_cannot_read_is_listed_not_dropped(
    fixed_prices, fixed_usage
):
    template = {
        "Resources": {
            "Api": {
                "Type": "AWS::ECS::Service",
                "Properties": {"ServiceName": "pcs-prod-api", "TaskDefinition": {"Ref": "Task"}},
            },
            "Task": {
                "Type": "AWS::ECS::TaskDefinition",
                "Properties": {"Cpu": {"Fn::ImportValue": "cpu"}, "Memory": "2048"},
            },
        }
    }
    inventory = Inventory.from_templates({STACK: ("us-east-1", template)})
    result = estimate(inventory, fixed_config(), fixed_prices, fixed_usage)
    (item,) = result.not_priced
    assert item.resource == f"{STACK}/Api"
    assert item.reason.startswith("could not read its properties (TypeError")


def test_a_secret_replicated_to_another_region_is_billed_once_per_region(tmp_path, fixed_usage):
    raw = json.loads(FIXED_PRICES.read_text())
    raw["prices"]["secretsmanager.secret_month"] = {
        **raw["prices"]["kms.key_month"],
        "usd": 0.4,
        "service_code": "AWSSecretsManager",
    }
    raw["prices"]["secretsmanager.api.per_10k"] = {**raw["prices"]["kms.requests.per_10k"]}
    path = tmp_path / "prices.json"
    path.write_text(json.dumps(raw))
    secret = {
        "Type": "AWS::SecretsManager::Secret",
        "Properties": {"ReplicaRegions": [{"Region": "us-west-2"}]},
    }
    inventory = Inventory.from_templates({STACK: ("us-east-1", {"Resources": {"S": secret}})})
    result = estimate(inventory, fixed_config(), load_prices(path), fixed_usage)
    assert round(result.on_demand, 9) == 0.8


def test_the_dr_regions_standby_services_cost_nothing_and_take_no_share(
    fixed_inventory, fixed_prices, fixed_usage
):
    """The pilot-light region's copy of every service at desired 0 adds nothing, and does not
    halve the primary's share of the usage either."""
    standby = tuple(
        CfnResource(
            f"{resource.stack}-dr",
            "us-west-2",
            resource.logical_id,
            resource.type,
            {**resource.properties, "DesiredCount": 0}
            if resource.type == "AWS::ECS::Service"
            else resource.properties,
        )
        for resource in fixed_inventory.resources
        if resource.type in ("AWS::ECS::Service", "AWS::ECS::TaskDefinition")
    )
    assert standby
    both = Inventory(fixed_inventory.resources + standby)
    result = estimate(both, fixed_config(), fixed_prices, fixed_usage)
    assert round(result.on_demand, 6) == 270.44
    dr_lines = [line for line in result.lines if line.resource.startswith(f"{STACK}-dr/")]
    assert dr_lines and {line.on_demand for line in dr_lines} == {0.0}


def test_a_canary_every_5_minutes_in_each_region_costs_8760_runs_a_month_each(fixed_usage):
    """Issue 25's canaries at the list price ($0.0012 a run): 365/12 days x 1,440 / 5 runs."""
    canary = {
        "Type": "AWS::Synthetics::Canary",
        "Properties": {"Name": "pcs-prod-api", "Schedule": {"Expression": "rate(5 minutes)"}},
    }
    inventory = Inventory.from_templates(
        {
            "pcs-prod-canary": ("us-east-1", {"Resources": {"Canary": canary}}),
            "pcs-prod-dr-canary": ("us-west-2", {"Resources": {"Canary": canary}}),
        }
    )
    prices = load_prices(
        Path(__file__).resolve().parents[3] / "ops/cost/data/prices-us-east-1.json"
    )
    result = estimate(inventory, fixed_config(), prices, fixed_usage)
    assert [round(line.quantity, 6) for line in result.lines] == [8760, 8760]
    assert round(result.on_demand, 6) == 21.024
