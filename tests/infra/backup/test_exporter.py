"""The archive exporter's daily run against botocore's Stubber: starts the month's export once,
from the newest available automated snapshot, and reports failure as a metric."""

from __future__ import annotations

from datetime import UTC, datetime

import boto3
import pytest
from botocore.stub import Stubber

from infra.backup.exporter.archive_export import ExportPlan, run

PLAN = ExportPlan(
    cluster_id="pcs-prod-aurora",
    bucket="pcs-prod-backups-111111111111",
    role_arn="arn:aws:iam::111111111111:role/export",
    key_arn="arn:aws:kms:us-east-1:111111111111:key/k",
    prefix="pcs-prod-archive",
    export_day=2,
    metric_namespace="PCS/Archive",
)
NOW = datetime(2026, 11, 3, 7, 0, tzinfo=UTC)


def _snapshot(name: str, day: int, status: str = "available") -> dict:
    return {
        "DBClusterSnapshotArn": f"arn:aws:rds:us-east-1:111111111111:cluster-snapshot:rds:{name}",
        "SnapshotCreateTime": datetime(2026, 11, day, 3, tzinfo=UTC),
        "Status": status,
    }


def _metric(value: float) -> dict:
    return {
        "Namespace": "PCS/Archive",
        "MetricData": [
            {
                "MetricName": "ExportFailed",
                "Dimensions": [{"Name": "Cluster", "Value": "pcs-prod-aurora"}],
                "Value": value,
                "Unit": "Count",
            }
        ],
    }


@pytest.fixture
def clients():
    rds = boto3.client("rds", region_name="us-east-1")
    cloudwatch = boto3.client("cloudwatch", region_name="us-east-1")
    with Stubber(rds) as rds_stub, Stubber(cloudwatch) as cw_stub:
        yield rds, rds_stub, cloudwatch, cw_stub
        rds_stub.assert_no_pending_responses()
        cw_stub.assert_no_pending_responses()


def test_first_run_on_or_after_the_export_day_starts_the_month_from_the_newest_snapshot(clients):
    rds, rds_stub, cloudwatch, cw_stub = clients
    rds_stub.add_response(
        "describe_export_tasks",
        {"ExportTasks": []},
        {"ExportTaskIdentifier": "pcs-prod-archive-2026-11"},
    )
    rds_stub.add_response(
        "describe_db_cluster_snapshots",
        {
            "DBClusterSnapshots": [
                _snapshot("old", 1),
                _snapshot("new", 3),
                _snapshot("creating", 3, status="creating"),
            ]
        },
        {"DBClusterIdentifier": "pcs-prod-aurora", "SnapshotType": "automated"},
    )
    rds_stub.add_response(
        "start_export_task",
        {"Status": "STARTING"},
        {
            "ExportTaskIdentifier": "pcs-prod-archive-2026-11",
            "SourceArn": _snapshot("new", 3)["DBClusterSnapshotArn"],
            "S3BucketName": PLAN.bucket,
            "S3Prefix": "aurora/2026/11",
            "IamRoleArn": PLAN.role_arn,
            "KmsKeyId": PLAN.key_arn,
        },
    )
    cw_stub.add_response("put_metric_data", {}, _metric(0.0))
    assert run(PLAN, rds, cloudwatch, NOW) == {
        "task": "pcs-prod-archive-2026-11",
        "status": "STARTING",
    }


def test_an_existing_task_is_not_started_again(clients):
    rds, rds_stub, cloudwatch, cw_stub = clients
    rds_stub.add_response(
        "describe_export_tasks",
        {
            "ExportTasks": [
                {"ExportTaskIdentifier": "pcs-prod-archive-2026-11", "Status": "COMPLETE"}
            ]
        },
        {"ExportTaskIdentifier": "pcs-prod-archive-2026-11"},
    )
    cw_stub.add_response("put_metric_data", {}, _metric(0.0))
    assert run(PLAN, rds, cloudwatch, NOW)["status"] == "COMPLETE"


@pytest.mark.parametrize("status", ["FAILED", "CANCELED"])
def test_a_failed_or_cancelled_export_reports_failure(clients, status):
    rds, rds_stub, cloudwatch, cw_stub = clients
    rds_stub.add_response(
        "describe_export_tasks",
        {"ExportTasks": [{"ExportTaskIdentifier": "pcs-prod-archive-2026-11", "Status": status}]},
        {"ExportTaskIdentifier": "pcs-prod-archive-2026-11"},
    )
    cw_stub.add_response("put_metric_data", {}, _metric(1.0))
    run(PLAN, rds, cloudwatch, NOW)


def test_no_available_snapshot_reports_failure(clients):
    rds, rds_stub, cloudwatch, cw_stub = clients
    rds_stub.add_response(
        "describe_export_tasks",
        {"ExportTasks": []},
        {"ExportTaskIdentifier": "pcs-prod-archive-2026-11"},
    )
    rds_stub.add_response(
        "describe_db_cluster_snapshots",
        {"DBClusterSnapshots": []},
        {"DBClusterIdentifier": "pcs-prod-aurora", "SnapshotType": "automated"},
    )
    cw_stub.add_response("put_metric_data", {}, _metric(1.0))
    assert run(PLAN, rds, cloudwatch, NOW)["status"] == "NO_SNAPSHOT"


def test_before_the_export_day_nothing_starts(clients):
    rds, rds_stub, cloudwatch, cw_stub = clients
    rds_stub.add_response(
        "describe_export_tasks",
        {"ExportTasks": []},
        {"ExportTaskIdentifier": "pcs-prod-archive-2026-11"},
    )
    cw_stub.add_response("put_metric_data", {}, _metric(0.0))
    assert run(PLAN, rds, cloudwatch, datetime(2026, 11, 1, tzinfo=UTC))["status"] == "NOT_STARTED"
