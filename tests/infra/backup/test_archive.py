"""The database's 7-year retention: monthly export to a locked, Deep-Archived, replicated bucket,
started on a schedule and alarmed on failure (issue 13)."""

from __future__ import annotations

from tests.infra.conftest import resources

SEVEN_YEARS = 2555


def _bucket(result, stack: str, marker: str) -> dict:
    (bucket,) = [
        b["Properties"]
        for b in resources(result, stack, "AWS::S3::Bucket").values()
        if marker in str(b["Properties"].get("BucketName"))
    ]
    return bucket


def test_archive_bucket_locks_every_object_in_compliance_mode_for_seven_years(prod):
    bucket = _bucket(prod, "data", "pcs-prod-backups-")
    assert bucket["ObjectLockEnabled"] is True
    assert bucket["ObjectLockConfiguration"] == {
        "ObjectLockEnabled": "Enabled",
        "Rule": {"DefaultRetention": {"Mode": "COMPLIANCE", "Days": SEVEN_YEARS}},
    }


def test_archive_replica_in_the_dr_region_is_locked_the_same_way(prod):
    replica = _bucket(prod, "dr-storage", "pcs-prod-backups-replica-")
    assert prod.stacks["pcs-prod-dr-storage"].region == "us-west-2"
    assert replica["ObjectLockConfiguration"]["Rule"]["DefaultRetention"] == {
        "Mode": "COMPLIANCE",
        "Days": SEVEN_YEARS,
    }


def test_archive_moves_to_deep_archive_and_is_replicated(prod):
    bucket = _bucket(prod, "data", "pcs-prod-backups-")
    (rule,) = bucket["LifecycleConfiguration"]["Rules"]
    assert rule["Transitions"] == [{"StorageClass": "DEEP_ARCHIVE", "TransitionInDays": 7}]
    assert rule["ExpirationInDays"] == SEVEN_YEARS
    (replication,) = bucket["ReplicationConfiguration"]["Rules"]
    assert "pcs-prod-backups-replica-111111111111" in str(replication["Destination"]["Bucket"])


def test_documents_are_protected_by_replication_versioning_and_a_seven_year_governance_lock(prod):
    bucket = _bucket(prod, "data", "pcs-prod-documents-")
    assert bucket["VersioningConfiguration"] == {"Status": "Enabled"}
    assert bucket["ObjectLockConfiguration"]["Rule"]["DefaultRetention"] == {
        "Mode": "GOVERNANCE",
        "Days": SEVEN_YEARS,
    }
    assert bucket["ReplicationConfiguration"]["Rules"]


def test_export_runs_daily_and_exports_into_the_archive_with_the_storage_key(prod):
    (rule,) = resources(prod, "backup", "AWS::Events::Rule").values()
    assert rule["Properties"]["ScheduleExpression"] == "cron(0 7 * * ? *)"
    (function,) = [
        f["Properties"]
        for f in resources(prod, "backup", "AWS::Lambda::Function").values()
        if f["Properties"].get("FunctionName") == "pcs-prod-archive-export"
    ]
    variables = function["Environment"]["Variables"]
    assert variables["EXPORT_DAY"] == "2"
    assert variables["ARCHIVE_BUCKET"] == "pcs-prod-backups-111111111111"
    assert "KeysStorage" in str(variables["EXPORT_KEY_ARN"])
    target = rule["Properties"]["Targets"][0]
    assert target["RetryPolicy"]["MaximumRetryAttempts"] == 2


def test_export_role_is_assumed_by_rds_export(prod):
    roles = resources(prod, "backup", "AWS::IAM::Role").values()
    principals = [
        r["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]["Principal"] for r in roles
    ]
    assert {"Service": "export.rds.amazonaws.com"} in principals


def test_a_failed_or_missing_export_pages_on_call(prod):
    alarms = {
        a["Properties"]["AlarmName"]: a["Properties"]
        for a in resources(prod, "backup", "AWS::CloudWatch::Alarm").values()
    }
    failed = alarms["pcs-prod-archive-export-failed"]
    assert (failed["Namespace"], failed["MetricName"]) == ("PCS/Archive", "ExportFailed")
    assert failed["TreatMissingData"] == "breaching"  # the daily check stopped reporting
    assert failed["AlarmActions"] and alarms["pcs-prod-archive-exporter-errors"]["AlarmActions"]


def test_replicas_land_in_the_classes_a_disaster_reads(prod):
    classes = {
        marker: _bucket(prod, "data", marker)["ReplicationConfiguration"]["Rules"][0][
            "Destination"
        ]["StorageClass"]
        for marker in ("pcs-prod-documents-", "pcs-prod-backups-")
    }
    assert classes == {
        "pcs-prod-documents-": "INTELLIGENT_TIERING",
        "pcs-prod-backups-": "DEEP_ARCHIVE",
    }
