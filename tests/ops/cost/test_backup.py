"""AWS Backup billed as AWS bills it: Aurora snapshots beyond the PITR window and cross-region
copies at full size, each copy moving the whole cluster. Figures worked out by hand."""

from __future__ import annotations

from dataclasses import replace

import pytest

from ops.cost.inventory import Inventory
from ops.cost.model import estimate
from ops.cost.pricing.backup import snapshot_interval_days
from tests.ops.cost.conftest import fixed_config

PRIMARY, DR = "us-east-1", "us-west-2"
VAULT_ARN = "arn:aws:backup:us-west-2:111111111111:backup-vault:dr-vault"


def _rule(name: str, schedule: str, kept_days: int, *, copy: bool) -> dict:
    rule = {
        "RuleName": name,
        "ScheduleExpression": schedule,
        "TargetBackupVault": {"Ref": "Vault"},
        "Lifecycle": {"DeleteAfterDays": kept_days},
    }
    if copy:
        rule["CopyActions"] = [
            {"DestinationBackupVaultArn": VAULT_ARN, "Lifecycle": {"DeleteAfterDays": kept_days}}
        ]
    return rule


def _inventory(*rules: dict, pitr_days: int = 35) -> Inventory:
    primary = {
        "Resources": {
            "Cluster": {
                "Type": "AWS::RDS::DBCluster",
                "Properties": {"Engine": "aurora-postgresql", "BackupRetentionPeriod": pitr_days},
            },
            "Vault": {"Type": "AWS::Backup::BackupVault", "Properties": {"BackupVaultName": "v"}},
            "Plan": {
                "Type": "AWS::Backup::BackupPlan",
                "Properties": {"BackupPlan": {"BackupPlanRule": list(rules)}},
            },
            "Selection": {
                "Type": "AWS::Backup::BackupSelection",
                "Properties": {
                    "BackupPlanId": {"Ref": "Plan"},
                    "BackupSelection": {
                        "Resources": ["arn:aws:rds:us-east-1:111111111111:cluster:pcs"]
                    },
                },
            },
        }
    }
    dr = {
        "Resources": {
            "DrVault": {
                "Type": "AWS::Backup::BackupVault",
                "Properties": {"BackupVaultName": "dr-vault"},
            }
        }
    }
    return Inventory.from_templates({"primary": (PRIMARY, primary), "dr": (DR, dr)})


def _backup_lines(inventory, prices, usage, storage_gb=100.0, growth_gb_per_month=0.0):
    usage = replace(
        usage,
        traffic=replace(
            usage.traffic,
            aurora_storage_gb=storage_gb,
            aurora_storage_growth_gb_per_month=growth_gb_per_month,
        ),
    )
    result = estimate(inventory, fixed_config(), prices, usage)
    return [line for line in result.lines if line.resource_type.startswith("AWS::Backup")]


def _by_resource(lines) -> dict[str, float]:
    totals: dict[str, float] = {}
    for line in lines:
        name = line.resource.split("/")[-1]
        totals[name] = round(totals.get(name, 0.0) + line.quantity, 6)
    return totals


def test_daily_points_kept_seven_years_bill_every_snapshot_beyond_pitr_at_full_size(
    fixed_prices, fixed_usage
):
    # Month 12 = 365 days: 365 daily snapshots exist, 330 of them older than the 35-day window,
    # each a full 100 GB in the primary vault; all 365 are full copies in the DR vault; every
    # copy moves the whole 100 GB: 365/12 copies a month.
    lines = _backup_lines(
        _inventory(_rule("daily", "cron(0 3 * * ? *)", 2555, copy=True)), fixed_prices, fixed_usage
    )
    assert _by_resource(lines) == {"Vault": 33_000.0, "DrVault": 36_500.0, "Plan": 3_041.666667}
    assert round(sum(line.on_demand for line in lines), 6) == round(
        (33_000 + 36_500 + 100 * 365 / 12) * 0.02, 6
    )


def test_each_snapshot_is_billed_at_the_size_the_cluster_had_when_it_was_taken(
    fixed_prices, fixed_usage
):
    # 100 GB at month 0 growing 1 GB a day: 465 GB at day 365. The snapshot taken t days ago
    # holds 465 - t GB; those beyond the window, t = 35..364: 330 x 465 - (35 + 364) x 330 / 2.
    lines = _backup_lines(
        _inventory(_rule("daily", "cron(0 3 * * ? *)", 2555, copy=False)),
        fixed_prices,
        fixed_usage,
        growth_gb_per_month=365 / 12,
    )
    assert _by_resource(lines) == {"Vault": 87_615.0}


def test_weekly_points_beyond_the_window_are_billed_per_snapshot(fixed_prices, fixed_usage):
    # Weekly snapshots at ages 0, 7, ..., 364 (53); 48 are 35 days old or more.
    lines = _backup_lines(
        _inventory(_rule("weekly", "cron(0 4 ? * SUN *)", 2555, copy=False)),
        fixed_prices,
        fixed_usage,
    )
    assert _by_resource(lines) == {"Vault": 4_800.0}
    assert lines[0].details == {"snapshots": 48}


