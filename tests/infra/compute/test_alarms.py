"""The API 5xx alarm (spec §5.2) that also rolls a blue/green release back."""

from __future__ import annotations

from tests.infra.conftest import resources


def _alarm(result) -> dict:
    (alarm,) = [
        a["Properties"]
        for a in resources(result, "compute", "AWS::CloudWatch::Alarm").values()
        if a["Properties"]["AlarmName"] == f"{result.config.prefix}-api-5xx"
    ]
    return alarm


def test_api_5xx_alarm_counts_target_5xx_on_the_alb(prod):
    alarm = _alarm(prod)
    assert (alarm["Namespace"], alarm["MetricName"]) == (
        "AWS/ApplicationELB",
        "HTTPCode_Target_5XX_Count",
    )
    assert [d["Name"] for d in alarm["Dimensions"]] == ["LoadBalancer"]


def test_api_5xx_alarm_fires_above_10_errors_per_minute_for_2_minutes(prod):
    alarm = _alarm(prod)
    figures = (alarm["Threshold"], alarm["Period"], alarm["EvaluationPeriods"], alarm["Statistic"])
    assert figures == (10, 60, 2, "Sum")
    assert alarm["ComparisonOperator"] == "GreaterThanThreshold"


def test_api_5xx_alarm_treats_missing_data_as_healthy(prod):
    assert _alarm(prod)["TreatMissingData"] == "notBreaching"
