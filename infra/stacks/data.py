"""The data tier (spec §3 and the overview's S3 buckets): Aurora, ElastiCache, MSK, buckets."""

from __future__ import annotations

from typing import Any

from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from infra.config import PlatformConfig
from infra.data.aurora import AuroraDatabase
from infra.data.buckets import DataBuckets
from infra.data.cache import CacheReplicationGroup
from infra.data.global_database import GlobalCluster
from infra.data.kafka import KafkaCluster
from infra.data.outputs import DataTier
from infra.data.replicas import DrStorageNames
from infra.network.security_groups import PlatformSecurityGroups
from infra.security.keys import PlatformKeys
from infra.security.secrets import ApplicationSecrets
from infra.stacks.base import PlatformStack


class DataStack(PlatformStack):
    """Stateful: exposes :attr:`data_tier` to the compute, monitoring and backup stacks."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: PlatformConfig,
        vpc: ec2.IVpc,
        security_groups: PlatformSecurityGroups,
        keys: PlatformKeys,
        secrets: ApplicationSecrets,
        access_logs_bucket: s3.IBucket,
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        names = config.names
        dr_names = DrStorageNames.of(config)
        database = AuroraDatabase(
            self,
            "Aurora",
            names=names,
            database=config.database,
            ports=config.ports,
            vpc=vpc,
            availability_zones=config.network.availability_zones,
            security_group=security_groups.database,
            endpoints_security_group=security_groups.endpoints,
            key=keys.database,
            logs_key=keys.logs,
            secrets_replica=secretsmanager.ReplicaRegion(
                region=dr_names.dr_region,
                encryption_key=kms.Key.from_key_arn(
                    self, "DrSecretsKey", dr_names.secrets_key_alias_arn
                ),
            ),
        )
        self.global_cluster = GlobalCluster(
            self,
            "GlobalDatabase",
            identifier=config.names.global_cluster,
            cluster=database.endpoints.cluster,
            deletion_protection=config.database.deletion_protection,
        )
        cache = CacheReplicationGroup(
            self,
            "Cache",
            names=names,
            cache=config.cache,
            ports=config.ports,
            vpc=vpc,
            availability_zones=config.network.availability_zones,
            security_group=security_groups.redis,
            key=keys.cache,
            logs_key=keys.logs,
            auth_token=secrets.redis_auth_token,
        )
        kafka = None
        if config.kafka.enabled:
            kafka = KafkaCluster(
                self,
                "Kafka",
                names=names,
                kafka=config.kafka,
                ports=config.ports,
                vpc=vpc,
                security_group=security_groups.kafka,
                endpoints_security_group=security_groups.endpoints,
                s3_prefix_list_id=config.network.s3_prefix_list_id,
                key=keys.kafka,
                secrets_key=keys.secrets,
                logs_key=keys.logs,
            ).endpoint
        buckets = DataBuckets(
            self,
            "Buckets",
            names=names,
            storage=config.storage,
            key=keys.storage,
            access_logs_bucket=access_logs_bucket,
            dr_names=dr_names,
            site_origin=f"https://{config.edge.domain_name}",
        ).buckets
        self.data_tier = DataTier(
            database=database.endpoints,
            cache=cache.endpoint,
            kafka=kafka,
            documents_bucket=buckets["documents"],
            backups_bucket=buckets["backups"],
        )
