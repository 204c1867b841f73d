"""Configuration: the spec's figures by default, and one-line errors for every invalid value."""

from __future__ import annotations

from dataclasses import replace

import pytest

from infra.config import (
    TIERS,
    ComputeConfig,
    ConfigError,
    DatabaseConfig,
    IdentityConfig,
    NetworkConfig,
    StorageConfig,
    load_config,
)

AZS = ("us-east-1a", "us-east-1b", "us-east-1c")


def _one_line(error: pytest.ExceptionInfo[ConfigError]) -> str:
    message = str(error.value)
    assert "\n" not in message
    return message


def test_prod_uses_the_spec_vpc_and_subnet_cidrs():
    network = load_config("prod").network
    assert network.vpc_cidr == "10.0.0.0/16"
    assert network.public_subnet_cidrs == ("10.0.1.0/24", "10.0.2.0/24", "10.0.3.0/24")
    assert network.private_subnet_cidrs == ("10.0.10.0/24", "10.0.11.0/24", "10.0.12.0/24")
    assert network.database_subnet_cidrs == ("10.0.20.0/24", "10.0.21.0/24", "10.0.22.0/24")


def test_prod_names_a_dr_region_distinct_from_its_primary_region():
    deployment = load_config("prod").deployment
    assert deployment.dr_region and deployment.dr_region != deployment.region


def test_prod_runs_no_nat_gateway_and_one_per_az_is_a_config_switch():
    network = load_config("prod").network
    assert (network.nat_gateways, network.dr_nat_gateways) == (0, 0)
    assert NetworkConfig(availability_zones=AZS, nat_gateways=3).nat_gateways == 3


def test_every_tier_keeps_the_spec_task_sizes_and_scaling_ranges():
    for tier in TIERS:
        compute = load_config("prod", tier).compute
        assert (compute.api.cpu, compute.api.memory_mib) == (1024, 2048)
        assert (compute.api.min_count, compute.api.max_count) == (2, 20)
        assert (compute.worker.cpu, compute.worker.memory_mib) == (512, 1024)
        assert (compute.worker.min_count, compute.worker.max_count) == (1, 10)


def test_every_tier_keeps_a_writer_with_two_readers_and_three_cache_nodes():
    for tier in TIERS:
        config = load_config("prod", tier)
        assert config.database.reader_count == 2, tier
        assert config.cache.node_count == 3, tier


def test_tier_selection_changes_the_data_tier_capacity():
    assert not load_config("prod", "10k").kafka.enabled
    assert load_config("prod", "1m").kafka.enabled
    assert load_config("prod", "1m").database.serverless_max_acu > (
        load_config("prod", "10k").database.serverless_max_acu
    )


def test_unknown_deployment_names_the_deployments_in_the_repository():
    with pytest.raises(ConfigError) as error:
        load_config("qa")
    assert _one_line(error) == (
        "config error: deployment='qa' is not allowed; allowed: acme-prod, dev, prod, staging"
    )


def test_unknown_tier_names_the_allowed_tiers():
    with pytest.raises(ConfigError) as error:
        load_config("prod", "5m")
    assert _one_line(error) == "config error: tier='5m' is not allowed; allowed: 10k, 100k, 1m"


def test_overlapping_subnet_cidrs_are_rejected():
    with pytest.raises(ConfigError) as error:
        NetworkConfig(
            availability_zones=AZS,
            private_subnet_cidrs=("10.0.10.0/24", "10.0.1.0/24", "10.0.12.0/24"),
        )
    message = _one_line(error)
    assert "network.private_subnet_cidrs[1]='10.0.1.0/24'" in message
    assert "does not overlap network.public_subnet_cidrs[0]=10.0.1.0/24" in message


def test_subnet_outside_the_vpc_is_rejected():
    with pytest.raises(ConfigError) as error:
        NetworkConfig(
            availability_zones=AZS,
            database_subnet_cidrs=("10.0.20.0/24", "10.0.21.0/24", "10.1.22.0/24"),
        )
    assert "network.database_subnet_cidrs[2]='10.1.22.0/24'" in _one_line(error)
    assert "a subnet inside 10.0.0.0/16" in str(error.value)


def test_malformed_cidr_is_rejected_with_an_example():
    with pytest.raises(ConfigError) as error:
        NetworkConfig(availability_zones=AZS, vpc_cidr="10.0.0.0/33")
    assert _one_line(error).endswith("allowed: an IPv4 CIDR such as 10.0.1.0/24")


def test_fewer_than_two_availability_zones_are_rejected():
    with pytest.raises(ConfigError) as error:
        NetworkConfig(
            availability_zones=("us-east-1a",),
            public_subnet_cidrs=("10.0.1.0/24",),
            private_subnet_cidrs=("10.0.10.0/24",),
            database_subnet_cidrs=("10.0.20.0/24",),
            nat_gateways=1,
        )
    assert "network.availability_zones" in _one_line(error)
    assert "2 or more distinct AZs" in str(error.value)


