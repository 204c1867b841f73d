"""Data-tier config validation: each bad value stops synth with one line naming the field."""

from __future__ import annotations

import pytest

from infra.config import (
    CacheConfig,
    CapacityMode,
    ConfigError,
    DatabaseConfig,
    KafkaConfig,
    load_config,
)


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


def test_the_100k_tier_runs_the_writer_and_two_readers_on_db_r7g_large():
    database = load_config("prod", "100k").database
    assert (database.capacity_mode.value, database.instance_class, database.reader_count) == (
        "provisioned",
        "r7g.large",
        2,
    )


def test_a_provisioned_class_the_dr_reader_cannot_carry_is_refused_with_one_line():
    # r7g.2xlarge has 64 GiB; a Serverless v2 reader at 16 ACU reaches 32 GiB.
    with pytest.raises(ConfigError) as error:
        DatabaseConfig(
            capacity_mode=CapacityMode.PROVISIONED,
            instance_class="r7g.2xlarge",
            dr_reader_acu=(2, 16),
        )
    assert str(error.value) == (
        "config error: database.dr_reader_acu=(2, 16) is not allowed; allowed: a maximum of at "
        "least 32 ACU (2 GiB each) to carry the provisioned db.r7g.2xlarge writer's 64 GiB"
    )


def test_an_unknown_provisioned_class_is_refused_naming_the_classes_allowed():
    with pytest.raises(ConfigError) as error:
        DatabaseConfig(capacity_mode=CapacityMode.PROVISIONED, instance_class="r7g.huge")
    assert str(error.value) == (
        "config error: database.instance_class='r7g.huge' is not allowed; allowed: one of "
        "r6g.large, r6g.xlarge, r7g.2xlarge, r7g.large, r7g.xlarge, t4g.large, t4g.medium"
    )
