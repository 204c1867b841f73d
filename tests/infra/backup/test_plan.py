"""Backup plan: daily and weekly Aurora points within the PITR window, the weekly one copied to
the DR vault; nothing keeps Aurora points warm beyond 35 days (issue 13)."""

from __future__ import annotations

import pytest

from tests.infra.conftest import resources

DR_VAULT_ARN = "arn:aws:backup:us-west-2:111111111111:backup-vault:pcs-prod-dr-backup-vault"
WITHIN_PITR = {"DeleteAfterDays": 35}


def _plans(result) -> dict[str, dict]:
    return {
        plan["Properties"]["BackupPlan"]["BackupPlanName"]: plan["Properties"]["BackupPlan"]
        for plan in resources(result, "backup", "AWS::Backup::BackupPlan").values()
    }


def _rule(result, plan: str, rule: str) -> dict:
    (found,) = [r for r in _plans(result)[plan]["BackupPlanRule"] if r["RuleName"] == rule]
    return found


def _selections(result) -> dict[str, dict]:
    return {
        s["Properties"]["BackupSelection"]["SelectionName"]: s["Properties"]["BackupSelection"]
        for s in resources(result, "backup", "AWS::Backup::BackupSelection").values()
    }


@pytest.mark.parametrize(
    ("rule", "schedule"),
    [("daily-backup", "cron(0 3 * * ? *)"), ("weekly-backup", "cron(0 4 ? * SUN *)")],
)
def test_rule_runs_on_the_spec_schedule_in_utc(prod, rule, schedule):
    found = _rule(prod, "pcs-prod-backup-plan", rule)
    assert found["ScheduleExpression"] == schedule
    assert "ScheduleExpressionTimezone" not in found  # AWS Backup's default: UTC


@pytest.mark.parametrize("rule", ["daily-backup", "weekly-backup"])
def test_rule_keeps_points_no_longer_than_the_pitr_window(prod, rule):
    assert _rule(prod, "pcs-prod-backup-plan", rule)["Lifecycle"] == WITHIN_PITR
    assert prod.config.backup.delete_after_days == prod.config.database.backup_retention_days


@pytest.mark.parametrize("result_name", ["prod", "dev"])
def test_no_backup_rule_keeps_aurora_points_warm_longer_than_35_days(request, result_name):
    result = request.getfixturevalue(result_name)
    kept = [
        lifecycle.get("DeleteAfterDays", float("inf"))
        for plan in _plans(result).values()
        for rule in plan["BackupPlanRule"]
        for lifecycle in [rule.get("Lifecycle", {})]
        + [copy.get("Lifecycle", {}) for copy in rule.get("CopyActions", [])]
    ]
    assert kept and max(kept) <= 35


def test_weekly_point_is_copied_to_the_dr_vault_and_kept_two_weeks(prod):
    # Issue 26: two weekly full copies in the DR region (CP-9), not five.
    assert _rule(prod, "pcs-prod-backup-plan", "weekly-backup")["CopyActions"] == [
        {"DestinationBackupVaultArn": DR_VAULT_ARN, "Lifecycle": {"DeleteAfterDays": 14}}
    ]
    assert "CopyActions" not in _rule(prod, "pcs-prod-backup-plan", "daily-backup")


@pytest.mark.parametrize("rule", ["daily-backup", "weekly-backup"])
def test_rule_writes_to_the_primary_vault(prod, rule):
    (vault_id,) = resources(prod, "backup", "AWS::Backup::BackupVault")
    target = _rule(prod, "pcs-prod-backup-plan", rule)["TargetBackupVault"]
    assert target == {"Fn::GetAtt": [vault_id, "BackupVaultName"]}


def test_selection_covers_only_the_aurora_cluster(prod):
    (cluster,) = _selections(prod)["pcs-prod-backup-selection"]["Resources"]
    assert ":rds:us-east-1:111111111111:cluster:" in str(cluster)
    assert "AuroraCluster" in str(cluster)


def test_selection_role_is_assumed_by_aws_backup_with_backup_and_restore_policies(prod):
    selection = _selections(prod)["pcs-prod-backup-selection"]
    role_id = selection["IamRoleArn"]["Fn::GetAtt"][0]
    role = resources(prod, "backup", "AWS::IAM::Role")[role_id]["Properties"]
    assert role["AssumeRolePolicyDocument"]["Statement"][0]["Principal"] == {
        "Service": "backup.amazonaws.com"
    }
    policies = sorted(
        arn["Fn::Join"][1][-1].rsplit("/", 1)[-1] for arn in role["ManagedPolicyArns"]
    )
    assert policies == [
        "AWSBackupServiceRolePolicyForBackup",
        "AWSBackupServiceRolePolicyForRestores",
    ]


def test_the_hourly_snapshot_copy_is_gone(prod):
    assert list(_plans(prod)) == ["pcs-prod-backup-plan"]


def test_backup_stack_deploys_after_the_dr_vault(prod):
    assert prod.requires("pcs-prod-backup", "pcs-prod-dr-backup")
