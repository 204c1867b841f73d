"""The metrics the dashboards and alarms share, built once from :class:`MonitoredPlatform`."""

from __future__ import annotations

from collections.abc import Callable

from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_elasticloadbalancingv2 as elbv2

from infra.config import MonitoringConfig
from infra.monitoring.targets import MonitoredPlatform

ONE_MINUTE = Duration.minutes(1)
FIVE_MINUTES = Duration.minutes(5)


def container_insights(
    cluster_name: str, service_name: str, name: str, statistic: str
) -> cloudwatch.Metric:
    """A Container Insights metric of one ECS service, per minute."""
    return cloudwatch.Metric(
        namespace="ECS/ContainerInsights",
        metric_name=name,
        dimensions_map={"ClusterName": cluster_name, "ServiceName": service_name},
        statistic=statistic,
        period=ONE_MINUTE,
    )


def tasks_below_desired(
    cluster_name: str, service_name: str, label: str
) -> cloudwatch.MathExpression:
    """Desired minus running tasks of one service (0 when healthy): tasks that cannot start
    or keep crashing hold it above 0. A missing running count counts as none running, so a
    service whose tasks never reach RUNNING is counted from its desired count alone."""
    return cloudwatch.MathExpression(
        expression="desired - FILL(running, 0)",
        using_metrics={
            "desired": container_insights(
                cluster_name, service_name, "DesiredTaskCount", "Maximum"
            ),
            "running": container_insights(
                cluster_name, service_name, "RunningTaskCount", "Minimum"
            ),
        },
        label=label,
        period=ONE_MINUTE,
    )


def _summed(
    groups: tuple[elbv2.IApplicationTargetGroup, ...],
    metric: Callable[[elbv2.IApplicationTargetGroup], cloudwatch.IMetric],
    label: str,
    id_prefix: str,
) -> cloudwatch.MathExpression:
    """``metric`` of each target group added up per minute (a group without data counts 0);
    ``id_prefix`` keeps the query ids apart where two sums share a graph."""
    using = {f"{id_prefix}{index}": metric(group) for index, group in enumerate(groups)}
    return cloudwatch.MathExpression(
        expression=" + ".join(f"FILL({name}, 0)" for name in using),
        using_metrics=using,
        label=label,
        period=ONE_MINUTE,
    )


def _healthy(
    groups: tuple[elbv2.IApplicationTargetGroup, ...], label: str, id_prefix: str
) -> cloudwatch.MathExpression:
    return _summed(
        groups,
        lambda group: group.metrics.healthy_host_count(statistic="Minimum", period=ONE_MINUTE),
        label,
        id_prefix,
    )


class PlatformMetrics:
    """Named metrics of the platform, each with the statistic and period its alarm uses."""

    def __init__(self, platform: MonitoredPlatform, monitoring: MonitoringConfig) -> None:
        self._platform = platform
        self._monitoring = monitoring
        self._alb = platform.load_balancer.metrics

    def response_time(self, statistic: str, period: Duration = ONE_MINUTE) -> cloudwatch.Metric:
        """ALB ``TargetResponseTime`` (seconds) at ``statistic`` (p50, p95, p99).

        Unlabelled: a label would turn an alarm's plain metric into a metric-math query.
        """
        return self._alb.target_response_time(statistic=statistic, period=period)

    def target_responses(self, code: elbv2.HttpCodeTarget) -> cloudwatch.Metric:
        """Target 4xx or 5xx responses summed per minute."""
        return self._alb.http_code_target(code, statistic="Sum", period=ONE_MINUTE)

    def healthy_targets(self) -> cloudwatch.MathExpression:
        """Healthy API targets across blue and green (only one of them is live at a time)."""
        return _healthy(self._platform.target_groups, "Healthy API targets", "tg")

    def web_healthy_targets(self) -> cloudwatch.MathExpression:
        """Healthy web targets across its blue and green (only one of them is live at a time)."""
        return _healthy(self._platform.web_target_groups, "Healthy web targets", "web")

    def web_responses(self, code: elbv2.HttpCodeTarget) -> cloudwatch.MathExpression:
        """The web target groups' 4xx or 5xx responses summed per minute."""
        kind = code.value.split("_")[1].lower()  # TARGET_5XX_COUNT: 5xx
        return _summed(
            self._platform.web_target_groups,
            lambda group: group.metrics.http_code_target(code, statistic="Sum", period=ONE_MINUTE),
            f"Web target {kind}",
            f"web{kind}",
        )

    def service_metric(
        self, service: ecs.BaseService, name: str, statistic: str
    ) -> cloudwatch.Metric:
        """A Container Insights metric of one ECS service."""
        return container_insights(
            self._platform.cluster.cluster_name, service.service_name, name, statistic
        )

    def missing_tasks(self, role: str) -> cloudwatch.MathExpression:
        """Desired minus running tasks of the ``role`` service (0 when healthy)."""
        return tasks_below_desired(
            self._platform.cluster.cluster_name,
            self._platform.services[role].service_name,
            f"{role}: desired - running",
        )

    def service_cpu(self, role: str) -> cloudwatch.Metric:
        """``CPUUtilization`` (AWS/ECS) of the ``role`` service, averaged per minute."""
        return self._platform.services[role].metric_cpu_utilization(period=ONE_MINUTE)

    def database(
        self, name: str, statistic: str, period: Duration = ONE_MINUTE
    ) -> cloudwatch.Metric:
        """An AWS/RDS metric of the Aurora cluster (dimension DBClusterIdentifier)."""
        return self._platform.database.metric(name, statistic=statistic, period=period)

    def cache(self, name: str, statistic: str) -> dict[str, cloudwatch.Metric]:
        """An AWS/ElastiCache metric of each replication-group member, by member id."""
        return {
            node: cloudwatch.Metric(
                namespace="AWS/ElastiCache",
                metric_name=name,
                dimensions_map={"CacheClusterId": node},
                statistic=statistic,
                period=ONE_MINUTE,
                label=node,
            )
            for node in self._platform.cache_nodes
        }

    def cache_memory_peak(self) -> cloudwatch.MathExpression:
        """The fullest member's ``DatabaseMemoryUsagePercentage`` (the primary can move)."""
        using = {
            f"node{index}": metric
            for index, metric in enumerate(
                self.cache("DatabaseMemoryUsagePercentage", "Maximum").values()
            )
        }
        return cloudwatch.MathExpression(
            expression=f"MAX([{', '.join(using)}])",
            using_metrics=using,
            label="Redis memory used (fullest node, %)",
            period=ONE_MINUTE,
        )

    def celery(
        self, name: str, statistic: str = "Maximum", period: Duration = ONE_MINUTE
    ) -> cloudwatch.Metric:
        """A Celery metric Beat publishes for the worker's queues (QueueDepth,
        OldestTaskAgeSeconds, TasksFailed, TasksRetried), max per minute unless told."""
        return cloudwatch.Metric(
            namespace=self._monitoring.celery_metrics_namespace,
            metric_name=name,
            dimensions_map={"Service": self._platform.services["worker"].service_name},
            statistic=statistic,
            period=period,
        )

    def waf(self, name: str) -> cloudwatch.Metric:
        """A WAF (CloudFront scope, so us-east-1) metric over all rules of the web ACL."""
        return cloudwatch.Metric(
            namespace="AWS/WAFV2",
            metric_name=name,
            dimensions_map={"WebACL": str(self._platform.web_acl.name), "Rule": "ALL"},
            statistic="Sum",
            period=ONE_MINUTE,
            region="us-east-1",
        )
