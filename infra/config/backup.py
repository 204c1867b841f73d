"""The AWS Backup section."""

from __future__ import annotations

from dataclasses import dataclass

from infra.config.errors import SPEC_MIN_ARCHIVE_RETENTION_DAYS, ConfigError

_HOURLY_INTERVALS = (1, 2, 3, 4, 6, 8, 12)  # divisors of 24: cron(30 */N) then runs evenly all day


@dataclass(frozen=True)
class BackupConfig:
    """AWS Backup plan (spec §6.1)."""

    daily_schedule: str = "cron(0 3 * * ? *)"
    weekly_schedule: str = "cron(0 4 ? * SUN *)"
    cold_storage_after_days: int = 30
    delete_after_days: int = 2555
    vault_lock: bool = True
    # Vault Lock (docs/decisions/backup-vault-lock.md): compliance mode once this many days have
    # passed after deploy (AWS minimum 3); None keeps governance mode (removable by IAM).
    vault_lock_changeable_for_days: int | None = 3
    vault_lock_min_retention_days: int = 1  # the shortest rule below (hourly DR copies) must fit
    # Region-failure RPO (docs/decisions/dr-region-rpo.md): an extra Aurora snapshot every this
    # many hours, copied to the DR vault; None leaves the daily copy only (RPO 24 h).
    dr_copy_interval_hours: int | None = None
    dr_copy_retention_days: int = 2
    # Windows: a job that has not started within 1 h (hourly rule) is dropped, not queued.
    start_window_minutes: int = 60
    completion_window_minutes: int = 480

    def __post_init__(self) -> None:
        lock_days = self.vault_lock_changeable_for_days
        if lock_days is not None and lock_days < 3:
            raise ConfigError(
                "backup.vault_lock_changeable_for_days",
                lock_days,
                ">= 3 (AWS Backup's 72-hour cooling-off), or None for governance mode",
            )
        interval = self.dr_copy_interval_hours
        if interval is not None and interval not in _HOURLY_INTERVALS:
            raise ConfigError(
                "backup.dr_copy_interval_hours",
                interval,
                f"{', '.join(map(str, _HOURLY_INTERVALS))} (divisors of 24), or None",
            )
        if not 1 <= self.vault_lock_min_retention_days <= self.dr_copy_retention_days:
            raise ConfigError(
                "backup.vault_lock_min_retention_days",
                self.vault_lock_min_retention_days,
                f"1..dr_copy_retention_days ({self.dr_copy_retention_days})",
            )
        if self.start_window_minutes < 60:
            raise ConfigError(
                "backup.start_window_minutes", self.start_window_minutes, ">= 60 (AWS Backup)"
            )
        if self.delete_after_days < SPEC_MIN_ARCHIVE_RETENTION_DAYS:
            raise ConfigError(
                "backup.delete_after_days",
                self.delete_after_days,
                f">= {SPEC_MIN_ARCHIVE_RETENTION_DAYS} (7 years, spec §6.1)",
            )
        # AWS Backup requires 90 days in cold storage before deletion.
        if self.delete_after_days < self.cold_storage_after_days + 90:
            raise ConfigError(
                "backup.delete_after_days",
                self.delete_after_days,
                ">= cold_storage_after_days + 90",
            )
