"""The platform's typed configuration: every figure of the architecture spec lives here, once.

Environments (dev, staging, prod) say *where* and *how safely* the platform runs; scale tiers
(10k, 100k, 1m users) say *how big*. :func:`load_config` combines one of each into a frozen
:class:`PlatformConfig`, validated as it is built: a bad value raises :class:`ConfigError` whose
message is one line naming the field and what is allowed. Nothing below ``infra/app.py`` reads
the process environment or CDK context; constructs receive these objects.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, fields, is_dataclass, replace
from enum import StrEnum
from typing import Any


class ConfigError(ValueError):
    """A configuration value outside what is allowed; ``str()`` is a one-line message."""

    def __init__(self, field_name: str, value: object, allowed: str) -> None:
        super().__init__(f"config error: {field_name}={value!r} is not allowed; allowed: {allowed}")
        self.field_name = field_name


# Minimums the spec sets for a FedRAMP Moderate boundary; configs may be stricter, never looser.
SPEC_MIN_DB_BACKUP_RETENTION_DAYS = 35
SPEC_MIN_ARCHIVE_RETENTION_DAYS = 2555  # 7 years
SPEC_MIN_LOG_RETENTION_DAYS = 365  # AU-11: one year online for audit records


def _check_log_retention(field_name: str, days: int) -> None:
    if days < SPEC_MIN_LOG_RETENTION_DAYS:
        raise ConfigError(field_name, days, f">= {SPEC_MIN_LOG_RETENTION_DAYS} days (AU-11)")


class CapacityMode(StrEnum):
    """How Aurora instances are sized: Serverless v2 ACUs or fixed provisioned classes."""

    SERVERLESS_V2 = "serverless-v2"
    PROVISIONED = "provisioned"


class Architecture(StrEnum):
    """CPU architecture of the Fargate tasks."""

    ARM64 = "ARM64"
    X86_64 = "X86_64"


@dataclass(frozen=True)
class Ports:
    """Every port the platform listens on (spec §1.2, §2.2)."""

    https: int = 443
    app: int = 8000
    blue_green_test: int = 8443
    postgres: int = 5432
    redis: int = 6379
    kafka_tls: int = 9094
    kafka_iam: int = 9098


@dataclass(frozen=True)
class NetworkConfig:
    """VPC layout (spec §1.1): nine /24 subnets, three per tier, one per AZ."""

    availability_zones: tuple[str, ...]
    vpc_cidr: str = "10.0.0.0/16"
    public_subnet_cidrs: tuple[str, ...] = ("10.0.1.0/24", "10.0.2.0/24", "10.0.3.0/24")
    private_subnet_cidrs: tuple[str, ...] = ("10.0.10.0/24", "10.0.11.0/24", "10.0.12.0/24")
    database_subnet_cidrs: tuple[str, ...] = ("10.0.20.0/24", "10.0.21.0/24", "10.0.22.0/24")
    nat_gateways: int = 3
    # The ALB admits only CloudFront: its origin-facing managed prefix list, by region (the ID
    # is fixed per region; looking it up would need an AWS account at synth).
    cloudfront_prefix_list_id: str = "pl-3b927c52"
    flow_log_traffic_type: str = "ALL"
    # Interface endpoints that keep image pulls, logs, secrets, KMS and STS calls off the NAT.
    interface_endpoints: tuple[str, ...] = (
        "ecr.api",
        "ecr.dkr",
        "logs",
        "secretsmanager",
        "kms",
        "sts",
    )

    def __post_init__(self) -> None:
        if len(self.availability_zones) < 2 or len(set(self.availability_zones)) != len(
            self.availability_zones
        ):
            raise ConfigError(
                "network.availability_zones",
                list(self.availability_zones),
                "2 or more distinct AZs",
            )
        vpc = _network("network.vpc_cidr", self.vpc_cidr)
        seen: list[tuple[str, ipaddress.IPv4Network]] = []
        for tier in ("public", "private", "database"):
            cidrs = getattr(self, f"{tier}_subnet_cidrs")
            name = f"network.{tier}_subnet_cidrs"
            if len(cidrs) != len(self.availability_zones):
                raise ConfigError(
                    name, list(cidrs), f"one CIDR per AZ ({len(self.availability_zones)})"
                )
            for index, cidr in enumerate(cidrs):
                subnet = _network(f"{name}[{index}]", cidr)
                if not subnet.subnet_of(vpc):
                    raise ConfigError(f"{name}[{index}]", cidr, f"a subnet inside {self.vpc_cidr}")
                for other_name, other in seen:
                    if subnet.overlaps(other):
                        raise ConfigError(
                            f"{name}[{index}]", cidr, f"a CIDR that does not overlap {other_name}"
                        )
                seen.append((f"{name}[{index}]={cidr}", subnet))
        if not 1 <= self.nat_gateways <= len(self.availability_zones):
            raise ConfigError(
                "network.nat_gateways", self.nat_gateways, f"1..{len(self.availability_zones)}"
            )


@dataclass(frozen=True)
class DatabaseConfig:
    """Aurora PostgreSQL (spec §3). Engine 17.x: the spec's 15.4 can no longer be created."""

    capacity_mode: CapacityMode = CapacityMode.SERVERLESS_V2
    serverless_min_acu: float = 0.5
    serverless_max_acu: float = 32
    instance_class: str = "r7g.large"  # used when capacity_mode is provisioned
    reader_count: int = 2
    engine_version: str = "17.6"
    engine_major_version: str = "17"
    database_name: str = "pcs"
    master_username: str = "pcs_admin"
    # The services' login role: DML only, row-level security applies (data-aurora-app-role.md).
    app_username: str = "pcs_app"
    backup_retention_days: int = 35
    backup_window: str = "03:00-04:00"
    maintenance_window: str = "sun:04:00-sun:05:00"
    monitoring_interval_seconds: int = 60
    auto_explain_log_min_duration_ms: int = 1000
    max_connections: int = 1000  # instance-level in Aurora PostgreSQL (DB parameter group)
    # pgaudit classes logged instead of the spec's log_statement=all, which would write passwords
    # and PII to the logs (docs/decisions/data-aurora-parameters.md).
    pgaudit_log: str = "ddl,role,write"
    log_retention_days: int = SPEC_MIN_LOG_RETENTION_DAYS  # exported postgresql log, AU-11
    credential_rotation_days: int = 30
    deletion_protection: bool = True

    def __post_init__(self) -> None:
        if self.backup_retention_days < SPEC_MIN_DB_BACKUP_RETENTION_DAYS:
            raise ConfigError(
                "database.backup_retention_days",
                self.backup_retention_days,
                f">= {SPEC_MIN_DB_BACKUP_RETENTION_DAYS} (spec §3.1)",
            )
        if not 0.5 <= self.serverless_min_acu <= self.serverless_max_acu <= 256:
            raise ConfigError(
                "database.serverless_min_acu",
                (self.serverless_min_acu, self.serverless_max_acu),
                "0.5 <= min ACU <= max ACU <= 256",
            )
        if self.reader_count < 1:
            raise ConfigError(
                "database.reader_count", self.reader_count, ">= 1 (Multi-AZ failover)"
            )
        _check_log_retention("database.log_retention_days", self.log_retention_days)


