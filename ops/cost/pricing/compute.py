"""ECS on Fargate: each service's tasks at the tier's expected average count, Spot share applied."""

from __future__ import annotations

from dataclasses import dataclass

from infra.config import ServiceScaling
from ops.cost.inventory import CfnResource
from ops.cost.lines import API, CELERY, CLOUDWATCH, ECS_OTHER, WEB, LineItem
from ops.cost.pricing.context import PricingContext, Unpriceable

SPOT = "FARGATE_SPOT"
COMPONENT_BY_ROLE = {"api": API, "worker": CELERY, "beat": CELERY, "web": WEB}
INCLUDED_EPHEMERAL_GIB = 20  # Fargate includes 20 GiB of task storage


@dataclass(frozen=True)
class Share:
    """One entry of a capacity-provider strategy."""

    provider: str
    weight: float
    base: float


@dataclass(frozen=True)
class FargateTasks:
    """What one ECS service runs: task size, architecture and counts."""

    role: str | None
    vcpu: float
    memory_gb: float
    architecture: str
    ephemeral_gib: float
    desired_count: float
    average_count: float
    spot_tasks: float

    @property
    def on_demand_tasks(self) -> float:
        """Tasks on regular Fargate capacity (the part a Savings Plan covers)."""
        return self.average_count - self.spot_tasks


def service_role(resource: CfnResource) -> str | None:
    """Which configured service (api, worker, beat, web) an ECS service runs, from its names."""
    words = resource.words()
    return next((role for role in ("worker", "beat", "web", "api") if role in words), None)


def spot_tasks(strategy: list[Share], tasks: float) -> float:
    """How many of ``tasks`` a capacity-provider strategy places on Fargate Spot.

    ECS fills each provider's ``base`` first, in order, then splits the rest by weight.
    """
    remaining = tasks
    spot = 0.0
    for share in strategy:
        placed = min(remaining, share.base)
        remaining -= placed
        if share.provider == SPOT:
            spot += placed
    total_weight = sum(share.weight for share in strategy)
    if remaining > 0 and total_weight > 0:
        spot_weight = sum(share.weight for share in strategy if share.provider == SPOT)
        spot += remaining * spot_weight / total_weight
    return spot


def fargate_tasks(resource: CfnResource, ctx: PricingContext) -> FargateTasks:
    """The tasks of one AWS::ECS::Service, from its template and the tier's configuration."""
    task_definition = ctx.inventory.referenced(resource, resource.prop("TaskDefinition"))
    if task_definition is None:
        raise Unpriceable("its task definition is not in the same stack")
    platform = task_definition.prop("RuntimePlatform", {})
    storage = task_definition.prop("EphemeralStorage", {})
    role = service_role(resource)
    scaling: ServiceScaling | None = getattr(ctx.config.compute, role) if role else None
    desired = float(resource.prop("DesiredCount", 1))
    # A service at 0 (the pilot-light DR region's, scaling suspended) runs nothing.
    average = scaling.expected_average_count if scaling and desired else desired
    return FargateTasks(
        role=role,
        vcpu=int(task_definition.prop("Cpu")) / 1024,
        memory_gb=int(task_definition.prop("Memory")) / 1024,
        architecture=platform.get("CpuArchitecture", "X86_64").lower(),
        ephemeral_gib=float(storage.get("SizeInGiB", INCLUDED_EPHEMERAL_GIB)),
        desired_count=desired,
        average_count=average,
        spot_tasks=spot_tasks(_strategy(resource, ctx), average),
    )


def _strategy(resource: CfnResource, ctx: PricingContext) -> list[Share]:
    entries = resource.prop("CapacityProviderStrategy")
    if not entries:
        for association in ctx.inventory.in_stack(
            resource.stack, ["AWS::ECS::ClusterCapacityProviderAssociations"]
        ):
            if association.prop("Cluster") == resource.prop("Cluster"):
                entries = association.prop("DefaultCapacityProviderStrategy")
    if not entries:
        return [Share("FARGATE", 1, 0)]
    return [
        Share(e["CapacityProvider"], float(e.get("Weight", 0)), float(e.get("Base", 0)))
        for e in entries
    ]


