"""The DR region's own watch: its alert topic and the readiness check, evaluated in the DR
region so that detection and paging do not depend on the primary region."""

from __future__ import annotations

from typing import Any

from aws_cdk import aws_kms as kms
from constructs import Construct

from infra.config import PlatformConfig, RegionConfig
from infra.defaults.kms import domain_key
from infra.monitoring.dr_readiness import DrReadiness, expected_of
from infra.monitoring.topic import alert_topic
from infra.security.keys import _alarm_notifications
from infra.stacks.base import PlatformStack


class DrWatchStack(PlatformStack):
    """Exposes :attr:`topic` (``<prefix>-alerts`` in the DR region, e-mailed to the primary's
    subscribers) and :attr:`readiness`."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: PlatformConfig,
        region: RegionConfig,
        logs_key: kms.IKey,
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        names = region.names
        key = domain_key(
            self,
            "SnsKey",
            alias=names.key_alias("dr-sns"),
            description=f"{config.prefix}: DR-region alarm notifications",
            administrator=config.deployment.key_administrator_role,
            service_uses=(_alarm_notifications(names),),
        )
        self.topic = alert_topic(
            self,
            "Alerts",
            prefix=config.prefix,
            key=key,
            emails=config.monitoring.alert_emails,
        )
        self.readiness = DrReadiness(
            self,
            "Readiness",
            prefix=config.prefix,
            expected=expected_of(config),
            every_minutes=config.monitoring.dr_readiness_minutes,
            topic=self.topic,
            logs_key=logs_key,
            log_retention_days=config.compute.log_retention_days,
        )
