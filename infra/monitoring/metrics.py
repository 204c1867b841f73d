"""The metrics the dashboards and alarms share, built once from :class:`MonitoredPlatform`."""

from __future__ import annotations

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
        using = {
            f"tg{index}": group.metrics.healthy_host_count(statistic="Minimum", period=ONE_MINUTE)
            for index, group in enumerate(self._platform.target_groups)
        }
        return cloudwatch.MathExpression(
            expression=" + ".join(f"FILL({name}, 0)" for name in using),
            using_metrics=using,
            label="Healthy API targets",
            period=ONE_MINUTE,
        )

    def web_healthy_targets(self) -> cloudwatch.Metric:
        """Healthy targets of the web front end's one target group."""
        return self._platform.web_target_group.metrics.healthy_host_count(
            statistic="Minimum", period=ONE_MINUTE
        )

    def web_responses(self, code: elbv2.HttpCodeTarget) -> cloudwatch.Metric:
        """The web target group's 4xx or 5xx responses summed per minute."""
        return self._platform.web_target_group.metrics.http_code_target(
            code, statistic="Sum", period=ONE_MINUTE
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
