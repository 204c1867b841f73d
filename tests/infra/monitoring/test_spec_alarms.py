"""The three alarms of spec §5.2, exactly as written, each existing once, notifying the topic."""

from __future__ import annotations

import pytest

from tests.infra.conftest import resources
from tests.infra.monitoring.helpers import alarm, is_alerts_topic


def test_each_spec_alarm_exists_exactly_once_across_all_stacks(prod):
    # In the primary region; the DR region's ComputeStack has its own (alarm names are regional).
    names = [
        a["Properties"]["AlarmName"]
        for stack, synthesized in prod.stacks.items()
        if synthesized.region == prod.config.deployment.region
        for a in resources(prod, stack.removeprefix("pcs-prod-"), "AWS::CloudWatch::Alarm").values()
    ]
    for name in ("pcs-prod-api-5xx", "pcs-prod-db-cpu-high", "pcs-prod-latency-high"):
        assert names.count(name) == 1


def test_api_5xx_alarm_sums_target_5xx_per_minute_above_10_twice(prod):
    api = alarm(prod, "compute", "api-5xx")
    assert (api["Namespace"], api["MetricName"]) == (
        "AWS/ApplicationELB",
        "HTTPCode_Target_5XX_Count",
    )
    assert (api["Statistic"], api["Period"], api["EvaluationPeriods"]) == ("Sum", 60, 2)
    assert (api["ComparisonOperator"], api["Threshold"]) == ("GreaterThanThreshold", 10)
    monitoring = prod.config.monitoring
    assert (api["Period"], api["EvaluationPeriods"], api["Threshold"]) == (
        monitoring.api_5xx_period_seconds,
        monitoring.api_5xx_evaluation_periods,
        monitoring.api_5xx_threshold,
    )


def test_api_5xx_alarm_treats_a_quiet_minute_as_no_errors(prod):
    assert alarm(prod, "compute", "api-5xx")["TreatMissingData"] == "notBreaching"


def test_api_5xx_alarm_notifies_the_topic_on_alarm_and_ok(prod):
    api = alarm(prod, "compute", "api-5xx")
    assert [is_alerts_topic(a) for a in api["AlarmActions"]] == [True]
    assert [is_alerts_topic(a) for a in api["OKActions"]] == [True]


def test_db_cpu_alarm_averages_5_minutes_above_80_percent_three_times(prod):
    cpu = alarm(prod, "monitoring", "db-cpu-high")
    assert (cpu["Namespace"], cpu["MetricName"]) == ("AWS/RDS", "CPUUtilization")
    assert (cpu["Statistic"], cpu["Period"], cpu["EvaluationPeriods"]) == ("Average", 300, 3)
    assert (cpu["ComparisonOperator"], cpu["Threshold"]) == ("GreaterThanThreshold", 80)
    assert [d["Name"] for d in cpu["Dimensions"]] == ["DBClusterIdentifier"]
    assert "AuroraCluster" in cpu["Dimensions"][0]["Value"]["Fn::ImportValue"]


def test_db_cpu_alarm_keeps_its_state_when_data_is_missing(prod):
    assert alarm(prod, "monitoring", "db-cpu-high")["TreatMissingData"] == "missing"


def test_db_cpu_alarm_notifies_the_topic_on_alarm_and_ok(prod):
    cpu = alarm(prod, "monitoring", "db-cpu-high")
    assert [is_alerts_topic(a) for a in cpu["AlarmActions"]] == [True]
    assert [is_alerts_topic(a) for a in cpu["OKActions"]] == [True]


def test_latency_alarm_watches_p99_response_time_above_half_a_second_three_minutes(prod):
    latency = alarm(prod, "monitoring", "latency-high")
    assert (latency["Namespace"], latency["MetricName"]) == (
        "AWS/ApplicationELB",
        "TargetResponseTime",
    )
    assert (latency["ExtendedStatistic"], latency["Period"]) == ("p99", 60)
    assert latency["EvaluationPeriods"] == 3
    assert (latency["ComparisonOperator"], latency["Threshold"]) == ("GreaterThanThreshold", 0.5)
    assert [d["Name"] for d in latency["Dimensions"]] == ["LoadBalancer"]


def test_latency_alarm_treats_no_requests_as_not_breaching(prod):
    assert alarm(prod, "monitoring", "latency-high")["TreatMissingData"] == "notBreaching"


def test_latency_alarm_notifies_on_alarm_only_as_the_spec_writes_it(prod):
    latency = alarm(prod, "monitoring", "latency-high")
    assert [is_alerts_topic(a) for a in latency["AlarmActions"]] == [True]
    assert "OKActions" not in latency


@pytest.mark.parametrize("name", ["db-cpu-high", "latency-high"])
def test_spec_alarm_figures_come_from_config(prod, name):
    monitoring = prod.config.monitoring
    expected = {
        "db-cpu-high": (monitoring.db_cpu_threshold_percent, monitoring.db_cpu_evaluation_periods),
        "latency-high": (
            monitoring.p99_latency_threshold_seconds,
            monitoring.p99_latency_evaluation_periods,
        ),
    }[name]
    found = alarm(prod, "monitoring", name)
    assert (found["Threshold"], found["EvaluationPeriods"]) == expected
