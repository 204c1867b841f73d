"""The alarms of spec §5.2 and those on-call needs besides, all notifying one SNS topic.

Each alarm states how it treats missing data, and why: a metric that stops is sometimes the
incident itself (no healthy targets), sometimes just quiet (no requests, no errors).
"""

from __future__ import annotations

from dataclasses import dataclass

from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as actions
from aws_cdk import aws_sns as sns
from constructs import Construct

from infra.config import MonitoringConfig
from infra.monitoring.metrics import PlatformMetrics
from infra.monitoring.targets import MonitoredPlatform
from infra.names import PlatformNames

Missing = cloudwatch.TreatMissingData
ABOVE = cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD
BELOW = cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD


@dataclass(frozen=True)
class Notify:
    """Which state changes reach the topic: ALARM always; OK and INSUFFICIENT_DATA if set."""

    ok: bool = True
    insufficient_data: bool = False


class PlatformAlarms(Construct):
    """Creates the alarms (except the API 5xx alarm, which compute owns) and wires all of them,
    that one included, to ``topic``. :attr:`alarms` lists every alarm by short name."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        names: PlatformNames,
        monitoring: MonitoringConfig,
        platform: MonitoredPlatform,
        metrics: PlatformMetrics,
        topic: sns.ITopic,
    ) -> None:
        super().__init__(scope, construct_id)
        self._names = names
        self._action = actions.SnsAction(topic)
        m = monitoring
        minute = Duration.seconds(m.service_alarm_period_seconds)
        # The compute stack's rollback alarms (spec §5.2's first alarm among them): on-call
        # hears a release roll back, and when it is over.
        self.alarms: dict[str, cloudwatch.IAlarm] = {}
        for name, alarm in platform.rollback_alarms.items():
            self._notify(alarm, Notify(ok=True))
            self.alarms[name] = alarm

        # Spec §5.2. Missing CPU data means the cluster is not reporting, which the healthy-target
        # and running-task alarms cover; keep the last state rather than page twice.
        self._add(
            "db-cpu-high",
            "Database CPU utilization is high (spec §5.2)",
            metrics.database(
                "CPUUtilization", "Average", Duration.seconds(m.db_cpu_period_seconds)
            ),
            threshold=m.db_cpu_threshold_percent,
            evaluation_periods=m.db_cpu_evaluation_periods,
            missing=Missing.MISSING,
            notify=Notify(ok=True),
        )
        # Spec §5.2 (alarm action only, as written). No requests means no latency to judge.
        self._add(
            "latency-high",
            "P99 latency exceeds 500ms (spec §5.2)",
            metrics.response_time("p99", Duration.seconds(m.p99_latency_period_seconds)),
            threshold=m.p99_latency_threshold_seconds,
            evaluation_periods=m.p99_latency_evaluation_periods,
            missing=Missing.NOT_BREACHING,
            notify=Notify(ok=False),
        )
        # No datapoint for either target group means no target registered at all: that is
        # the outage, so missing data breaches.
        self._add(
            "api-no-healthy-targets",
            "No healthy API target behind the ALB (blue and green together)",
            metrics.healthy_targets(),
            threshold=1,
            comparison=BELOW,
            evaluation_periods=m.healthy_targets_evaluation_periods,
            missing=Missing.BREACHING,
        )
        self._add(
            "web-no-healthy-targets",
            "No healthy web front end target behind the ALB",
            metrics.web_healthy_targets(),
            threshold=1,
            comparison=BELOW,
            evaluation_periods=m.healthy_targets_evaluation_periods,
            missing=Missing.BREACHING,
        )
        # Container Insights reports every minute while a service exists; silence means the
        # service or its tasks are gone, so it breaches.
        for role in platform.services:
            if f"{role}-tasks-below-desired" in self.alarms:
                continue  # the service's rollback alarm (compute), notified above
            self._add(
                f"{role}-tasks-below-desired",
                f"The {role} service runs fewer tasks than desired for "
                f"{m.running_tasks_evaluation_periods} minutes",
                metrics.missing_tasks(role),
                threshold=0,
                evaluation_periods=m.running_tasks_evaluation_periods,
                missing=Missing.BREACHING,
            )
        # Readers without lag data are readers that are down: Aurora fails reads over to the
        # writer, and the CPU alarm watches the load; keep state instead of paging on a gap.
        self._add(
            "db-replica-lag",
            "Aurora replica lag above threshold: reads see stale data",
            metrics.database("AuroraReplicaLagMaximum", "Maximum", minute),
            threshold=m.replica_lag_threshold_ms,
            evaluation_periods=m.replica_lag_evaluation_periods,
            missing=Missing.MISSING,
        )
        # A node that stops reporting is covered by ElastiCache events and failover; keep state.
        self._add(
            "redis-memory-high",
            "Redis memory above threshold: Celery's broker and the cache may start evicting",
            metrics.cache_memory_peak(),
            threshold=m.redis_memory_threshold_percent,
            evaluation_periods=m.redis_memory_evaluation_periods,
            missing=Missing.MISSING,
        )
        # Beat publishes the queue metrics (not the worker they measure); if it stops, the alarm
        # goes to INSUFFICIENT_DATA and says so once (the queue is unobserved), not guessing.
        for name, metric_name, threshold, what in (
            ("celery-queue-depth", "QueueDepth", m.queue_depth_threshold, "messages waiting"),
            (
                "celery-queue-age",
                "OldestTaskAgeSeconds",
                m.queue_age_threshold_seconds,
                "seconds the oldest task has waited",
            ),
        ):
            self._add(
                name,
                f"Celery {what} above threshold",
                metrics.celery(metric_name),
                threshold=threshold,
                evaluation_periods=m.queue_evaluation_periods,
                missing=Missing.MISSING,
                notify=Notify(ok=True, insufficient_data=True),
            )
        # Tasks that raised (after their retries), counted by the workers, published by Beat;
        # a gap is the queue alarms' INSUFFICIENT_DATA, reported there once.
        failed_period = Duration.minutes(m.celery_failed_tasks_period_minutes)
        self._add(
            "celery-tasks-failed",
            f"More than {m.celery_failed_tasks_threshold} Celery tasks failed in "
            f"{m.celery_failed_tasks_period_minutes} minutes (TasksFailed; retries: TasksRetried)",
            metrics.celery("TasksFailed", "Sum", failed_period),
            threshold=m.celery_failed_tasks_threshold,
            evaluation_periods=1,
            missing=Missing.MISSING,
            notify=Notify(ok=True),
        )

    def _add(
        self,
        name: str,
        description: str,
        metric: cloudwatch.IMetric,
        *,
        threshold: float,
        evaluation_periods: int,
        missing: cloudwatch.TreatMissingData,
        comparison: cloudwatch.ComparisonOperator = ABOVE,
        notify: Notify = Notify(),
    ) -> None:
        alarm = cloudwatch.Alarm(
            self,
            "".join(part.title() for part in name.split("-")),
            alarm_name=self._names.alarm(name),
            alarm_description=description,
            metric=metric,
            threshold=threshold,
            evaluation_periods=evaluation_periods,
            comparison_operator=comparison,
            treat_missing_data=missing,
        )
        self._notify(alarm, notify)
        self.alarms[name] = alarm

    def _notify(self, alarm: cloudwatch.Alarm, notify: Notify) -> None:
        alarm.add_alarm_action(self._action)
        if notify.ok:
            alarm.add_ok_action(self._action)
        if notify.insufficient_data:
            alarm.add_insufficient_data_action(self._action)


__all__ = ["Notify", "PlatformAlarms"]
