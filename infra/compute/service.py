"""One ECS Fargate service of the platform image, built the same way for API, worker and Beat."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from aws_cdk import Aws, Duration, Stack
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecr as ecr
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from infra.compute.cluster import capacity_strategy
from infra.compute.environment import SecretSource, ServiceInputs
from infra.compute.roles import service_roles
from infra.config import Architecture, CapacityProviderShare, ServiceScaling
from infra.defaults.logs import encrypted_log_group
from infra.gate.nag import acknowledge

# The service's topics (docs/service.md): publishers may create and write only these.
KAFKA_TOPIC_PREFIX = "pcs."

_CPU_ARCHITECTURES = {
    Architecture.ARM64: ecs.CpuArchitecture.ARM64,
    Architecture.X86_64: ecs.CpuArchitecture.X86_64,
}


@dataclass(frozen=True)
class ServiceSpec:
    """What differs between the services that run the one image."""

    name: str
    container_name: str
    scaling: ServiceScaling
    capacity: tuple[CapacityProviderShare, ...]
    command: tuple[str, ...] | None = None  # None: the image's default CMD
    port: int | None = None
    health_check: ecs.HealthCheck | None = None
    stop_timeout: Duration | None = None
    kafka: bool = False  # publishes to MSK: gets the bootstrap secret and kafka-cluster IAM
    documents: bool = False  # reads and writes the documents bucket
    min_healthy_percent: int = 100
    max_healthy_percent: int = 200
    options: dict[str, Any] = field(default_factory=dict)  # further FargateService props


@dataclass(frozen=True)
class Placement:
    """Where the services run and what they run."""

    cluster: ecs.ICluster
    security_group: ec2.ISecurityGroup
    repository: ecr.IRepository
    image_tag: str
    logs_key: kms.IKey


class PlatformService(Construct):
    """Roles, log group, task definition and Fargate service for one :class:`ServiceSpec`.

    Tasks run in the private subnets without a public IP, on the configured CPU architecture,
    with ECS Exec on (sessions encrypted and logged by the cluster's configuration) and the
    deployment circuit breaker rolling back a release whose tasks cannot start.
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
        config = inputs.config
        prefix = config.prefix
        self.roles = service_roles(self, prefix=prefix, service=spec.name)
        self.log_group = encrypted_log_group(
            self,
            "Logs",
            key=placement.logs_key,
            retention_days=config.compute.log_retention_days,
            log_group_name=f"/ecs/{prefix}/{spec.name}",
        )
        self.task_definition = ecs.FargateTaskDefinition(
            self,
            "TaskDefinition",
            family=f"{prefix}-{spec.name}",
            cpu=spec.scaling.cpu,
            memory_limit_mib=spec.scaling.memory_mib,
            runtime_platform=ecs.RuntimePlatform(
                cpu_architecture=_CPU_ARCHITECTURES[config.compute.architecture],
                operating_system_family=ecs.OperatingSystemFamily.LINUX,
            ),
            execution_role=self.roles.execution,
            task_role=self.roles.task,
        )
        self.container = self.task_definition.add_container(
            spec.container_name,
            image=ecs.ContainerImage.from_ecr_repository(placement.repository, placement.image_tag),
            command=list(spec.command) if spec.command else None,
            environment=inputs.environment(),
            secrets=self._injected_secrets(inputs.secret_sources(kafka=spec.kafka)),
            logging=ecs.LogDriver.aws_logs(stream_prefix=spec.name, log_group=self.log_group),
            port_mappings=[ecs.PortMapping(container_port=spec.port)] if spec.port else None,
            health_check=spec.health_check,
            stop_timeout=spec.stop_timeout,
            essential=True,
        )
        self.service = ecs.FargateService(
            self,
            "Service",
            service_name=f"{prefix}-{spec.name}",
            cluster=placement.cluster,
            task_definition=self.task_definition,
            desired_count=spec.scaling.desired_count,
            capacity_provider_strategies=capacity_strategy(spec.capacity),
            vpc_subnets=ec2.SubnetSelection(subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS),
            security_groups=[placement.security_group],
            assign_public_ip=False,
            enable_execute_command=True,
            circuit_breaker=ecs.DeploymentCircuitBreaker(enable=True, rollback=True),
            min_healthy_percent=spec.min_healthy_percent,
            max_healthy_percent=spec.max_healthy_percent,
            propagate_tags=ecs.PropagatedTagSource.SERVICE,
            **spec.options,
        )
        self._grant_application_access(spec, inputs)
        self._acknowledge_generated_policies()

    def _injected_secrets(self, sources: dict[str, SecretSource]) -> dict[str, ecs.Secret]:
        """ECS secrets read by this service's execution role, granted on its own policy.

        Each secret is referenced by ARN rather than as the owning stack's object: granting on
        the object would write this role into the secret's KMS key policy in the foundation or
        data stack, a reference back from a stack that deploys earlier (a dependency cycle).
        """
        secrets: dict[str, ecs.Secret] = {}
        keys: dict[str, kms.IKey] = {}
        for name, source in sources.items():
            reference = secretsmanager.Secret.from_secret_complete_arn(
                self, f"{name.title().replace('_', '')}Secret", source.secret.secret_arn
            )
            secrets[name] = ecs.Secret.from_secrets_manager(reference, source.json_key)
            if source.secret.encryption_key is not None:
                keys[source.secret.encryption_key.node.path] = source.secret.encryption_key
        if keys:
            via_secrets_manager = f"secretsmanager.{Stack.of(self).region}.amazonaws.com"
            self.roles.execution.add_to_policy(
                iam.PolicyStatement(
                    sid="DecryptSecretsThroughSecretsManager",
                    actions=["kms:Decrypt"],
                    resources=[key.key_arn for key in keys.values()],
                    conditions={"StringEquals": {"kms:ViaService": via_secrets_manager}},
                )
            )
        return secrets

    def _grant_application_access(self, spec: ServiceSpec, inputs: ServiceInputs) -> None:
        task = self.roles.task
        wildcards = [f"AwsSolutions-IAM5[Resource::{_nag_arn(self._exec_log_streams())}]"]
        if spec.documents:
            objects = f"arn:{Aws.PARTITION}:s3:::{inputs.documents_bucket_name}/*"
            task.add_to_policy(
                iam.PolicyStatement(
                    sid="DocumentsObjects",
                    actions=["s3:GetObject", "s3:PutObject"],
                    resources=[objects],
                )
            )
            inputs.documents_key.grant(task, "kms:GenerateDataKey", "kms:Decrypt")
            wildcards.append(f"AwsSolutions-IAM5[Resource::{_nag_arn(objects)}]")
        kafka = inputs.data_tier.kafka
        if spec.kafka and kafka is not None:
            stack = self.task_definition.stack
            # topic/<cluster name>/<cluster uuid>/<topic>: the application's topics are pcs.*
            topics = stack.format_arn(
                service="kafka",
                resource="topic",
                resource_name=f"{kafka.cluster_name}/*/{KAFKA_TOPIC_PREFIX}*",
            )
            wildcards.append(f"AwsSolutions-IAM5[Resource::{_nag_arn(topics)}]")
            task.add_to_policy(
                iam.PolicyStatement(
                    sid="KafkaConnect",
                    actions=["kafka-cluster:Connect", "kafka-cluster:DescribeCluster"],
                    resources=[kafka.cluster_arn],
                )
            )
            task.add_to_policy(
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
        acknowledge(
            task,
            "ECS Exec's ssmmessages channel actions have no resource-level permissions and its "
            "transcript goes to streams of the one exec log group (encrypted, OVERRIDE logging). "
            "Object access is limited to the documents bucket's objects (no delete, no list) and "
            "Kafka writes to the platform cluster's pcs.* topics (the application's own).",
            "AwsSolutions-IAM5[Resource::*]",
            *wildcards,
        )

    def scale_on_cpu(
        self, *, scaling: ServiceScaling, target_percent: float, scale_in: int, scale_out: int
    ) -> None:
        """Target tracking on the service's average CPU between min and max tasks."""
        self.service.auto_scale_task_count(
            min_capacity=scaling.min_count, max_capacity=scaling.max_count
        ).scale_on_cpu_utilization(
            "Cpu",
            target_utilization_percent=target_percent,
            scale_in_cooldown=Duration.seconds(scale_in),
            scale_out_cooldown=Duration.seconds(scale_out),
        )

    def _exec_log_streams(self) -> str:
        """The ECS Exec log group's streams as CDK grants them to the task role."""
        log_group = self.service.cluster.execute_command_configuration.log_configuration
        resource = log_group.cloud_watch_log_group.node.default_child
        stack = Stack.of(resource)
        logical_id = stack.resolve(stack.get_logical_id(resource))
        return f"arn:{Aws.PARTITION}:logs:{stack.region}:{stack.account}:log-group:<{logical_id}>:*"

    def _acknowledge_generated_policies(self) -> None:
        acknowledge(
            self.roles.execution,
            "ecr:GetAuthorizationToken has no resource-level permissions; image pulls are "
            "limited to the platform's one repository, log writes to this service's log group.",
            "AwsSolutions-IAM5[Resource::*]",
        )
        for role in (self.roles.execution, self.roles.task):
            acknowledge(
                role,
                "The policy is generated from this service's grants and belongs to this one "
                "role (created and deleted with it); a managed policy would be shared by no one.",
                "NIST.800.53.R5-IAMNoInlinePolicy",
            )
        acknowledge(
            self.task_definition,
            "The plain variables are endpoints, names and ids (docs/service.md); every "
            "credential is injected from Secrets Manager by the execution role.",
            "AwsSolutions-ECS2",
        )


def _nag_arn(arn: str) -> str:
    """An ARN as cdk-nag prints it in a rule id (the partition as ``<AWS::Partition>``)."""
    return arn.replace(Aws.PARTITION, "<AWS::Partition>")
