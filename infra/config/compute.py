"""The ECS Fargate section: task sizes, counts, capacity providers, scaling."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from infra.config.errors import SPEC_MIN_LOG_RETENTION_DAYS, ConfigError, check_log_retention


class Architecture(StrEnum):
    """CPU architecture of the Fargate tasks."""

    ARM64 = "ARM64"
    X86_64 = "X86_64"


@dataclass(frozen=True)
class ServiceScaling:
    """Size and count of one ECS service's tasks."""

    cpu: int
    memory_mib: int
    desired_count: int
    min_count: int
    max_count: int
    expected_average_count: float  # the tier's typical running count, for the cost model

    def validate(self, name: str) -> None:
        """Raise ConfigError unless min <= desired <= max and the average lies in that range."""
        if self.min_count > self.max_count:
            raise ConfigError(
                f"compute.{name}.min_count", self.min_count, f"<= max_count ({self.max_count})"
            )
        if not self.min_count <= self.desired_count <= self.max_count:
            raise ConfigError(
                f"compute.{name}.desired_count",
                self.desired_count,
                f"{self.min_count}..{self.max_count}",
            )
        if not self.min_count <= self.expected_average_count <= self.max_count:
            raise ConfigError(
                f"compute.{name}.expected_average_count",
                self.expected_average_count,
                f"{self.min_count}..{self.max_count}",
            )


@dataclass(frozen=True)
class CapacityProviderShare:
    """One entry of a capacity-provider strategy."""

    provider: str  # FARGATE or FARGATE_SPOT
    weight: int
    base: int = 0


@dataclass(frozen=True)
class HealthCheck:
    """Container health check of the API (spec §2.2)."""

    path: str = "/health"
    interval_seconds: int = 30
    timeout_seconds: int = 5
    retries: int = 3
    start_period_seconds: int = 60
    grace_period_seconds: int = 60


@dataclass(frozen=True)
class ComputeConfig:
    """ECS Fargate services (spec §2)."""

    # The spec's task sizes and scaling ranges (§2.2, §2.3); tiers set the counts.
    api: ServiceScaling = ServiceScaling(
        cpu=1024,
        memory_mib=2048,
        desired_count=2,
        min_count=2,
        max_count=20,
        expected_average_count=2,
    )
    worker: ServiceScaling = ServiceScaling(
        cpu=512,
        memory_mib=1024,
        desired_count=1,
        min_count=1,
        max_count=10,
        expected_average_count=1,
    )
    # The Next.js front end (spec overview: 2-10 tasks); its task size is this platform's choice
    # (docs/decisions/compute-web-frontend.md).
    web: ServiceScaling = ServiceScaling(
        cpu=512,
        memory_mib=1024,
        desired_count=2,
        min_count=2,
        max_count=10,
        expected_average_count=2,
    )
    beat: ServiceScaling = ServiceScaling(
        cpu=256, memory_mib=512, desired_count=1, min_count=1, max_count=1, expected_average_count=1
    )
    architecture: Architecture = Architecture.ARM64  # API, Beat and the migration task
    # Fargate Spot runs ARM64 Linux tasks on platform 1.4.0+ (ECS API reference,
    # CapacityProviderStrategyItem), so the Spot-heavy worker is on Graviton too
    # (docs/decisions/compute-graviton-arm64.md).
    worker_architecture: Architecture = Architecture.ARM64
    default_strategy: tuple[CapacityProviderShare, ...] = (
        CapacityProviderShare("FARGATE", weight=100, base=2),
    )
    worker_strategy: tuple[CapacityProviderShare, ...] = (
        CapacityProviderShare("FARGATE_SPOT", weight=80),
        CapacityProviderShare("FARGATE", weight=20, base=1),
    )
    api_cpu_target_percent: float = 70.0
    web_cpu_target_percent: float = 70.0  # like the API (spec §2.2)
    # The web image's liveness path (web/app/healthz); the ALB and the container check it.
    web_health_check_path: str = "/healthz"
    scale_in_cooldown_seconds: int = 300
    scale_out_cooldown_seconds: int = 60
    worker_stop_timeout_seconds: int = 120
    worker_concurrency: int = 4
    # The worker scales on backlog per task (PCS/Celery QueueDepth / running tasks) and on CPU
    # (docs/decisions/compute-worker-scaling.md). 70% CPU as for the API (spec §2.2).
    worker_cpu_target_percent: float = 70.0
    # Messages waiting per running task: 4 slots (worker_concurrency) x ~10 s per document task
    # clear ~24 a minute, so 20 keeps the wait under a minute with headroom.
    worker_backlog_per_task_target: float = 20.0
    # ECR lifecycle: 100 images = the last 50 releases (one image per architecture each);
    # untagged images are build debris (every release image is tagged <sha>-<arch>).
    image_keep_count: int = 100
    untagged_image_expiry_days: int = 7
    health_check: HealthCheck = HealthCheck()
    # ECS Exec on the app image's services (api, worker, beat). Off unless an environment opens
    # it: a shell in a task holds the database password and SECRET_KEY (AC-6, AC-17). Where it
    # is off, the break-glass role turns it on for one service (docs/runbook.md).
    ecs_exec: bool = False
    log_retention_days: int = SPEC_MIN_LOG_RETENTION_DAYS

    def __post_init__(self) -> None:
        for name in ("api", "worker", "beat", "web"):
            getattr(self, name).validate(name)
        if self.beat.max_count != 1:
            raise ConfigError("compute.beat.max_count", self.beat.max_count, "1 (one scheduler)")
        for name in ("api", "web"):
            if getattr(self, name).min_count < 2:
                raise ConfigError(
                    f"compute.{name}.min_count", getattr(self, name).min_count, ">= 2 (two AZs)"
                )
        check_log_retention("compute.log_retention_days", self.log_retention_days)
