"""ECS Fargate: cluster, API and portal (blue/green), Celery worker and Beat, scaling, the
rollback alarms."""

from __future__ import annotations

from typing import Any, Protocol

from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecr as ecr
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kinesisfirehose as firehose
from aws_cdk import aws_kms as kms
from constructs import Construct

from infra.compute.alarms import (
    api_5xx_alarm,
    green_error_rate_alarm,
    tasks_below_desired_alarm,
    web_5xx_alarm,
)
from infra.compute.api import api_service
from infra.compute.celery import beat_service, worker_service
from infra.compute.cluster import platform_cluster
from infra.compute.environment import ServiceInputs
from infra.compute.migration import MigrationTask
from infra.compute.pool_admin import PoolAdmin, grant_standby_pool
from infra.compute.task import Placement
from infra.compute.web import web_service
from infra.config import PlatformConfig, RegionConfig
from infra.data.outputs import DataTier
from infra.delivery.blue_green import BlueGreenRelease, DocumentsSmokeTest, PageSmokeTest
from infra.edge.load_balancer import ApiLoadBalancer, BlueGreenTargets
from infra.identity.user_pool import IdentityEndpoint
from infra.names import PlatformNames
from infra.network.security_groups import PlatformSecurityGroups
from infra.security.break_glass import ExecBreakGlassRole
from infra.security.secrets import ApplicationSecrets
from infra.stacks.base import PlatformStack
from service.container_contract import Service


class ComputeKeys(Protocol):
    """The keys a region's services use: the primary's :class:`~infra.security.keys.PlatformKeys`,
    or the DR region's own (:class:`~infra.stacks.dr_region.DrKeys`)."""

    @property
    def ecs_exec(self) -> kms.IKey: ...

    @property
    def storage(self) -> kms.IKey: ...

    @property
    def logs(self) -> kms.IKey: ...


class RegionalOrigin(Protocol):
    """The region's internal ALB and the group its blue/green test traffic comes from."""

    @property
    def load_balancer(self) -> ApiLoadBalancer: ...

    @property
    def test_clients(self) -> ec2.ISecurityGroup: ...


