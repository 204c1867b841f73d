"""One ECS Fargate service of the platform image, built the same way for API, worker and Beat."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from aws_cdk import Duration
from aws_cdk import aws_applicationautoscaling as appscaling
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecs as ecs
from constructs import Construct

from infra.compute.cluster import capacity_strategy
from infra.compute.environment import ServiceInputs
from infra.compute.task import Placement, PlatformTask, TaskShape
from infra.config import CapacityProviderShare, HealthCheck, ServiceScaling


def container_health_check(command: list[str], health: HealthCheck) -> ecs.HealthCheck:
    """``command`` run on the configured interval, timeout, retries and start period."""
    return ecs.HealthCheck(
        command=command,
        interval=Duration.seconds(health.interval_seconds),
        timeout=Duration.seconds(health.timeout_seconds),
        retries=health.retries,
        start_period=Duration.seconds(health.start_period_seconds),
    )


def released_behind_load_balancer(
    health: HealthCheck, *alarms: cloudwatch.IAlarm
) -> dict[str, Any]:
    """FargateService options of a load-balanced service: the target health grace period, and
    a release that ECS rolls back when any of ``alarms`` fires."""
    return {
        "health_check_grace_period": Duration.seconds(health.grace_period_seconds),
        **rolled_back_on(*alarms),
    }


def rolled_back_on(*alarms: cloudwatch.IAlarm) -> dict[str, Any]:
    """FargateService options of a release that ECS rolls back when any of ``alarms`` fires."""
    return {
        "deployment_alarms": ecs.DeploymentAlarmConfig(
            alarm_names=[alarm.alarm_name for alarm in alarms],
            behavior=ecs.AlarmBehavior.ROLLBACK_ON_ALARM,
        )
    }


class ServiceTask(TaskShape, Protocol):
    """A task a service runs: the app image's (:class:`TaskSpec`) or the web image's."""

    ecs_exec: bool

    def build(
        self, scope: Construct, *, inputs: ServiceInputs, placement: Placement
    ) -> PlatformTask: ...


@dataclass(frozen=True)
class ServiceSpec:
    """A task definition run as a service: its counts, capacity and deployment settings."""

    task: ServiceTask
    scaling: ServiceScaling
    capacity: tuple[CapacityProviderShare, ...]
    min_healthy_percent: int = 100
    max_healthy_percent: int = 200
    options: dict[str, Any] = field(default_factory=dict)  # further FargateService props


class PlatformService(Construct):
    """Roles, log group, task definition and Fargate service for one :class:`ServiceSpec`.

    Tasks run in the private subnets without a public IP, on the configured CPU architecture,
    with the deployment circuit breaker rolling back a release whose tasks cannot start.

    A task that allows ECS Exec (``spec.task.ecs_exec``) gets the session channels in its role
    (sessions encrypted and logged by the cluster's configuration); the service has Exec on
    only where ``compute.ecs_exec`` says so. Elsewhere the break-glass role turns it on for a
    while (docs/runbook.md), which works without a deploy because the role is already there.
    ECS tags each task with its service (``aws:ecs:serviceName``), which scopes that role.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        spec: ServiceSpec,
        inputs: ServiceInputs,
        placement: Placement,
    ) -> None:
        super().__init__(scope, construct_id)
        self._cluster = placement.cluster
        self._task_count: ecs.ScalableTaskCount | None = None
        # The pilot-light DR region's services wait at 0 tasks with scaling suspended, as
        # `ops.dr scale-dr --to down` leaves them; `scale-dr --to up` gives them the counts.
        self._standby = inputs.region.standby
        task = spec.task.build(self, inputs=inputs, placement=placement)
        self.roles = task.roles
        self.task_definition = task.task_definition
        self.service = ecs.FargateService(
            self,
            "Service",
            service_name=inputs.config.names.service(spec.task.name),
            cluster=placement.cluster,
            task_definition=task.task_definition,
            desired_count=0 if self._standby else spec.scaling.desired_count,
            capacity_provider_strategies=capacity_strategy(spec.capacity),
            vpc_subnets=ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS),
            security_groups=[placement.security_groups[spec.task.name]],
            assign_public_ip=False,
            enable_execute_command=spec.task.ecs_exec,
            enable_ecs_managed_tags=True,
            circuit_breaker=ecs.DeploymentCircuitBreaker(enable=True, rollback=True),
            min_healthy_percent=spec.min_healthy_percent,
            max_healthy_percent=spec.max_healthy_percent,
            propagate_tags=ecs.PropagatedTagSource.SERVICE,
            **spec.options,
        )
        if spec.task.ecs_exec and not inputs.config.compute.ecs_exec:
            # The L2 grants the channels only with Exec on; keep them and turn Exec off.
            self.service.node.default_child.enable_execute_command = False

    def _scalable_task_count(self, scaling: ServiceScaling) -> ecs.ScalableTaskCount:
        """The service's one scalable target (ECS allows a single one), shared by its policies."""
        if self._task_count is None:
            self._task_count = self.service.auto_scale_task_count(
                min_capacity=0 if self._standby else scaling.min_count,
                max_capacity=scaling.max_count,
            )
            if self._standby:
                target = self._task_count.node.find_child("Target").node.default_child
                assert isinstance(target, appscaling.CfnScalableTarget)
                target.suspended_state = appscaling.CfnScalableTarget.SuspendedStateProperty(
                    dynamic_scaling_in_suspended=True,
                    dynamic_scaling_out_suspended=True,
                    scheduled_scaling_suspended=True,
                )
        return self._task_count

    def scale_on_cpu(
        self, *, scaling: ServiceScaling, target_percent: float, scale_in: int, scale_out: int
    ) -> None:
        """Target tracking on the service's average CPU between min and max tasks."""
        self._scalable_task_count(scaling).scale_on_cpu_utilization(
            "Cpu",
            target_utilization_percent=target_percent,
            scale_in_cooldown=Duration.seconds(scale_in),
            scale_out_cooldown=Duration.seconds(scale_out),
        )

    def scale_on_backlog_per_task(
        self,
        *,
        scaling: ServiceScaling,
        namespace: str,
        target_per_task: float,
        scale_in: int,
        scale_out: int,
    ) -> None:
        """Target tracking on ``QueueDepth / RunningTaskCount``: messages waiting per task.

        ``QueueDepth`` is the service-published Celery backlog (``namespace``, dimension
        ``Service``); ``RunningTaskCount`` is Container Insights'. The L2 policy takes only a
        plain metric, so this is the L1 policy with a metric-math ``Metrics`` specification on
        the service's scalable target.
        """
        task_count = self._scalable_task_count(scaling)
        target = task_count.node.find_child("Target")
        service_name = self.service.service_name

        def query(query_id: str, metric: dict, stat: str) -> dict:
            return {
                "id": query_id,
                "metricStat": {"metric": metric, "stat": stat},
                "returnData": False,
            }

        appscaling.CfnScalingPolicy(
            self,
            "BacklogPerTaskScaling",
            policy_name=f"{service_name}-backlog-per-task",
            policy_type="TargetTrackingScaling",
            scaling_target_id=target.scalable_target_id,
            target_tracking_scaling_policy_configuration={
                "targetValue": target_per_task,
                "scaleInCooldown": scale_in,
                "scaleOutCooldown": scale_out,
                "customizedMetricSpecification": {
                    "metrics": [
                        query(
                            "depth",
                            {
                                "namespace": namespace,
                                "metricName": "QueueDepth",
                                "dimensions": [{"name": "Service", "value": service_name}],
                            },
                            "Maximum",
                        ),
                        query(
                            "running",
                            {
                                "namespace": "ECS/ContainerInsights",
                                "metricName": "RunningTaskCount",
                                "dimensions": [
                                    {"name": "ClusterName", "value": self._cluster.cluster_name},
                                    {"name": "ServiceName", "value": service_name},
                                ],
                            },
                            "Average",
                        ),
                        {
                            "id": "backlog_per_task",
                            "expression": "depth / running",
                            "label": "Celery messages waiting per running worker task",
                            "returnData": True,
                        },
                    ]
                },
            },
        )
