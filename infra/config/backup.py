"""The AWS Backup section and the database archive's schedule."""

from __future__ import annotations

from dataclasses import dataclass

from infra.config.errors import SPEC_MIN_DB_BACKUP_RETENTION_DAYS, ConfigError


@dataclass(frozen=True)
class BackupConfig:
    """AWS Backup plan and the database archive (spec §6.1, issue 13).

    Aurora recovery points stay within the point-in-time window (AWS bills every snapshot kept
    beyond it at full size); the 7-year retention is a monthly snapshot export to the locked
    archive bucket (docs/decisions/backup-retention-export.md).
    """

    daily_schedule: str = "cron(0 3 * * ? *)"
    weekly_schedule: str = "cron(0 4 ? * SUN *)"
    delete_after_days: int = SPEC_MIN_DB_BACKUP_RETENTION_DAYS
    vault_lock: bool = True
    # Vault Lock (docs/decisions/backup-vault-lock.md): compliance mode once this many days have
    # passed after deploy (AWS minimum 3); None keeps governance mode (removable by IAM).
    vault_lock_changeable_for_days: int | None = 3
    vault_lock_min_retention_days: int = 7  # the shortest rule below must fit
    # The weekly point is also copied to the DR vault (a restore source if the primary region is
    # lost together with a corrupted database; the global database replicates corruption). Two
    # weekly full copies (CP-9, sized by issue 26): the newest and one a week older; the primary
    # keeps 35 days of PITR, and the monthly exports reach the DR region for 7 years.
    dr_copy_retention_days: int = 14
    start_window_minutes: int = 60
    completion_window_minutes: int = 480
    # Monthly export of the newest automated snapshot to the archive bucket (Parquet, SSE-KMS);
    # the exporter runs daily and starts the month's export from this day on, so a failed day
    # is retried the next.
    archive_export_day: int = 2
    archive_export_check_schedule: str = "cron(0 7 * * ? *)"

    def __post_init__(self) -> None:
        lock_days = self.vault_lock_changeable_for_days
        if lock_days is not None and lock_days < 3:
            raise ConfigError(
                "backup.vault_lock_changeable_for_days",
                lock_days,
                ">= 3 (AWS Backup's 72-hour cooling-off), or None for governance mode",
            )
        for name in ("delete_after_days", "dr_copy_retention_days"):
            value = getattr(self, name)
            if not 1 <= value <= SPEC_MIN_DB_BACKUP_RETENTION_DAYS:
                raise ConfigError(
                    f"backup.{name}",
                    value,
                    f"1..{SPEC_MIN_DB_BACKUP_RETENTION_DAYS} (Aurora points beyond the PITR "
                    "window are billed at full size; 7 years is the archive export's)",
                )
        shortest = min(self.delete_after_days, self.dr_copy_retention_days)
        if not 1 <= self.vault_lock_min_retention_days <= shortest:
            raise ConfigError(
                "backup.vault_lock_min_retention_days",
                self.vault_lock_min_retention_days,
                f"1..{shortest} (the shortest rule)",
            )
        if self.start_window_minutes < 60:
            raise ConfigError(
                "backup.start_window_minutes", self.start_window_minutes, ">= 60 (AWS Backup)"
            )
        if not 1 <= self.archive_export_day <= 28:
            raise ConfigError(
                "backup.archive_export_day", self.archive_export_day, "1..28 (every month has it)"
            )
