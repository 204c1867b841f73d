"""The overview dashboard carries spec §5.1's widgets and the on-call rows."""

from __future__ import annotations

import json

import pytest

from tests.infra.conftest import resources


def _dashboards(result) -> dict[str, dict]:
    return {
        d["Properties"]["DashboardName"]: d["Properties"]
        for d in resources(result, "monitoring", "AWS::CloudWatch::Dashboard").values()
    }


def _widgets(result) -> list[dict]:
    """The overview's widgets; cross-stack references become a placeholder string."""
    body = _dashboards(result)["pcs-prod-overview"]["DashboardBody"]
    parts = body["Fn::Join"][1] if isinstance(body, dict) else [body]
    text = "".join(p if isinstance(p, str) else "REF" for p in parts)
    return json.loads(text)["widgets"]


def _titled(result, title: str) -> dict:
    (widget,) = [w for w in _widgets(result) if w["properties"].get("title") == title]
    return widget["properties"]


def test_dashboards_are_the_overview_and_the_per_service_detail(prod):
    assert sorted(_dashboards(prod)) == ["pcs-prod-overview", "pcs-prod-services"]


def test_response_time_widget_shows_p50_p95_p99(prod):
    widget = _titled(prod, "API Response Times")
    stats = [row[-1]["stat"] for row in widget["metrics"]]
    assert stats == ["p50", "p95", "p99"]
    assert all("TargetResponseTime" in row for row in widget["metrics"])


def test_error_rate_widget_shows_target_5xx_and_4xx(prod):
    rows = _titled(prod, "Error Rates")["metrics"]
    assert ["HTTPCode_Target_5XX_Count" in r for r in rows] == [True, False]
    assert ["HTTPCode_Target_4XX_Count" in r for r in rows] == [False, True]


@pytest.mark.parametrize(
    ("title", "metric"),
    [
        ("ECS CPU Utilization", "CPUUtilization"),
        ("Database Connections", "DatabaseConnections"),
        ("Redis Cache Hit Rate", "CacheHitRate"),
        ("Aurora replica lag (ms)", "AuroraReplicaLagMaximum"),
        ("Aurora freeable memory", "FreeableMemory"),
        ("WAF blocked requests", "BlockedRequests"),
        ("Celery queue", "QueueDepth"),
        ("Running vs desired tasks", "DesiredTaskCount"),
        ("Running vs desired tasks", "RunningTaskCount"),
    ],
)
def test_widget_plots_its_metric(prod, title, metric):
    rows = _titled(prod, title)["metrics"]
    assert any(metric in row for row in rows)


def test_spec_widgets_come_first_in_the_spec_layout(prod):
    spec = [(w["properties"].get("title"), w["width"], w["height"]) for w in _widgets(prod)[:5]]
    assert spec == [
        ("API Response Times", 12, 6),
        ("Error Rates", 12, 6),
        ("ECS CPU Utilization", 8, 6),
        ("Database Connections", 8, 6),
        ("Redis Cache Hit Rate", 8, 6),
    ]


def test_running_vs_desired_covers_every_service(prod):
    labels = [row[-1]["label"] for row in _titled(prod, "Running vs desired tasks")["metrics"]]
    assert labels == [
        "api running",
        "api desired",
        "worker running",
        "worker desired",
        "beat running",
        "beat desired",
        "web running",
        "web desired",
    ]


def test_alarm_status_widget_lists_every_alarm_with_the_rollback_alarms(prod):
    (status,) = [w for w in _widgets(prod) if w["type"] == "alarm"]
    # 11 on-call (with issue 25's failed Celery tasks), 6 rollback (API x2, web x2, worker,
    # Beat), 4 burn-rate (API and portal x2), the documents canary's
    assert len(status["properties"]["alarms"]) == 22


def test_alarm_status_widget_shows_the_synthetic_canarys_alarm(prod):
    (canary_alarm,) = [
        logical_id
        for logical_id, a in resources(prod, "monitoring", "AWS::CloudWatch::Alarm").items()
        if a["Properties"]["AlarmName"] == "pcs-prod-canary-documents-failed"
    ]
    body = _dashboards(prod)["pcs-prod-overview"]["DashboardBody"]["Fn::Join"][1]
    assert {"Fn::GetAtt": [canary_alarm, "Arn"]} in body
