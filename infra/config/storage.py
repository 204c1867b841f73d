"""The S3 lifecycle section."""

from __future__ import annotations

from dataclasses import dataclass

from infra.config.errors import SPEC_MIN_ARCHIVE_RETENTION_DAYS, ConfigError


@dataclass(frozen=True)
class StorageConfig:
    """S3 buckets: documents, backups, logs (architecture overview)."""

    archive_transition_days: int = 30  # backups bucket to Glacier
    archive_expiration_days: int = 2555
    log_transition_days: int = 90  # logs bucket to Glacier Instant Retrieval
    log_expiration_days: int = 2555
    noncurrent_version_expiration_days: int = 365

    def __post_init__(self) -> None:
        for name in ("archive_expiration_days", "log_expiration_days"):
            value = getattr(self, name)
            if value < SPEC_MIN_ARCHIVE_RETENTION_DAYS:
                raise ConfigError(
                    f"storage.{name}", value, f">= {SPEC_MIN_ARCHIVE_RETENTION_DAYS} (7 years)"
                )
