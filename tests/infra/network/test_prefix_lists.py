"""The S3 gateway endpoint's prefix list: the tasks' only way to S3, named per region in config."""

from __future__ import annotations

import pytest

from infra.config import ConfigError, NetworkConfig, load_config
from infra.config.network import dr_region_network

AZS = ("us-east-1a", "us-east-1b", "us-east-1c")
WEST = ("us-west-2a", "us-west-2b", "us-west-2c")


@pytest.mark.parametrize("deployment", ["dev", "staging", "prod"])
def test_the_primary_regions_s3_prefix_list_is_us_east_1s(deployment):
    assert load_config(deployment).network.s3_prefix_list_id == "pl-63a5400a"


def test_the_dr_region_takes_its_own_regions_s3_prefix_list():
    network = dr_region_network(load_config("prod").network, "us-west-2", WEST)
    assert network.s3_prefix_list_id == "pl-68a54001"


def test_a_dr_region_without_a_known_s3_prefix_list_is_refused_by_name():
    with pytest.raises(ConfigError) as error:
        dr_region_network(load_config("prod").network, "eu-west-1", WEST)
    assert str(error.value).startswith("config error: dr_region='eu-west-1' is not allowed")


@pytest.mark.parametrize("value", ["", "pl-XYZ", "sg-63a5400a", "pl-63a5400a "])
def test_an_s3_prefix_list_id_that_is_not_one_is_refused(value):
    # Never empty: without the rule the tasks could not pull their images, and nothing may stand
    # in for it with a wider destination.
    with pytest.raises(ConfigError) as error:
        NetworkConfig(availability_zones=AZS, s3_prefix_list_id=value)
    assert "network.s3_prefix_list_id=" in str(error.value)