@dataclass(frozen=True)
class CacheConfig:
    """ElastiCache replication group, cluster mode disabled (Celery's Redis broker needs that)."""

    engine: str = "valkey"
    engine_version: str = "8.0"
    node_type: str = "cache.t4g.medium"
    node_count: int = 3
    snapshot_retention_days: int = 15  # NIST 800-53 R5 (CP-9) checks ask for >= 15 days
    snapshot_window: str = "05:00-06:00"
    maintenance_window: str = "sun:06:00-sun:07:00"
    log_retention_days: int = SPEC_MIN_LOG_RETENTION_DAYS  # slow log and engine log, AU-11

    def __post_init__(self) -> None:
        if self.engine not in ("valkey", "redis"):
            raise ConfigError("cache.engine", self.engine, "valkey, redis")
        if self.node_count < 2:
            raise ConfigError("cache.node_count", self.node_count, ">= 2 (Multi-AZ failover)")
        _check_log_retention("cache.log_retention_days", self.log_retention_days)


@dataclass(frozen=True)
class KafkaConfig:
    """Amazon MSK (provisioned), one broker per AZ."""

    enabled: bool = True
    broker_count: int = 3
    instance_type: str = "kafka.m7g.large"
    kafka_version: str = "3.8.x"
    volume_size_gib: int = 100
    log_retention_days: int = SPEC_MIN_LOG_RETENTION_DAYS  # broker logs, AU-11

    def __post_init__(self) -> None:
        _check_log_retention("kafka.log_retention_days", self.log_retention_days)


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

    api: ServiceScaling
    worker: ServiceScaling
    web: ServiceScaling | None = None  # the optional Next.js front end; absent unless set
    beat: ServiceScaling = ServiceScaling(
        cpu=256, memory_mib=512, desired_count=1, min_count=1, max_count=1, expected_average_count=1
    )
    architecture: Architecture = Architecture.ARM64  # API, Beat and the migration task
    # Fargate Spot runs only X86_64 Linux tasks, so the Spot-heavy worker stays on x86
    # (docs/decisions/compute-graviton-arm64.md).
    worker_architecture: Architecture = Architecture.X86_64
    default_strategy: tuple[CapacityProviderShare, ...] = (
        CapacityProviderShare("FARGATE", weight=100, base=2),
    )
    worker_strategy: tuple[CapacityProviderShare, ...] = (
        CapacityProviderShare("FARGATE_SPOT", weight=80),
        CapacityProviderShare("FARGATE", weight=20, base=1),
    )
    api_cpu_target_percent: float = 70.0
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
    log_retention_days: int = SPEC_MIN_LOG_RETENTION_DAYS

    def __post_init__(self) -> None:
        for name in ("api", "worker", "beat", "web"):
            scaling = getattr(self, name)
            if scaling is not None:
                scaling.validate(name)
        if self.beat.max_count != 1:
            raise ConfigError("compute.beat.max_count", self.beat.max_count, "1 (one scheduler)")
        if self.api.min_count < 2:
            raise ConfigError("compute.api.min_count", self.api.min_count, ">= 2 (two AZs)")
        for field_name, architecture, strategy in (
            ("compute.architecture", self.architecture, self.default_strategy),
            ("compute.worker_architecture", self.worker_architecture, self.worker_strategy),
        ):
            uses_spot = any(share.provider == "FARGATE_SPOT" for share in strategy)
            if uses_spot and architecture is not Architecture.X86_64:
                raise ConfigError(
                    field_name, architecture.value, "X86_64 with FARGATE_SPOT (Spot runs no ARM64)"
                )
        if self.web is not None:
            # Refused rather than ignored: no Next.js image or ALB route exists yet
            # (docs/decisions/compute-web-frontend.md).
            raise ConfigError("compute.web", self.web, "None (the Next.js service is not built)")
        _check_log_retention("compute.log_retention_days", self.log_retention_days)


