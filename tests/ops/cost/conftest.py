"""Fixtures of the cost model: a fixed inventory, round prices and a usage profile of zeros.

The fixed inventory is a hand-written template, so its totals can be worked out by hand; the
synthesized environments come from the session fixtures of tests/conftest.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from infra.config import ComputeConfig, PlatformConfig, ServiceScaling, load_config
from ops.cost.inventory import Inventory
from ops.cost.prices import PriceBook, load_prices
from ops.cost.usage import Usage, load_usage

DATA = Path(__file__).parent / "data"
FIXED_PRICES = DATA / "prices-fixed.json"
FIXED_USAGE = DATA / "usage-fixed.toml"
STACK = "pcs-prod-app"


def _service(name: str, task: str, strategy: list[dict]) -> dict:
    return {
        "Type": "AWS::ECS::Service",
        "Properties": {
            "ServiceName": f"pcs-prod-{name}",
            "TaskDefinition": {"Ref": task},
            "DesiredCount": 2,
            "CapacityProviderStrategy": strategy,
        },
    }


def _task(cpu: int, memory: int) -> dict:
    return {
        "Type": "AWS::ECS::TaskDefinition",
        "Properties": {
            "Cpu": str(cpu),
            "Memory": str(memory),
            "RuntimePlatform": {"CpuArchitecture": "ARM64", "OperatingSystemFamily": "LINUX"},
        },
    }


def fixed_template() -> dict:
    """API (1 vCPU/2 GB), worker (0.5/1, 80% Spot over a base of 1), a NAT with its IP,
    two alarms, a dashboard, a rotated key and one resource type the model cannot price."""
    return {
        "Resources": {
            "ApiService": _service(
                "api", "ApiTask", [{"CapacityProvider": "FARGATE", "Weight": 1, "Base": 2}]
            ),
            "ApiTask": _task(1024, 2048),
            "WorkerService": _service(
                "worker",
                "WorkerTask",
                [
                    {"CapacityProvider": "FARGATE_SPOT", "Weight": 80},
                    {"CapacityProvider": "FARGATE", "Weight": 20, "Base": 1},
                ],
            ),
            "WorkerTask": _task(512, 1024),
            "Nat": {"Type": "AWS::EC2::NatGateway", "Properties": {}},
            "NatIp": {"Type": "AWS::EC2::EIP", "Properties": {"Domain": "vpc"}},
            "ErrorsAlarm": {"Type": "AWS::CloudWatch::Alarm", "Properties": {"Period": 60}},
            "LatencyAlarm": {"Type": "AWS::CloudWatch::Alarm", "Properties": {"Period": 300}},
            "Dashboard": {"Type": "AWS::CloudWatch::Dashboard", "Properties": {}},
            "Key": {"Type": "AWS::KMS::Key", "Properties": {"EnableKeyRotation": True}},
            "KeyAlias": {"Type": "AWS::KMS::Alias", "Properties": {}},
            "Gadget": {"Type": "AWS::Example::Gadget", "Properties": {}},
        }
    }


@pytest.fixture
def fixed_inventory() -> Inventory:
    """The fixed template as an inventory."""
    return Inventory.from_templates({STACK: ("us-east-1", fixed_template())})


def fixed_config(api_average: float = 3, worker_average: float = 5) -> PlatformConfig:
    """prod at 100k with the services' expected average counts pinned."""
    return load_config(
        "prod",
        "100k",
        compute=ComputeConfig(
            api=ServiceScaling(1024, 2048, 2, 2, 20, api_average),
            worker=ServiceScaling(512, 1024, 1, 1, 10, worker_average),
        ),
    )


@pytest.fixture
def fixed_prices() -> PriceBook:
    """Round prices and a 1000-hour month."""
    return load_prices(FIXED_PRICES)


@pytest.fixture
def fixed_usage() -> Usage:
    """Zero traffic except 100 GB through the NAT."""
    return load_usage("100k", FIXED_USAGE)
