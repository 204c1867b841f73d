"""Dashboards: the spec's overview (§5.1) with the on-call rows, and per-service detail."""

from __future__ import annotations

from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_elasticloadbalancingv2 as elbv2
from aws_cdk import aws_sns as sns
from cdk_monitoring_constructs import (
    DefaultDashboardFactory,
    ElastiCacheClusterType,
    MonitoringFacade,
)
from constructs import Construct

from infra.monitoring.metrics import PlatformMetrics
from infra.monitoring.targets import MonitoredPlatform

FULL, HALF, THIRD = 24, 12, 8
HEIGHT = 6


def overview_dashboard(
    scope: Construct,
    construct_id: str,
    *,
    prefix: str,
    platform: MonitoredPlatform,
    metrics: PlatformMetrics,
    alarms: list[cloudwatch.IAlarm],
    budget_widgets: list[cloudwatch.IWidget],
) -> cloudwatch.Dashboard:
    """``<prefix>-overview``: the five widgets of spec §5.1, then what on-call looks at next,
    starting with the error budgets left."""

    def graph(
        title: str, width: int, left: list[cloudwatch.IMetric], **extra
    ) -> cloudwatch.GraphWidget:
        return cloudwatch.GraphWidget(title=title, width=width, height=HEIGHT, left=left, **extra)

    services = list(platform.services)
    spec_rows = [
        [
            graph(
                "API Response Times",
                HALF,
                [metrics.response_time(s).with_(label=s.upper()) for s in ("p50", "p95", "p99")],
            ),
            graph(
                "Error Rates",
                HALF,
                [
                    metrics.target_responses(elbv2.HttpCodeTarget.TARGET_5XX_COUNT),
                    metrics.target_responses(elbv2.HttpCodeTarget.TARGET_4XX_COUNT),
                ],
            ),
        ],
        [
            graph("ECS CPU Utilization", THIRD, [metrics.service_cpu("api")]),
            graph(
                "Database Connections", THIRD, [metrics.database("DatabaseConnections", "Average")]
            ),
            graph(
                "Redis Cache Hit Rate",
                THIRD,
                list(metrics.cache("CacheHitRate", "Average").values()),
            ),
        ],
    ]
    on_call_rows = [
        budget_widgets,
        [
            cloudwatch.AlarmStatusWidget(
                title="Alarms", alarms=alarms, width=FULL, height=HEIGHT // 2
            )
        ],
        [
            graph(
                "Running vs desired tasks",
                HALF,
                [
                    metric
                    for role in services
                    for metric in (
                        metrics.service_metric(
                            platform.services[role], "RunningTaskCount", "Minimum"
                        ).with_(label=f"{role} running"),
                        metrics.service_metric(
                            platform.services[role], "DesiredTaskCount", "Maximum"
                        ).with_(label=f"{role} desired"),
                    )
                ],
            ),
            graph("Healthy API targets", HALF, [metrics.healthy_targets()]),
        ],
        [
            graph(
                "Celery queue",
                THIRD,
                [metrics.celery("QueueDepth").with_(label="messages waiting")],
                right=[metrics.celery("OldestTaskAgeSeconds").with_(label="oldest task age (s)")],
            ),
            graph(
                "Aurora replica lag (ms)",
                THIRD,
                [metrics.database("AuroraReplicaLagMaximum", "Maximum")],
            ),
            graph(
                "Aurora freeable memory",
                THIRD,
                [metrics.database("FreeableMemory", "Minimum")],
            ),
        ],
        [
            graph(
                "Web front end responses",
                THIRD,
                [
                    metrics.web_responses(elbv2.HttpCodeTarget.TARGET_5XX_COUNT),
                    metrics.web_responses(elbv2.HttpCodeTarget.TARGET_4XX_COUNT),
                ],
            ),
            graph("Healthy web targets", THIRD, [metrics.web_healthy_targets()]),
            graph("Web CPU utilization", THIRD, [metrics.service_cpu("web")]),
        ],
        [
            graph("Redis memory used (%)", HALF, [metrics.cache_memory_peak()]),
            graph(
                "WAF blocked requests",
                HALF,
                [metrics.waf("BlockedRequests"), metrics.waf("AllowedRequests")],
            ),
        ],
    ]
    return cloudwatch.Dashboard(
        scope,
        construct_id,
        dashboard_name=f"{prefix}-overview",
        widgets=[*spec_rows, *on_call_rows],
    )


def service_dashboards(
    scope: Construct,
    construct_id: str,
    *,
    prefix: str,
    platform: MonitoredPlatform,
    topic: sns.ITopic,
) -> MonitoringFacade:
    """``<prefix>-services``: cdk-monitoring-constructs' per-resource widgets (no alarms: the
    alarms are :class:`~infra.monitoring.alarms.PlatformAlarms`, with the spec's figures)."""
    facade = MonitoringFacade(
        scope,
        construct_id,
        dashboard_factory=DefaultDashboardFactory(
            scope, f"{construct_id}Dashboards", dashboard_name_prefix=f"{prefix}-services"
        ),
    )
    for role, service in platform.services.items():
        facade.monitor_simple_fargate_service(fargate_service=service, human_readable_name=role)
    facade.monitor_aurora_cluster(cluster=platform.database, human_readable_name="Aurora")
    for node in platform.cache_nodes:
        facade.monitor_elasti_cache_cluster(
            cluster_type=ElastiCacheClusterType.REDIS, cluster_id=node, human_readable_name=node
        )
    facade.monitor_web_application_firewall_acl_v2(acl=platform.web_acl, region="us-east-1")
    facade.monitor_sns_topic(topic=topic, human_readable_name="Alerts")
    return facade
