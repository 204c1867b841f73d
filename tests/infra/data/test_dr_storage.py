"""The DR region's storage stack: the replica buckets and their key, in us-west-2."""

from __future__ import annotations

import pytest

from tests.infra.conftest import resources
from tests.infra.data.conftest import by_name

PURPOSES = ["documents", "backups"]


def _replica(result, purpose: str) -> dict:
    return by_name(result, "dr-storage", "AWS::S3::Bucket", "BucketName")[
        f"pcs-prod-{purpose}-replica-111111111111"
    ]


def _logical_id(result, name: str) -> str:
    (found,) = [
        k
        for k, v in resources(result, "dr-storage", "AWS::S3::Bucket").items()
        if v["Properties"]["BucketName"] == name
    ]
    return found


def test_dr_storage_stack_is_deployed_to_the_dr_region(prod):
    assert (
        prod.stacks["pcs-prod-dr-storage"].region
        == "us-west-2"
        == (prod.config.deployment.dr_region)
    )


def _key_id(result, alias: str) -> str:
    aliases = resources(result, "dr-storage", "AWS::KMS::Alias").values()
    (target,) = [
        a["Properties"]["TargetKeyId"]["Fn::GetAtt"][0]
        for a in aliases
        if a["Properties"]["AliasName"] == alias
    ]
    return target


def _key(result, alias: str) -> dict:
    return resources(result, "dr-storage", "AWS::KMS::Key")[_key_id(result, alias)]["Properties"]


@pytest.mark.parametrize("alias", ["alias/pcs-prod/dr-storage", "alias/pcs-prod/dr-secrets"])
def test_dr_key_exists_under_the_alias_the_primary_region_names_and_rotates_yearly(prod, alias):
    key = _key(prod, alias)
    assert key["EnableKeyRotation"] is True
    assert key["RotationPeriodInDays"] == 365


@pytest.mark.parametrize("name", ["pcs-prod/database/master", "pcs-prod/database/app"])
def test_database_secret_replicates_to_the_dr_region_under_the_dr_secrets_key(prod, name):
    secrets = by_name(prod, "data", "AWS::SecretsManager::Secret", "Name")
    (replica,) = secrets[name]["ReplicaRegions"]
    assert replica["Region"] == "us-west-2"
    assert replica["KmsKeyId"]["Fn::Join"][1][-1] == (
        ":kms:us-west-2:111111111111:alias/pcs-prod/dr-secrets"
    )


@pytest.mark.parametrize("purpose", PURPOSES)
def test_replica_is_encrypted_with_the_dr_storage_key(prod, purpose):
    key_id = _key_id(prod, "alias/pcs-prod/dr-storage")
    (encryption,) = _replica(prod, purpose)["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert encryption["ServerSideEncryptionByDefault"] == {
        "KMSMasterKeyID": {"Fn::GetAtt": [key_id, "Arn"]},
        "SSEAlgorithm": "aws:kms",
    }


@pytest.mark.parametrize("purpose", PURPOSES)
def test_replica_is_versioned_as_replication_requires(prod, purpose):
    assert _replica(prod, purpose)["VersioningConfiguration"] == {"Status": "Enabled"}


@pytest.mark.parametrize("purpose", PURPOSES)
def test_replica_blocks_all_public_access(prod, purpose):
    assert set(_replica(prod, purpose)["PublicAccessBlockConfiguration"].values()) == {True}


@pytest.mark.parametrize("purpose", PURPOSES)
def test_replica_denies_requests_without_tls(prod, purpose):
    logical_id = _logical_id(prod, f"pcs-prod-{purpose}-replica-111111111111")
    (statements,) = [
        p["Properties"]["PolicyDocument"]["Statement"]
        for p in resources(prod, "dr-storage", "AWS::S3::BucketPolicy").values()
        if p["Properties"]["Bucket"] == {"Ref": logical_id}
    ]
    denials = [s for s in statements if s["Effect"] == "Deny"]
    assert {"Bool": {"aws:SecureTransport": "false"}} in [s["Condition"] for s in denials]


@pytest.mark.parametrize("purpose", PURPOSES)
def test_replica_logs_access_to_the_dr_access_logs_bucket(prod, purpose):
    access_logs = _logical_id(prod, "pcs-prod-dr-access-logs-111111111111")
    logging = _replica(prod, purpose)["LoggingConfiguration"]
    assert logging["DestinationBucketName"] == {"Ref": access_logs}


def test_backups_replica_keeps_the_backups_lifecycle(prod):
    (rule,) = _replica(prod, "backups")["LifecycleConfiguration"]["Rules"]
    assert rule["Transitions"] == [{"StorageClass": "DEEP_ARCHIVE", "TransitionInDays": 7}]
    assert rule["ExpirationInDays"] == 2555


def test_documents_replica_keeps_the_documents_lifecycle(prod):
    (rule,) = _replica(prod, "documents")["LifecycleConfiguration"]["Rules"]
    assert rule["NoncurrentVersionExpiration"] == {"NoncurrentDays": 2555}
    assert "ExpirationInDays" not in rule


def test_dr_access_logs_move_to_glacier_instant_retrieval_and_expire_after_seven_years(prod):
    (rule,) = by_name(prod, "dr-storage", "AWS::S3::Bucket", "BucketName")[
        "pcs-prod-dr-access-logs-111111111111"
    ]["LifecycleConfiguration"]["Rules"]
    assert rule["Transitions"] == [{"StorageClass": "GLACIER_IR", "TransitionInDays": 90}]
    assert rule["ExpirationInDays"] == 2555


def test_data_stack_deploys_after_the_dr_storage_stack(prod):
    assert prod.requires("pcs-prod-data", "pcs-prod-dr-storage")
