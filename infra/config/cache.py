"""The ElastiCache section."""

from __future__ import annotations

from dataclasses import dataclass

from infra.config.errors import SPEC_MIN_LOG_RETENTION_DAYS, ConfigError, check_log_retention


@dataclass(frozen=True)
class CacheConfig:
    """ElastiCache replication group, cluster mode disabled (Celery's Redis broker needs that)."""

    engine: str = "valkey"
    engine_version: str = "8.0"
    node_type: str = "cache.t4g.medium"
    node_count: int = 3
    snapshot_retention_days: int = 15  # NIST 800-53 R5 (CP-9) checks ask for >= 15 days
    snapshot_window: str = "05:00-06:00"
    maintenance_window: str = "sun:06:00-sun:07:00"
    log_retention_days: int = SPEC_MIN_LOG_RETENTION_DAYS  # slow log and engine log, AU-11
    # The pilot-light DR region keeps the smallest Multi-AZ pair standing, so its task
    # definitions name a real endpoint; failover scales it to node_type (dr-pilot-light-region.md).
    dr_node_type: str = "cache.t4g.micro"

    def __post_init__(self) -> None:
        if self.engine not in ("valkey", "redis"):
            raise ConfigError("cache.engine", self.engine, "valkey, redis")
        if self.node_count < 2:
            raise ConfigError("cache.node_count", self.node_count, ">= 2 (Multi-AZ failover)")
        check_log_retention("cache.log_retention_days", self.log_retention_days)
        for name in ("node_type", "dr_node_type"):
            if not getattr(self, name).startswith("cache."):
                raise ConfigError(f"cache.{name}", getattr(self, name), "a cache.* node type")