def test_more_nat_gateways_than_azs_are_rejected():
    with pytest.raises(ConfigError) as error:
        NetworkConfig(availability_zones=AZS, nat_gateways=4)
    assert _one_line(error) == "config error: network.nat_gateways=4 is not allowed; allowed: 0..3"
    with pytest.raises(ConfigError) as error:
        NetworkConfig(availability_zones=AZS, dr_nat_gateways=-1)
    assert _one_line(error) == (
        "config error: network.dr_nat_gateways=-1 is not allowed; allowed: 0..3"
    )


def test_min_tasks_above_max_tasks_are_rejected():
    api = replace(ComputeConfig().api, min_count=21)
    with pytest.raises(ConfigError) as error:
        ComputeConfig(api=api)
    assert _one_line(error) == (
        "config error: compute.api.min_count=21 is not allowed; allowed: <= max_count (20)"
    )


def test_api_below_two_tasks_is_rejected_for_two_az_availability():
    api = replace(ComputeConfig().api, min_count=1, desired_count=1, expected_average_count=1)
    with pytest.raises(ConfigError) as error:
        ComputeConfig(api=api)
    assert "compute.api.min_count=1" in _one_line(error)


def test_database_backup_retention_shorter_than_35_days_is_rejected():
    with pytest.raises(ConfigError) as error:
        DatabaseConfig(backup_retention_days=7)
    assert _one_line(error) == (
        "config error: database.backup_retention_days=7 is not allowed; allowed: >= 35 (spec §3.1)"
    )


def test_archive_lock_shorter_than_seven_years_is_rejected():
    with pytest.raises(ConfigError) as error:
        StorageConfig(archive_lock_days=365)
    assert "storage.archive_lock_days=365" in _one_line(error)
    assert ">= 2555" in str(error.value)


def test_log_archive_expiring_before_seven_years_is_rejected():
    with pytest.raises(ConfigError) as error:
        StorageConfig(log_expiration_days=90)
    assert "storage.log_expiration_days=90" in _one_line(error)


@pytest.mark.parametrize("days", [365, 3000])
def test_log_lock_shorter_than_m_21_31_or_longer_than_the_logs_is_rejected(days):
    with pytest.raises(ConfigError) as error:
        StorageConfig(log_lock_days=days)
    assert f"storage.log_lock_days={days}" in _one_line(error)
    assert "913 (OMB M-21-31)..2555" in str(error.value)


def test_log_group_retention_shorter_than_a_year_is_rejected():
    with pytest.raises(ConfigError) as error:
        ComputeConfig(log_retention_days=30)
    assert "compute.log_retention_days=30" in _one_line(error)


def test_unknown_override_section_is_rejected():
    with pytest.raises(ConfigError) as error:
        load_config("prod", networking=None)
    assert "overrides=['networking']" in _one_line(error)


@pytest.mark.parametrize("share", [0, 1.5])
def test_a_monthly_active_user_share_outside_0_to_1_is_rejected(share):
    with pytest.raises(ConfigError) as error:
        IdentityConfig(monthly_active_user_share=share)
    assert _one_line(error) == (
        f"config error: identity.monthly_active_user_share={share} is not allowed; allowed: (0, 1]"
    )


def test_documents_versions_shorter_than_seven_years_are_rejected():
    with pytest.raises(ConfigError) as error:
        StorageConfig(documents_version_days=365)
    assert _one_line(error) == (
        "config error: storage.documents_version_days=365 is not allowed; "
        "allowed: >= 2555 (7 years)"
    )


def test_the_managed_rpo_is_at_least_auroras_minimum_and_alarms_before_it():
    with pytest.raises(ConfigError) as error:
        DatabaseConfig(global_rpo_seconds=10)
    assert _one_line(error) == (
        "config error: database.global_rpo_seconds=10 is not allowed; "
        "allowed: >= 20 (Aurora's rds.global_db_rpo minimum)"
    )
    with pytest.raises(ConfigError) as error:
        DatabaseConfig(global_rpo_seconds=60, global_db_rpo_alarm_seconds=60)
    assert "database.global_db_rpo_alarm_seconds=60" in _one_line(error)


def test_a_traffic_switch_period_an_alarm_cannot_evaluate_is_rejected():
    edge = load_config("prod").edge
    assert edge.traffic_switch_period_seconds == 60
    with pytest.raises(ConfigError) as error:
        replace(edge, traffic_switch_period_seconds=45)
    assert _one_line(error) == (
        "config error: edge.traffic_switch_period_seconds=45 is not allowed; allowed: 10, 30, 60"
    )
