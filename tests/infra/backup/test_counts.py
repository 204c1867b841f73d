"""Resource counts of the backup stacks, so a silent removal fails."""

from __future__ import annotations


def test_prod_backup_stack_has_one_vault_plan_selection_and_the_archive_exporter(prod):
    counts = prod.stacks["pcs-prod-backup"].resource_types
    assert counts["AWS::Backup::BackupVault"] == 1
    assert counts["AWS::Backup::BackupPlan"] == 1
    assert counts["AWS::Backup::BackupSelection"] == 1
    # AWS Backup's role, the export role (RDS), the exporter function's role
    assert counts["AWS::IAM::Role"] == 3
    assert counts["AWS::Lambda::Function"] == 1
    assert counts["AWS::CloudWatch::Alarm"] == 3  # export failed, exporter errors, replication


def test_dev_backup_stack_has_one_plan_and_one_selection(dev):
    counts = dev.stacks["pcs-dev-backup"].resource_types
    assert (counts["AWS::Backup::BackupPlan"], counts["AWS::Backup::BackupSelection"]) == (1, 1)


def test_dr_backup_stack_has_its_vault_and_key_only(prod):
    counts = prod.stacks["pcs-prod-dr-backup"].resource_types
    assert counts == {"AWS::Backup::BackupVault": 1, "AWS::KMS::Key": 1, "AWS::KMS::Alias": 1}
