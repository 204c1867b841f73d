"""The 99.9 % objectives: burn-rate alarms that page, and the error budget on the dashboard."""

from __future__ import annotations

import json

import pytest

from infra.config import load_config
from tests.infra.conftest import resources
from tests.infra.monitoring.helpers import alarm, is_alerts_topic, queries, stat
from tests.infra.monitoring.test_dashboards import _widgets

# (objective, speed, burn rate, long window, short window)
WINDOWS = [
    ("api", "fast", 14.4, 60, 5),
    ("api", "slow", 6, 360, 30),
    ("portal", "fast", 14.4, 60, 5),
    ("portal", "slow", 6, 360, 30),
]


def _composite(result, name: str) -> dict:
    (found,) = [
        a["Properties"]
        for a in resources(result, "monitoring", "AWS::CloudWatch::CompositeAlarm").values()
        if a["Properties"]["AlarmName"] == f"{result.config.prefix}-{name}"
    ]
    return found


def test_the_error_budget_is_40_minutes_of_28_days():
    monitoring = load_config("prod").monitoring
    assert (monitoring.slo_target_percent, monitoring.slo_window_days) == (99.9, 28)
    minutes = monitoring.slo_window_days * 24 * 60
    assert round(minutes * (100 - monitoring.slo_target_percent) / 100, 2) == 40.32


@pytest.mark.parametrize(("objective", "speed", "burn", "long", "short"), WINDOWS)
def test_each_burn_rate_alarm_pages_when_both_its_windows_exceed_the_burn(
    prod, objective, speed, burn, long, short
):
    composite = _composite(prod, f"{objective}-slo-{speed}-burn")
    assert [is_alerts_topic(a) for a in composite["AlarmActions"]] == [True]
    assert [is_alerts_topic(a) for a in composite["OKActions"]] == [True]
    rule = json.dumps(composite["AlarmRule"])
    threshold = round(burn * 0.1, 6)  # percent of requests answered 5xx
    for minutes in (long, short):
        window = alarm(prod, "monitoring", f"{objective}-slo-{speed}-{minutes}m")
        assert f"{objective.title()}Slo{speed.title()}{minutes}M" in rule
        assert (window["Threshold"], window["EvaluationPeriods"]) == (threshold, 1)
        assert window["ComparisonOperator"] == "GreaterThanThreshold"
        assert window["TreatMissingData"] == "notBreaching"
        periods = {
            q["MetricStat"]["Period"] for q in window.get("Metrics", []) if "MetricStat" in q
        }
        assert (periods or {window.get("Period")}) == {minutes * 60}
    assert "ALARM(" in rule and " AND " in rule


def test_fast_burn_spends_2_percent_and_slow_5_percent_of_the_budget_in_the_long_window():
    monitoring = load_config("prod").monitoring
    window_minutes = monitoring.slo_window_days * 24 * 60
    fast = monitoring.slo_fast_burn_rate * monitoring.slo_fast_long_minutes / window_minutes
    slow = monitoring.slo_slow_burn_rate * monitoring.slo_slow_long_minutes / window_minutes
    assert (round(fast * 100, 2), round(slow * 100, 2)) == (2.14, 5.36)


def test_api_objective_counts_target_and_load_balancer_5xx_per_api_request(prod):
    window = alarm(prod, "monitoring", "api-slo-fast-60m")
    by_id = queries(window)
    expression = next(q["Expression"] for q in by_id.values() if "Expression" in q)
    assert expression == (
        "100 * (FILL(elb5xx, 0) + FILL(errors0, 0) + FILL(errors1, 0))"
        " / MAX([FILL(requests0, 0) + FILL(requests1, 0), 1])"
    )
    assert stat(by_id["elb5xx"])[0] == "HTTPCode_ELB_5XX_Count"
    assert {stat(by_id[f"errors{i}"])[0] for i in (0, 1)} == {"HTTPCode_Target_5XX_Count"}
    assert {stat(by_id[f"requests{i}"])[0] for i in (0, 1)} == {"RequestCount"}


def test_portal_objective_is_cloudfronts_5xx_rate_of_the_site(prod):
    window = alarm(prod, "monitoring", "portal-slo-slow-360m")
    assert (window["Namespace"], window["MetricName"], window["Statistic"]) == (
        "AWS/CloudFront",
        "5xxErrorRate",
        "Average",
    )
    assert {d["Name"] for d in window["Dimensions"]} == {"DistributionId", "Region"}


def test_the_overview_shows_each_objectives_error_budget_left_over_28_days(prod):
    budgets = [
        w["properties"]
        for w in _widgets(prod)
        if "error budget" in w["properties"].get("title", "")
    ]
    assert [b["title"] for b in budgets] == [
        "API error budget (99.9 %, 28 days)",
        "Portal error budget (99.9 %, 28 days)",
    ]
    for budget in budgets:
        assert (budget["start"], budget["setPeriodToTimeRange"]) == ("-P28D", True)
        assert budget["metrics"][0][0]["expression"] == "100 - 100 * rate / 0.1"
