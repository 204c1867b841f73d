"""The backup plan of spec §6.1 and its selection: Aurora and the documents bucket."""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_backup as backup
from aws_cdk import aws_events as events
from aws_cdk import aws_iam as iam
from aws_cdk import aws_rds as rds
from aws_cdk import aws_s3 as s3
from constructs import Construct

from infra.config import BackupConfig
from infra.gate.nag import acknowledge


class BackupPlans(Construct):
    """Daily and weekly rules (spec §6.1) and, where configured, an hourly Aurora copy to DR.

    Every rule copies its recovery point to ``dr_vault``. Cold storage after 30 days is set as
    the spec says; AWS Backup applies it only to resource types that support it, and neither
    Aurora nor S3 does (docs/decisions/backup-cold-storage.md).
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        prefix: str,
        settings: BackupConfig,
        vault: backup.IBackupVault,
        dr_vault: backup.IBackupVault,
        cluster: rds.IDatabaseCluster,
        documents_bucket: s3.IBucket,
    ) -> None:
        super().__init__(scope, construct_id)
        archive = Duration.days(settings.delete_after_days)
        cold = Duration.days(settings.cold_storage_after_days)
        windows = {
            "start_window": Duration.minutes(settings.start_window_minutes),
            "completion_window": Duration.minutes(settings.completion_window_minutes),
        }

        def archived(name: str, schedule: str) -> backup.BackupPlanRule:
            return backup.BackupPlanRule(
                rule_name=name,
                schedule_expression=events.Schedule.expression(schedule),
                move_to_cold_storage_after=cold,
                delete_after=archive,
                copy_actions=[
                    backup.BackupPlanCopyActionProps(
                        destination_backup_vault=dr_vault,
                        move_to_cold_storage_after=cold,
                        delete_after=archive,
                    )
                ],
                **windows,
            )

        self.plan = backup.BackupPlan(
            self,
            "Plan",
            backup_plan_name=f"{prefix}-backup-plan",
            backup_vault=vault,
            backup_plan_rules=[
                archived("daily-backup", settings.daily_schedule),
                archived("weekly-backup", settings.weekly_schedule),
            ],
        )
        self.role = iam.Role(
            self,
            "Role",
            assumed_by=iam.ServicePrincipal("backup.amazonaws.com"),
            description=f"{prefix}: AWS Backup jobs of the platform's plans",
            managed_policies=[
                iam.ManagedPolicy.from_aws_managed_policy_name(f"service-role/{name}")
                for name in _BACKUP_ROLE_POLICIES
            ]
            + [
                iam.ManagedPolicy.from_aws_managed_policy_name(name)
                for name in _S3_BACKUP_ROLE_POLICIES
            ],
        )
        acknowledge(
            self.role,
            "AWS Backup's managed service-role policies are maintained by AWS per resource type "
            "(Aurora snapshots, S3 backup and restore); the role is assumable only by "
            "backup.amazonaws.com and is used only by this platform's selections.",
            *(
                f"AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/{path}]"
                for path in _managed_policy_paths()
            ),
        )
        self.plan.add_selection(
            "Selection",
            backup_selection_name=f"{prefix}-backup-selection",
            role=self.role,
            disable_default_backup_policy=True,
            resources=[
                backup.BackupResource.from_rds_database_cluster(cluster),
                backup.BackupResource.from_arn(documents_bucket.bucket_arn),
            ],
        )
        self.dr_plan = None
        if settings.dr_copy_interval_hours is not None:
            self.dr_plan = self._hourly_dr_copy(prefix, settings, vault, dr_vault, cluster, windows)

    def _hourly_dr_copy(
        self,
        prefix: str,
        settings: BackupConfig,
        vault: backup.IBackupVault,
        dr_vault: backup.IBackupVault,
        cluster: rds.IDatabaseCluster,
        windows: dict[str, Duration],
    ) -> backup.BackupPlan:
        """A plan of its own, selecting Aurora only: S3 documents already replicate (CRR)."""
        kept = Duration.days(settings.dr_copy_retention_days)
        plan = backup.BackupPlan(
            self,
            "DrCopyPlan",
            backup_plan_name=f"{prefix}-dr-copy-plan",
            backup_vault=vault,
            backup_plan_rules=[
                backup.BackupPlanRule(
                    rule_name="hourly-dr-copy",
                    # Half past: the daily (03:00) and weekly (04:00) snapshots of the same
                    # cluster have finished by then; Aurora runs one snapshot at a time.
                    schedule_expression=events.Schedule.expression(
                        f"cron(30 */{settings.dr_copy_interval_hours} * * ? *)"
                    ),
                    delete_after=kept,
                    copy_actions=[
                        backup.BackupPlanCopyActionProps(
                            destination_backup_vault=dr_vault, delete_after=kept
                        )
                    ],
                    **windows,
                )
            ],
        )
        plan.add_selection(
            "Selection",
            backup_selection_name=f"{prefix}-dr-copy-selection",
            role=self.role,
            disable_default_backup_policy=True,
            resources=[backup.BackupResource.from_rds_database_cluster(cluster)],
        )
        return plan


_BACKUP_ROLE_POLICIES = (
    "AWSBackupServiceRolePolicyForBackup",
    "AWSBackupServiceRolePolicyForRestores",
)
# The S3 policies sit at the root of the AWS-managed path, not under service-role/.
_S3_BACKUP_ROLE_POLICIES = (
    "AWSBackupServiceRolePolicyForS3Backup",
    "AWSBackupServiceRolePolicyForS3Restore",
)


def _managed_policy_paths() -> list[str]:
    return [f"service-role/{name}" for name in _BACKUP_ROLE_POLICIES] + list(
        _S3_BACKUP_ROLE_POLICIES
    )
