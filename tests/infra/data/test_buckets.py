"""The documents and backups buckets (architecture overview): SSE-KMS, versioned, private,
TLS-only, access-logged, lifecycle-managed and replicated to the DR region."""

from __future__ import annotations

import pytest

from tests.infra.conftest import resources
from tests.infra.data.conftest import by_name, imported

PURPOSES = ["documents", "backups"]
PARTITION = {"Ref": "AWS::Partition"}


def _bucket(result, purpose: str) -> dict:
    return by_name(result, "data", "AWS::S3::Bucket", "BucketName")[
        f"pcs-prod-{purpose}-111111111111"
    ]


def _logical_id(result, purpose: str) -> str:
    (found,) = [
        k
        for k, v in resources(result, "data", "AWS::S3::Bucket").items()
        if v["Properties"]["BucketName"] == f"pcs-prod-{purpose}-111111111111"
    ]
    return found


def _policy(result, purpose: str) -> list[dict]:
    logical_id = _logical_id(result, purpose)
    (policy,) = [
        p["Properties"]["PolicyDocument"]["Statement"]
        for p in resources(result, "data", "AWS::S3::BucketPolicy").values()
        if p["Properties"]["Bucket"] == {"Ref": logical_id}
    ]
    return policy


def _rule(result, purpose: str) -> dict:
    (rule,) = _bucket(result, purpose)["ReplicationConfiguration"]["Rules"]
    return rule


def _lifecycle(result, purpose: str) -> dict:
    (rule,) = _bucket(result, purpose)["LifecycleConfiguration"]["Rules"]
    return rule


