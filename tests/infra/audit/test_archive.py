"""The audit archive: Object Lock COMPLIANCE for OMB M-21-31's 30 months, fed by Firehose."""

from __future__ import annotations

from tests.infra.conftest import resources


def _bucket(result) -> dict:
    (bucket,) = [
        b["Properties"]
        for b in resources(result, "audit", "AWS::S3::Bucket").values()
        if b["Properties"].get("ObjectLockEnabled")
    ]
    return bucket


def test_audit_bucket_is_locked_in_compliance_mode_for_30_months(prod):
    bucket = _bucket(prod)
    retention = bucket["ObjectLockConfiguration"]["Rule"]["DefaultRetention"]
    assert bucket["ObjectLockConfiguration"]["ObjectLockEnabled"] == "Enabled"
    assert retention == {"Mode": "COMPLIANCE", "Days": 365 + 548}


def test_audit_records_stay_hot_12_months_then_cold_until_they_expire(prod):
    (rule,) = _bucket(prod)["LifecycleConfiguration"]["Rules"]
    assert rule["Transitions"] == [{"StorageClass": "GLACIER", "TransitionInDays": 365}]
    assert rule["ExpirationInDays"] == 365 + 548


def test_audit_bucket_is_encrypted_with_the_audit_key_and_refuses_every_delete(prod):
    bucket = _bucket(prod)
    (encryption,) = bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert "KeysAudit" in str(encryption["ServerSideEncryptionByDefault"]["KMSMasterKeyID"])
    (policy,) = [
        p["Properties"]["PolicyDocument"]["Statement"]
        for p in resources(prod, "audit", "AWS::S3::BucketPolicy").values()
        if "ArchiveBucket" in str(p["Properties"]["Bucket"])
    ]
    (deny,) = [s for s in policy if s.get("Sid") == "DenyEveryDelete"]
    assert deny["Effect"] == "Deny" and deny["Principal"] == {"AWS": "*"}
    assert set(deny["Action"]) == {"s3:DeleteObject", "s3:DeleteObjectVersion"}


def test_application_and_sign_in_events_arrive_through_encrypted_firehose_streams(prod):
    streams = {
        s["Properties"]["DeliveryStreamName"]: s["Properties"]
        for s in resources(prod, "audit", "AWS::KinesisFirehose::DeliveryStream").values()
    }
    assert set(streams) == {"pcs-prod-audit-application", "pcs-prod-audit-sign-in"}
    for name, stream in streams.items():
        assert stream["DeliveryStreamType"] == "DirectPut"
        assert stream["DeliveryStreamEncryptionConfigurationInput"]["KeyType"] == (
            "CUSTOMER_MANAGED_CMK"
        )
        destination = stream["ExtendedS3DestinationConfiguration"]
        assert "ArchiveBucket" in str(destination["BucketARN"])
        assert destination["Prefix"].startswith(name.removeprefix("pcs-prod-audit-") + "/")
        assert destination["CompressionFormat"] == "GZIP"
