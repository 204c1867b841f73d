"""The Aurora PostgreSQL section."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from infra.config.errors import (
    SPEC_MIN_DB_BACKUP_RETENTION_DAYS,
    SPEC_MIN_LOG_RETENTION_DAYS,
    ConfigError,
    check_log_retention,
)

# Memory (GiB) of the provisioned classes a tier may run: a Serverless v2 ACU is about 2 GiB, so
# the DR region's reader (promoted on a failover) must scale to this over 2 ACU to carry it.
PROVISIONED_CLASS_GIB = {
    "t4g.medium": 4,
    "t4g.large": 8,
    "r6g.large": 16,
    "r7g.large": 16,
    "r6g.xlarge": 32,
    "r7g.xlarge": 32,
    "r7g.2xlarge": 64,
}
GIB_PER_ACU = 2


class CapacityMode(StrEnum):
    """How Aurora instances are sized: Serverless v2 ACUs or fixed provisioned classes."""

    SERVERLESS_V2 = "serverless-v2"
    PROVISIONED = "provisioned"


@dataclass(frozen=True)
class DatabaseConfig:
    """Aurora PostgreSQL (spec §3). Engine 17.x: the spec's 15.4 can no longer be created."""

    capacity_mode: CapacityMode = CapacityMode.SERVERLESS_V2
    serverless_min_acu: float = 0.5
    serverless_max_acu: float = 32
    instance_class: str = "r7g.large"  # used when capacity_mode is provisioned
    reader_count: int = 2
    engine_version: str = "17.6"
    engine_major_version: str = "17"
    database_name: str = "pcs"
    master_username: str = "pcs_admin"
    # The services' login role: DML only, row-level security applies (data-aurora-app-role.md).
    app_username: str = "pcs_app"
    # The outbox publisher's login: the only member of the role the outbox's policy admits to
    # every tenant's events (docs/decisions/outbox-publisher-role.md).
    publisher_username: str = "pcs_publisher"
    backup_retention_days: int = 35
    backup_window: str = "03:00-04:00"
    maintenance_window: str = "sun:04:00-sun:05:00"
    monitoring_interval_seconds: int = 60
    auto_explain_log_min_duration_ms: int = 1000
    max_connections: int = 1000  # instance-level in Aurora PostgreSQL (DB parameter group)
    # pgaudit classes logged instead of the spec's log_statement=all, which would write passwords
    # and PII to the logs (docs/decisions/data-aurora-parameters.md).
    pgaudit_log: str = "ddl,role,write"
    log_retention_days: int = SPEC_MIN_LOG_RETENTION_DAYS  # exported postgresql log, AU-11
    credential_rotation_days: int = 30
    deletion_protection: bool = True
    # Aurora Global Database (docs/decisions/dr-global-database.md): the DR region's secondary
    # cluster is headless or has one Serverless v2 reader with these ACU bounds, which becomes
    # the writer on failover without waiting for an instance to be created.
    dr_reader: bool = True
    dr_reader_acu: tuple[float, float] = (0.5, 32)
    # The database's recovery point objective in a region failover: the most replication lag
    # (AuroraGlobalDBRPOLag) the DR readiness check accepts, the runbook's database RPO, and
    # Aurora's managed RPO (rds.global_db_rpo: the primary pauses commits while no secondary is
    # within it, docs/decisions/dr-bounded-rpo.md). Aurora accepts 20 s and up.
    global_rpo_seconds: int = 60
    # The DR region's alarm on AuroraGlobalDBRPOLag, before commits would pause.
    global_db_rpo_alarm_seconds: int = 30

    def __post_init__(self) -> None:
        if self.backup_retention_days < SPEC_MIN_DB_BACKUP_RETENTION_DAYS:
            raise ConfigError(
                "database.backup_retention_days",
                self.backup_retention_days,
                f">= {SPEC_MIN_DB_BACKUP_RETENTION_DAYS} (spec §3.1)",
            )
        if not 0.5 <= self.serverless_min_acu <= self.serverless_max_acu <= 256:
            raise ConfigError(
                "database.serverless_min_acu",
                (self.serverless_min_acu, self.serverless_max_acu),
                "0.5 <= min ACU <= max ACU <= 256",
            )
        if self.reader_count < 1:
            raise ConfigError(
                "database.reader_count", self.reader_count, ">= 1 (Multi-AZ failover)"
            )
        if self.global_rpo_seconds < 20:
            raise ConfigError(
                "database.global_rpo_seconds",
                self.global_rpo_seconds,
                ">= 20 (Aurora's rds.global_db_rpo minimum)",
            )
        check_log_retention("database.log_retention_days", self.log_retention_days)
        if self.capacity_mode == CapacityMode.PROVISIONED:
            self._check_provisioned()
        if not 0 < self.global_db_rpo_alarm_seconds < self.global_rpo_seconds:
            raise ConfigError(
                "database.global_db_rpo_alarm_seconds",
                self.global_db_rpo_alarm_seconds,
                f"> 0 and < database.global_rpo_seconds ({self.global_rpo_seconds})",
            )

    def _check_provisioned(self) -> None:
        """A provisioned class the model prices, which the DR secondary's reader can carry."""
        gib = PROVISIONED_CLASS_GIB.get(self.instance_class)
        if gib is None:
            raise ConfigError(
                "database.instance_class",
                self.instance_class,
                f"one of {', '.join(sorted(PROVISIONED_CLASS_GIB))}",
            )
        if self.dr_reader and self.dr_reader_acu[1] * GIB_PER_ACU < gib:
            raise ConfigError(
                "database.dr_reader_acu",
                tuple(self.dr_reader_acu),
                f"a maximum of at least {gib // GIB_PER_ACU} ACU ({GIB_PER_ACU} GiB each) to carry "
                f"the provisioned db.{self.instance_class} writer's {gib} GiB",
            )
