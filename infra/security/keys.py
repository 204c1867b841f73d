"""One customer-managed KMS key per data domain, so a grant on one domain opens no other."""

from __future__ import annotations

from dataclasses import dataclass

from aws_cdk import Aws
from aws_cdk import aws_kms as kms
from constructs import Construct

from infra.defaults.kms import ServiceUse, domain_key
from infra.names import PlatformNames


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


def _log_groups(names: PlatformNames) -> ServiceUse:
    """CloudWatch Logs, for this account's log groups: their ARN is the encryption context."""
    return ServiceUse(
        sid="CloudWatchLogsEncryptsThisAccountsLogGroups",
        principal=f"logs.{names.region}.amazonaws.com",
        actions=(
            "kms:Decrypt*",
            "kms:Describe*",
            "kms:Encrypt*",
            "kms:GenerateDataKey*",
            "kms:ReEncrypt*",
        ),
        conditions={
            "ArnLike": {
                "kms:EncryptionContext:aws:logs:arn": (
                    f"arn:{Aws.PARTITION}:logs:{names.region}:{names.account}:log-group:*"
                )
            }
        },
    )


def _log_services(names: PlatformNames) -> tuple[ServiceUse, ...]:
    """What the log services need of the logs key, pinned to this account's resources.

    CloudWatch Logs encrypts a log group's data under the group's ARN as encryption context;
    log delivery (VPC flow logs to S3) only generates data keys, for this account's deliveries;
    CloudTrail generates data keys under its trail's ARN as context and describes the key.
    """
    arn = f"arn:{Aws.PARTITION}"
    account = names.account
    trail = f"{arn}:cloudtrail:{names.region}:{account}:trail/{names.trail}"
    return (
        _log_groups(names),
        ServiceUse(
            sid="LogDeliveryWritesThisAccountsFlowLogs",
            principal="delivery.logs.amazonaws.com",
            actions=("kms:GenerateDataKey*",),
            conditions={
                "StringEquals": {"aws:SourceAccount": account},
                "ArnLike": {"aws:SourceArn": f"{arn}:logs:{names.region}:{account}:*"},
            },
        ),
        ServiceUse(
            sid="CloudTrailEncryptsThePlatformTrail",
            principal="cloudtrail.amazonaws.com",
            actions=("kms:GenerateDataKey*",),
            conditions={
                "StringEquals": {"aws:SourceArn": trail},
                "StringLike": {
                    "kms:EncryptionContext:aws:cloudtrail:arn": (
                        f"{arn}:cloudtrail:*:{account}:trail/{names.trail}"
                    )
                },
            },
        ),
        ServiceUse(
            sid="CloudTrailDescribesTheKey",
            principal="cloudtrail.amazonaws.com",
            actions=("kms:DescribeKey",),
            conditions={"StringEquals": {"aws:SourceArn": trail}},
        ),
    )


def _alarm_notifications(names: PlatformNames) -> ServiceUse:
    """CloudWatch alarms publishing to the encrypted alarm topics of this account."""
    return ServiceUse(
        sid="CloudWatchAlarmsPublishToTheAlarmTopics",
        principal="cloudwatch.amazonaws.com",
        actions=("kms:Decrypt", "kms:GenerateDataKey*"),
        conditions={
            "StringEquals": {"aws:SourceAccount": names.account},
            "ArnLike": {
                "aws:SourceArn": f"arn:{Aws.PARTITION}:cloudwatch:*:{names.account}:alarm:*"
            },
        },
    )


class EncryptionKeys(Construct):
    """Creates :class:`PlatformKeys`; each key policy opens only to the services that use it,
    and only ``administrator`` (a role name) may administer them (:mod:`infra.defaults.kms`)."""

    def __init__(
        self, scope: Construct, construct_id: str, *, names: PlatformNames, administrator: str
    ) -> None:
        super().__init__(scope, construct_id)
        prefix = names.prefix

        def key(domain: str, description: str, *uses: ServiceUse) -> kms.Key:
            return domain_key(
                self,
                domain.title().replace("_", ""),
                alias=names.key_alias(domain.replace("_", "-")),
                description=f"{prefix}: {description}",
                administrator=administrator,
                service_uses=uses,
            )

        self.keys = PlatformKeys(
            database=key("database", "Aurora storage, Performance Insights and credentials"),
            storage=key("storage", "documents and backups buckets"),
            logs=key(
                "logs", "CloudWatch Logs, VPC flow logs and CloudTrail", *_log_services(names)
            ),
            backup=key("backup", "AWS Backup vaults"),
            # Sessions, and their transcripts' log group.
            ecs_exec=key("ecs_exec", "ECS Exec sessions", _log_groups(names)),
            kafka=key("kafka", "MSK broker storage"),
            sns=key("sns", "alarm notifications", _alarm_notifications(names)),
            secrets=key("secrets", "application secrets"),
            cache=key("cache", "ElastiCache data at rest"),
            audit=key("audit", "application audit archive"),
        )
