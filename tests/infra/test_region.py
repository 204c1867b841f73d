"""Both regions from one function (infra/region.py), and the order their stacks deploy in."""

from __future__ import annotations

from itertools import pairwise

import pytest

from infra.config import RegionRole, load_config

# dr-region-as-a-unit.md: the standby's alert topic and replication destinations, the primary
# region, the rest of the standby, then the global edge and the monitoring over both.
PROD_DEPLOY_ORDER = (
    ("us-west-2", "pcs-prod-dr-alerts"),
    ("us-west-2", "pcs-prod-dr-storage"),
    ("us-west-2", "pcs-prod-dr-backup"),
    ("us-east-1", "pcs-prod-foundation"),
    ("us-east-1", "pcs-prod-network"),
    ("us-east-1", "pcs-prod-data"),
    ("us-east-1", "pcs-prod-alerts"),
    ("us-east-1", "pcs-prod-backup"),
    ("us-east-1", "pcs-prod-audit"),
    ("us-east-1", "pcs-prod-identity"),
    ("us-east-1", "pcs-prod-delivery"),
    ("us-east-1", "pcs-prod-origin"),
    ("us-east-1", "pcs-prod-compute"),
    ("us-west-2", "pcs-prod-dr-network"),
    ("us-west-2", "pcs-prod-dr-database"),
    ("us-west-2", "pcs-prod-dr-audit"),
    ("us-west-2", "pcs-prod-dr-identity"),
    ("us-west-2", "pcs-prod-dr-watch"),
    ("us-west-2", "pcs-prod-dr-origin"),
    ("us-west-2", "pcs-prod-dr-compute"),
    ("us-east-1", "pcs-prod-edge"),
    ("us-east-1", "pcs-prod-monitoring"),
)


def test_prod_deploys_in_the_decided_order(prod):
    order = prod.deploy_order
    assert tuple((prod.stacks[name].region, name) for name in order) == PROD_DEPLOY_ORDER


def test_each_region_deploys_as_one_chain(prod):
    """Every stack of a region waits for the one before it, so no order interleaves them."""
    for region in ("us-east-1", "us-west-2"):
        chain = [
            name
            for region_of, name in PROD_DEPLOY_ORDER[:-2]  # the global edge and monitoring
            if region_of == region
        ]
        for earlier, later in pairwise(chain):
            assert later in prod.stacks and prod.requires(later, earlier), (later, earlier)


def test_the_standby_is_the_primary_at_its_own_region_names_and_cache():
    config = load_config("prod")
    primary = config.region_config(RegionRole.PRIMARY)
    standby = config.region_config(RegionRole.STANDBY)
    assert (primary.name, primary.standby, primary.stack("compute")) == (
        "us-east-1",
        False,
        "pcs-prod-compute",
    )
    assert (standby.name, standby.standby, standby.stack("compute")) == (
        "us-west-2",
        True,
        "pcs-prod-dr-compute",
    )
    # IAM names are global: the standby's end in its region; regional names are the primary's.
    assert standby.names.role("api", "task") == "pcs-prod-api-task-us-west-2"
    assert primary.names.role("api", "task") == "pcs-prod-api-task"
    assert standby.names.ecs_cluster == primary.names.ecs_cluster == "pcs-prod-cluster"
    assert (standby.bucket("documents"), primary.bucket("documents")) == (
        "pcs-prod-documents-replica-111111111111",
        "pcs-prod-documents-111111111111",
    )
    assert (standby.cache.node_type, standby.cache.node_count) == ("cache.t4g.micro", 2)
    assert standby.network.vpc_cidr == "10.1.0.0/16"
    assert standby.availability_zones == config.deployment.dr_availability_zones


def test_a_standby_needs_its_primary():
    from aws_cdk import App

    from infra.region import build_region

    config = load_config("prod")
    with pytest.raises(ValueError, match="after its primary"):
        build_region(App(), config, config.region_config(RegionRole.STANDBY))
