"""One task definition of the platform image: its roles, log group, environment and grants.

Shared by the long-running services (API, worker, Beat) and the one-off migration task.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from aws_cdk import Aws, Duration, Stack
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecr as ecr
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from infra.compute.environment import SecretSource, ServiceInputs
from infra.compute.roles import ServiceRoles, service_roles
from infra.config import Architecture, PlatformConfig, RegionConfig
from infra.defaults.fips import ENDPOINT_URL_PREFIX
from infra.defaults.logs import encrypted_log_group
from infra.gate.nag import acknowledge
from infra.security.secrets import decrypt_through_secrets_manager
from service.container_contract import Service

# The service's topics (docs/service.md): publishers may create and write only these.
KAFKA_TOPIC_PREFIX = "pcs."

_CPU_ARCHITECTURES = {
    Architecture.ARM64: ecs.CpuArchitecture.ARM64,
    Architecture.X86_64: ecs.CpuArchitecture.X86_64,
}
# The app image's writable paths on a read-only root filesystem (docs/decisions/service-image.md):
# /tmp holds Beat's schedule file and the API's generated TLS key and certificate. Each is a
# task-storage volume the Dockerfile declares (VOLUME), so Fargate copies the image's directory,
# permissions included, into it. gunicorn's worker heartbeat files go to /dev/shm, a tmpfs of
# its own in every Fargate container.
APP_WRITABLE_PATHS = (("tmp", "/tmp"),)
# ECS Exec's SSM agent keeps its state and logs here; it runs as root, so no VOLUME is needed.
EXEC_WRITABLE_PATHS = (("ssm-state", "/var/lib/amazon"), ("ssm-logs", "/var/log/amazon"))
# Each release pushes one image per architecture, tagged <release>-<suffix> (docs/deploy.md):
# single-platform images, so ECR's untagged-image expiry never touches a release.
IMAGE_TAG_SUFFIXES = {Architecture.ARM64: "arm64", Architecture.X86_64: "amd64"}


class TaskShape(Protocol):
    """What any of the platform's task definitions is sized and checked by."""

    @property
    def name(self) -> str: ...

    container_name: str
    cpu: int
    memory_mib: int
    port: int | None
    health_check: ecs.HealthCheck | None
    stop_timeout: Duration | None
    architecture: Architecture | None


@dataclass(frozen=True)
class TaskSpec:
    """What differs between the task definitions that run the one image.

    The container runs the service's start script; its variables are the container contract's
    for that service, and the grants follow them: a task given the Kafka brokers may publish,
    one given the queue-metrics namespace may put metrics there.
    """

    service: Service
    container_name: str
    cpu: int
    memory_mib: int
    port: int | None = None
    health_check: ecs.HealthCheck | None = None
    stop_timeout: Duration | None = None
    documents: bool = False  # reads and writes the documents bucket
    ecs_exec: bool = True  # a service that allows ECS Exec (its task role opens the channels)
    architecture: Architecture | None = None  # None: config.compute.architecture

    @property
    def name(self) -> str:
        """The service's name in families, log groups and roles."""
        return self.service.value

    def build(
        self, scope: Construct, *, inputs: ServiceInputs, placement: Placement
    ) -> PlatformTask:
        """The task definition of the app image that runs this service."""
        return platform_task(scope, spec=self, inputs=inputs, placement=placement)


@dataclass(frozen=True)
class Placement:
    """Where the tasks run and what they run."""

    cluster: ecs.ICluster
    security_groups: dict[str, ec2.ISecurityGroup]  # by service name: each service's own
    repository: ecr.IRepository
    image_tag: str  # the release; each task runs <image_tag>-<architecture suffix>
    logs_key: kms.IKey
    image_digests: tuple[tuple[str, str], ...] = ()  # (suffix, sha256:...): run these instead

    def image_reference(self, architecture: Architecture) -> str:
        """The scanned digest of ``architecture``'s image when the release names one, else its
        tag ``<image_tag>-<suffix>`` (before the first release, and for hand-run deploys)."""
        suffix = IMAGE_TAG_SUFFIXES[architecture]
        return dict(self.image_digests).get(suffix, f"{self.image_tag}-{suffix}")


@dataclass(frozen=True)
class PlatformTask:
    """The parts of one task definition."""

    roles: ServiceRoles
    log_group: logs.LogGroup
    task_definition: ecs.FargateTaskDefinition
    container: ecs.ContainerDefinition


