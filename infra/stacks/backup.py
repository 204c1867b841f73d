"""The primary region's backups (spec §6.1): vault, plan, selection and the database archive."""

from __future__ import annotations

from typing import Any

from aws_cdk import aws_backup as backup
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sns as sns
from constructs import Construct

from infra.backup.archive import DatabaseArchive
from infra.backup.plan import BackupPlans
from infra.backup.replication import replication_alarm
from infra.backup.vault import locked_vault
from infra.config import PlatformConfig
from infra.data.outputs import DataTier
from infra.stacks.base import PlatformStack


class BackupStack(PlatformStack):
    """Backs up the Aurora cluster (copying weekly to the DR region's vault) and exports it
    monthly to the locked archive bucket.

    The DR vault is reached by its deterministic ARN (:mod:`infra.names`); the app makes this
    stack depend on the DR backup stack so the vault exists before the first copy.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: PlatformConfig,
        backup_key: kms.IKey,
        archive_key: kms.IKey,
        logs_key: kms.IKey,
        data_tier: DataTier,
        topic: sns.ITopic,
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        names = config.names
        self.vault = locked_vault(
            self, "Vault", name=names.backup_vault, key=backup_key, settings=config.backup
        )
        self.plans = BackupPlans(
            self,
            "Plans",
            prefix=config.prefix,
            settings=config.backup,
            vault=self.vault,
            dr_vault=backup.BackupVault.from_backup_vault_arn(
                self, "DrVault", names.dr_backup_vault_arn()
            ),
            cluster=data_tier.database.cluster,
        )
        self.archive = DatabaseArchive(
            self,
            "Archive",
            prefix=config.prefix,
            export_prefix=names.archive_export_prefix,
            settings=config.backup,
            cluster=data_tier.database.cluster,
            bucket_name=names.bucket("backups"),
            key=archive_key,
            logs_key=logs_key,
            log_retention_days=config.database.log_retention_days,
            topic=topic,
        )
        # Here, beside the other data-protection alarms: the data stack deploys before the topic.
        self.replication_alarm = replication_alarm(
            self,
            "DocumentsReplicationAlarm",
            alarm_name=names.alarm("documents-replication-missed"),
            purpose="documents",
            source_bucket=names.bucket("documents"),
            replica_bucket=names.replica_bucket("documents"),
            topic=topic,
        )