class ComputeStack(PlatformStack):
    """Exposes :attr:`cluster`, :attr:`api`, :attr:`worker`, :attr:`beat` (ECS services),
    :attr:`migration` (the one-off migrate task definition) and :attr:`rollback_alarms` (the
    services' deployment alarms by short name, for the monitoring stack, which adds the
    on-call actions).

    Built once per region (:func:`infra.region.build_region`) on that region's data tier and
    origin; in the standby every service waits at 0 tasks.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: PlatformConfig,
        region: RegionConfig,
        vpc: ec2.IVpc,
        security_groups: PlatformSecurityGroups,
        keys: ComputeKeys,
        secrets: ApplicationSecrets,
        data_tier: DataTier,
        origin: RegionalOrigin,
        repository: ecr.IRepository,
        web_repository: ecr.IRepository,
        identity: IdentityEndpoint,
        audit_events: firehose.IDeliveryStream,
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        self.cluster = platform_cluster(
            self, "Cluster", config=config, vpc=vpc, exec_key=keys.ecs_exec
        )
        inputs = ServiceInputs(
            config=config,
            region=region,
            data_tier=data_tier,
            secrets=secrets,
            documents_key=keys.storage,
            identity=identity,
            audit_events=audit_events,
        )
        placement = Placement(
            cluster=self.cluster,
            security_groups=security_groups.services,
            repository=repository,
            image_tag=config.delivery.image_tag,
            image_digests=config.delivery.image_digests,
            logs_key=keys.logs,
        )
        load_balancer = origin.load_balancer
        self.api_5xx_alarm = api_5xx_alarm(
            self, "Api5xxAlarm", config=config, load_balancer=load_balancer.load_balancer
        )
        delivery = config.delivery

        def release(
            name: str, targets: BlueGreenTargets, smoke: DocumentsSmokeTest | PageSmokeTest
        ) -> BlueGreenRelease:
            return BlueGreenRelease(
                self,
                f"{name}Release",
                config=config,
                names=region.names,
                vpc=vpc,
                targets=targets,
                test_clients=origin.test_clients,
                logs_key=keys.logs,
                smoke=smoke,
            )

        def green_alarm(name: str, targets: BlueGreenTargets) -> cloudwatch.Alarm:
            return green_error_rate_alarm(
                self,
                f"{name}GreenErrorsAlarm",
                config=config,
                load_balancer=load_balancer.load_balancer,
                targets=targets,
            )

        self.api_green_alarm = green_alarm("Api", load_balancer.api)
        api = api_service(
            self,
            "Api",
            inputs=inputs,
            placement=placement,
            release=release(
                "Api",
                load_balancer.api,
                DocumentsSmokeTest(delivery.test_probe_path, secrets.smoke_test_token),
            ),
            rollback_alarms=(self.api_green_alarm, self.api_5xx_alarm),
        )
        self.api: ecs.FargateService = api.service
        # The worker's and Beat's releases roll back on their own signal: tasks that cannot
        # start or keep crashing (no load balancer counts their errors).
        own_signals = {
            role: tasks_below_desired_alarm(
                self,
                f"{role.title()}TasksBelowDesiredAlarm",
                config=config,
                role=role,
                cluster_name=self.cluster.cluster_name,
                service_name=config.names.service(role),
                pilot_light=region.standby,
            )
            for role in (Service.WORKER.value, Service.BEAT.value)
        }
        worker = worker_service(
            self, "Worker", inputs=inputs, placement=placement, rollback_alarm=own_signals["worker"]
        )
        self.worker: ecs.FargateService = worker.service
        self._pool_admin(config, region, identity, keys.logs, (api.roles.task, worker.roles.task))
        self.beat: ecs.FargateService = beat_service(
            self, "Beat", inputs=inputs, placement=placement, rollback_alarm=own_signals["beat"]
        ).service
        self.web_5xx_alarm = web_5xx_alarm(
            self, "Web5xxAlarm", config=config, targets=load_balancer.web
        )
        self.web_green_alarm = green_alarm("Web", load_balancer.web)
        self.web: ecs.FargateService = web_service(
            self,
            "Web",
            inputs=inputs,
            placement=placement,
            repository=web_repository,
            release=release(
                "Web",
                load_balancer.web,
                PageSmokeTest(
                    config.compute.web_health_check_path,
                    delivery.web_test_page_path,
                    delivery.web_test_page_marker,
                ),
            ),
            rollback_alarms=(self.web_green_alarm, self.web_5xx_alarm),
        ).service
        self.migration: ecs.FargateTaskDefinition = MigrationTask(
            self, "Migration", inputs=inputs, placement=placement
        ).task.task_definition
        self.rollback_alarms = {
            "api-5xx": self.api_5xx_alarm,
            "api-green-errors": self.api_green_alarm,
            "web-5xx": self.web_5xx_alarm,
            "web-green-errors": self.web_green_alarm,
            **{f"{role}-tasks-below-desired": alarm for role, alarm in own_signals.items()},
        }
        self._break_glass(config, names=region.names, exec_key=keys.ecs_exec)

    def _pool_admin(
        self,
        config: PlatformConfig,
        region: RegionConfig,
        identity: IdentityEndpoint,
        logs_key: kms.IKey,
        callers: tuple[iam.IRole, ...],
    ) -> None:
        """The function through which the API and worker reach both user pools. The standby's
        knows the primary's pool (the one its API also accepts) and grants the primary's
        function its own pool, which the primary could not name when it deployed."""
        primary_pool = identity.also_accepted[0] if region.standby else None
        self.pool_admin = PoolAdmin(
            self,
            "PoolAdmin",
            names=region.names,
            home_pool_id=identity.user_pool_id,
            home_pool_arn=identity.user_pool_arn,
            standby_region=(
                config.deployment.region if region.standby else config.deployment.dr_region
            ),
            standby_pool_arn=primary_pool.user_pool_arn if primary_pool else None,
            logs_key=logs_key,
            log_retention_days=config.compute.log_retention_days,
            callers=callers,
        ).function
        if region.standby:
            grant_standby_pool(self, primary=config.names, pool_arn=identity.user_pool_arn)

    def _break_glass(
        self, config: PlatformConfig, *, names: PlatformNames, exec_key: kms.IKey
    ) -> None:
        """Where ECS Exec is off, one MFA-gated role per service that may turn it on."""
        principals = config.deployment.break_glass_principals
        if config.compute.ecs_exec or not principals:
            return
        for service in (Service.API, Service.WORKER, Service.BEAT):  # the tasks that allow Exec
            ExecBreakGlassRole(
                self,
                f"{service.name.title()}BreakGlass",
                role_name=names.break_glass_role(service.value),
                cluster_name=names.ecs_cluster,
                service_name=names.service(service.value),
                exec_key=exec_key,
                principals=principals,
            )