@dataclass(frozen=True)
class EdgeConfig:
    """CloudFront, WAF, the ALB's TLS and DNS."""

    domain_name: str
    hosted_zone_name: str
    hosted_zone_id: str
    waf_rate_limit_per_5_min: int = 2000
    static_path_patterns: tuple[str, ...] = ("/static/*",)
    # CloudFront to viewers: TLS 1.2 with the 2021 cipher set or newer (issue 3; the overview's
    # "TLS 1.3 only" would turn away FedRAMP agency clients still on TLS 1.2, see
    # docs/decisions/edge-tls-policies.md).
    viewer_tls_policy: str = "TLSv1.2_2021"
    # ALB: TLS 1.3 + 1.2 with FIPS-validated ciphers CloudFront can still negotiate.
    alb_ssl_policy: str = "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04"
    # CloudFront reaches the internal ALB as origin.<domain> (covered by the certificate).
    origin_subdomain: str = "origin"
    health_check_path: str = "/health"
    health_check_interval_seconds: int = 30  # Route 53 allows 10 or 30
    health_check_failure_threshold: int = 3
    alb_idle_timeout_seconds: int = 60
    # Target groups: in-flight requests get 30 s to finish when a task leaves (gunicorn's
    # graceful_timeout, service/pcs/gunicorn_conf.py); two passing checks put a task in service.
    deregistration_delay_seconds: int = 30
    target_healthy_threshold: int = 2

    def __post_init__(self) -> None:
        if self.viewer_tls_policy not in _CLOUDFRONT_TLS_POLICIES:
            raise ConfigError(
                "edge.viewer_tls_policy",
                self.viewer_tls_policy,
                ", ".join(_CLOUDFRONT_TLS_POLICIES),
            )
        if "FIPS" not in self.alb_ssl_policy or "TLS13" not in self.alb_ssl_policy:
            raise ConfigError(
                "edge.alb_ssl_policy",
                self.alb_ssl_policy,
                "an ELBSecurityPolicy-TLS13-*-FIPS-* policy",
            )
        if self.health_check_interval_seconds not in (10, 30):
            raise ConfigError(
                "edge.health_check_interval_seconds", self.health_check_interval_seconds, "10, 30"
            )


