"""The DR region's readiness check, evaluated in the DR region and paging on the DR region's
own alert topic (``pcs-<env>-dr-alerts``), so that detection and paging do not depend on the
primary region."""

from __future__ import annotations

from typing import Any

from aws_cdk import aws_kms as kms
from constructs import Construct

from infra.config import PlatformConfig
from infra.monitoring.dr_readiness import DrReadiness, expected_of
from infra.stacks.base import PlatformStack


class DrWatchStack(PlatformStack):
    """Exposes :attr:`readiness`."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: PlatformConfig,
        logs_key: kms.IKey,
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        self.readiness = DrReadiness(
            self,
            "Readiness",
            prefix=config.prefix,
            expected=expected_of(config),
            every_minutes=config.monitoring.dr_readiness_minutes,
            logs_key=logs_key,
            log_retention_days=config.compute.log_retention_days,
        )
