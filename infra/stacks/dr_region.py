"""The pilot-light DR region's data tier: the global database's secondary and its key.

The DR region's network is the primary's NetworkStack built with the DR layout
(:func:`~infra.config.network.dr_region_network`); this stack runs inside it.
"""

from __future__ import annotations

from typing import Any

from constructs import Construct

from infra.config import PlatformConfig
from infra.data.global_database import SecondaryCluster
from infra.defaults.kms import domain_key
from infra.network.security_groups import PlatformSecurityGroups
from infra.stacks.base import PlatformStack


class DrDatabaseStack(PlatformStack):
    """Deployed to the DR region after the primary data stack (which creates the global cluster).

    Exposes :attr:`secondary` and :attr:`key`.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: PlatformConfig,
        vpc: Any,
        security_groups: PlatformSecurityGroups,
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        self.key = domain_key(
            self,
            "DatabaseKey",
            alias=f"alias/{config.prefix}/dr-database",
            description=f"{config.prefix}: the global database's DR-region secondary",
            administrator=config.deployment.key_administrator_role,
        )
        self.secondary = SecondaryCluster(
            self,
            "Secondary",
            prefix=config.prefix,
            identifier=config.names.secondary_cluster,
            global_identifier=config.names.global_cluster,
            database=config.database,
            ports=config.ports,
            vpc=vpc,
            security_group=security_groups.database,
            key=self.key,
        )