def platform_task(
    scope: Construct, *, spec: TaskSpec, inputs: ServiceInputs, placement: Placement
) -> PlatformTask:
    """Build ``spec``'s task definition in ``scope`` with its own execution and task roles."""
    environment, secret_sources = inputs.container_variables(spec.service)
    task = container_task(
        scope,
        shape=spec,
        config=inputs.config,
        region=inputs.region,
        placement=placement,
        repository=placement.repository,
        image_reference=placement.image_reference,
        command=[spec.service.start_script],
        environment=environment,
        secrets=secret_sources,
        writable_paths=APP_WRITABLE_PATHS + (EXEC_WRITABLE_PATHS if spec.ecs_exec else ()),
    )
    _grant_application_access(
        task,
        spec,
        inputs,
        placement,
        kafka="KAFKA_BOOTSTRAP_SERVERS" in secret_sources,
        queue_metrics="CELERY_METRICS_NAMESPACE" in environment,
        audit_archive="AUDIT_FIREHOSE_STREAM" in environment,
    )
    acknowledge_generated_policies(task)
    return task


def container_task(
    scope: Construct,
    *,
    shape: TaskShape,
    config: PlatformConfig,
    region: RegionConfig,
    placement: Placement,
    repository: ecr.IRepository,
    image_reference: Callable[[Architecture], str],
    command: list[str] | None,
    environment: dict[str, str],
    secrets: dict[str, SecretSource],
    writable_paths: tuple[tuple[str, str], ...],
) -> PlatformTask:
    """Roles, log group, task definition and the one container of ``shape``, running the
    ``image_reference`` of its architecture from ``repository``; shared by the app image and the
    web image.

    The root filesystem is read-only; each ``(volume, path)`` of ``writable_paths`` is a task
    storage volume mounted read-write at ``path``.
    """
    names = region.names
    architecture = shape.architecture or config.compute.architecture
    roles = service_roles(scope, names=names, service=shape.name)
    log_group = encrypted_log_group(
        scope,
        "Logs",
        key=placement.logs_key,
        retention_days=config.compute.log_retention_days,
        log_group_name=names.task_log_group(shape.name),
    )
    task_definition = ecs.FargateTaskDefinition(
        scope,
        "TaskDefinition",
        family=names.task_family(shape.name),
        cpu=shape.cpu,
        memory_limit_mib=shape.memory_mib,
        runtime_platform=ecs.RuntimePlatform(
            cpu_architecture=_CPU_ARCHITECTURES[architecture],
            operating_system_family=ecs.OperatingSystemFamily.LINUX,
        ),
        execution_role=roles.execution,
        task_role=roles.task,
    )
    container = task_definition.add_container(
        shape.container_name,
        image=ecs.ContainerImage.from_ecr_repository(repository, image_reference(architecture)),
        command=command,
        environment=environment,
        secrets=_injected_secrets(scope, roles, secrets),
        logging=ecs.LogDriver.aws_logs(stream_prefix=shape.name, log_group=log_group),
        port_mappings=[ecs.PortMapping(container_port=shape.port)] if shape.port else None,
        health_check=shape.health_check,
        stop_timeout=shape.stop_timeout,
        readonly_root_filesystem=True,
        essential=True,
    )
    if any(name.startswith(ENDPOINT_URL_PREFIX) for name in environment):
        acknowledge(
            task_definition,
            "CloudWatch, Firehose and Lambda have no FIPS PrivateLink endpoint service, so the "
            "pinned standard endpoints are reached only through the VPC's interface endpoints "
            "(TLS 1.2+, no internet path): docs/decisions/security-fips-endpoints.md.",
            "PCS-SC13-TaskEndpoints",
        )
    for volume, path in writable_paths:
        task_definition.add_volume(name=volume)
        container.add_mount_points(
            ecs.MountPoint(container_path=path, source_volume=volume, read_only=False)
        )
    return PlatformTask(
        roles=roles, log_group=log_group, task_definition=task_definition, container=container
    )


def _injected_secrets(
    scope: Construct, roles: ServiceRoles, sources: dict[str, SecretSource]
) -> dict[str, ecs.Secret]:
    """ECS secrets read by the execution role, granted on that role's own policy.

    Each secret is referenced by ARN rather than as the owning stack's object: granting on the
    object would write this role into the secret's KMS key policy in the foundation or data
    stack, a reference back from a stack that deploys earlier (a dependency cycle).
    """
    secrets: dict[str, ecs.Secret] = {}
    keys: dict[str, kms.IKey] = {}
    for name, source in sources.items():
        # A replica named by the DR region (no ARN suffix known) is granted as a partial ARN.
        construct_id = f"{name.title().replace('_', '')}Secret"
        reference = (
            secretsmanager.Secret.from_secret_complete_arn(
                scope, construct_id, source.secret.secret_arn
            )
            if source.secret.secret_full_arn is not None
            else secretsmanager.Secret.from_secret_partial_arn(
                scope, construct_id, source.secret.secret_arn
            )
        )
        secrets[name] = ecs.Secret.from_secrets_manager(reference, source.json_key)
        if source.secret.encryption_key is not None:
            keys[source.secret.encryption_key.node.path] = source.secret.encryption_key
    if keys:
        roles.execution.add_to_policy(decrypt_through_secrets_manager(scope, keys.values()))
    return secrets


