"""One customer-managed KMS key per data domain, so a grant on one domain opens no other."""

from __future__ import annotations

from dataclasses import dataclass

from aws_cdk import Stack
from aws_cdk import aws_kms as kms
from constructs import Construct

from infra.defaults.kms import domain_key


@dataclass(frozen=True)
class PlatformKeys:
    """The platform's keys, by the data they protect."""

    database: kms.IKey  # Aurora storage, Performance Insights, database credentials
    storage: kms.IKey  # documents and backups buckets
    logs: kms.IKey  # CloudWatch log groups, flow logs, CloudTrail
    backup: kms.IKey  # AWS Backup vaults
    ecs_exec: kms.IKey  # ECS Exec sessions
    kafka: kms.IKey  # MSK storage
    sns: kms.IKey  # alarm topics
    secrets: kms.IKey  # application secrets (SECRET_KEY, Redis AUTH, Kafka bootstrap)
    cache: kms.IKey  # ElastiCache at rest
    audit: kms.IKey  # the application audit archive (Firehose streams and Object Lock bucket)


class EncryptionKeys(Construct):
    """Creates :class:`PlatformKeys`; each key policy opens only to the services that use it."""

    def __init__(self, scope: Construct, construct_id: str, *, prefix: str) -> None:
        super().__init__(scope, construct_id)
        region = Stack.of(self).region

        def key(domain: str, description: str, *principals: str) -> kms.Key:
            return domain_key(
                self,
                domain.title().replace("_", ""),
                alias=f"alias/{prefix}/{domain.replace('_', '-')}",
                description=f"{prefix}: {description}",
                service_principals=principals,
            )

        self.keys = PlatformKeys(
            database=key("database", "Aurora storage, Performance Insights and credentials"),
            storage=key("storage", "documents and backups buckets"),
            logs=key(
                "logs",
                "CloudWatch Logs, VPC flow logs and CloudTrail",
                f"logs.{region}.amazonaws.com",
                "delivery.logs.amazonaws.com",
                "cloudtrail.amazonaws.com",
            ),
            backup=key("backup", "AWS Backup vaults"),
            ecs_exec=key("ecs_exec", "ECS Exec sessions"),
            kafka=key("kafka", "MSK broker storage"),
            sns=key("sns", "alarm notifications", "cloudwatch.amazonaws.com"),
            secrets=key("secrets", "application secrets"),
            cache=key("cache", "ElastiCache data at rest"),
            audit=key("audit", "application audit archive"),
        )
