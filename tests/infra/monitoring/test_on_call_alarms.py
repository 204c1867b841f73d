"""Alarms beyond spec §5.2 that on-call needs: targets, tasks, replica lag, Redis, Celery."""

from __future__ import annotations

import pytest

from tests.infra.monitoring.helpers import alarm, is_alerts_topic, queries, stat

# The worker's and Beat's are their releases' rollback alarms, so the compute stack owns them.
OWNER = {"worker": "compute", "beat": "compute"}


def _owner(name: str) -> str:
    return OWNER.get(name.split("-")[0], "monitoring") if "tasks-below" in name else "monitoring"


def test_no_healthy_targets_adds_blue_and_green_and_breaches_below_one(prod):
    found = alarm(prod, "monitoring", "api-no-healthy-targets")
    by_id = queries(found)
    (expression,) = [q for q in by_id.values() if "Expression" in q]
    assert expression["Expression"] == "FILL(tg0, 0) + FILL(tg1, 0)"
    for tg in ("tg0", "tg1"):
        name, statistic, period, dimensions = stat(by_id[tg])
        assert (name, statistic, period) == ("HealthyHostCount", "Minimum", 60)
        assert set(dimensions) == {"LoadBalancer", "TargetGroup"}
    assert (found["ComparisonOperator"], found["Threshold"]) == ("LessThanThreshold", 1)
    assert found["EvaluationPeriods"] == 2


def test_no_healthy_targets_treats_missing_data_as_the_outage(prod):
    assert alarm(prod, "monitoring", "api-no-healthy-targets")["TreatMissingData"] == "breaching"


@pytest.mark.parametrize("role", ["api", "worker", "beat", "web"])
def test_tasks_below_desired_compares_container_insights_counts_for_five_minutes(prod, role):
    found = alarm(prod, _owner(f"{role}-tasks-below-desired"), f"{role}-tasks-below-desired")
    by_id = queries(found)
    (expression,) = [q for q in by_id.values() if "Expression" in q]
    assert expression["Expression"] == "desired - FILL(running, 0)"
    assert stat(by_id["desired"])[:3] == ("DesiredTaskCount", "Maximum", 60)
    assert stat(by_id["running"])[:3] == ("RunningTaskCount", "Minimum", 60)
    namespace = by_id["running"]["MetricStat"]["Metric"]["Namespace"]
    assert namespace == "ECS/ContainerInsights"
    assert set(stat(by_id["running"])[3]) == {"ClusterName", "ServiceName"}
    assert (found["ComparisonOperator"], found["Threshold"]) == ("GreaterThanThreshold", 0)
    assert found["EvaluationPeriods"] == 5
    assert found["TreatMissingData"] == "breaching"


def test_replica_lag_alarm_pages_above_one_second_for_five_minutes(prod):
    found = alarm(prod, "monitoring", "db-replica-lag")
    assert (found["Namespace"], found["MetricName"]) == ("AWS/RDS", "AuroraReplicaLagMaximum")
    assert (found["Statistic"], found["Period"], found["EvaluationPeriods"]) == ("Maximum", 60, 5)
    assert found["Threshold"] == prod.config.monitoring.replica_lag_threshold_ms == 1000
    assert found["TreatMissingData"] == "missing"


def test_redis_memory_alarm_watches_the_fullest_of_the_three_nodes_above_80_percent(prod):
    found = alarm(prod, "monitoring", "redis-memory-high")
    by_id = queries(found)
    (expression,) = [q for q in by_id.values() if "Expression" in q]
    assert expression["Expression"] == "MAX([node0, node1, node2])"
    nodes = sorted(stat(by_id[f"node{i}"])[3]["CacheClusterId"] for i in range(3))
    assert nodes == ["pcs-prod-cache-001", "pcs-prod-cache-002", "pcs-prod-cache-003"]
    assert stat(by_id["node0"])[:3] == ("DatabaseMemoryUsagePercentage", "Maximum", 60)
    assert found["Threshold"] == prod.config.monitoring.redis_memory_threshold_percent == 80
    assert (found["EvaluationPeriods"], found["TreatMissingData"]) == (5, "missing")


