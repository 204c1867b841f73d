"""Stopping and resuming the services that write to the database (spec §6.2, scenario 4)."""

from __future__ import annotations

from typing import Any

from infra.config import ServiceScaling
from ops.dr.errors import BadInput

_SUSPENDED = {
    "DynamicScalingInSuspended": True,
    "DynamicScalingOutSuspended": True,
    "ScheduledScalingSuspended": True,
}
_RESUMED = dict.fromkeys(_SUSPENDED, False)


def check_services(ecs: Any, *, cluster: str, services: list[str]) -> dict[str, int]:
    """Desired count of each service, or :class:`BadInput` naming what does not exist."""
    clusters = ecs.describe_clusters(clusters=[cluster])["clusters"]
    if not [c for c in clusters if c["status"] == "ACTIVE"]:
        names = [arn.rsplit("/", 1)[-1] for arn in ecs.list_clusters()["clusterArns"]]
        raise BadInput("ECS cluster", cluster, ", ".join(sorted(names)) or "no cluster exists")
    found = ecs.describe_services(cluster=cluster, services=services)["services"]
    desired = {s["serviceName"]: s["desiredCount"] for s in found if s["status"] == "ACTIVE"}
    missing = [name for name in services if name not in desired]
    if missing:
        raise BadInput(
            "ECS service",
            ", ".join(missing),
            f"services of {cluster}: {', '.join(sorted(desired)) or 'none'}",
        )
    return desired


def scalable_targets(autoscaling: Any, *, cluster: str, services: list[str]) -> dict[str, dict]:
    """Application Auto Scaling targets of the services that have one, by service name."""
    ids = [f"service/{cluster}/{name}" for name in services]
    found = autoscaling.describe_scalable_targets(ServiceNamespace="ecs", ResourceIds=ids)
    return {t["ResourceId"].rsplit("/", 1)[-1]: t for t in found["ScalableTargets"]}


def stop(ecs: Any, autoscaling: Any, *, cluster: str, services: list[str]) -> None:
    """Suspend scaling (its minimum would restart tasks) and set every service to 0 tasks."""
    for target in scalable_targets(autoscaling, cluster=cluster, services=services).values():
        autoscaling.register_scalable_target(
            ServiceNamespace="ecs",
            ResourceId=target["ResourceId"],
            ScalableDimension=target["ScalableDimension"],
            MinCapacity=0,
            MaxCapacity=target["MaxCapacity"],
            SuspendedState=_SUSPENDED,
        )
    for name in services:
        ecs.update_service(cluster=cluster, service=name, desiredCount=0)


def resume(
    ecs: Any, autoscaling: Any, *, cluster: str, services: dict[str, ServiceScaling]
) -> None:
    """Give each service its configured desired count back and re-enable its scaling."""
    names = list(services)
    for name, target in scalable_targets(autoscaling, cluster=cluster, services=names).items():
        autoscaling.register_scalable_target(
            ServiceNamespace="ecs",
            ResourceId=target["ResourceId"],
            ScalableDimension=target["ScalableDimension"],
            MinCapacity=services[name].min_count,
            MaxCapacity=services[name].max_count,
            SuspendedState=_RESUMED,
        )
    for name, scaling in services.items():
        ecs.update_service(cluster=cluster, service=name, desiredCount=scaling.desired_count)
