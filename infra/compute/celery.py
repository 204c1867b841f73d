"""The Celery worker (spec §2.3) and the single Celery Beat scheduler."""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cloudwatch
from constructs import Construct

from infra.compute.environment import ServiceInputs
from infra.compute.service import PlatformService, ServiceSpec, rolled_back_on
from infra.compute.task import Placement, TaskSpec
from infra.config import CapacityProviderShare
from service.container_contract import Service


def worker_service(
    scope: Construct,
    construct_id: str,
    *,
    inputs: ServiceInputs,
    placement: Placement,
    rollback_alarm: cloudwatch.IAlarm,
) -> PlatformService:
    """0.5 vCPU / 1 GB, mostly on Spot with one on-demand task, on X86_64 (Fargate Spot runs no
    ARM64 tasks); 1-10 tasks on backlog per task and on CPU (either scales out, both must agree
    to scale in). It runs the minute's queue-metrics task, so it publishes ``PCS/Celery``. ECS
    rolls a release back on ``rollback_alarm`` (tasks that cannot start) or the circuit breaker.

    The 120-second stop timeout covers Spot's two-minute interruption notice: SIGTERM starts
    Celery's warm shutdown, which finishes the running tasks before the container stops.
    """
    compute = inputs.config.compute
    spec = ServiceSpec(
        task=TaskSpec(
            service=Service.WORKER,
            container_name="celery-worker",
            cpu=compute.worker.cpu,
            memory_mib=compute.worker.memory_mib,
            stop_timeout=Duration.seconds(compute.worker_stop_timeout_seconds),
            documents=True,
            architecture=compute.worker_architecture,
        ),
        scaling=compute.worker,
        capacity=compute.worker_strategy,
        options=rolled_back_on(rollback_alarm),
    )
    worker = PlatformService(scope, construct_id, spec=spec, inputs=inputs, placement=placement)
    worker.scale_on_backlog_per_task(
        scaling=compute.worker,
        namespace=inputs.config.monitoring.celery_metrics_namespace,
        target_per_task=compute.worker_backlog_per_task_target,
        scale_in=compute.scale_in_cooldown_seconds,
        scale_out=compute.scale_out_cooldown_seconds,
    )
    worker.scale_on_cpu(
        scaling=compute.worker,
        target_percent=compute.worker_cpu_target_percent,
        scale_in=compute.scale_in_cooldown_seconds,
        scale_out=compute.scale_out_cooldown_seconds,
    )
    return worker


def beat_service(
    scope: Construct,
    construct_id: str,
    *,
    inputs: ServiceInputs,
    placement: Placement,
    rollback_alarm: cloudwatch.IAlarm,
) -> PlatformService:
    """Exactly one scheduler on on-demand FARGATE; a deployment stops it before starting the next.

    Maximum 100% / minimum healthy 0% means two Beats never run at once (no doubled
    schedules); Spot is excluded because an interruption would silently skip schedules. ECS
    rolls a release back on ``rollback_alarm`` (no Beat running) or the circuit breaker.
    """
    compute = inputs.config.compute
    spec = ServiceSpec(
        task=TaskSpec(
            service=Service.BEAT,
            container_name="celery-beat",
            cpu=compute.beat.cpu,
            memory_mib=compute.beat.memory_mib,
        ),
        scaling=compute.beat,
        capacity=(CapacityProviderShare("FARGATE", weight=1),),
        min_healthy_percent=0,
        max_healthy_percent=100,
        options=rolled_back_on(rollback_alarm),
    )
    return PlatformService(scope, construct_id, spec=spec, inputs=inputs, placement=placement)
