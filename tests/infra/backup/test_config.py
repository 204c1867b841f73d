"""Backup settings refuse values AWS Backup or the spec would reject, with a one-line error."""

from __future__ import annotations

import pytest

from infra.config import BackupConfig, ConfigError


def test_vault_lock_grace_shorter_than_aws_cooling_off_is_refused():
    with pytest.raises(ConfigError, match=r"backup.vault_lock_changeable_for_days=2 .* >= 3"):
        BackupConfig(vault_lock_changeable_for_days=2)


def test_governance_mode_lock_is_allowed():
    assert BackupConfig(vault_lock_changeable_for_days=None).vault_lock_changeable_for_days is None


@pytest.mark.parametrize("field", ["delete_after_days", "dr_copy_retention_days"])
def test_aurora_points_beyond_the_pitr_window_are_refused(field):
    with pytest.raises(ConfigError, match=rf"backup.{field}=2555 .*1..35"):
        BackupConfig(**{field: 2555})


def test_lock_minimum_longer_than_the_shortest_rule_is_refused():
    with pytest.raises(ConfigError, match=r"backup.vault_lock_min_retention_days=8 .*1..7"):
        BackupConfig(vault_lock_min_retention_days=8, dr_copy_retention_days=7)


def test_export_day_every_month_has_is_required():
    with pytest.raises(ConfigError, match=r"backup.archive_export_day=31 .*1..28"):
        BackupConfig(archive_export_day=31)


def test_start_window_under_an_hour_is_refused():
    with pytest.raises(ConfigError, match=r"backup.start_window_minutes=30 .* >= 60"):
        BackupConfig(start_window_minutes=30)
