"""A region of the deployment as a value: its role, AWS region, AZs, network, cache and names.

The primary and the standby (pilot-light) region are built by one function
(:func:`infra.region.build_region`) from one of these each; nothing below reads a flag to learn
which region it is in (docs/decisions/dr-region-as-a-unit.md).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import Enum
from typing import TYPE_CHECKING

from infra.config.cache import CacheConfig
from infra.config.network import NetworkConfig, dr_region_network
from infra.names import PlatformNames

if TYPE_CHECKING:
    from infra.config.platform import PlatformConfig

# Multi-AZ failover needs two nodes; the standby keeps no more standing.
_STANDBY_CACHE_NODES = 2


class RegionRole(Enum):
    """What a region does: serves (primary) or waits at 0 tasks on replicas (standby)."""

    PRIMARY = "primary"
    STANDBY = "standby"


@dataclass(frozen=True)
class RegionConfig:
    """One region of the deployment (built by :meth:`PlatformConfig.region_config`)."""

    role: RegionRole
    name: str  # the AWS region
    availability_zones: tuple[str, ...]
    network: NetworkConfig
    cache: CacheConfig
    names: PlatformNames  # this region's: IAM names (global) carry the standby's region

    @property
    def standby(self) -> bool:
        """The services wait at 0 tasks, on the replicas of the primary's data."""
        return self.role is RegionRole.STANDBY

    def stack(self, unit: str) -> str:
        """The region's stack of ``unit``: ``<prefix>-<unit>``, ``<prefix>-dr-<unit>`` in the
        standby (``pcs-prod-dr-compute``)."""
        return self.names.stack(f"dr-{unit}" if self.standby else unit)

    def bucket(self, purpose: str) -> str:
        """This region's copy of the ``purpose`` bucket: the bucket, or in the standby its
        replica (deterministic names, so IAM statements name them literally)."""
        return self.names.replica_bucket(purpose) if self.standby else self.names.bucket(purpose)


def region_config(config: PlatformConfig, role: RegionRole) -> RegionConfig:
    """``config``'s region of ``role``: the deployment's region, or its DR region with the DR
    network layout and the standing pilot-light cache (dr-pilot-light-region.md)."""
    deployment = config.deployment
    names = PlatformNames.of(config)
    if role is RegionRole.PRIMARY:
        return RegionConfig(
            role=role,
            name=deployment.region,
            availability_zones=deployment.availability_zones,
            network=config.network,
            cache=config.cache,
            names=names,
        )
    cache = config.cache
    return RegionConfig(
        role=role,
        name=deployment.dr_region,
        availability_zones=deployment.dr_availability_zones,
        network=dr_region_network(
            config.network, deployment.dr_region, deployment.dr_availability_zones
        ),
        cache=replace(cache, node_type=cache.dr_node_type, node_count=_STANDBY_CACHE_NODES),
        names=names.in_standby(),
    )
