"""Every service: private subnets, no public IP, its own security group, ECS Exec off in prod."""

from __future__ import annotations

import pytest

from tests.infra.compute.helpers import service
from tests.infra.conftest import resources

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


def test_no_prod_service_has_ecs_exec_on(prod):
    services = resources(prod, "compute", "AWS::ECS::Service").values()
    assert len(services) == 4  # api, worker, beat, web
    assert [s["Properties"]["EnableExecuteCommand"] for s in services] == [False] * 4


@pytest.mark.parametrize("name", SERVICES)
def test_dev_services_of_the_app_image_have_ecs_exec_on(dev, name):
    assert service(dev, name)["EnableExecuteCommand"] is True


@pytest.mark.parametrize("name", SERVICES)
def test_ecs_tags_each_task_with_its_service_for_the_break_glass_scope(prod, name):
    assert service(prod, name)["EnableECSManagedTags"] is True


@pytest.mark.parametrize("name", SERVICES)
def test_service_rolls_back_a_release_whose_tasks_cannot_start(prod, name):
    breaker = service(prod, name)["DeploymentConfiguration"]["DeploymentCircuitBreaker"]
    assert breaker == {"Enable": True, "Rollback": True}
