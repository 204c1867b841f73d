"""The ECS cluster (spec §2.1): Container Insights, encrypted ECS Exec, Fargate capacity."""

from __future__ import annotations

from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_kms as kms
from constructs import Construct

from infra.config import CapacityProviderShare, PlatformConfig
from infra.defaults.logs import encrypted_log_group


def capacity_strategy(
    shares: tuple[CapacityProviderShare, ...],
) -> list[ecs.CapacityProviderStrategy]:
    """The ECS form of a configured capacity-provider strategy."""
    return [
        ecs.CapacityProviderStrategy(
            capacity_provider=share.provider, weight=share.weight, base=share.base
        )
        for share in shares
    ]


def platform_cluster(
    scope: Construct,
    construct_id: str,
    *,
    config: PlatformConfig,
    vpc: ec2.IVpc,
    exec_key: kms.IKey,
) -> ecs.Cluster:
    """FARGATE and FARGATE_SPOT with the spec's default strategy (FARGATE base 2, weight 100).

    ECS Exec sessions are encrypted with the ``ecs_exec`` key and their transcripts logged
    (OVERRIDE) to a log group encrypted with the same key (AU-2, AU-12, SC-8). The cluster and
    its services see that key by ARN: given the key itself, every service with Exec adds
    ``kms:*`` for the account to its policy, which keeps its own statements
    (infra/security/keys.py).
    """
    exec_logs = encrypted_log_group(
        scope,
        f"{construct_id}ExecLogs",
        key=exec_key,
        retention_days=config.compute.log_retention_days,
        log_group_name=config.names.exec_log_group,
    )
    cluster = ecs.Cluster(
        scope,
        construct_id,
        cluster_name=config.names.ecs_cluster,
        vpc=vpc,
        container_insights_v2=ecs.ContainerInsights.ENABLED,
        enable_fargate_capacity_providers=True,
        execute_command_configuration=ecs.ExecuteCommandConfiguration(
            kms_key=kms.Key.from_key_arn(scope, f"{construct_id}ExecKey", exec_key.key_arn),
            logging=ecs.ExecuteCommandLogging.OVERRIDE,
            log_configuration=ecs.ExecuteCommandLogConfiguration(
                cloud_watch_log_group=exec_logs, cloud_watch_encryption_enabled=True
            ),
        ),
    )
    cluster.add_default_capacity_provider_strategy(
        capacity_strategy(config.compute.default_strategy)
    )
    return cluster
