"""Backup settings refuse values AWS Backup or the spec would reject, with a one-line error."""

from __future__ import annotations

import pytest

from infra.config import BackupConfig, ConfigError


def test_vault_lock_grace_shorter_than_aws_cooling_off_is_refused():
    with pytest.raises(ConfigError, match=r"backup.vault_lock_changeable_for_days=2 .* >= 3"):
        BackupConfig(vault_lock_changeable_for_days=2)


def test_governance_mode_lock_is_allowed():
    assert BackupConfig(vault_lock_changeable_for_days=None).vault_lock_changeable_for_days is None


def test_dr_copy_interval_must_divide_a_day():
    with pytest.raises(ConfigError, match=r"backup.dr_copy_interval_hours=5 .*divisors of 24"):
        BackupConfig(dr_copy_interval_hours=5)


def test_lock_minimum_longer_than_the_shortest_rule_is_refused():
    with pytest.raises(ConfigError, match=r"backup.vault_lock_min_retention_days=3"):
        BackupConfig(vault_lock_min_retention_days=3, dr_copy_retention_days=2)


def test_start_window_under_an_hour_is_refused():
    with pytest.raises(ConfigError, match=r"backup.start_window_minutes=30 .* >= 60"):
        BackupConfig(start_window_minutes=30)