def price_service(resource: CfnResource, ctx: PricingContext) -> list[LineItem]:
    """vCPU-hours and GB-hours of the service's average task count; Spot at its discount."""
    tasks = fargate_tasks(resource, ctx)
    discount = ctx.usage.platform.fargate_spot_discount
    # Task-hours at on-demand rates that cost the same as the actual Spot/on-demand mix.
    billed_tasks = tasks.on_demand_tasks + tasks.spot_tasks * (1 - discount)
    committable = tasks.on_demand_tasks / billed_tasks if billed_tasks else 0.0
    component = COMPONENT_BY_ROLE.get(tasks.role or "", ECS_OTHER)
    details = {
        "role": tasks.role,
        "architecture": tasks.architecture,
        "vcpu": tasks.vcpu,
        "memory_gb": tasks.memory_gb,
        "desired_count": tasks.desired_count,
        "expected_average_count": tasks.average_count,
        "spot_tasks": round(tasks.spot_tasks, 4),
    }
    size = f"{tasks.vcpu:g} vCPU/{tasks.memory_gb:g} GB {tasks.architecture}"
    counts = f"avg {tasks.average_count:g} tasks (desired {tasks.desired_count:g})"
    spot = f", {tasks.spot_tasks:g} on Spot" if tasks.spot_tasks else ""
    task_hours = billed_tasks * ctx.hours
    lines = [
        ctx.line(
            component,
            resource,
            f"vCPU: {size}, {counts}{spot}",
            task_hours * tasks.vcpu,
            f"fargate.{tasks.architecture}.vcpu_hour",
            committable_fraction=committable,
            details=details,
        ),
        ctx.line(
            component,
            resource,
            f"memory: {size}, {counts}{spot}",
            task_hours * tasks.memory_gb,
            f"fargate.{tasks.architecture}.gb_hour",
            committable_fraction=committable,
        ),
    ]
    extra_storage = tasks.ephemeral_gib - INCLUDED_EPHEMERAL_GIB
    if extra_storage > 0:
        lines.append(
            ctx.line(
                component,
                resource,
                f"ephemeral storage above {INCLUDED_EPHEMERAL_GIB} GiB",
                tasks.average_count * ctx.hours * extra_storage,
                "fargate.ephemeral_storage.gb_hour",
            )
        )
    return lines


def average_fargate_vcpus(ctx: PricingContext) -> float:
    """vCPUs of all Fargate tasks at average counts (GuardDuty Runtime Monitoring bills them)."""
    total = 0.0
    for service in ctx.inventory.of_type("AWS::ECS::Service"):
        tasks = fargate_tasks(service, ctx)
        total += tasks.vcpu * tasks.average_count
    return total


def price_cluster(resource: CfnResource, ctx: PricingContext) -> list[LineItem]:
    """The application's custom metrics (EMF) and, if enabled, Container Insights.

    Container Insights publishes custom metrics per cluster and per service and ingests one
    performance log stream per task (usage profile: metrics and log volume per task).
    """
    lines = [
        ctx.line(
            CLOUDWATCH,
            resource,
            "application custom metrics (EMF)",
            ctx.usage.traffic.custom_metrics * ctx.share(resource),
            "cloudwatch.custom_metric_month",
        )
    ]
    settings = {s.get("Name"): s.get("Value") for s in resource.prop("ClusterSettings", [])}
    if settings.get("containerInsights") in ("enabled", "enhanced"):
        platform = ctx.usage.platform
        services = [
            s
            for s in ctx.inventory.in_stack(resource.stack, ["AWS::ECS::Service"])
            if s.prop("Cluster") in ({"Ref": resource.logical_id}, resource.prop("ClusterName"))
        ]
        metrics = (
            platform.container_insights_metrics_per_cluster
            + platform.container_insights_metrics_per_service * len(services)
        )
        tasks = sum(fargate_tasks(service, ctx).average_count for service in services)
        lines += [
            ctx.line(
                CLOUDWATCH,
                resource,
                f"Container Insights: {metrics:g} metrics ({len(services)} services)",
                metrics,
                "cloudwatch.custom_metric_month",
            ),
            ctx.line(
                CLOUDWATCH,
                resource,
                f"Container Insights: performance logs of {tasks:g} average tasks",
                tasks * platform.container_insights_log_gb_per_task_month,
                "cloudwatch.logs.ingest_standard.gb",
            ),
        ]
    return lines
