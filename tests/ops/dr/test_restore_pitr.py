"""restore-pitr: a point-in-time restore of Aurora into a new cluster, refused on bad input."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import boto3
from botocore.exceptions import ClientError
from click.testing import CliRunner

from ops.dr.cli import cli
from tests.ops.dr.conftest import SOURCE


def _iso(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_latest_restore_creates_a_new_protected_cluster_with_a_writer(aws):
    result = aws.run("restore-pitr", "--target-cluster", "pcs-prod-restored", "--latest", "--yes")
    assert result.exit_code == 0, result.output
    restored = aws.cluster("pcs-prod-restored")
    assert restored["DeletionProtection"] is True
    assert [m["DBInstanceIdentifier"] for m in restored["DBClusterMembers"]] == [
        "pcs-prod-restored-writer"
    ]
    assert restored["ServerlessV2ScalingConfiguration"] == {"MinCapacity": 0.5, "MaxCapacity": 32}
    assert "restored pcs-prod-aurora as of the latest restorable time" in result.stdout


def test_restore_to_a_time_inside_the_window_reports_that_time(aws):
    when = aws.cluster(SOURCE)["EarliestRestorableTime"] + timedelta(seconds=1)
    when = min(when, datetime.now(UTC))
    result = aws.run(
        "restore-pitr",
        "--target-cluster",
        "pcs-prod-restored",
        "--restore-time",
        when.isoformat(),
        "--yes",
    )
    assert result.exit_code == 0, result.output
    assert "pcs-prod-restored" in aws.clusters()
    assert when.astimezone(UTC).isoformat() in result.stdout


def test_source_cluster_is_left_untouched(aws):
    before = aws.cluster(SOURCE)
    aws.run("restore-pitr", "--target-cluster", "pcs-prod-restored", "--latest", "--yes")
    after = aws.cluster(SOURCE)
    assert (after["Status"], after["Endpoint"]) == (before["Status"], before["Endpoint"])


def test_dry_run_prints_the_plan_and_creates_nothing(aws):
    result = aws.run(
        "restore-pitr", "--target-cluster", "pcs-prod-restored", "--latest", "--dry-run"
    )
    assert result.exit_code == 0
    assert "restore pcs-prod-aurora as of the latest restorable time" in result.stdout
    assert "dry run: nothing changed" in result.stdout
    assert aws.clusters() == [SOURCE]


def test_declining_the_confirmation_creates_nothing(aws):
    result = aws.run(
        "restore-pitr", "--target-cluster", "pcs-prod-restored", "--latest", answer="n\n"
    )
    assert result.exit_code == 1
    assert "Proceed?" in result.stderr
    assert aws.clusters() == [SOURCE]


def test_confirming_interactively_restores(aws):
    result = aws.run(
        "restore-pitr", "--target-cluster", "pcs-prod-restored", "--latest", answer="y\n"
    )
    assert result.exit_code == 0, result.output
    assert "pcs-prod-restored" in aws.clusters()


def test_restore_time_older_than_the_35_day_window_is_refused_and_nothing_changes(aws):
    too_old = _iso(datetime.now(UTC) - timedelta(days=40))
    result = aws.run(
        "restore-pitr", "--target-cluster", "pcs-prod-restored", "--restore-time", too_old, "--yes"
    )
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"error: --restore-time={too_old} is not allowed; allowed: ")
    assert "35-day point-in-time window" in line
    assert aws.clusters() == [SOURCE]


def test_restore_time_in_the_future_is_refused(aws):
    future = _iso(datetime.now(UTC) + timedelta(hours=1))
    result = aws.run(
        "restore-pitr", "--target-cluster", "pcs-prod-restored", "--restore-time", future, "--yes"
    )
    assert result.exit_code == 2
    assert f"--restore-time={future}" in result.stderr
    assert aws.clusters() == [SOURCE]


def test_unparseable_restore_time_is_refused_with_the_expected_format(aws):
    result = aws.run(
        "restore-pitr", "--target-cluster", "x-restored", "--restore-time", "yesterday", "--yes"
    )
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "error: --restore-time=yesterday is not allowed; "
        "allowed: ISO 8601 with a zone, e.g. 2026-11-24T10:15:00Z"
    )


def test_restore_time_without_a_zone_is_refused(aws):
    result = aws.run(
        "restore-pitr",
        "--target-cluster",
        "x-restored",
        "--restore-time",
        "2026-11-24T10:00:00",
        "--yes",
    )
    assert result.exit_code == 2
    assert "a time with a zone" in result.stderr


def test_neither_time_nor_latest_is_refused(aws):
    result = aws.run("restore-pitr", "--target-cluster", "pcs-prod-restored", "--yes")
    assert result.exit_code == 2
    assert "exactly one of --restore-time or --latest" in result.stderr


def test_unknown_source_cluster_is_refused_naming_the_clusters_that_exist(aws):
    result = aws.run(
        "restore-pitr",
        "--source-cluster",
        "nope",
        "--target-cluster",
        "x-restored",
        "--latest",
        "--yes",
    )
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "error: --source-cluster=nope is not allowed; allowed: pcs-prod-aurora"
    )
    assert aws.clusters() == [SOURCE]


def test_existing_target_cluster_is_never_overwritten(aws):
    result = aws.run("restore-pitr", "--target-cluster", SOURCE, "--latest", "--yes")
    assert result.exit_code == 2
    assert "--target-cluster=pcs-prod-aurora is not allowed" in result.stderr
    assert "not in use" in result.stderr


def test_malformed_target_identifier_is_refused(aws):
    result = aws.run("restore-pitr", "--target-cluster", "1-bad--name", "--latest", "--yes")
    assert result.exit_code == 2
    assert "starting with a letter" in result.stderr
    assert aws.clusters() == [SOURCE]


def test_unknown_deployment_is_refused_with_the_allowed_ones(aws):
    result = aws.run("--deployment", "qa", "restore-pitr", "--target-cluster", "x", "--latest")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "error: config error: deployment='qa' is not allowed; "
        "allowed: acme-prod, dev, prod, staging"
    )


def test_aws_refusal_mid_restore_is_one_line_saying_steps_may_have_been_applied(aws):
    def refuse(**_kwargs):
        raise ClientError(
            {"Error": {"Code": "InsufficientDBInstanceCapacity", "Message": "no capacity"}},
            "CreateDBInstance",
        )

    def clients(service: str, region: str):
        client = aws.client(service, region)
        if service == "rds":  # the cluster restore succeeds, its writer instance is refused
            client.meta.events.register("before-call.rds.CreateDBInstance", refuse)
        return client

    args = ["restore-pitr", "--target-cluster", "pcs-prod-restored", "--latest", "--yes"]
    result = CliRunner().invoke(cli, args, obj={"clients": clients})
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "error: AWS refused: InsufficientDBInstanceCapacity: no capacity; "
        "earlier steps of this command may have been applied: run verify"
    )
    assert "pcs-prod-restored" in aws.clusters()


def test_prods_default_tier_restores_its_writer_as_provisioned_db_r7g_large(aws):
    # Issue 26: the 100k tier (prod's default) runs provisioned db.r7g.large instances.
    aws.run("restore-pitr", "--target-cluster", "pcs-prod-restored", "--latest", "--yes")
    rds = boto3.client("rds", region_name="us-east-1")
    (writer,) = rds.describe_db_instances(DBInstanceIdentifier="pcs-prod-restored-writer")[
        "DBInstances"
    ]
    assert writer["DBInstanceClass"] == "db.r7g.large"
