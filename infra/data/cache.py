"""ElastiCache: a cluster-mode-disabled replication group (Celery's Redis broker needs one)."""

from __future__ import annotations

from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_elasticache as elasticache
from aws_cdk import aws_kms as kms
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from infra.config import CacheConfig, Ports
from infra.data.outputs import CacheEndpoint
from infra.defaults.logs import encrypted_log_group
from infra.gate.nag import acknowledge
from infra.names import PlatformNames

# ElastiCache log types delivered to CloudWatch Logs, by construct id.
LOG_TYPES = {"SlowLog": "slow-log", "EngineLog": "engine-log"}


class CacheReplicationGroup(Construct):
    """One primary and replicas over the AZs, Multi-AZ with automatic failover, encrypted at rest
    with the cache key and in transit (TLS required), AUTH from Secrets Manager; see
    :attr:`endpoint`."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        names: PlatformNames,
        cache: CacheConfig,
        ports: Ports,
        vpc: ec2.IVpc,
        availability_zones: tuple[str, ...],
        security_group: ec2.ISecurityGroup,
        key: kms.IKey,
        logs_key: kms.IKey,
        auth_token: secretsmanager.ISecret,
    ) -> None:
        super().__init__(scope, construct_id)
        prefix = names.prefix
        replication_group_id = names.cache_replication_group
        subnet_group = elasticache.CfnSubnetGroup(
            self,
            "SubnetGroup",
            cache_subnet_group_name=replication_group_id,
            description=f"{prefix} ElastiCache: the private subnets",
            subnet_ids=vpc.select_subnets(
                subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS
            ).subnet_ids,
        )
        log_groups = {
            log_type: encrypted_log_group(
                self,
                name,
                key=logs_key,
                retention_days=cache.log_retention_days,
                log_group_name=names.cache_log_group(log_type),
            )
            for name, log_type in LOG_TYPES.items()
        }
        # One node per AZ, round robin, so the primary and each replica sit in different AZs.
        node_zones = [
            availability_zones[index % len(availability_zones)] for index in range(cache.node_count)
        ]
        self.replication_group = elasticache.CfnReplicationGroup(
            self,
            "ReplicationGroup",
            replication_group_id=replication_group_id,
            replication_group_description=f"{prefix} Celery broker and Django cache",
            engine=cache.engine,
            engine_version=cache.engine_version,
            cache_node_type=cache.node_type,
            num_cache_clusters=cache.node_count,
            preferred_cache_cluster_a_zs=node_zones,
            multi_az_enabled=True,
            automatic_failover_enabled=True,
            cache_subnet_group_name=subnet_group.ref,
            security_group_ids=[security_group.security_group_id],
            port=ports.redis,
            at_rest_encryption_enabled=True,
            kms_key_id=key.key_arn,
            transit_encryption_enabled=True,
            transit_encryption_mode="required",
            # A dynamic reference: CloudFormation resolves it at deploy, the template holds none.
            auth_token=auth_token.secret_value.unsafe_unwrap(),
            snapshot_retention_limit=cache.snapshot_retention_days,
            snapshot_window=cache.snapshot_window,
            preferred_maintenance_window=cache.maintenance_window,
            auto_minor_version_upgrade=True,
            log_delivery_configurations=[
                elasticache.CfnReplicationGroup.LogDeliveryConfigurationRequestProperty(
                    destination_type="cloudwatch-logs",
                    destination_details=elasticache.CfnReplicationGroup.DestinationDetailsProperty(
                        cloud_watch_logs_details=elasticache.CfnReplicationGroup.CloudWatchLogsDestinationDetailsProperty(
                            log_group=log_group.log_group_name
                        )
                    ),
                    log_format="json",
                    log_type=log_type,
                )
                for log_type, log_group in log_groups.items()
            ],
        )
        acknowledge(
            self.replication_group,
            "Celery and Django's Redis clients expect 6379; the port is reachable only from the "
            "ECS tasks' security group, and every connection needs TLS and the AUTH token.",
            "AwsSolutions-AEC5",
        )
        self.endpoint = CacheEndpoint(
            replication_group_id=replication_group_id,
            host=self.replication_group.attr_primary_end_point_address,
            port=ports.redis,
            auth_token=auth_token,
        )
