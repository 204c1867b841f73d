"""Compute, edge and delivery configuration: the values synthesis may refuse (no synth here)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from infra.config import Architecture, ConfigError, DeliveryConfig, EdgeConfig, load_config


def _edge(**changes) -> EdgeConfig:
    return replace(load_config("prod").edge, **changes)


def _delivery(**changes) -> DeliveryConfig:
    return replace(load_config("prod").delivery, **changes)


def test_a_web_service_in_one_az_is_refused():
    compute = load_config("prod").compute
    with pytest.raises(ConfigError, match=r"compute\.web\.min_count"):
        replace(compute, web=replace(compute.web, min_count=1, desired_count=1))


def test_the_spot_worker_runs_on_arm64():
    # Fargate Spot runs ARM64 Linux tasks on platform 1.4.0 or later (ECS API reference,
    # CapacityProviderStrategyItem); the config used to refuse it.
    compute = load_config("prod").compute
    assert compute.worker_architecture is Architecture.ARM64
    assert any(share.provider == "FARGATE_SPOT" for share in compute.worker_strategy)


def test_primary_region_outside_us_east_1_is_refused():
    with pytest.raises(ConfigError, match=r"region='us-west-2' .*us-east-1"):
        replace(load_config("prod").deployment, region="us-west-2")


def test_viewer_tls_policy_older_than_tls_1_2_2021_is_refused():
    with pytest.raises(ConfigError, match=r"edge\.viewer_tls_policy"):
        _edge(viewer_tls_policy="TLSv1.2_2019")


def test_alb_policy_without_fips_tls_1_3_is_refused():
    with pytest.raises(ConfigError, match=r"edge\.alb_ssl_policy"):
        _edge(alb_ssl_policy="ELBSecurityPolicy-TLS13-1-2-2021-06")


def test_site_5xx_rate_threshold_must_be_a_percentage():
    with pytest.raises(ConfigError, match=r"edge\.site_5xx_rate_threshold_percent"):
        _edge(site_5xx_rate_threshold_percent=150)


def test_image_tag_must_be_an_ecr_tag():
    with pytest.raises(ConfigError, match=r"delivery\.image_tag"):
        _delivery(image_tag="main branch")


def test_test_phase_longer_than_the_hook_can_hold_is_refused():
    with pytest.raises(ConfigError, match=r"delivery\.test_traffic_minutes"):
        _delivery(test_traffic_minutes=15)


def test_bake_time_beyond_the_ecs_limit_is_refused():
    with pytest.raises(ConfigError, match=r"delivery\.bake_minutes"):
        _delivery(bake_minutes=1441)


def test_github_repository_must_be_owner_slash_name():
    with pytest.raises(ConfigError, match=r"delivery\.github_repository"):
        _delivery(github_repository="pcs-platform")


def test_spec_figures_are_the_defaults():
    config = load_config("prod")
    assert (config.delivery.test_traffic_minutes, config.delivery.bake_minutes) == (5, 15)
    assert config.compute.worker_stop_timeout_seconds == 120
    assert config.edge.viewer_tls_policy == "TLSv1.2_2021"
