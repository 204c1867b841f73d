"""The audit archive section: the tamper-evident copy of the application audit trail."""

from __future__ import annotations

from dataclasses import dataclass

from infra.config.errors import ConfigError

# OMB M-21-31: 12 months in active storage, then 18 months in cold storage.
M_21_31_HOT_DAYS = 365
M_21_31_TOTAL_DAYS = 365 + 548


@dataclass(frozen=True)
class AuditArchiveConfig:
    """The tamper-evident copy of the application audit trail (AU-9, AU-11)."""

    hot_days: int = M_21_31_HOT_DAYS  # S3 Standard, then Glacier Flexible Retrieval
    retention_days: int = M_21_31_TOTAL_DAYS  # Object Lock COMPLIANCE, then expiry
    # Firehose buffers: whichever fills first writes one object.
    buffer_seconds: int = 300
    buffer_mib: int = 5

    def __post_init__(self) -> None:
        if self.hot_days < M_21_31_HOT_DAYS:
            raise ConfigError(
                "audit_archive.hot_days", self.hot_days, f">= {M_21_31_HOT_DAYS} (OMB M-21-31)"
            )
        if self.retention_days < max(M_21_31_TOTAL_DAYS, self.hot_days + 90):
            raise ConfigError(
                "audit_archive.retention_days",
                self.retention_days,
                f">= {M_21_31_TOTAL_DAYS} (OMB M-21-31) and >= hot_days + 90 (Glacier minimum)",
            )
        if not 0 <= self.buffer_seconds <= 900:
            raise ConfigError("audit_archive.buffer_seconds", self.buffer_seconds, "0..900")
        if not 1 <= self.buffer_mib <= 128:
            raise ConfigError("audit_archive.buffer_mib", self.buffer_mib, "1..128")
