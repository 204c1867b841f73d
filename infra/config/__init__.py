"""The platform's typed configuration: schema here, values as data, one file per deployment.

Schema: one module per section (``network``, ``database``, ...), frozen dataclasses validated as
they are built. Values: ``environments.toml`` (dev, staging, prod: how safely) and ``tiers.toml``
(10k, 100k, 1m: how big) beside the schema; the operator's values (account, regions, domain,
zone, alert addresses, repository) in ``deployments/<name>.toml``. :func:`load_config` combines
them into a :class:`PlatformConfig`; a bad value raises :class:`ConfigError`, one line naming the
file, the field and what is allowed. Nothing below ``infra/app.py`` reads the process
environment or CDK context; constructs receive these objects.
"""

from infra.config.audit_archive import AuditArchiveConfig
from infra.config.backup import BackupConfig
from infra.config.cache import CacheConfig
from infra.config.compute import (
    Architecture,
    CapacityProviderShare,
    ComputeConfig,
    HealthCheck,
    ServiceScaling,
)
from infra.config.convert import as_dict
from infra.config.database import CapacityMode, DatabaseConfig
from infra.config.delivery import DeliveryConfig
from infra.config.deployment import Deployment, Environment, Tier
from infra.config.edge import CLOUDFRONT_SCOPE_REGION, EdgeConfig
from infra.config.errors import ConfigError
from infra.config.identity import FederationConfig, FederationProtocol, IdentityConfig
from infra.config.kafka import KafkaConfig
from infra.config.loader import (
    DEPLOYMENTS_DIR,
    ENVIRONMENTS,
    TIERS,
    deployment_names,
    load_config,
    read_deployment,
)
from infra.config.monitoring import MonitoringConfig
from infra.config.network import NetworkConfig
from infra.config.platform import SECTIONS, PlatformConfig
from infra.config.ports import Ports
from infra.config.region import RegionConfig, RegionRole
from infra.config.storage import StorageConfig

__all__ = [
    "CLOUDFRONT_SCOPE_REGION",
    "DEPLOYMENTS_DIR",
    "ENVIRONMENTS",
    "SECTIONS",
    "TIERS",
    "Architecture",
    "AuditArchiveConfig",
    "BackupConfig",
    "CacheConfig",
    "CapacityMode",
    "CapacityProviderShare",
    "ComputeConfig",
    "ConfigError",
    "DatabaseConfig",
    "DeliveryConfig",
    "Deployment",
    "EdgeConfig",
    "Environment",
    "FederationConfig",
    "FederationProtocol",
    "HealthCheck",
    "IdentityConfig",
    "KafkaConfig",
    "MonitoringConfig",
    "NetworkConfig",
    "PlatformConfig",
    "Ports",
    "RegionConfig",
    "RegionRole",
    "ServiceScaling",
    "StorageConfig",
    "Tier",
    "as_dict",
    "deployment_names",
    "load_config",
    "read_deployment",
]
