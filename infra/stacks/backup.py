"""The primary region's backups (spec §6.1): vault, plans and selection; stateful, own stack."""

from __future__ import annotations

from typing import Any

from aws_cdk import aws_backup as backup
from aws_cdk import aws_kms as kms
from constructs import Construct

from infra.backup.plan import BackupPlans
from infra.backup.vault import locked_vault
from infra.config import PlatformConfig
from infra.data.outputs import DataTier
from infra.stacks.base import PlatformStack


class BackupStack(PlatformStack):
    """Backs up the Aurora cluster and the documents bucket, copying to the DR region's vault.

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
        data_tier: DataTier,
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
            documents_bucket=data_tier.documents_bucket,
        )
