"""restore-dr-copy: find the newest completed copy in the DR vault and restore it there.

Moto has no ListRecoveryPointsByBackupVault, so that call is stubbed (botocore Stubber) with
the request the command must make; the restore itself runs against moto's RDS in us-west-2.
"""

from __future__ import annotations

import boto3

from infra.config import DEPLOYMENTS_DIR
from tests.ops.dr.conftest import DR, DR_VAULT, SOURCE_ARN, recovery_point

EXPECTED_LOOKUP = {"BackupVaultName": DR_VAULT, "ByResourceArn": SOURCE_ARN}


def test_restores_the_newest_completed_copy_into_a_new_cluster_in_the_dr_region(aws):
    older = aws.snapshot_in_dr("awsbackup-copy-older")
    newest = aws.snapshot_in_dr("awsbackup-copy-newest")
    aws.stub.add_response(
        "list_recovery_points_by_backup_vault",
        {
            "RecoveryPoints": [
                recovery_point(older, hours_ago=5),
                recovery_point(newest, hours_ago=1),
                recovery_point(
                    "arn:aws:rds:us-west-2:1:cluster-snapshot:running",
                    hours_ago=0,
                    status="RUNNING",
                ),
            ]
        },
        EXPECTED_LOOKUP,
    )
    result = aws.run("restore-dr-copy", "--target-cluster", "pcs-prod-dr", "--yes")
    assert result.exit_code == 0, result.output
    aws.stub.assert_no_pending_responses()
    assert f"restored recovery point {newest}" in result.stdout
    restored = aws.cluster("pcs-prod-dr", region=DR)
    assert restored["DeletionProtection"] is True
    assert restored["EngineVersion"] == "17.6"
    assert [m["DBInstanceIdentifier"] for m in restored["DBClusterMembers"]] == [
        "pcs-prod-dr-writer"
    ]


def test_lookup_follows_pagination(aws):
    first = aws.snapshot_in_dr("awsbackup-page-one")
    second = aws.snapshot_in_dr("awsbackup-page-two")
    aws.stub.add_response(
        "list_recovery_points_by_backup_vault",
        {"RecoveryPoints": [recovery_point(second, hours_ago=1)], "NextToken": "more"},
        EXPECTED_LOOKUP,
    )
    aws.stub.add_response(
        "list_recovery_points_by_backup_vault",
        {"RecoveryPoints": [recovery_point(first, hours_ago=3)]},
        {**EXPECTED_LOOKUP, "NextToken": "more"},
    )
    result = aws.run("restore-dr-copy", "--target-cluster", "pcs-prod-dr", "--dry-run")
    assert result.exit_code == 0, result.output
    assert f"{DR_VAULT} ({DR}): {second}" in result.stdout


def test_dry_run_names_the_copy_and_its_age_and_restores_nothing(aws):
    newest = aws.snapshot_in_dr("awsbackup-copy")
    aws.stub.add_response(
        "list_recovery_points_by_backup_vault",
        {"RecoveryPoints": [recovery_point(newest, hours_ago=1)]},
        EXPECTED_LOOKUP,
    )
    result = aws.run("restore-dr-copy", "--target-cluster", "pcs-prod-dr", "--dry-run")
    assert result.exit_code == 0
    assert "data written after it is not in the restore" in result.stdout
    assert "dry run: nothing changed" in result.stdout
    assert "pcs-prod-dr" not in aws.clusters(DR)


def test_no_completed_copy_is_refused_and_nothing_is_restored(aws):
    aws.stub.add_response(
        "list_recovery_points_by_backup_vault",
        {
            "RecoveryPoints": [
                recovery_point("arn:x:cluster-snapshot:y", hours_ago=0, status="RUNNING")
            ]
        },
        EXPECTED_LOOKUP,
    )
    result = aws.run("restore-dr-copy", "--target-cluster", "pcs-prod-dr", "--yes")
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"error: recovery point=none completed for {SOURCE_ARN} in {DR_VAULT}")
    assert "pcs-prod-dr" not in aws.clusters(DR)


def test_missing_vault_is_refused_naming_the_vaults_that_exist(aws):
    aws.stub.add_client_error(
        "list_recovery_points_by_backup_vault",
        service_error_code="ResourceNotFoundException",
        service_message="Backup vault not found",
        expected_params={"BackupVaultName": "nope", "ByResourceArn": SOURCE_ARN},
    )
    aws.stub.add_response(
        "list_backup_vaults",
        {
            "BackupVaultList": [
                {"BackupVaultName": DR_VAULT, "BackupVaultArn": f"arn:aws:backup:{DR}:1:v"}
            ]
        },
        {},
    )
    result = aws.run(
        "restore-dr-copy", "--vault", "nope", "--target-cluster", "pcs-prod-dr", "--yes"
    )
    assert result.exit_code == 2
    assert result.stderr.strip() == f"error: --vault=nope is not allowed; allowed: {DR_VAULT}"
    assert aws.clusters(DR) == []


def test_target_that_already_exists_in_the_dr_region_is_refused(aws):
    arn = aws.snapshot_in_dr("awsbackup-copy")
    aws.stub.add_response(
        "list_recovery_points_by_backup_vault",
        {"RecoveryPoints": [recovery_point(arn, hours_ago=1)]},
        EXPECTED_LOOKUP,
    )
    result = aws.run("restore-dr-copy", "--target-cluster", "copied-source", "--yes")
    assert result.exit_code == 2
    assert "--target-cluster=copied-source is not allowed" in result.stderr
    assert aws.clusters(DR) == ["copied-source"]


def _restore_at(aws, tmp_path, tier: str) -> tuple[dict, dict]:
    """restore-dr-copy of a deployment at ``tier``: the restored cluster and its writer."""
    deployment = tmp_path / f"prod-{tier}.toml"
    deployment.write_text(f'tier = "{tier}"\n{(DEPLOYMENTS_DIR / "prod.toml").read_text()}')
    copy = aws.snapshot_in_dr("awsbackup-copy")
    aws.stub.add_response(
        "list_recovery_points_by_backup_vault",
        {"RecoveryPoints": [recovery_point(copy, hours_ago=1)]},
        EXPECTED_LOOKUP,
    )
    args = ("--deployment", str(deployment), "restore-dr-copy", "--target-cluster", "pcs-prod-dr")
    result = aws.run(*args, "--yes")
    assert result.exit_code == 0, result.output
    rds = boto3.client("rds", region_name=DR)
    writer = rds.describe_db_instances(DBInstanceIdentifier="pcs-prod-dr-writer")["DBInstances"]
    return aws.cluster("pcs-prod-dr", region=DR), writer[0]


def test_a_provisioned_tier_is_restored_provisioned_at_its_instance_class(aws, tmp_path):
    cluster, writer = _restore_at(aws, tmp_path, "1m")
    assert writer["DBInstanceClass"] == "db.r7g.2xlarge"
    assert "ServerlessV2ScalingConfiguration" not in cluster


def test_a_serverless_tier_is_restored_serverless_within_its_acu_range(aws, tmp_path):
    cluster, writer = _restore_at(aws, tmp_path, "10k")
    assert writer["DBInstanceClass"] == "db.serverless"
    assert cluster["ServerlessV2ScalingConfiguration"] == {"MinCapacity": 0.5, "MaxCapacity": 8}
