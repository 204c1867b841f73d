"""The pilot-light DR region's data tier: the global database's secondary, a minimal cache, the
region's own keys, and the replicated secrets the DR services read.

The standby's data-tier unit of :func:`infra.region.build_region`: it runs inside the region's
network, and the region's ComputeStack runs on what it exposes
(docs/decisions/dr-pilot-light-region.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aws_cdk import ArnFormat, Duration
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_kms as kms
from aws_cdk import aws_rds as rds
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from infra.config import PlatformConfig, RegionConfig
from infra.data.cache import CacheReplicationGroup
from infra.data.global_database import SecondaryCluster
from infra.data.outputs import DatabaseEndpoints, DataTier
from infra.defaults.kms import ServiceUse, domain_key
from infra.network.security_groups import PlatformSecurityGroups
from infra.security.keys import _log_groups
from infra.security.secrets import ApplicationSecrets
from infra.stacks.base import PlatformStack


@dataclass(frozen=True)
class DrKeys:
    """The DR region's keys the services use (KMS keys never leave their region; each domain
    has its own DR key, docs/decisions/dr-kms-keys.md)."""

    ecs_exec: kms.IKey
    storage: kms.IKey  # the documents replica (the DR storage stack's key)
    logs: kms.IKey


class DrDatabaseStack(PlatformStack):
    """Deployed to the DR region after the primary data stack (which creates the global cluster)
    and the DR storage stack (replica buckets, the secrets replicas' key).

    Exposes :attr:`secondary`, :attr:`key` (the secondary's), :attr:`keys`, :attr:`secrets`
    and :attr:`data_tier` (what the DR region's services connect to).
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: PlatformConfig,
        region: RegionConfig,
        vpc: ec2.IVpc,
        security_groups: PlatformSecurityGroups,
        storage_key: kms.IKey,
        secrets_key: kms.IKey,
        replicas: dict[str, s3.IBucket],
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        names = region.names
        # The log groups this region's keys serve are this region's (the use names the region).
        log_groups = _log_groups(names)

        def key(domain: str, description: str, *uses: ServiceUse) -> kms.Key:
            return domain_key(
                self,
                f"{domain.title().replace('-', '')}Key",
                alias=names.key_alias(f"dr-{domain}"),
                description=f"{config.prefix}: {description}",
                administrator=config.deployment.key_administrator_role,
                service_uses=uses,
            )

        self.key = key("database", "the global database's DR-region secondary")
        logs_key = key("logs", "DR-region CloudWatch Logs (services, cache)", log_groups)
        self.keys = DrKeys(
            ecs_exec=key("ecs-exec", "DR-region ECS Exec sessions", log_groups),
            storage=storage_key,
            logs=logs_key,
        )
        self.secondary = SecondaryCluster(
            self,
            "Secondary",
            prefix=config.prefix,
            identifier=names.secondary_cluster,
            global_identifier=names.global_cluster,
            database=config.database,
            ports=config.ports,
            vpc=vpc,
            security_group=security_groups.database,
            key=self.key,
        )

        # The replication lag the managed RPO bounds, watched here where Aurora publishes it;
        # it pages on the DR region's alert topic as every DR alarm does (infra/region.py).
        self.rpo_alarm = cloudwatch.Alarm(
            self,
            "RpoLagAlarm",
            alarm_name=names.alarm("global-db-rpo-lag"),
            alarm_description=(
                "The DR region's copy of the database is further behind the primary than "
                f"{config.database.global_db_rpo_alarm_seconds} s; at "
                f"{config.database.global_rpo_seconds} s the primary pauses commits "
                "(rds.global_db_rpo)"
            ),
            metric=cloudwatch.Metric(
                namespace="AWS/RDS",
                metric_name="AuroraGlobalDBRPOLag",
                dimensions_map={"DBClusterIdentifier": names.secondary_cluster},
                statistic="Maximum",
                period=Duration.minutes(1),
            ),
            threshold=config.database.global_db_rpo_alarm_seconds * 1000,  # milliseconds
            evaluation_periods=1,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
            treat_missing_data=cloudwatch.TreatMissingData.MISSING,
        )

        def replica(construct_id: str, name: str) -> secretsmanager.ISecret:
            # The replica has the primary's name (and ARN suffix): named here, read through
            # the DR region's secrets key.
            return secretsmanager.Secret.from_secret_attributes(
                self,
                construct_id,
                secret_partial_arn=self.format_arn(
                    service="secretsmanager",
                    resource="secret",
                    resource_name=name,
                    arn_format=ArnFormat.COLON_RESOURCE_NAME,
                ),
                encryption_key=secrets_key,
            )

        self.secrets = ApplicationSecrets(
            django_secret_key=replica("DjangoSecretKeyReplica", names.secret("djangosecretkey")),
            redis_auth_token=replica("RedisAuthTokenReplica", names.secret("redisauthtoken")),
            smoke_test_token=replica("SmokeTestTokenReplica", names.secret("smoketesttoken")),
        )
        # Kept minimal, not created at failover: the services' task definitions name a real
        # endpoint, and failover scales the pair to the tier's node type while it serves.
        cache = CacheReplicationGroup(
            self,
            "Cache",
            names=names,
            cache=region.cache,
            ports=config.ports,
            vpc=vpc,
            availability_zones=region.network.availability_zones,
            security_group=security_groups.redis,
            key=key("cache", "DR-region ElastiCache data at rest"),
            logs_key=logs_key,
            auth_token=self.secrets.redis_auth_token,
        )
        cluster = self.secondary.cluster
        self.data_tier = DataTier(
            database=DatabaseEndpoints(
                cluster=rds.DatabaseCluster.from_database_cluster_attributes(
                    self,
                    "SecondaryReference",
                    cluster_identifier=names.secondary_cluster,
                    cluster_endpoint_address=cluster.attr_endpoint_address,
                    reader_endpoint_address=cluster.attr_read_endpoint_address,
                    port=config.ports.postgres,
                ),
                # The secondary's own endpoints: inactive until it is promoted, then the
                # writer, so failover needs no redeploy here (dr-global-database.md).
                writer_host=cluster.attr_endpoint_address,
                reader_host=cluster.attr_read_endpoint_address,
                port=config.ports.postgres,
                database_name=config.database.database_name,
                credentials=replica("MasterSecretReplica", names.master_secret),
                app_credentials=replica("AppSecretReplica", names.app_secret),
                publisher_credentials=replica("PublisherSecretReplica", names.publisher_secret),
            ),
            cache=cache.endpoint,
            # Kafka is created after a failover (events wait in the outbox until then).
            kafka=None,
            documents_bucket=replicas["documents"],
            backups_bucket=replicas["backups"],
        )
