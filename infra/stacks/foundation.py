"""Keys, application secrets and the log buckets every other stack writes to."""

from __future__ import annotations

from typing import Any

from aws_cdk import aws_iam as iam
from constructs import Construct

from infra.config import PlatformConfig
from infra.defaults.s3 import log_archive_lifecycle, secure_bucket
from infra.gate.nag import acknowledge
from infra.security.keys import EncryptionKeys
from infra.security.secrets import GeneratedSecrets
from infra.stacks.base import PlatformStack


class FoundationStack(PlatformStack):
    """Stateful base: keys, secrets, the logs bucket and the access-logs bucket."""

    def __init__(
        self, scope: Construct, construct_id: str, *, config: PlatformConfig, **kwargs: Any
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        prefix = config.prefix
        self.keys = EncryptionKeys(self, "Keys", prefix=prefix).keys
        self.secrets = GeneratedSecrets(
            self, "Secrets", names=config.names, key=self.keys.secrets
        ).secrets

        log_lifecycle = log_archive_lifecycle(config.storage)
        # S3 server access logs and ALB access logs can only be delivered to SSE-S3 buckets.
        self.access_logs_bucket = secure_bucket(
            self,
            "AccessLogs",
            encryption_key=None,
            access_logs_bucket=None,
            bucket_name=config.names.bucket("access-logs"),
            lifecycle_rules=log_lifecycle,
        )
        acknowledge(
            self.access_logs_bucket,
            "This bucket is the access-log destination itself; logging it would recurse. Writes "
            "come only from the S3 logging and ELB log-delivery principals (bucket policy), "
            "objects are versioned and expire after seven years.",
            "AwsSolutions-S1",
            "NIST.800.53.R5-S3BucketLoggingEnabled",
        )
        acknowledge(
            self.access_logs_bucket,
            "S3 server access logs and ALB access logs support only SSE-S3 destinations; the "
            "bucket is private, TLS-only and versioned.",
            "NIST.800.53.R5-S3DefaultEncryptionKMS",
        )
        self.logs_bucket = secure_bucket(
            self,
            "Logs",
            encryption_key=self.keys.logs,
            access_logs_bucket=self.access_logs_bucket,
            bucket_name=config.names.bucket("logs"),
            lifecycle_rules=log_lifecycle,
        )
        self._allow_log_delivery(prefix="vpc-flow-logs")
        for bucket in (self.access_logs_bucket, self.logs_bucket):
            acknowledge(
                bucket,
                "Log archives are kept in the primary region for seven years and covered by "
                "CloudTrail log-file validation; cross-region copies of logs add cost without a "
                "recovery need (the DR plan restores data, not logs).",
                "NIST.800.53.R5-S3BucketReplicationEnabled",
            )

    def _allow_log_delivery(self, *, prefix: str) -> None:
        """Let the log-delivery service write flow logs under ``prefix`` (and nothing else).

        Declared here so CloudFormation owns the whole bucket policy; left to itself, AWS would
        append these statements at flow-log creation and the next deploy would drop them.
        """
        delivery = iam.ServicePrincipal("delivery.logs.amazonaws.com")
        same_account = {"aws:SourceAccount": self.account}
        self.logs_bucket.add_to_resource_policy(
            iam.PolicyStatement(
                sid="AWSLogDeliveryWrite",
                principals=[delivery],
                actions=["s3:PutObject"],
                resources=[self.logs_bucket.arn_for_objects(f"{prefix}/AWSLogs/{self.account}/*")],
                conditions={"StringEquals": same_account},
            )
        )
        self.logs_bucket.add_to_resource_policy(
            iam.PolicyStatement(
                sid="AWSLogDeliveryAclCheck",
                principals=[delivery],
                actions=["s3:GetBucketAcl", "s3:ListBucket"],
                resources=[self.logs_bucket.bucket_arn],
                conditions={"StringEquals": same_account},
            )
        )