@dataclass(frozen=True)
class DeliveryConfig:
    """Blue/green release of the API (spec §4.1) and the CI/CD identity (§4.2)."""

    test_traffic_minutes: int = 5
    bake_minutes: int = 15
    github_repository: str = "patriot-compliance/pcs-platform"
    github_branch: str = "main"
    # The released image; `cdk deploy -c image_tag=<git sha>` sets it (docs/deploy.md); tasks
    # run <image_tag>-arm64 or <image_tag>-amd64. The placeholder only lets the app synthesize
    # before the first release.
    image_tag: str = "unreleased"
    # The test-phase hook probes the green tasks' readiness through the test listener this
    # often, and fails the deployment (rollback) after this many consecutive failed probes.
    test_probe_path: str = "/health/ready"
    test_probe_interval_seconds: int = 15
    test_probe_failure_threshold: int = 3
    # IAM allows one GitHub OIDC provider per account: the first environment in an account
    # creates it, the others set this to False and reference it by ARN.
    create_oidc_provider: bool = True

    def __post_init__(self) -> None:
        if not 1 <= self.test_traffic_minutes <= 10:
            # The hook holds the test phase in one Lambda invocation (15-minute ceiling).
            raise ConfigError("delivery.test_traffic_minutes", self.test_traffic_minutes, "1..10")
        if not 0 <= self.bake_minutes <= 1440:
            raise ConfigError("delivery.bake_minutes", self.bake_minutes, "0..1440 (ECS limit)")
        if not _IMAGE_TAG.fullmatch(self.image_tag):
            raise ConfigError(
                "delivery.image_tag", self.image_tag, "[A-Za-z0-9_.-], 1-120 characters"
            )
        if self.github_repository.count("/") != 1:
            raise ConfigError("delivery.github_repository", self.github_repository, "owner/name")


_GUARDDUTY_FREQUENCIES = ("FIFTEEN_MINUTES", "ONE_HOUR", "SIX_HOURS")


