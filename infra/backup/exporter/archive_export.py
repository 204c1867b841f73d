"""Monthly Aurora snapshot export to the archive bucket (Parquet, SSE-KMS), run daily.

Each run: if this month's export task does not exist and the export day has come, start it
from the cluster's newest available automated snapshot; then publish ``ExportFailed`` (1 when
this month's task failed or was cancelled, else 0) so an alarm pages on-call. A day whose start
fails (snapshot not ready, quota) is retried the next day: the task's name is the month's.
Standard library and boto3 only (the Lambda runtime has both), so the asset needs no build.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

FAILED = ("FAILED", "CANCELED", "CANCELING")


@dataclass(frozen=True)
class ExportPlan:
    """Where one environment's exports come from and go to."""

    cluster_id: str
    bucket: str
    role_arn: str
    key_arn: str
    prefix: str
    export_day: int
    metric_namespace: str

    @classmethod
    def from_environment(cls) -> ExportPlan:
        """Read the plan from the function's environment (set by the CDK construct)."""
        return cls(
            cluster_id=os.environ["CLUSTER_ID"],
            bucket=os.environ["ARCHIVE_BUCKET"],
            role_arn=os.environ["EXPORT_ROLE_ARN"],
            key_arn=os.environ["EXPORT_KEY_ARN"],
            prefix=os.environ["EXPORT_PREFIX"],
            export_day=int(os.environ["EXPORT_DAY"]),
            metric_namespace=os.environ["METRIC_NAMESPACE"],
        )

    def task_id(self, now: datetime) -> str:
        """The month's export task name (RDS: letters, digits, hyphens; starts with a letter)."""
        return f"{self.prefix}-{now:%Y-%m}"


def newest_snapshot(rds: Any, cluster_id: str) -> str | None:
    """ARN of the cluster's newest available automated snapshot, or None."""
    pages = rds.get_paginator("describe_db_cluster_snapshots").paginate(
        DBClusterIdentifier=cluster_id, SnapshotType="automated"
    )
    available = [
        snapshot
        for page in pages
        for snapshot in page["DBClusterSnapshots"]
        if snapshot["Status"] == "available"
    ]
    if not available:
        return None
    return max(available, key=lambda s: s["SnapshotCreateTime"])["DBClusterSnapshotArn"]


def run(plan: ExportPlan, rds: Any, cloudwatch: Any, now: datetime) -> dict[str, str]:
    """One daily run: start the month's export when due, report its state as a metric."""
    task_id = plan.task_id(now)
    tasks = rds.describe_export_tasks(ExportTaskIdentifier=task_id)["ExportTasks"]
    status = tasks[0]["Status"] if tasks else "NOT_STARTED"
    if not tasks and now.day >= plan.export_day:
        snapshot = newest_snapshot(rds, plan.cluster_id)
        if snapshot is None:
            status = "NO_SNAPSHOT"
        else:
            started = rds.start_export_task(
                ExportTaskIdentifier=task_id,
                SourceArn=snapshot,
                S3BucketName=plan.bucket,
                S3Prefix=f"aurora/{now:%Y/%m}",
                IamRoleArn=plan.role_arn,
                KmsKeyId=plan.key_arn,
            )
            status = started["Status"]
    failed = status in FAILED or status == "NO_SNAPSHOT"
    cloudwatch.put_metric_data(
        Namespace=plan.metric_namespace,
        MetricData=[
            {
                "MetricName": "ExportFailed",
                "Dimensions": [{"Name": "Cluster", "Value": plan.cluster_id}],
                "Value": 1.0 if failed else 0.0,
                "Unit": "Count",
            }
        ],
    )
    return {"task": task_id, "status": status}


def handler(event: dict, context: object) -> dict[str, str]:
    """Lambda entry point (EventBridge schedule)."""
    import boto3  # in the Lambda runtime; imported here so tests pass their own clients

    return run(
        ExportPlan.from_environment(),
        boto3.client("rds"),
        boto3.client("cloudwatch"),
        datetime.now(UTC),
    )
