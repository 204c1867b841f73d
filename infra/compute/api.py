"""The Django API service (spec §2.2), released blue/green behind the internal ALB (§4.1)."""

from __future__ import annotations

from aws_cdk import aws_cloudwatch as cloudwatch
from constructs import Construct

from infra.compute.environment import ServiceInputs
from infra.compute.service import PlatformService, ServiceSpec, container_health_check
from infra.compute.task import Placement, TaskSpec
from infra.delivery.blue_green import BlueGreenRelease
from service.container_contract import Service

API_CONTAINER = "django-api"


def api_service(
    scope: Construct,
    construct_id: str,
    *,
    inputs: ServiceInputs,
    placement: Placement,
    release: BlueGreenRelease,
    rollback_alarms: tuple[cloudwatch.IAlarm, ...],
) -> PlatformService:
    """1 vCPU / 2 GB on port 8000, 2-20 tasks on CPU, released by ``release`` (canary, with a
    5-minute test phase that smoke-tests the documents API) and rolled back on any of
    ``rollback_alarms``."""
    config = inputs.config
    compute = config.compute
    health = compute.health_check
    app_port = config.ports.app
    spec = ServiceSpec(
        task=TaskSpec(
            service=Service.API,
            container_name=API_CONTAINER,
            cpu=compute.api.cpu,
            memory_mib=compute.api.memory_mib,
            port=app_port,
            documents=True,
            # The image's Python check (no curl in the image), over the scheme the API serves.
            health_check=container_health_check(
                ["CMD", "/app/bin/healthcheck", health.path, str(health.timeout_seconds - 1)],
                health,
            ),
        ),
        scaling=compute.api,
        capacity=compute.default_strategy,
        options=release.service_options(health, *rollback_alarms),
    )
    api = PlatformService(scope, construct_id, spec=spec, inputs=inputs, placement=placement)
    release.attach(api.service, container_name=API_CONTAINER, port=app_port)
    api.scale_on_cpu(
        scaling=compute.api,
        target_percent=compute.api_cpu_target_percent,
        scale_in=compute.scale_in_cooldown_seconds,
        scale_out=compute.scale_out_cooldown_seconds,
    )
    return api
