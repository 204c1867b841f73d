"""Finding alarms and reading metric queries in synthesized templates."""

from __future__ import annotations

from tests.infra.conftest import resources


def alarm(result, stack: str, name: str) -> dict:
    """Properties of the alarm named ``<prefix>-<name>`` in ``stack``."""
    full = f"{result.config.prefix}-{name}"
    (found,) = [
        a["Properties"]
        for a in resources(result, stack, "AWS::CloudWatch::Alarm").values()
        if a["Properties"]["AlarmName"] == full
    ]
    return found


def queries(properties: dict) -> dict[str, dict]:
    """An alarm's metric-math queries by id (``Metrics`` form)."""
    return {q["Id"]: q for q in properties["Metrics"]}


def stat(query: dict) -> tuple[str, str, int, dict]:
    """(metric name, statistic, period, dimensions) of a ``MetricStat`` query."""
    metric_stat = query["MetricStat"]
    metric = metric_stat["Metric"]
    dimensions = {d["Name"]: d["Value"] for d in metric.get("Dimensions", [])}
    return metric["MetricName"], metric_stat["Stat"], metric_stat["Period"], dimensions


def is_alerts_topic(reference: dict) -> bool:
    """True for a cross-stack reference to the alerts stack's topic."""
    return reference["Fn::ImportValue"].startswith("pcs-prod-alerts:ExportsOutputRefAlerts")
