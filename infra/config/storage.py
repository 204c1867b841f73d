"""The S3 lifecycle and Object Lock section."""

from __future__ import annotations

from dataclasses import dataclass

from infra.config.errors import (
    SPEC_MIN_ARCHIVE_RETENTION_DAYS,
    ConfigError,
)

# OMB M-21-31: 12 months of logs in active storage and 18 more in cold storage (30 months).
M_21_31_LOG_DAYS = 913


@dataclass(frozen=True)
class StorageConfig:
    """S3 buckets: documents, backups, logs (architecture overview)."""

    # The backups bucket is the database archive: exports are read only to restore, so they move
    # to Glacier Deep Archive (12-48 h retrieval) and are locked in compliance mode for 7 years.
    archive_transition_days: int = 7  # a week to restore-test an export without a retrieval
    archive_expiration_days: int = SPEC_MIN_ARCHIVE_RETENTION_DAYS
    archive_lock_days: int = SPEC_MIN_ARCHIVE_RETENTION_DAYS
    # Every document version, current or superseded, is kept and locked (governance) seven
    # years, the spec's backup retention (docs/decisions/backup-documents-seven-years.md);
    # a superseded version stays instantly restorable for a month, then goes to Deep Archive.
    documents_lock_days: int = SPEC_MIN_ARCHIVE_RETENTION_DAYS
    documents_version_days: int = SPEC_MIN_ARCHIVE_RETENTION_DAYS
    documents_noncurrent_cold_after_days: int = 30
    log_transition_days: int = 90  # logs bucket to Glacier Instant Retrieval
    log_expiration_days: int = 2555
    # Object Lock (compliance) on every log object, at least OMB M-21-31's 30 months
    # (docs/decisions/security-log-buckets.md).
    log_lock_days: int = M_21_31_LOG_DAYS
    # The 30-month copies of the CloudWatch log groups (infra/audit/log_copies.py) go to Glacier
    # Flexible Retrieval on arrival: CloudWatch itself keeps the active year searchable.
    log_copy_cold_after_days: int = 0
    noncurrent_version_expiration_days: int = 365

    def __post_init__(self) -> None:
        for name in (
            "archive_expiration_days",
            "archive_lock_days",
            "log_expiration_days",
            "documents_lock_days",
            "documents_version_days",
        ):
            value = getattr(self, name)
            if value < SPEC_MIN_ARCHIVE_RETENTION_DAYS:
                raise ConfigError(
                    f"storage.{name}", value, f">= {SPEC_MIN_ARCHIVE_RETENTION_DAYS} (7 years)"
                )
        if not M_21_31_LOG_DAYS <= self.log_lock_days <= self.log_expiration_days:
            raise ConfigError(
                "storage.log_lock_days",
                self.log_lock_days,
                f"{M_21_31_LOG_DAYS} (OMB M-21-31)..{self.log_expiration_days} (log expiration)",
            )
