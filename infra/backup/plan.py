"""The backup plan of spec §6.1 and its selection: the Aurora cluster."""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_backup as backup
from aws_cdk import aws_events as events
from aws_cdk import aws_iam as iam
from aws_cdk import aws_rds as rds
from constructs import Construct

from infra.config import BackupConfig
from infra.gate.nag import acknowledge


class BackupPlans(Construct):
    """Daily and weekly Aurora points kept within the point-in-time window; the weekly one is
    also copied to ``dr_vault``.

    AWS bills every Aurora snapshot kept beyond the PITR window at full size, and every
    cross-region copy as a full copy; the 7-year retention is the monthly export to the archive
    bucket instead (docs/decisions/backup-retention-export.md). The documents bucket is not
    selected: S3 replication with versioning and Object Lock protects it
    (docs/decisions/backup-documents-replication.md).
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
    ) -> None:
        super().__init__(scope, construct_id)
        windows = {
            "start_window": Duration.minutes(settings.start_window_minutes),
            "completion_window": Duration.minutes(settings.completion_window_minutes),
        }
        self.plan = backup.BackupPlan(
            self,
            "Plan",
            backup_plan_name=f"{prefix}-backup-plan",
            backup_vault=vault,
            backup_plan_rules=[
                backup.BackupPlanRule(
                    rule_name="daily-backup",
                    schedule_expression=events.Schedule.expression(settings.daily_schedule),
                    delete_after=Duration.days(settings.delete_after_days),
                    **windows,
                ),
                backup.BackupPlanRule(
                    rule_name="weekly-backup",
                    schedule_expression=events.Schedule.expression(settings.weekly_schedule),
                    delete_after=Duration.days(settings.delete_after_days),
                    copy_actions=[
                        backup.BackupPlanCopyActionProps(
                            destination_backup_vault=dr_vault,
                            delete_after=Duration.days(settings.dr_copy_retention_days),
                        )
                    ],
                    **windows,
                ),
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
            ],
        )
        acknowledge(
            self.role,
            "AWS Backup's managed service-role policies are maintained by AWS per resource type "
            "(Aurora snapshots, restores); the role is assumable only by backup.amazonaws.com "
            "and is used only by this platform's selection.",
            *(
                f"AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/{name}]"
                for name in _BACKUP_ROLE_POLICIES
            ),
        )
        self.plan.add_selection(
            "Selection",
            backup_selection_name=f"{prefix}-backup-selection",
            role=self.role,
            disable_default_backup_policy=True,
            resources=[backup.BackupResource.from_rds_database_cluster(cluster)],
        )


_BACKUP_ROLE_POLICIES = (
    "AWSBackupServiceRolePolicyForBackup",
    "AWSBackupServiceRolePolicyForRestores",
)
