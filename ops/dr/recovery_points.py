"""Finding the latest AWS Backup copy of the cluster in the DR region's vault."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from ops.dr.errors import BadInput


@dataclass(frozen=True)
class RecoveryPoint:
    """A completed recovery point: an Aurora cluster snapshot held by a backup vault."""

    arn: str
    created: datetime
    source_arn: str


def latest_recovery_point(backup: Any, *, vault: str, source_arn: str) -> RecoveryPoint:
    """The newest COMPLETED recovery point of ``source_arn`` in ``vault``.

    Raises :class:`BadInput` if the vault does not exist (listing those that do) or holds no
    completed copy of the cluster.
    """
    points: list[dict] = []
    request = {"BackupVaultName": vault, "ByResourceArn": source_arn}
    try:
        while True:
            page = backup.list_recovery_points_by_backup_vault(**request)
            points += page["RecoveryPoints"]
            if not page.get("NextToken"):
                break
            request["NextToken"] = page["NextToken"]
    except ClientError as error:
        if error.response["Error"]["Code"] not in (
            "ResourceNotFoundException",
            "AccessDeniedException",
        ):
            raise
        vaults = [v["BackupVaultName"] for v in backup.list_backup_vaults()["BackupVaultList"]]
        raise BadInput(
            "--vault", vault, ", ".join(sorted(vaults)) or "no vault in this region"
        ) from None
    completed = [p for p in points if p["Status"] == "COMPLETED"]
    if not completed:
        raise BadInput(
            "recovery point",
            f"none completed for {source_arn} in {vault}",
            "a vault holding a COMPLETED copy of the cluster (see `aws backup "
            "list-recovery-points-by-backup-vault`)",
        )
    newest = max(completed, key=lambda p: p["CreationDate"])
    return RecoveryPoint(
        arn=newest["RecoveryPointArn"], created=newest["CreationDate"], source_arn=source_arn
    )