@dataclass(frozen=True)
class MonitoringConfig:
    """Alarm thresholds (spec §5.2) and who hears them."""

    alert_emails: tuple[str, ...] = ()
    api_5xx_threshold: int = 10
    api_5xx_period_seconds: int = 60
    api_5xx_evaluation_periods: int = 2
    db_cpu_threshold_percent: float = 80
    db_cpu_period_seconds: int = 300
    db_cpu_evaluation_periods: int = 3
    p99_latency_threshold_seconds: float = 0.5
    p99_latency_period_seconds: int = 60
    p99_latency_evaluation_periods: int = 3
    redis_memory_threshold_percent: float = 80
    # Beyond §5.2 (on-call needs; figures chosen here, see docs/decisions/monitoring-alarms.md).
    replica_lag_threshold_ms: float = 1000  # Aurora replicas serve reads; >1 s is visibly stale
    replica_lag_evaluation_periods: int = 5  # five minutes, so a vacuum burst does not page
    queue_depth_threshold: int = 1000  # Celery messages waiting on the Redis broker
    queue_age_threshold_seconds: int = 300  # oldest task waiting: the spec's 5-minute task window
    queue_evaluation_periods: int = 5
    # The worker publishes these per minute (docs/decisions/monitoring-celery-metrics.md).
    celery_metrics_namespace: str = "PCS/Celery"
    service_alarm_period_seconds: int = 60
    healthy_targets_evaluation_periods: int = 2  # as long as the 5xx alarm takes to fire
    running_tasks_evaluation_periods: int = 5  # a task start (image pull, health check) fits
    redis_memory_evaluation_periods: int = 5
    # Account security services (spec overview, "Monitoring & Security").
    audit_log_retention_days: int = SPEC_MIN_LOG_RETENTION_DAYS  # CloudTrail's log group, AU-11
    guardduty_finding_frequency: str = "FIFTEEN_MINUTES"  # fastest GuardDuty export to EventBridge
    config_snapshot_frequency: str = "TwentyFour_Hours"
    # The AWS-published conformance pack (awslabs/aws-config-rules) is larger than the 51,200-byte
    # inline limit; the operator uploads it to this key of the logs bucket before deploying.
    nist_conformance_pack_template_key: str = (
        "config/conformance-packs/Operational-Best-Practices-for-NIST-800-53-rev-5.yaml"
    )
    nist_security_hub_standard: str = "standards/nist-800-53/v/5.0.0"

    def __post_init__(self) -> None:
        _check_log_retention("monitoring.audit_log_retention_days", self.audit_log_retention_days)
        if self.guardduty_finding_frequency not in _GUARDDUTY_FREQUENCIES:
            raise ConfigError(
                "monitoring.guardduty_finding_frequency",
                self.guardduty_finding_frequency,
                ", ".join(_GUARDDUTY_FREQUENCIES),
            )


_HOURLY_INTERVALS = (1, 2, 3, 4, 6, 8, 12)  # divisors of 24: cron(30 */N) then runs evenly all day


