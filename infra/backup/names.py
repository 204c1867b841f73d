"""Deterministic names and ARNs of the backup vaults, shared by the stacks and the DR CLI.

The primary region's plan copies into the DR region's vault by ARN: a cross-region stack
reference would need an SSM-backed export and would tie the two stacks' lifecycles together.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BackupVaultNames:
    """Names of the platform's backup vaults in its primary and DR regions."""

    prefix: str
    account: str
    region: str
    dr_region: str
    partition: str = "aws"

    @property
    def primary_vault(self) -> str:
        """The primary region's vault."""
        return f"{self.prefix}-backup-vault"

    @property
    def dr_vault(self) -> str:
        """The DR region's vault, which receives a copy of every recovery point."""
        return f"{self.prefix}-dr-backup-vault"

    @property
    def dr_vault_arn(self) -> str:
        """ARN of :attr:`dr_vault`, built from its name (AWS Backup vault ARNs are fixed)."""
        return (
            f"arn:{self.partition}:backup:{self.dr_region}:{self.account}"
            f":backup-vault:{self.dr_vault}"
        )
