"""Everything one synthesis needs: a deployment, its environment and tier, and every section."""

from __future__ import annotations

from dataclasses import dataclass, field

from infra.config.audit_archive import AuditArchiveConfig
from infra.config.backup import BackupConfig
from infra.config.cache import CacheConfig
from infra.config.compute import ComputeConfig
from infra.config.database import DatabaseConfig
from infra.config.delivery import DeliveryConfig
from infra.config.deployment import Deployment, Environment, Tier
from infra.config.edge import EdgeConfig
from infra.config.identity import IdentityConfig
from infra.config.kafka import KafkaConfig
from infra.config.monitoring import MonitoringConfig
from infra.config.network import NetworkConfig
from infra.config.ports import Ports
from infra.config.region import RegionConfig, RegionRole, region_config
from infra.config.storage import StorageConfig
from infra.names import PlatformNames


@dataclass(frozen=True)
class PlatformConfig:
    """A deployment at a tier, every section validated (built by :func:`load_config`)."""

    deployment: Deployment
    environment: Environment
    tier: Tier
    network: NetworkConfig
    database: DatabaseConfig
    cache: CacheConfig
    kafka: KafkaConfig
    compute: ComputeConfig
    edge: EdgeConfig
    delivery: DeliveryConfig
    monitoring: MonitoringConfig
    backup: BackupConfig
    storage: StorageConfig
    identity: IdentityConfig
    audit_archive: AuditArchiveConfig
    ports: Ports = field(default_factory=Ports)

    def region_config(self, role: RegionRole) -> RegionConfig:
        """The deployment's region of ``role`` (:mod:`infra.config.region`)."""
        return region_config(self, role)

    @property
    def prefix(self) -> str:
        """Name prefix of every resource: ``pcs-<environment>``."""
        return f"pcs-{self.environment.name}"

    @property
    def names(self) -> PlatformNames:
        """Every physical name of this deployment (:mod:`infra.names`)."""
        return PlatformNames.of(self)


# The sections, by the name they have in the values files and as load_config overrides.
SECTIONS: dict[str, type] = {
    "network": NetworkConfig,
    "database": DatabaseConfig,
    "cache": CacheConfig,
    "kafka": KafkaConfig,
    "compute": ComputeConfig,
    "edge": EdgeConfig,
    "delivery": DeliveryConfig,
    "monitoring": MonitoringConfig,
    "backup": BackupConfig,
    "storage": StorageConfig,
    "identity": IdentityConfig,
    "audit_archive": AuditArchiveConfig,
}