@pytest.mark.parametrize("purpose", PURPOSES)
def test_bucket_is_encrypted_with_the_storage_key(prod, purpose):
    (encryption,) = _bucket(prod, purpose)["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert encryption["ServerSideEncryptionByDefault"]["SSEAlgorithm"] == "aws:kms"
    key = encryption["ServerSideEncryptionByDefault"]["KMSMasterKeyID"]
    assert "KeysStorage" in imported(key)


@pytest.mark.parametrize("purpose", PURPOSES)
def test_bucket_is_versioned(prod, purpose):
    assert _bucket(prod, purpose)["VersioningConfiguration"] == {"Status": "Enabled"}


@pytest.mark.parametrize("purpose", PURPOSES)
def test_bucket_blocks_all_public_access(prod, purpose):
    assert _bucket(prod, purpose)["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True,
        "BlockPublicPolicy": True,
        "IgnorePublicAcls": True,
        "RestrictPublicBuckets": True,
    }


@pytest.mark.parametrize("purpose", PURPOSES)
def test_bucket_denies_requests_without_tls(prod, purpose):
    logical_id = _logical_id(prod, purpose)
    arn = {"Fn::GetAtt": [logical_id, "Arn"]}
    assert {
        "Action": "s3:*",
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        "Effect": "Deny",
        "Principal": {"AWS": "*"},
        "Resource": [arn, {"Fn::Join": ["", [arn, "/*"]]}],
    } in _policy(prod, purpose)


@pytest.mark.parametrize("purpose", PURPOSES)
def test_bucket_logs_access_to_the_access_logs_bucket(prod, purpose):
    logging = _bucket(prod, purpose)["LoggingConfiguration"]
    assert "AccessLogs" in imported(logging["DestinationBucketName"])
    assert logging["LogFilePrefix"] == f"s3/{purpose}/"


def test_backups_move_to_deep_archive_after_7_days(prod):
    assert _lifecycle(prod, "backups")["Transitions"] == [
        {"StorageClass": "DEEP_ARCHIVE", "TransitionInDays": 7}
    ]
    assert prod.config.storage.archive_transition_days == 7


def test_backups_expire_after_2555_days(prod):
    assert _lifecycle(prod, "backups")["ExpirationInDays"] == 2555


def test_superseded_backup_versions_are_kept_as_long_as_current_ones(prod):
    assert _lifecycle(prod, "backups")["NoncurrentVersionExpiration"] == {"NoncurrentDays": 2555}


def test_superseded_and_deleted_document_versions_are_kept_seven_years_in_deep_archive(prod):
    # Issue 26: the spec keeps 7 years of backups; a month as they were, then Deep Archive.
    rule = _lifecycle(prod, "documents")
    assert rule["NoncurrentVersionExpiration"] == {"NoncurrentDays": 2555}
    assert rule["NoncurrentVersionTransitions"] == [
        {"StorageClass": "DEEP_ARCHIVE", "TransitionInDays": 30}
    ]


def test_current_documents_never_expire_and_live_in_intelligent_tiering(prod):
    rule = _lifecycle(prod, "documents")
    assert "ExpirationInDays" not in rule
    assert rule["Transitions"] == [{"StorageClass": "INTELLIGENT_TIERING", "TransitionInDays": 0}]


@pytest.mark.parametrize("purpose", PURPOSES)
def test_bucket_replicates_to_its_replica_in_the_dr_region(prod, purpose):
    assert _rule(prod, purpose)["Destination"]["Bucket"] == {
        "Fn::Join": ["", ["arn:", PARTITION, f":s3:::pcs-prod-{purpose}-replica-111111111111"]]
    }


@pytest.mark.parametrize("purpose", PURPOSES)
def test_replicas_are_encrypted_with_the_dr_storage_key_by_alias(prod, purpose):
    encryption = _rule(prod, purpose)["Destination"]["EncryptionConfiguration"]
    assert encryption == {
        "ReplicaKmsKeyID": {
            "Fn::Join": [
                "",
                ["arn:", PARTITION, ":kms:us-west-2:111111111111:alias/pcs-prod/dr-storage"],
            ]
        }
    }


@pytest.mark.parametrize("purpose", PURPOSES)
def test_replication_includes_sse_kms_objects(prod, purpose):
    assert _rule(prod, purpose)["SourceSelectionCriteria"] == {
        "SseKmsEncryptedObjects": {"Status": "Enabled"}
    }


@pytest.mark.parametrize("purpose", PURPOSES)
def test_replication_covers_every_object_and_delete_marker(prod, purpose):
    rule = _rule(prod, purpose)
    assert rule["Filter"] == {"Prefix": ""}
    assert rule["DeleteMarkerReplication"] == {"Status": "Enabled"}
    assert rule["Status"] == "Enabled"


def _replication_statements(result, purpose: str) -> list[dict]:
    role_id = _bucket(result, purpose)["ReplicationConfiguration"]["Role"]["Fn::GetAtt"][0]
    (statements,) = [
        p["Properties"]["PolicyDocument"]["Statement"]
        for p in resources(result, "data", "AWS::IAM::ManagedPolicy").values()
        if p["Properties"]["Roles"] == [{"Ref": role_id}]
    ]
    return statements


@pytest.mark.parametrize("purpose", PURPOSES)
def test_replication_role_is_assumable_only_by_s3(prod, purpose):
    role_id = _bucket(prod, purpose)["ReplicationConfiguration"]["Role"]["Fn::GetAtt"][0]
    role = resources(prod, "data", "AWS::IAM::Role")[role_id]["Properties"]
    assert role["AssumeRolePolicyDocument"]["Statement"] == [
        {
            "Action": "sts:AssumeRole",
            "Effect": "Allow",
            "Principal": {"Service": "s3.amazonaws.com"},
        }
    ]


@pytest.mark.parametrize("purpose", PURPOSES)
def test_replication_role_reads_only_its_source_bucket(prod, purpose):
    source = {"Fn::GetAtt": [_logical_id(prod, purpose), "Arn"]}
    reads = [s for s in _replication_statements(prod, purpose) if "s3:Get" in str(s["Action"])]
    assert [s["Resource"] for s in reads] == [source, {"Fn::Join": ["", [source, "/*"]]}]


@pytest.mark.parametrize("purpose", PURPOSES)
def test_replication_role_writes_only_to_its_replica(prod, purpose):
    (write,) = [
        s for s in _replication_statements(prod, purpose) if "s3:Replicate" in str(s["Action"])
    ]
    assert sorted(write["Action"]) == [
        "s3:ReplicateDelete",
        "s3:ReplicateObject",
        "s3:ReplicateTags",
    ]
    assert write["Resource"] == {
        "Fn::Join": ["", ["arn:", PARTITION, f":s3:::pcs-prod-{purpose}-replica-111111111111/*"]]
    }


@pytest.mark.parametrize("purpose", PURPOSES)
def test_replication_role_decrypts_with_the_storage_key_only_through_s3(prod, purpose):
    (decrypt,) = [s for s in _replication_statements(prod, purpose) if s["Action"] == "kms:Decrypt"]
    assert "KeysStorage" in imported(decrypt["Resource"])
    assert decrypt["Condition"] == {
        "StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}
    }


@pytest.mark.parametrize("purpose", PURPOSES)
def test_replication_role_encrypts_only_with_the_dr_key_alias_through_s3(prod, purpose):
    (encrypt,) = [
        s
        for s in _replication_statements(prod, purpose)
        if s["Action"] == ["kms:Encrypt", "kms:GenerateDataKey"]
    ]
    assert encrypt["Condition"] == {
        "StringEquals": {"kms:ViaService": "s3.us-west-2.amazonaws.com"},
        "ForAnyValue:StringEquals": {"kms:ResourceAliases": "alias/pcs-prod/dr-storage"},
    }


@pytest.mark.parametrize("purpose", PURPOSES)
def test_buckets_are_retained_when_the_stack_is_deleted(prod, purpose):
    bucket = resources(prod, "data", "AWS::S3::Bucket")[_logical_id(prod, purpose)]
    assert bucket["DeletionPolicy"] == "RetainExceptOnCreate"


def test_documents_bucket_accepts_browser_uploads_by_post_from_the_site_only(prod):
    (documents,) = [
        b["Properties"]
        for b in resources(prod, "data", "AWS::S3::Bucket").values()
        if b["Properties"].get("BucketName") == "pcs-prod-documents-111111111111"
    ]
    (rule,) = documents["CorsConfiguration"]["CorsRules"]
    assert rule["AllowedMethods"] == ["POST"]
    assert rule["AllowedOrigins"] == ["https://app.pcs.example.com"]


def test_documents_replicate_under_time_control_with_its_metrics(prod):
    """Issue 20: document RPO was unbounded; RTC replicates 99.99% within 15 minutes."""
    destination = _rule(prod, "documents")["Destination"]
    assert destination["ReplicationTime"] == {"Status": "Enabled", "Time": {"Minutes": 15}}
    assert destination["Metrics"] == {"Status": "Enabled", "EventThreshold": {"Minutes": 15}}


def test_backups_replicate_without_time_control(prod):
    destination = _rule(prod, "backups")["Destination"]
    assert "ReplicationTime" not in destination and "Metrics" not in destination