def test_an_hourly_copy_moves_the_whole_cluster_every_hour(fixed_prices, fixed_usage):
    # Kept 2 days: 48 full copies of 100 GB in the DR vault, none beyond the primary's window;
    # 730 copies a month of 100 GB each cross regions.
    lines = _backup_lines(
        _inventory(_rule("hourly", "cron(30 */1 * * ? *)", 2, copy=True)), fixed_prices, fixed_usage
    )
    assert _by_resource(lines) == {"DrVault": 4_800.0, "Plan": 73_000.0}


def test_points_kept_no_longer_than_the_pitr_window_cost_nothing_beyond_the_cluster(
    fixed_prices, fixed_usage
):
    lines = _backup_lines(
        _inventory(
            _rule("daily", "cron(0 3 * * ? *)", 35, copy=False),
            _rule("weekly", "cron(0 4 ? * SUN *)", 35, copy=False),
        ),
        fixed_prices,
        fixed_usage,
    )
    assert lines == []


@pytest.mark.parametrize(
    ("schedule", "days"),
    [
        ("cron(0 3 * * ? *)", 1.0),
        ("cron(0 4 ? * SUN *)", 7.0),
        ("cron(30 */1 * * ? *)", 1 / 24),
        ("cron(30 */6 * * ? *)", 0.25),
        ("cron(0 5 1 * ? *)", 365 / 12),
        ("rate(12 hours)", 0.5),
    ],
)
def test_schedule_interval(schedule, days):
    assert snapshot_interval_days(schedule) == pytest.approx(days)


def test_the_archive_schedule_bills_one_full_snapshot_export_a_month(fixed_prices, fixed_usage):
    # 100 GB cluster exported once a month at $0.01 per GB of snapshot: $1.00; other schedules free.
    template = {
        "Resources": {
            "Exporter": {
                "Type": "AWS::Lambda::Function",
                "Properties": {"Environment": {"Variables": {"EXPORT_DAY": "2"}}},
            },
            "ExportSchedule": {
                "Type": "AWS::Events::Rule",
                "Properties": {"Targets": [{"Arn": {"Fn::GetAtt": ["Exporter", "Arn"]}}]},
            },
            "OtherSchedule": {"Type": "AWS::Events::Rule", "Properties": {"Targets": []}},
        }
    }
    usage = replace(fixed_usage, traffic=replace(fixed_usage.traffic, aurora_storage_gb=100.0))
    inventory = Inventory.from_templates({"primary": (PRIMARY, template)})
    result = estimate(inventory, fixed_config(), fixed_prices, usage)
    (line,) = [line for line in result.lines if line.resource_type == "AWS::Events::Rule"]
    assert (line.quantity, round(line.on_demand, 6)) == (100.0, 1.0)
    assert result.no_charge["AWS::Events::Rule"] == 1


def test_a_global_secondary_bills_its_volume_replicated_writes_and_transfer(
    fixed_prices, fixed_usage
):
    # Fixed usage: writes are half of I/O. 100 GB volume, 10 M I/O a month -> 5 M replicated
    # write I/Os; 5 M x 4 KB = 19.073486 GB between regions; 35 days x 3% x 100 GB of backup.
    template = {
        "Resources": {
            "Secondary": {
                "Type": "AWS::RDS::DBCluster",
                "Properties": {
                    "Engine": "aurora-postgresql",
                    "GlobalClusterIdentifier": "pcs-prod-global",
                    "BackupRetentionPeriod": 35,
                },
            }
        }
    }
    usage = replace(
        fixed_usage,
        traffic=replace(
            fixed_usage.traffic, aurora_storage_gb=100.0, aurora_io_million_per_month=10.0
        ),
    )
    inventory = Inventory.from_templates({"dr": (DR, template)})
    result = estimate(inventory, fixed_config(), fixed_prices, usage)
    assert {line.description: round(line.quantity, 6) for line in result.lines} == {
        "global secondary storage 100 GB": 100.0,
        "replicated write I/O": 5.0,
        "global database replication to the secondary": 19.073486,
        "backup storage beyond the free 100% (35-day retention)": 105.0,
    }
    # 100 x 0.1 + 5 x 0.2 + 19.073486 x 0.02 + 105 x 0.02
    assert round(result.on_demand, 6) == round(10 + 1 + 19.0734863 * 0.02 + 2.1, 6)


def test_a_nat_gateway_in_either_region_bills_its_hours_only(fixed_prices, fixed_usage):
    # 1000-hour month at $0.05 an hour; no data (nothing egresses, network-no-nat.md).
    nat = {"Type": "AWS::EC2::NatGateway", "Properties": {}}
    inventory = Inventory.from_templates(
        {"primary": (PRIMARY, {"Resources": {"Nat": nat}}), "dr": (DR, {"Resources": {"Nat": nat}})}
    )
    result = estimate(inventory, fixed_config(), fixed_prices, fixed_usage)
    by_stack = {}
    for line in result.lines:
        stack = line.resource.split("/")[0]
        by_stack[stack] = round(by_stack.get(stack, 0.0) + line.on_demand, 6)
    assert by_stack == {"primary": 50.0, "dr": 50.0}
