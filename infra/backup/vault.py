"""A KMS-encrypted backup vault, optionally under Vault Lock."""

from __future__ import annotations

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_backup as backup
from aws_cdk import aws_kms as kms
from constructs import Construct

from infra.config import BackupConfig


def locked_vault(
    scope: Construct,
    construct_id: str,
    *,
    name: str,
    key: kms.IKey,
    settings: BackupConfig,
) -> backup.BackupVault:
    """A vault encrypted with ``key``; with ``settings.vault_lock``, under Vault Lock (CP-9).

    The lock's bounds are the plan's own retentions: the shortest rule and the point-in-time
    window (no rule keeps Aurora points longer). ``vault_lock_changeable_for_days`` set means
    compliance mode once that many days have passed: after that nobody, root included, can
    shorten or delete a recovery point, nor remove the lock (docs/decisions/backup-vault-lock.md).
    """
    lock = None
    if settings.vault_lock:
        changeable = settings.vault_lock_changeable_for_days
        lock = backup.LockConfiguration(
            min_retention=Duration.days(settings.vault_lock_min_retention_days),
            max_retention=Duration.days(
                max(settings.delete_after_days, settings.dr_copy_retention_days)
            ),
            changeable_for=Duration.days(changeable) if changeable is not None else None,
        )
    return backup.BackupVault(
        scope,
        construct_id,
        backup_vault_name=name,
        encryption_key=key,
        lock_configuration=lock,
        # Recovery points are the last line of defence: an access policy denies their deletion
        # to everyone but the lifecycle, in every environment (the lock adds immutability).
        block_recovery_point_deletion=True,
        removal_policy=RemovalPolicy.RETAIN,
    )