def _grant_application_access(
    task: PlatformTask,
    spec: TaskSpec,
    inputs: ServiceInputs,
    placement: Placement,
    *,
    kafka: bool,
    queue_metrics: bool,
    audit_archive: bool,
) -> None:
    role = task.roles.task
    wildcards = []
    if spec.ecs_exec:
        wildcards.append("AwsSolutions-IAM5[Resource::*]")
        wildcards.append(f"AwsSolutions-IAM5[Resource::{nag_arn(_exec_log_streams(placement))}]")
    if spec.documents:
        objects = f"arn:{Aws.PARTITION}:s3:::{inputs.documents_bucket_name}/*"
        role.add_to_policy(
            iam.PolicyStatement(
                sid="DocumentsObjects",
                actions=["s3:GetObject", "s3:PutObject"],
                resources=[objects],
            )
        )
        inputs.documents_key.grant(role, "kms:GenerateDataKey", "kms:Decrypt")
        wildcards.append(f"AwsSolutions-IAM5[Resource::{nag_arn(objects)}]")
    if queue_metrics:
        # PutMetricData has no resource-level permissions; the namespace condition is its scope.
        role.add_to_policy(
            iam.PolicyStatement(
                sid="QueueMetrics",
                actions=["cloudwatch:PutMetricData"],
                resources=["*"],
                conditions={
                    "StringEquals": {
                        "cloudwatch:namespace": inputs.config.monitoring.celery_metrics_namespace
                    }
                },
            )
        )
        wildcards.append("AwsSolutions-IAM5[Resource::*]")
    if audit_archive:
        inputs.audit_events.grant_put_records(role)
    cluster = inputs.data_tier.kafka
    if kafka and cluster is not None:
        # topic/<cluster name>/<cluster uuid>/<topic>: the application's topics are pcs.*
        topics = task.task_definition.stack.format_arn(
            service="kafka",
            resource="topic",
            resource_name=f"{cluster.cluster_name}/*/{KAFKA_TOPIC_PREFIX}*",
        )
        wildcards.append(f"AwsSolutions-IAM5[Resource::{nag_arn(topics)}]")
        role.add_to_policy(
            iam.PolicyStatement(
                sid="KafkaConnect",
                actions=["kafka-cluster:Connect", "kafka-cluster:DescribeCluster"],
                resources=[cluster.cluster_arn],
            )
        )
        role.add_to_policy(
            iam.PolicyStatement(
                sid="KafkaPublish",
                actions=[
                    "kafka-cluster:DescribeTopic",
                    "kafka-cluster:CreateTopic",
                    "kafka-cluster:WriteData",
                ],
                resources=[topics],
            )
        )
    if wildcards:
        acknowledge(
            role,
            "ECS Exec's ssmmessages channel actions have no resource-level permissions and its "
            "transcript goes to streams of the one exec log group (encrypted, OVERRIDE logging). "
            "Object access is limited to the documents bucket's objects (no delete, no list) and "
            "Kafka writes to the platform cluster's pcs.* topics (the application's own). "
            "cloudwatch:PutMetricData has no resource-level permissions; the statement is "
            "conditioned on cloudwatch:namespace = the Celery metrics namespace only.",
            *wildcards,
        )


def _exec_log_streams(placement: Placement) -> str:
    """The ECS Exec log group's streams as CDK grants them to the task role."""
    exec_logging = placement.cluster.execute_command_configuration.log_configuration
    resource = exec_logging.cloud_watch_log_group.node.default_child
    stack = Stack.of(resource)
    logical_id = stack.resolve(stack.get_logical_id(resource))
    return f"arn:{Aws.PARTITION}:logs:{stack.region}:{stack.account}:log-group:<{logical_id}>:*"


def acknowledge_generated_policies(task: PlatformTask) -> None:
    """The findings every task's generated roles and plain variables raise, with their reason."""
    acknowledge(
        task.roles.execution,
        "ecr:GetAuthorizationToken has no resource-level permissions; image pulls are "
        "limited to the platform's one repository, log writes to this task's log group.",
        "AwsSolutions-IAM5[Resource::*]",
    )
    for role in (task.roles.execution, task.roles.task):
        acknowledge(
            role,
            "The policy is generated from this task's grants and belongs to this one role "
            "(created and deleted with it); a managed policy would be shared by no one.",
            "NIST.800.53.R5-IAMNoInlinePolicy",
        )
    acknowledge(
        task.task_definition,
        "The plain variables are endpoints, names and ids (docs/service.md); every "
        "credential is injected from Secrets Manager by the execution role.",
        "AwsSolutions-ECS2",
    )


def nag_arn(arn: str) -> str:
    """An ARN as cdk-nag prints it in a rule id (the partition as ``<AWS::Partition>``)."""
    return arn.replace(Aws.PARTITION, "<AWS::Partition>")
