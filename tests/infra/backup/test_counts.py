"""Resource counts of the backup stacks, so a silent removal fails."""

from __future__ import annotations


def test_prod_backup_stack_has_one_vault_two_plans_and_two_selections(prod):
    counts = prod.stacks["pcs-prod-backup"].resource_types
    assert counts["AWS::Backup::BackupVault"] == 1
    assert counts["AWS::Backup::BackupPlan"] == 2
    assert counts["AWS::Backup::BackupSelection"] == 2
    assert counts["AWS::IAM::Role"] == 1


def test_dev_backup_stack_has_one_plan_and_one_selection(dev):
    counts = dev.stacks["pcs-dev-backup"].resource_types
    assert (counts["AWS::Backup::BackupPlan"], counts["AWS::Backup::BackupSelection"]) == (1, 1)


def test_dr_backup_stack_has_its_vault_and_key_only(prod):
    counts = prod.stacks["pcs-prod-dr-backup"].resource_types
    assert counts == {"AWS::Backup::BackupVault": 1, "AWS::KMS::Key": 1, "AWS::KMS::Alias": 1}
