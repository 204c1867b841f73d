"""Every service: private subnets, no public IP, its own security group, ECS Exec."""

from __future__ import annotations

import pytest

from tests.infra.compute.helpers import service

SERVICES = ("api", "worker", "beat")


@pytest.mark.parametrize("name", SERVICES)
def test_service_runs_in_the_private_subnets_without_a_public_ip(prod, name):
    network = service(prod, name)["NetworkConfiguration"]["AwsvpcConfiguration"]
    assert network["AssignPublicIp"] == "DISABLED"
    assert all("privateSubnet" in str(subnet) for subnet in network["Subnets"])


@pytest.mark.parametrize("name", (*SERVICES, "web"))
def test_service_uses_only_its_own_security_group(prod, name):
    network = service(prod, name)["NetworkConfiguration"]["AwsvpcConfiguration"]
    (group,) = network["SecurityGroups"]
    assert f"SecurityGroups{name.title()}" in group["Fn::ImportValue"]


@pytest.mark.parametrize("name", SERVICES)
def test_service_allows_ecs_exec(prod, name):
    assert service(prod, name)["EnableExecuteCommand"] is True


@pytest.mark.parametrize("name", SERVICES)
def test_service_rolls_back_a_release_whose_tasks_cannot_start(prod, name):
    breaker = service(prod, name)["DeploymentConfiguration"]["DeploymentCircuitBreaker"]
    assert breaker == {"Enable": True, "Rollback": True}