@dataclass(frozen=True)
class BackupConfig:
    """AWS Backup plan (spec §6.1)."""

    daily_schedule: str = "cron(0 3 * * ? *)"
    weekly_schedule: str = "cron(0 4 ? * SUN *)"
    cold_storage_after_days: int = 30
    delete_after_days: int = 2555
    vault_lock: bool = True
    # Vault Lock (docs/decisions/backup-vault-lock.md): compliance mode once this many days have
    # passed after deploy (AWS minimum 3); None keeps governance mode (removable by IAM).
    vault_lock_changeable_for_days: int | None = 3
    vault_lock_min_retention_days: int = 1  # the shortest rule below (hourly DR copies) must fit
    # Region-failure RPO (docs/decisions/dr-region-rpo.md): an extra hourly Aurora snapshot copied
    # to the DR vault; None leaves the daily copy only (RPO 24 h, fine outside prod).
    dr_copy_interval_hours: int | None = 1
    dr_copy_retention_days: int = 2
    # Windows: a job that has not started within 1 h (hourly rule) is dropped, not queued.
    start_window_minutes: int = 60
    completion_window_minutes: int = 480

    def __post_init__(self) -> None:
        lock_days = self.vault_lock_changeable_for_days
        if lock_days is not None and lock_days < 3:
            raise ConfigError(
                "backup.vault_lock_changeable_for_days",
                lock_days,
                ">= 3 (AWS Backup's 72-hour cooling-off), or None for governance mode",
            )
        interval = self.dr_copy_interval_hours
        if interval is not None and interval not in _HOURLY_INTERVALS:
            raise ConfigError(
                "backup.dr_copy_interval_hours",
                interval,
                f"{', '.join(map(str, _HOURLY_INTERVALS))} (divisors of 24), or None",
            )
        if not 1 <= self.vault_lock_min_retention_days <= self.dr_copy_retention_days:
            raise ConfigError(
                "backup.vault_lock_min_retention_days",
                self.vault_lock_min_retention_days,
                f"1..dr_copy_retention_days ({self.dr_copy_retention_days})",
            )
        if self.start_window_minutes < 60:
            raise ConfigError(
                "backup.start_window_minutes", self.start_window_minutes, ">= 60 (AWS Backup)"
            )
        if self.delete_after_days < SPEC_MIN_ARCHIVE_RETENTION_DAYS:
            raise ConfigError(
                "backup.delete_after_days",
                self.delete_after_days,
                f">= {SPEC_MIN_ARCHIVE_RETENTION_DAYS} (7 years, spec §6.1)",
            )
        # AWS Backup requires 90 days in cold storage before deletion.
        if self.delete_after_days < self.cold_storage_after_days + 90:
            raise ConfigError(
                "backup.delete_after_days",
                self.delete_after_days,
                ">= cold_storage_after_days + 90",
            )


@dataclass(frozen=True)
class StorageConfig:
    """S3 buckets: documents, backups, logs (architecture overview)."""

    archive_transition_days: int = 30  # backups bucket to Glacier
    archive_expiration_days: int = 2555
    log_transition_days: int = 90  # logs bucket to Glacier Instant Retrieval
    log_expiration_days: int = 2555
    noncurrent_version_expiration_days: int = 365

    def __post_init__(self) -> None:
        for name in ("archive_expiration_days", "log_expiration_days"):
            value = getattr(self, name)
            if value < SPEC_MIN_ARCHIVE_RETENTION_DAYS:
                raise ConfigError(
                    f"storage.{name}", value, f">= {SPEC_MIN_ARCHIVE_RETENTION_DAYS} (7 years)"
                )


@dataclass(frozen=True)
class Tier:
    """A scale tier: the sizes and counts that grow with the user base."""

    name: str
    users: int
    api: ServiceScaling
    worker: ServiceScaling
    database: DatabaseConfig
    cache: CacheConfig
    kafka: KafkaConfig


@dataclass(frozen=True)
class Environment:
    """Where the platform runs and how safely: account, regions, AZs, NATs, protection."""

    name: str
    account: str
    region: str
    dr_region: str
    availability_zones: tuple[str, ...]
    default_tier: str
    nat_gateways: int
    domain_name: str
    deletion_protection: bool = True


@dataclass(frozen=True)
class PlatformConfig:
    """Everything one synthesis needs: an environment at a tier, validated."""

    environment: Environment
    tier: Tier
    network: NetworkConfig
    database: DatabaseConfig
    cache: CacheConfig
    kafka: KafkaConfig
    compute: ComputeConfig
    edge: EdgeConfig
    delivery: DeliveryConfig
    monitoring: MonitoringConfig
    backup: BackupConfig
    storage: StorageConfig
    ports: Ports = Ports()

    def __post_init__(self) -> None:
        # The edge stack (CloudFront's certificate, the CLOUDFRONT-scope web ACL) is deployed to
        # the primary region, so the primary region must be the one CloudFront scope lives in.
        if self.environment.region != CLOUDFRONT_SCOPE_REGION:
            raise ConfigError(
                "environment.region",
                self.environment.region,
                f"{CLOUDFRONT_SCOPE_REGION} (CloudFront certificates and web ACLs live there)",
            )

    @property
    def prefix(self) -> str:
        """Name prefix of every resource: ``pcs-<environment>``."""
        return f"pcs-{self.environment.name}"


