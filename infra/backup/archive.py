"""The database's 7-year retention: a monthly Aurora snapshot export to the locked archive bucket.

The exporter (``exporter/archive_export.py``) runs daily on an EventBridge schedule and starts
the month's export once; its ``ExportFailed`` metric and its own errors raise alarms to on-call.
The bucket (Object Lock compliance, Deep Archive lifecycle, replicated to the DR region) is the
data tier's backups bucket (docs/decisions/backup-retention-export.md).
"""

from __future__ import annotations

from pathlib import Path

from aws_cdk import ArnFormat, Duration, Stack
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as cloudwatch_actions
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_rds as rds
from aws_cdk import aws_sns as sns
from constructs import Construct

from infra.config import BackupConfig
from infra.defaults.functions import (
    acknowledge_outside_vpc,
    function_log_and_role,
    platform_function,
    puts_metrics_in,
    writes_its_log,
)
from infra.gate.nag import acknowledge

_EXPORTER = Path(__file__).parent / "exporter"
METRIC_NAMESPACE = "PCS/Archive"


class DatabaseArchive(Construct):
    """Exports ``cluster``'s newest automated snapshot to ``bucket_name`` every month, alarmed.

    Exposes :attr:`function`, :attr:`schedule`, :attr:`export_role` and :attr:`alarms`.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        prefix: str,
        export_prefix: str,
        settings: BackupConfig,
        cluster: rds.IDatabaseCluster,
        bucket_name: str,
        key: kms.IKey,
        logs_key: kms.IKey,
        log_retention_days: int,
        topic: sns.ITopic,
    ) -> None:
        super().__init__(scope, construct_id)
        stack = Stack.of(self)
        self.export_role = iam.Role(
            self,
            "ExportRole",
            assumed_by=iam.ServicePrincipal("export.rds.amazonaws.com"),
            description=f"{prefix}: RDS snapshot export writes Parquet into the archive bucket",
        )
        key_use = iam.PolicyStatement(
            actions=[
                "kms:Encrypt",
                "kms:Decrypt",
                "kms:GenerateDataKey",
                "kms:DescribeKey",
                "kms:CreateGrant",
            ],
            resources=[key.key_arn],
        )
        # The bucket's ARN from its deterministic name (a literal the acknowledgement can name).
        exports = f"arn:{stack.partition}:s3:::{bucket_name}/aurora/*"
        export_policy = iam.ManagedPolicy(
            self,
            "ExportPolicy",
            description=f"{prefix}: the archive export writes under aurora/ of one bucket",
            roles=[self.export_role],
            statements=[
                iam.PolicyStatement(
                    actions=["s3:ListBucket", "s3:GetBucketLocation"],
                    resources=[f"arn:{stack.partition}:s3:::{bucket_name}"],
                ),
                iam.PolicyStatement(
                    actions=["s3:PutObject", "s3:GetObject", "s3:DeleteObject"],
                    resources=[exports],
                ),
                key_use,
            ],
        )
        acknowledge(
            export_policy,
            "RDS writes one export as many Parquet objects whose names it chooses: the object "
            "wildcard is bounded to the aurora/ prefix of the one archive bucket, whose Object "
            "Lock (compliance) makes DeleteObject unable to remove a locked version.",
            f"AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::{bucket_name}/aurora/*]",
        )

        function_name = f"{prefix}-archive-export"
        log_group, role = function_log_and_role(
            self,
            function_name=function_name,
            description=f"{prefix}: starts the monthly archive export and reports its state",
            logs_key=logs_key,
            retention_days=log_retention_days,
            role_id="FunctionRole",
        )
        cluster_snapshots = stack.format_arn(
            service="rds",
            resource="cluster-snapshot",
            resource_name="rds:*",
            arn_format=ArnFormat.COLON_RESOURCE_NAME,
        )
        exporter_policy = iam.ManagedPolicy(
            self,
            "FunctionPolicy",
            description=f"{prefix}: start the month's archive export, report it, write the log",
            roles=[role],
            statements=[
                writes_its_log(log_group),
                iam.PolicyStatement(
                    actions=["rds:DescribeDBClusterSnapshots"],
                    resources=[cluster.cluster_arn, cluster_snapshots],
                ),
                iam.PolicyStatement(actions=["rds:StartExportTask"], resources=[cluster_snapshots]),
                iam.PolicyStatement(actions=["rds:DescribeExportTasks"], resources=["*"]),
                iam.PolicyStatement(
                    actions=["iam:PassRole"],
                    resources=[self.export_role.role_arn],
                    conditions={"StringEquals": {"iam:PassedToService": "rds.amazonaws.com"}},
                ),
                puts_metrics_in(METRIC_NAMESPACE),
                # StartExportTask creates a grant on the key for the export: the caller needs it.
                iam.PolicyStatement(
                    actions=["kms:CreateGrant", "kms:DescribeKey"], resources=[key.key_arn]
                ),
            ],
        )
        acknowledge(
            exporter_policy,
            "DescribeExportTasks and PutMetricData support no resource-level permissions; "
            "PutMetricData is limited to the archive namespace by condition, and the snapshot "
            "ARNs are the automated snapshots (rds:*) of this account and region only.",
            "AwsSolutions-IAM5[Resource::*]",
            f"AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:rds:{stack.region}:"
            f"{stack.account}:cluster-snapshot:rds:*]",
        )
        self.function = platform_function(
            self,
            "Function",
            function_name=function_name,
            description="Monthly Aurora snapshot export to the archive bucket (runs daily)",
            handler="archive_export.handler",
            source=_EXPORTER,
            timeout=Duration.minutes(1),
            role=role,
            log_group=log_group,
            environment={
                "CLUSTER_ID": cluster.cluster_identifier,
                "ARCHIVE_BUCKET": bucket_name,
                "EXPORT_ROLE_ARN": self.export_role.role_arn,
                "EXPORT_KEY_ARN": key.key_arn,
                "EXPORT_PREFIX": export_prefix,
                "EXPORT_DAY": str(settings.archive_export_day),
                "METRIC_NAMESPACE": METRIC_NAMESPACE,
            },
        )
        acknowledge_outside_vpc(
            self.function,
            "The exporter calls only the RDS and CloudWatch control-plane APIs and reads no "
            "data, so it runs outside the VPC; EventBridge retries a failed invocation and the "
            "function's Errors alarm pages on-call instead of a dead-letter queue; it runs "
            "once a day, so reserved concurrency would only consume account quota.",
        )
        self.schedule = events.Rule(
            self,
            "Schedule",
            rule_name=f"{prefix}-archive-export",
            description="Daily check that starts the month's Aurora archive export",
            schedule=events.Schedule.expression(settings.archive_export_check_schedule),
            targets=[targets.LambdaFunction(self.function, retry_attempts=2)],
        )
        day = Duration.days(1)
        self.alarms = [
            cloudwatch.Alarm(
                self,
                "ExportFailedAlarm",
                alarm_name=f"{prefix}-archive-export-failed",
                alarm_description=(
                    "This month's Aurora archive export failed, was cancelled or found no "
                    "snapshot, or the daily check stopped reporting (runbook: archive export)"
                ),
                metric=cloudwatch.Metric(
                    namespace=METRIC_NAMESPACE,
                    metric_name="ExportFailed",
                    dimensions_map={"Cluster": cluster.cluster_identifier},
                    period=day,
                    statistic="Maximum",
                ),
                threshold=1,
                evaluation_periods=1,
                comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
                treat_missing_data=cloudwatch.TreatMissingData.BREACHING,
            ),
            cloudwatch.Alarm(
                self,
                "ExporterErrorsAlarm",
                alarm_name=f"{prefix}-archive-exporter-errors",
                alarm_description="The archive exporter function failed (runbook: archive export)",
                metric=self.function.metric_errors(period=day, statistic="Sum"),
                threshold=1,
                evaluation_periods=1,
                comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
                treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            ),
        ]
        for alarm in self.alarms:
            alarm.add_alarm_action(cloudwatch_actions.SnsAction(topic))
