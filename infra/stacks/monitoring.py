"""Alerting and monitoring stacks: the topic first (compute's rollback alarm notifies it), then
the alarms and dashboards over everything the platform runs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aws_cdk import aws_kms as kms
from aws_cdk import aws_sns as sns
from constructs import Construct

from infra.config import PlatformConfig, RegionConfig
from infra.defaults.kms import domain_key
from infra.monitoring.alarms import PlatformAlarms
from infra.monitoring.canary import DocumentsCanary
from infra.monitoring.dashboard import overview_dashboard, service_dashboards
from infra.monitoring.metrics import PlatformMetrics
from infra.monitoring.slo import ServiceLevelObjectives
from infra.monitoring.targets import MonitoredPlatform
from infra.monitoring.topic import alert_topic
from infra.security.keys import _alarm_notifications
from infra.stacks.base import PlatformStack


class AlertsStack(PlatformStack):
    """Exposes :attr:`topic`, the region's KMS-encrypted SNS topic on-call subscribes to.

    The primary's topic is encrypted with the foundation's sns key (``sns_key``). The standby
    deploys this stack first, so that every alarm of its later stacks can page on it, and with
    no key before it the stack holds the topic's own (``alias/<prefix>/dr-sns``).
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: PlatformConfig,
        region: RegionConfig,
        sns_key: kms.IKey | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        if sns_key is None:
            sns_key = domain_key(
                self,
                "SnsKey",
                alias=region.names.key_alias("dr-sns"),
                description=f"{config.prefix}: DR-region alarm notifications",
                administrator=config.deployment.key_administrator_role,
                service_uses=(_alarm_notifications(region.names),),
            )
        self.topic = alert_topic(
            self,
            "Alerts",
            prefix=config.prefix,
            key=sns_key,
            emails=config.monitoring.alert_emails,
            https_endpoints=config.monitoring.alert_https_endpoints,
        )


class MonitoringStack(PlatformStack):
    """The alarms of spec §5.2 (plus on-call's), the region's synthetic canary (``canary``
    builds it in this stack) and the dashboards of §5.1, whose alarm status lists them all."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: PlatformConfig,
        platform: MonitoredPlatform,
        topic: sns.ITopic,
        canary: Callable[[Construct], DocumentsCanary],
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        metrics = PlatformMetrics(platform, config.monitoring)
        self.alarms = PlatformAlarms(
            self,
            "Alarms",
            names=config.names,
            monitoring=config.monitoring,
            platform=platform,
            metrics=metrics,
            topic=topic,
        ).alarms
        objectives = ServiceLevelObjectives(
            self,
            "Objectives",
            names=config.names,
            monitoring=config.monitoring,
            platform=platform,
            topic=topic,
        )
        self.alarms.update(objectives.alarms)
        self.alarms["canary-documents-failed"] = canary(self).alarm
        self.overview = overview_dashboard(
            self,
            "Overview",
            prefix=config.prefix,
            platform=platform,
            metrics=metrics,
            alarms=list(self.alarms.values()),
            budget_widgets=objectives.budget_widgets,
        )
        self.services = service_dashboards(
            self,
            "Services",
            prefix=config.prefix,
            platform=platform,
            topic=topic,
        )