@pytest.mark.parametrize(
    ("name", "metric", "threshold"),
    [
        ("celery-queue-depth", "QueueDepth", 1000),
        ("celery-queue-age", "OldestTaskAgeSeconds", 300),
    ],
)
def test_celery_alarm_reads_the_worker_metric_and_reports_when_it_stops(
    prod, name, metric, threshold
):
    found = alarm(prod, "monitoring", name)
    assert (found["Namespace"], found["MetricName"]) == ("PCS/Celery", metric)
    assert (found["Statistic"], found["Period"], found["EvaluationPeriods"]) == ("Maximum", 60, 5)
    assert found["Threshold"] == threshold
    assert found["Dimensions"] == [{"Name": "Service", "Value": found["Dimensions"][0]["Value"]}]
    assert found["TreatMissingData"] == "missing"
    assert [is_alerts_topic(a) for a in found["InsufficientDataActions"]] == [True]


def test_more_than_10_failed_tasks_in_5_minutes_page(prod):
    """Issue 25 point 3: the workers' failed tasks (counted by signals, published by Beat)."""
    found = alarm(prod, "monitoring", "celery-tasks-failed")
    assert (found["Namespace"], found["MetricName"]) == ("PCS/Celery", "TasksFailed")
    assert (found["Statistic"], found["Period"], found["EvaluationPeriods"]) == ("Sum", 300, 1)
    assert (found["ComparisonOperator"], found["Threshold"]) == ("GreaterThanThreshold", 10)
    # The worker service's name (Beat publishes with it, CELERY_METRICS_SERVICE).
    ((dimension, value),) = [(d["Name"], d["Value"]) for d in found["Dimensions"]]
    assert dimension == "Service"
    assert value["Fn::ImportValue"].startswith(
        "pcs-prod-compute:ExportsOutputFnGetAttWorkerService"
    )


@pytest.mark.parametrize(
    "name",
    [
        "api-no-healthy-targets",
        "api-tasks-below-desired",
        "worker-tasks-below-desired",
        "beat-tasks-below-desired",
        "db-replica-lag",
        "redis-memory-high",
        "celery-queue-depth",
        "celery-queue-age",
        "celery-tasks-failed",
    ],
)
def test_on_call_alarm_notifies_the_topic_on_alarm_and_ok(prod, name):
    found = alarm(prod, _owner(name), name)
    assert [is_alerts_topic(a) for a in found["AlarmActions"]] == [True]
    assert [is_alerts_topic(a) for a in found["OKActions"]] == [True]


def test_monitoring_stack_has_its_alarms_and_two_dashboards(prod):
    counts = prod.stacks["pcs-prod-monitoring"].resource_types
    # 11 on-call (worker's and Beat's tasks-below-desired are compute's rollback alarms), the
    # 8 windows of the 4 burn-rate alarms and the primary's synthetic canary
    assert counts["AWS::CloudWatch::Alarm"] == 20
    assert counts["AWS::CloudWatch::CompositeAlarm"] == 4
    assert counts["AWS::CloudWatch::Dashboard"] == 2


def test_web_has_a_no_healthy_targets_alarm_on_both_its_target_groups(prod):
    found = alarm(prod, "monitoring", "web-no-healthy-targets")
    by_id = queries(found)
    (expression,) = [q for q in by_id.values() if "Expression" in q]
    # Which of the two serves alternates from release to release (blue/green, issue 25).
    assert expression["Expression"] == "FILL(web0, 0) + FILL(web1, 0)"
    for query_id in ("web0", "web1"):
        assert stat(by_id[query_id])[:3] == ("HealthyHostCount", "Minimum", 60)
    assert (found["Threshold"], found["ComparisonOperator"]) == (1, "LessThanThreshold")
    assert found["TreatMissingData"] == "breaching"
    assert is_alerts_topic(found["AlarmActions"][0])


@pytest.mark.parametrize("name", ["web-5xx", "web-green-errors"])
def test_the_web_rollback_alarms_also_page_on_call(prod, name):
    found = alarm(prod, "compute", name)
    assert [is_alerts_topic(a) for a in found["AlarmActions"]] == [True]
