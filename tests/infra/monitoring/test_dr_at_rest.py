"""The DR region's alarms while the standby rests at 0 tasks, and once it is scaled up (issue 20).

A pilot light's services run no task, so Container Insights and the DR load balancer publish
nothing for them: an alarm that reads that silence as a breach pages on-call around the clock
and hides a real page. Each alarm of every DR stack is evaluated here as CloudWatch does, from
its template (metric or metric-math query, threshold, comparison, TreatMissingData), against
what the DR region publishes in each situation. The data in each situation is an assumption
about AWS, stated beside it; what cannot be verified here is said in
``docs/decisions/dr-traffic-without-us-east-1.md`` ("Alarms at rest").
"""

from __future__ import annotations

import pytest

DR_REGION = "us-west-2"
ALARM_TYPE = "AWS::CloudWatch::Alarm"

# The standby at rest while the primary serves. Container Insights has no task to report
# ("Metrics are not visible until the container tasks have been running for some time",
# CloudWatch User Guide, "Metrics collected by Container Insights"); no viewer request reaches
# the DR load balancer (every CloudFront behaviour targets the primary origin until failover);
# the global database replicates (a lag of one second); the canary finds the site up; the
# readiness check finds nothing drifted.
AT_REST = {
    ("ECS/ContainerInsights", "DesiredTaskCount"): None,
    ("ECS/ContainerInsights", "RunningTaskCount"): None,
    ("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count"): None,
    ("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count"): None,
    ("AWS/ApplicationELB", "TargetConnectionErrorCount"): None,
    ("AWS/ApplicationELB", "RequestCount"): None,
    ("AWS/RDS", "AuroraGlobalDBRPOLag"): 1000,
    ("CloudWatchSynthetics", "SuccessPercent"): 100,
    ("PCS/DrReadiness", "DriftedChecks"): 0,
    # The primary serves: written once by the runbook's set-up step (`move-traffic --to
    # primary`, which the readiness check asks for) and held since (missing data is ignored).
    ("PCS/Traffic", "PrimaryServes"): 1.0,
}
# Should Container Insights report a 0-task service after all: desired 0, running 0.
AT_REST_REPORTED = AT_REST | {
    ("ECS/ContainerInsights", "DesiredTaskCount"): 0,
    ("ECS/ContainerInsights", "RunningTaskCount"): 0,
}
DR_ALARMS = (
    "pcs-prod-api-5xx",
    "pcs-prod-api-green-errors",
    "pcs-prod-beat-tasks-below-desired",
    "pcs-prod-canary-documents-failed",
    "pcs-prod-dr-readiness-drift",
    "pcs-prod-global-db-rpo-lag",
    "pcs-prod-primary-serves",  # the traffic switch, at rest on the primary
    "pcs-prod-web-5xx",
    "pcs-prod-web-green-errors",  # the DR portal's release (issue 25)
    "pcs-prod-worker-tasks-below-desired",
)
TASK_ALARMS = ("pcs-prod-beat-tasks-below-desired", "pcs-prod-worker-tasks-below-desired")


def _fill(value: float | None, fill: float) -> float:
    return fill if value is None else value


def _evaluate(expression: str, values: dict[str, float | None]) -> float | None:
    """One data point of a metric-math expression; None where CloudWatch has no data point
    (arithmetic on a missing series gives none, FILL gives its value)."""
    functions = {"FILL": _fill, "MAX": max}
    try:
        return eval(expression, {"__builtins__": {}}, functions | values)
    except TypeError:  # None in arithmetic: the expression has no data point
        return None


def _datapoint(props: dict, world: dict) -> float | None:
    if "MetricName" in props:
        return world[(props["Namespace"], props["MetricName"])]
    values = {
        query["Id"]: world[
            (
                query["MetricStat"]["Metric"]["Namespace"],
                query["MetricStat"]["Metric"]["MetricName"],
            )
        ]
        for query in props["Metrics"]
        if "MetricStat" in query
    }
    (expression,) = [q["Expression"] for q in props["Metrics"] if q.get("ReturnData", True)]
    return _evaluate(expression, values)


BREACHES = {
    "GreaterThanThreshold": lambda value, threshold: value > threshold,
    "GreaterThanOrEqualToThreshold": lambda value, threshold: value >= threshold,
    "LessThanThreshold": lambda value, threshold: value < threshold,
    "LessThanOrEqualToThreshold": lambda value, threshold: value <= threshold,
}
# Every period missing: a new alarm's state under each TreatMissingData (CloudWatch User
# Guide, "Configuring how CloudWatch alarms treat missing data").
ALL_MISSING = {
    "breaching": "ALARM",
    "notBreaching": "OK",
    "missing": "INSUFFICIENT_DATA",
    "ignore": "INSUFFICIENT_DATA",
}


def _state(props: dict, world: dict) -> str:
    """The alarm's state once every period of its evaluation window held ``world``."""
    value = _datapoint(props, world)
    if value is None:
        return ALL_MISSING[props.get("TreatMissingData", "missing")]
    breached = BREACHES[props["ComparisonOperator"]](value, props["Threshold"])
    return "ALARM" if breached else "OK"


def _dr_states(prod, world: dict) -> dict[str, str]:
    return {
        alarm["Properties"]["AlarmName"]: _state(alarm["Properties"], world)
        for stack in prod.stacks.values()
        if stack.region == DR_REGION
        for alarm in stack.template["Resources"].values()
        if alarm["Type"] == ALARM_TYPE
    }


@pytest.mark.parametrize("world", [AT_REST, AT_REST_REPORTED], ids=["no-data", "zero-reported"])
def test_every_dr_alarm_reads_ok_while_the_standby_rests_at_zero_tasks(prod, world):
    assert _dr_states(prod, world) == dict.fromkeys(DR_ALARMS, "OK")


@pytest.mark.parametrize("running", [None, 0], ids=["never-running", "zero-running"])
def test_worker_and_beat_alarms_fire_when_scaled_up_tasks_do_not_start(prod, running):
    desired = prod.config.compute.worker.desired_count
    world = AT_REST | {
        ("ECS/ContainerInsights", "DesiredTaskCount"): desired,
        ("ECS/ContainerInsights", "RunningTaskCount"): running,
    }
    states = _dr_states(prod, world)
    assert {name: states[name] for name in TASK_ALARMS} == dict.fromkeys(TASK_ALARMS, "ALARM")
    assert {name for name, state in states.items() if state != "OK"} == set(TASK_ALARMS)


def test_worker_and_beat_alarms_clear_once_the_scaled_up_tasks_run(prod):
    desired = prod.config.compute.worker.desired_count
    world = AT_REST | {
        ("ECS/ContainerInsights", "DesiredTaskCount"): desired,
        ("ECS/ContainerInsights", "RunningTaskCount"): desired,
    }
    assert _dr_states(prod, world) == dict.fromkeys(DR_ALARMS, "OK")


def test_the_primary_still_reads_a_silent_service_as_tasks_not_running(prod):
    """The primary's services always run tasks: there, silence is the failure."""
    primary = {
        alarm["Properties"]["AlarmName"]: alarm["Properties"]["TreatMissingData"]
        for alarm in prod.stacks["pcs-prod-compute"].template["Resources"].values()
        if alarm["Type"] == ALARM_TYPE and "tasks-below-desired" in alarm["Properties"]["AlarmName"]
    }
    assert primary == dict.fromkeys(TASK_ALARMS, "breaching")
