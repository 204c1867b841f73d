"""Data-tier config validation: each bad value stops synth with one line naming the field."""

from __future__ import annotations

import pytest

from infra.config import CacheConfig, ConfigError, DatabaseConfig, KafkaConfig, load_config


@pytest.mark.parametrize(
    ("section", "field"),
    [(DatabaseConfig, "database"), (CacheConfig, "cache"), (KafkaConfig, "kafka")],
)
def test_log_retention_under_a_year_is_refused_with_one_line(section, field):
    with pytest.raises(ConfigError) as error:
        section(log_retention_days=30)
    message = str(error.value)
    assert message == (
        f"config error: {field}.log_retention_days=30 is not allowed; allowed: >= 365 days (AU-11)"
    )
    assert "\n" not in message


def test_the_prod_data_tier_keeps_its_logs_a_year():
    config = load_config("prod")
    assert {
        config.database.log_retention_days,
        config.cache.log_retention_days,
        config.kafka.log_retention_days,
    } == {365}


def test_the_10k_tier_runs_without_kafka():
    assert load_config("prod", "10k").kafka.enabled is False
