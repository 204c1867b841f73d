"""Backup plan of spec §6.1: daily and weekly rules, 7-year retention, copies to the DR vault."""

from __future__ import annotations

import json

import pytest

from tests.infra.conftest import resources

DR_VAULT_ARN = "arn:aws:backup:us-west-2:111111111111:backup-vault:pcs-prod-dr-backup-vault"
ARCHIVE = {"DeleteAfterDays": 2555, "MoveToColdStorageAfterDays": 30}


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
def test_rule_keeps_seven_years_with_cold_storage_after_30_days(prod, rule):
    assert _rule(prod, "pcs-prod-backup-plan", rule)["Lifecycle"] == ARCHIVE
    backup = prod.config.backup
    assert (backup.delete_after_days, backup.cold_storage_after_days) == (2555, 30)


@pytest.mark.parametrize("rule", ["daily-backup", "weekly-backup"])
def test_rule_copies_each_recovery_point_to_the_dr_vault_for_seven_years(prod, rule):
    assert _rule(prod, "pcs-prod-backup-plan", rule)["CopyActions"] == [
        {"DestinationBackupVaultArn": DR_VAULT_ARN, "Lifecycle": ARCHIVE}
    ]


@pytest.mark.parametrize("rule", ["daily-backup", "weekly-backup"])
def test_rule_writes_to_the_primary_vault(prod, rule):
    (vault_id,) = resources(prod, "backup", "AWS::Backup::BackupVault")
    target = _rule(prod, "pcs-prod-backup-plan", rule)["TargetBackupVault"]
    assert target == {"Fn::GetAtt": [vault_id, "BackupVaultName"]}


def test_selection_covers_the_aurora_cluster_and_the_documents_bucket(prod):
    selection = _selections(prod)["pcs-prod-backup-selection"]
    cluster, bucket = selection["Resources"]
    assert ":rds:us-east-1:111111111111:cluster:" in str(cluster)
    assert "AuroraCluster" in str(cluster)
    assert "BucketsDocuments" in bucket["Fn::ImportValue"]


def test_selection_role_is_assumed_by_aws_backup_with_backup_restore_and_s3_policies(prod):
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
        "AWSBackupServiceRolePolicyForS3Backup",
        "AWSBackupServiceRolePolicyForS3Restore",
    ]


def test_prod_copies_aurora_to_the_dr_vault_every_hour(prod):
    rule = _rule(prod, "pcs-prod-dr-copy-plan", "hourly-dr-copy")
    assert rule["ScheduleExpression"] == "cron(30 */1 * * ? *)"
    assert rule["Lifecycle"] == {"DeleteAfterDays": 2}
    assert rule["CopyActions"] == [
        {"DestinationBackupVaultArn": DR_VAULT_ARN, "Lifecycle": {"DeleteAfterDays": 2}}
    ]
    assert rule["StartWindowMinutes"] == 60


def test_hourly_dr_copy_selects_only_the_aurora_cluster(prod):
    (cluster,) = _selections(prod)["pcs-prod-dr-copy-selection"]["Resources"]
    assert ":rds:us-east-1:111111111111:cluster:" in str(cluster)


def test_dev_has_the_daily_and_weekly_plan_only(dev):
    assert list(_plans(dev)) == ["pcs-dev-backup-plan"]


def test_backup_stack_deploys_after_the_dr_vault(prod):
    manifest = json.loads(prod.outdir.joinpath("manifest.json").read_text())
    assert "pcs-prod-dr-backup" in manifest["artifacts"]["pcs-prod-backup"]["dependencies"]
