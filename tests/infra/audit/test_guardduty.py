"""GuardDuty: enabled, with S3 protection and ECS Fargate runtime monitoring."""

from __future__ import annotations

from tests.infra.conftest import resources


def _detector(result) -> dict:
    (detector,) = resources(result, "audit", "AWS::GuardDuty::Detector").values()
    return detector["Properties"]


def _features(result) -> dict[str, dict]:
    return {f["Name"]: f for f in _detector(result)["Features"]}


def test_detector_is_enabled_and_exports_findings_every_15_minutes(prod):
    assert _detector(prod)["Enable"] is True
    assert _detector(prod)["FindingPublishingFrequency"] == "FIFTEEN_MINUTES"


def test_s3_protection_is_enabled(prod):
    assert _features(prod)["S3_DATA_EVENTS"]["Status"] == "ENABLED"


def test_runtime_monitoring_manages_the_fargate_agent(prod):
    runtime = _features(prod)["RUNTIME_MONITORING"]
    assert runtime["Status"] == "ENABLED"
    assert runtime["AdditionalConfiguration"] == [
        {"Name": "ECS_FARGATE_AGENT_MANAGEMENT", "Status": "ENABLED"}
    ]


def test_detector_uses_features_not_legacy_data_sources(prod):
    # GuardDuty rejects a detector that sets both DataSources and Features.
    assert "DataSources" not in _detector(prod)
