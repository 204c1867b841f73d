"""The Next.js front end (issue 15): its own image, behind the ALB's web rule."""

from __future__ import annotations

from dataclasses import dataclass

from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_ecr as ecr
from aws_cdk import aws_ecs as ecs
from constructs import Construct

from infra.compute.environment import ServiceInputs
from infra.compute.service import PlatformService, ServiceSpec, container_health_check
from infra.compute.task import (
    IMAGE_TAG_SUFFIXES,
    Placement,
    PlatformTask,
    acknowledge_generated_policies,
    container_task,
)
from infra.config import Architecture
from infra.defaults.fips import FIPS_ENDPOINT_ENVIRONMENT
from infra.delivery.blue_green import BlueGreenRelease
from infra.edge.load_balancer import WEB_TARGET_PROTOCOL, serve_tls
from infra.edge.security_headers import upload_origins

WEB_CONTAINER = "nextjs-web"
# Next.js writes its cache here; everything else of the root filesystem is read-only.
_CACHE_PATH = "/app/.next/cache"


@dataclass(frozen=True)
class WebTaskSpec:
    """The web image's task: no AWS access, no ECS Exec, a read-only root filesystem."""

    repository: ecr.IRepository
    cpu: int
    memory_mib: int
    port: int
    health_check: ecs.HealthCheck
    container_name: str = WEB_CONTAINER
    stop_timeout: Duration | None = None
    architecture: Architecture | None = None  # None: config.compute.architecture (ARM64)
    ecs_exec: bool = False

    @property
    def name(self) -> str:
        """``web``, in the family, log group and role names."""
        return "web"

    def build(
        self, scope: Construct, *, inputs: ServiceInputs, placement: Placement
    ) -> PlatformTask:
        """The task definition: the sign-in settings and upload origins the portal reads per
        request, the port the ALB targets, and a task-storage volume for Next's cache."""
        identity = inputs.identity
        task = container_task(
            scope,
            shape=self,
            config=inputs.config,
            region=inputs.region,
            placement=placement,
            repository=self.repository,
            # By tag (immutable): the release's scanned digests are the app image's.
            image_reference=lambda architecture: (
                f"{placement.image_tag}-{IMAGE_TAG_SUFFIXES[architecture]}"
            ),
            command=None,  # the image's own: node server.js
            environment={
                "PORT": str(self.port),
                "OIDC_ISSUER": identity.issuer,
                "OIDC_CLIENT_ID": identity.client_id,
                "COGNITO_DOMAIN": identity.sign_in_url,
                # The pages' CSP lets the browser post uploads to the documents bucket only.
                "PCS_UPLOAD_ORIGINS": " ".join(
                    upload_origins(inputs.documents_bucket_name, inputs.region.name)
                ),
                "SERVE_TLS": serve_tls(WEB_TARGET_PROTOCOL),
                # The portal makes no AWS SDK call today; one it makes later is FIPS already.
                **FIPS_ENDPOINT_ENVIRONMENT,
            },
            secrets={},
            writable_paths=(("next-cache", _CACHE_PATH),),
        )
        acknowledge_generated_policies(task)
        return task


def web_service(
    scope: Construct,
    construct_id: str,
    *,
    inputs: ServiceInputs,
    placement: Placement,
    repository: ecr.IRepository,
    release: BlueGreenRelease,
    rollback_alarms: tuple[cloudwatch.IAlarm, ...],
) -> PlatformService:
    """2-10 tasks on CPU like the API, released like the API by ``release`` (canary, with a
    test phase that renders a page through the test listener) and rolled back on any of
    ``rollback_alarms`` (docs/decisions/delivery-release-gates.md)."""
    compute = inputs.config.compute
    health = compute.health_check
    port = inputs.config.ports.app
    # HTTPS to itself (the entry point serves TLS; its certificate is self-signed, unverified).
    probe = (
        f"require('https').get({{host:'127.0.0.1',port:{port},"
        f"path:'{compute.web_health_check_path}',rejectUnauthorized:false,"
        f"timeout:{(health.timeout_seconds - 1) * 1000}}},"
        "r=>process.exit(r.statusCode===200?0:1))"
        ".on('error',()=>process.exit(1)).on('timeout',()=>process.exit(1))"
    )
    spec = ServiceSpec(
        task=WebTaskSpec(
            repository=repository,
            cpu=compute.web.cpu,
            memory_mib=compute.web.memory_mib,
            port=port,
            health_check=container_health_check(["CMD", "node", "-e", probe], health),
        ),
        scaling=compute.web,
        capacity=compute.default_strategy,
        options=release.service_options(health, *rollback_alarms),
    )
    web = PlatformService(scope, construct_id, spec=spec, inputs=inputs, placement=placement)
    release.attach(web.service, container_name=WEB_CONTAINER, port=port)
    web.scale_on_cpu(
        scaling=compute.web,
        target_percent=compute.web_cpu_target_percent,
        scale_in=compute.scale_in_cooldown_seconds,
        scale_out=compute.scale_out_cooldown_seconds,
    )
    return web
