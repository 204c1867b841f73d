"""On-call hears when S3 misses Replication Time Control's 15 minutes for a document."""

from __future__ import annotations

from tests.infra.conftest import resources


def test_a_document_replicated_late_pages_on_call(prod):
    alarms = {
        a["Properties"]["AlarmName"]: a["Properties"]
        for a in resources(prod, "backup", "AWS::CloudWatch::Alarm").values()
    }
    alarm = alarms["pcs-prod-documents-replication-missed"]
    assert (alarm["Namespace"], alarm["MetricName"], alarm["Statistic"]) == (
        "AWS/S3",
        "OperationsMissedThreshold",
        "Sum",
    )
    assert {d["Name"]: d["Value"] for d in alarm["Dimensions"]} == {
        "SourceBucket": "pcs-prod-documents-111111111111",
        "DestinationBucket": "pcs-prod-documents-replica-111111111111",
        "RuleId": "documents-to-dr-region",
    }
    assert (alarm["Period"], alarm["Threshold"], alarm["ComparisonOperator"]) == (
        300,
        0,
        "GreaterThanThreshold",
    )
    (action,) = alarm["AlarmActions"]
    assert action["Fn::ImportValue"].startswith("pcs-prod-alerts:")