# What ECR accepts as a tag (a git SHA in practice), leaving room for the "-<arch>" suffix
# within ECR's 128 characters.
_IMAGE_TAG = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,119}")
# CloudFront viewer security policies that are TLS 1.2 with the 2021 ciphers or newer.
_CLOUDFRONT_TLS_POLICIES = ("TLSv1.2_2021", "TLSv1.2_2025", "TLSv1.3_2025")
# CloudFront-scope resources (its certificate, the CLOUDFRONT WAF web ACL) exist only here.
CLOUDFRONT_SCOPE_REGION = "us-east-1"


# The spec's task sizes (§2.2, §2.3); tiers differ in counts and data-tier capacity.
_API = ServiceScaling(
    cpu=1024, memory_mib=2048, desired_count=2, min_count=2, max_count=20, expected_average_count=2
)
_WORKER = ServiceScaling(
    cpu=512, memory_mib=1024, desired_count=1, min_count=1, max_count=10, expected_average_count=1
)

TIERS: dict[str, Tier] = {
    "10k": Tier(
        name="10k",
        users=10_000,
        api=_API,
        worker=_WORKER,
        database=DatabaseConfig(serverless_min_acu=0.5, serverless_max_acu=8),
        cache=CacheConfig(node_type="cache.t4g.small"),
        kafka=KafkaConfig(enabled=False),
    ),
    "100k": Tier(
        name="100k",
        users=100_000,
        api=replace(_API, expected_average_count=4),
        worker=replace(_WORKER, desired_count=2, expected_average_count=2),
        database=DatabaseConfig(serverless_min_acu=0.5, serverless_max_acu=32),
        cache=CacheConfig(node_type="cache.t4g.medium"),
        kafka=KafkaConfig(instance_type="kafka.t3.small"),
    ),
    "1m": Tier(
        name="1m",
        users=1_000_000,
        api=replace(_API, desired_count=6, expected_average_count=10),
        worker=replace(_WORKER, desired_count=3, expected_average_count=5),
        # Cost lever (docs/cost.md): the steady 1m load (~16 ACU average, ~32 at peak) runs on
        # provisioned db.r7g.2xlarge (64 GiB) for 42% less than Serverless v2 at its average, with
        # reserved instances on top. Writer + 2 readers and 3 cache nodes stay (spec §3).
        database=DatabaseConfig(
            capacity_mode=CapacityMode.PROVISIONED, instance_class="r7g.2xlarge"
        ),
        cache=CacheConfig(node_type="cache.r7g.large"),
        kafka=KafkaConfig(instance_type="kafka.m7g.large"),
    ),
}

# com.amazonaws.global.cloudfront.origin-facing, per region.
CLOUDFRONT_ORIGIN_FACING_PREFIX_LISTS = {"us-east-1": "pl-3b927c52", "us-west-2": "pl-82a045eb"}

# Synth needs no AWS account: a placeholder account and explicit AZ names, never lookups.
PLACEHOLDER_ACCOUNT = "111111111111"
_US_EAST_1_AZS = ("us-east-1a", "us-east-1b", "us-east-1c")

