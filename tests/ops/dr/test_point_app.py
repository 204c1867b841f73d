"""point-app: the credentials secret and a DNS name follow the restored cluster."""

from __future__ import annotations

import pytest

from tests.ops.dr.conftest import ORIGINAL_SECRET, RECORD, ZONE_NAME, point_app


@pytest.fixture
def restored(aws) -> dict:
    result = aws.run("restore-pitr", "--target-cluster", "pcs-prod-restored", "--latest", "--yes")
    assert result.exit_code == 0, result.output
    return aws.cluster("pcs-prod-restored")


def test_secret_names_the_restored_writer_and_keeps_the_credentials(aws, restored):
    result = point_app(aws, "--yes")
    assert result.exit_code == 0, result.output
    secret = aws.secret()
    assert secret["host"] == restored["Endpoint"]
    assert secret["dbClusterIdentifier"] == "pcs-prod-restored"
    assert secret["port"] == restored["Port"]
    assert (secret["username"], secret["password"]) == (
        ORIGINAL_SECRET["username"],
        ORIGINAL_SECRET["password"],
    )


def test_dns_name_is_a_60_second_cname_to_the_restored_writer(aws, restored):
    assert point_app(aws, "--yes").exit_code == 0
    (record,) = aws.record(RECORD)
    assert record["Type"] == "CNAME"
    assert record["TTL"] == 60
    assert record["ResourceRecords"] == [{"Value": restored["Endpoint"]}]


def test_report_never_prints_the_password(aws, restored):
    result = point_app(aws, "--yes")
    assert ORIGINAL_SECRET["password"] not in result.output


def test_dry_run_leaves_secret_and_dns_unchanged(aws, restored):
    result = point_app(aws, "--dry-run")
    assert result.exit_code == 0
    assert f"host {ORIGINAL_SECRET['host']} -> {restored['Endpoint']}" in result.stdout
    assert aws.secret() == ORIGINAL_SECRET
    assert aws.record(RECORD) == []


def test_declining_leaves_secret_and_dns_unchanged(aws, restored):
    result = point_app(aws, answer="n\n")
    assert result.exit_code == 1
    assert aws.secret() == ORIGINAL_SECRET
    assert aws.record(RECORD) == []


def test_unknown_cluster_is_refused_and_nothing_changes(aws, restored):
    result = aws.run("point-app", "--cluster", "nope", "--yes")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "error: --cluster=nope is not allowed; allowed: pcs-prod-aurora, pcs-prod-restored"
    )
    assert aws.secret() == ORIGINAL_SECRET


def test_unknown_hosted_zone_is_refused_naming_the_zones_that_exist(aws, restored):
    result = aws.run(
        "point-app",
        "--cluster",
        "pcs-prod-restored",
        "--hosted-zone-id",
        "ZNOPE",
        "--record-name",
        RECORD,
        "--yes",
    )
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"error: --hosted-zone-id=ZNOPE is not allowed; allowed: {aws.zone_id()}"
    )
    assert aws.secret() == ORIGINAL_SECRET


def test_record_outside_the_zone_is_refused(aws, restored):
    result = aws.run(
        "point-app",
        "--cluster",
        "pcs-prod-restored",
        "--hosted-zone-id",
        aws.zone_id(),
        "--record-name",
        "db.other.org",
        "--yes",
    )
    assert result.exit_code == 2
    assert f"allowed: a name in the zone {ZONE_NAME}" in result.stderr
    assert aws.secret() == ORIGINAL_SECRET


def test_zone_without_record_name_is_refused(aws, restored):
    result = aws.run(
        "point-app", "--cluster", "pcs-prod-restored", "--hosted-zone-id", aws.zone_id(), "--yes"
    )
    assert result.exit_code == 2
    assert "--hosted-zone-id and --record-name together, or neither" in result.stderr


def test_missing_secret_is_refused(aws, restored):
    result = aws.run(
        "point-app", "--cluster", "pcs-prod-restored", "--secret-id", "nope/secret", "--yes"
    )
    assert result.exit_code == 2
    assert result.stderr.startswith("error: --secret-id=nope/secret is not allowed")
    assert aws.secret() == ORIGINAL_SECRET
