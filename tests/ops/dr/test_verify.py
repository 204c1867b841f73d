"""verify: reads back the restored cluster, the secret and DNS; exit 1 on any mismatch."""

from __future__ import annotations

import boto3

from tests.ops.dr.conftest import RECORD, point_app


def _restore_and_point(aws) -> None:
    assert (
        aws.run(
            "restore-pitr", "--target-cluster", "pcs-prod-restored", "--latest", "--yes"
        ).exit_code
        == 0
    )
    assert point_app(aws, "--yes").exit_code == 0


def _verify(aws):
    return aws.run(
        "verify",
        "--cluster",
        "pcs-prod-restored",
        "--hosted-zone-id",
        aws.zone_id(),
        "--record-name",
        RECORD,
    )


def test_every_check_passes_after_restore_and_switch(aws):
    _restore_and_point(aws)
    result = _verify(aws)
    assert result.exit_code == 0, result.output
    assert "FAIL" not in result.stdout
    assert "7/7 checks passed" in result.stdout
    assert "ok   writer instance: pcs-prod-restored-writer available" in result.stdout


def test_secret_and_dns_still_on_the_old_cluster_fail_verification(aws):
    assert (
        aws.run(
            "restore-pitr", "--target-cluster", "pcs-prod-restored", "--latest", "--yes"
        ).exit_code
        == 0
    )
    result = _verify(aws)
    assert result.exit_code == 1
    assert "FAIL secret points at cluster" in result.stdout
    assert f"FAIL DNS {RECORD}: CNAME None" in result.stdout
    assert "5/7 checks passed" in result.stdout


def test_original_cluster_verifies_its_current_writer_but_not_the_switched_secret(aws):
    _restore_and_point(aws)
    result = aws.run("verify", "--cluster", "pcs-prod-aurora")
    assert result.exit_code == 1
    assert "ok   writer instance: pcs-prod-aurora-writer available" in result.stdout
    assert "FAIL secret points at cluster" in result.stdout


def test_cluster_without_a_writer_fails_verification(aws):
    rds = boto3.client("rds", region_name="us-east-1")
    rds.create_db_cluster(
        DBClusterIdentifier="empty",
        Engine="aurora-postgresql",
        MasterUsername="pcs_admin",
        MasterUserPassword="not-a-real-password",
    )
    result = aws.run("verify", "--cluster", "empty")
    assert result.exit_code == 1
    assert "FAIL writer instance: none missing" in result.stdout


def test_unknown_cluster_is_bad_input(aws):
    result = aws.run("verify", "--cluster", "nope")
    assert result.exit_code == 2
    assert result.stderr.strip() == "error: --cluster=nope is not allowed; allowed: pcs-prod-aurora"