ENVIRONMENTS: dict[str, Environment] = {
    "dev": Environment(
        name="dev",
        account=PLACEHOLDER_ACCOUNT,
        region="us-east-1",
        dr_region="us-west-2",
        availability_zones=_US_EAST_1_AZS,
        default_tier="10k",
        nat_gateways=1,
        domain_name="dev.pcs.example.com",
        deletion_protection=False,
    ),
    "staging": Environment(
        name="staging",
        account=PLACEHOLDER_ACCOUNT,
        region="us-east-1",
        dr_region="us-west-2",
        availability_zones=_US_EAST_1_AZS,
        default_tier="10k",
        nat_gateways=1,  # cost lever (docs/cost.md): staging needs no per-AZ egress redundancy
        domain_name="staging.pcs.example.com",
    ),
    "prod": Environment(
        name="prod",
        account=PLACEHOLDER_ACCOUNT,
        region="us-east-1",
        dr_region="us-west-2",
        availability_zones=_US_EAST_1_AZS,
        default_tier="100k",
        nat_gateways=3,
        domain_name="app.pcs.example.com",
    ),
}


def _network(field_name: str, cidr: str) -> ipaddress.IPv4Network:
    try:
        return ipaddress.IPv4Network(cidr)
    except ValueError:
        raise ConfigError(field_name, cidr, "an IPv4 CIDR such as 10.0.1.0/24") from None


def _choose(kind: str, name: str, options: dict[str, Any]) -> Any:
    try:
        return options[name]
    except KeyError:
        raise ConfigError(kind, name, ", ".join(options)) from None


def load_config(env_name: str, tier_name: str | None = None, **overrides: Any) -> PlatformConfig:
    """Build the validated configuration of ``env_name`` at ``tier_name`` (default: the env's).

    ``overrides`` replace whole sections (``network=NetworkConfig(...)``); they are how tests and
    operators try another value, and they are validated like the defaults.
    """
    environment = _choose("env", env_name, ENVIRONMENTS)
    tier = _choose("tier", tier_name or environment.default_tier, TIERS)
    sections: dict[str, Any] = {
        "network": NetworkConfig(
            availability_zones=environment.availability_zones,
            nat_gateways=environment.nat_gateways,
            cloudfront_prefix_list_id=_choose(
                "env.region", environment.region, CLOUDFRONT_ORIGIN_FACING_PREFIX_LISTS
            ),
        ),
        "database": replace(tier.database, deletion_protection=environment.deletion_protection),
        "cache": tier.cache,
        "kafka": tier.kafka,
        "compute": ComputeConfig(api=tier.api, worker=tier.worker),
        "edge": EdgeConfig(
            domain_name=environment.domain_name,
            hosted_zone_name="pcs.example.com",
            hosted_zone_id="Z0000000000000PLACEHOLDER",
        ),
        "delivery": DeliveryConfig(),
        "monitoring": MonitoringConfig(
            alert_emails=(f"oncall+{environment.name}@pcs.example.com",)
        ),
        "backup": BackupConfig(
            vault_lock=environment.name == "prod",
            dr_copy_interval_hours=1 if environment.name == "prod" else None,
        ),
        "storage": StorageConfig(),
    }
    unknown = set(overrides) - set(sections)
    if unknown:
        raise ConfigError("overrides", sorted(unknown), ", ".join(sections))
    sections.update(overrides)
    return PlatformConfig(environment=environment, tier=tier, **sections)


def as_dict(value: Any) -> Any:
    """A plain-data view of a config object (for summaries and the cost model)."""
    if is_dataclass(value):
        return {f.name: as_dict(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, tuple):
        return [as_dict(item) for item in value]
    return value


__all__ = [
    "ENVIRONMENTS",
    "TIERS",
    "Architecture",
    "BackupConfig",
    "CacheConfig",
    "CapacityMode",
    "CapacityProviderShare",
    "ComputeConfig",
    "ConfigError",
    "DatabaseConfig",
    "DeliveryConfig",
    "EdgeConfig",
    "Environment",
    "KafkaConfig",
    "MonitoringConfig",
    "NetworkConfig",
    "PlatformConfig",
    "Ports",
    "ServiceScaling",
    "StorageConfig",
    "Tier",
    "as_dict",
    "load_config",
]
