"""Backup vaults: KMS-encrypted, deletion-proof, locked in prod; the DR vault in the DR region."""

from __future__ import annotations

from tests.infra.conftest import resources


def _vault(result, stack: str) -> dict:
    (vault,) = resources(result, stack, "AWS::Backup::BackupVault").values()
    return vault["Properties"]


def test_primary_vault_is_encrypted_with_the_foundation_backup_key(prod):
    vault = _vault(prod, "backup")
    assert vault["BackupVaultName"] == "pcs-prod-backup-vault"
    assert "KeysBackup" in vault["EncryptionKeyArn"]["Fn::ImportValue"]


def test_dr_vault_lives_in_the_dr_region_with_a_rotated_key_of_its_own(prod):
    assert prod.stacks["pcs-prod-dr-backup"].region == "us-west-2"
    vault = _vault(prod, "dr-backup")
    assert vault["BackupVaultName"] == "pcs-prod-dr-backup-vault"
    ((key_id, key),) = resources(prod, "dr-backup", "AWS::KMS::Key").items()
    assert vault["EncryptionKeyArn"] == {"Fn::GetAtt": [key_id, "Arn"]}
    assert key["Properties"]["EnableKeyRotation"] is True


def test_prod_vaults_are_locked_in_compliance_mode_after_three_days(prod):
    for stack in ("backup", "dr-backup"):
        assert _vault(prod, stack)["LockConfiguration"] == {
            "ChangeableForDays": 3,
            "MinRetentionDays": 7,
            "MaxRetentionDays": 35,
        }


def test_dev_vaults_are_not_locked(dev):
    for stack in ("backup", "dr-backup"):
        assert "LockConfiguration" not in _vault(dev, stack)


def test_vault_policies_deny_deleting_or_shortening_recovery_points(prod):
    for stack in ("backup", "dr-backup"):
        (statement,) = _vault(prod, stack)["AccessPolicy"]["Statement"]
        assert statement["Effect"] == "Deny"
        assert statement["Principal"] == {"AWS": "*"}
        assert sorted(statement["Action"]) == [
            "backup:DeleteRecoveryPoint",
            "backup:UpdateRecoveryPointLifecycle",
        ]


def test_vaults_are_retained_when_their_stack_is_deleted(prod):
    for stack in ("backup", "dr-backup"):
        (vault,) = resources(prod, stack, "AWS::Backup::BackupVault").values()
        assert vault["DeletionPolicy"] == "RetainExceptOnCreate"
