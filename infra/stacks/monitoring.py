"""Alerting and monitoring stacks: the topic first (compute's rollback alarm notifies it), then
the alarms and dashboards over everything the platform runs."""

from __future__ import annotations

from typing import Any

from aws_cdk import aws_kms as kms
from aws_cdk import aws_sns as sns
from constructs import Construct

from infra.config import PlatformConfig
from infra.monitoring.alarms import PlatformAlarms
from infra.monitoring.dashboard import overview_dashboard, service_dashboards
from infra.monitoring.metrics import PlatformMetrics
from infra.monitoring.slo import ServiceLevelObjectives
from infra.monitoring.targets import MonitoredPlatform
from infra.monitoring.topic import alert_topic
from infra.stacks.base import PlatformStack


class AlertsStack(PlatformStack):
    """Exposes :attr:`topic`, the KMS-encrypted SNS topic on-call subscribes to."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: PlatformConfig,
        sns_key: kms.IKey,
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        self.topic = alert_topic(
            self,
            "Alerts",
            prefix=config.prefix,
            key=sns_key,
            emails=config.monitoring.alert_emails,
            https_endpoints=config.monitoring.alert_https_endpoints,
        )


class MonitoringStack(PlatformStack):
    """The alarms of spec §5.2 (plus on-call's) and the dashboards of §5.1."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: PlatformConfig,
        platform: MonitoredPlatform,
        topic: sns.ITopic,
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
