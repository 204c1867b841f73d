"""The DR region's backup vault: the destination of every copy the primary plans make."""

from __future__ import annotations

from typing import Any

from constructs import Construct

from infra.backup.vault import locked_vault
from infra.config import PlatformConfig
from infra.defaults.kms import domain_key
from infra.stacks.base import PlatformStack


class DrBackupStack(PlatformStack):
    """Deployed to ``deployment.dr_region``: a vault with its own key, locked like the primary.

    A KMS key cannot leave its region, so the DR copies are re-encrypted under this key; the
    primary's backup key going missing with its region does not make the copies unreadable.
    """

    def __init__(
        self, scope: Construct, construct_id: str, *, config: PlatformConfig, **kwargs: Any
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        names = config.names
        self.key = domain_key(
            self,
            "BackupKey",
            alias=names.key_alias("dr-backup"),
            description=f"{config.prefix}: AWS Backup vault in the DR region",
            administrator=config.deployment.key_administrator_role,
        )
        self.vault = locked_vault(
            self, "Vault", name=names.dr_backup_vault, key=self.key, settings=config.backup
        )
