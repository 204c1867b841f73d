"""Keys, application secrets and the log buckets every other stack writes to."""

from __future__ import annotations

from typing import Any

from aws_cdk import Duration, Stack
from aws_cdk import aws_s3 as s3
from constructs import Construct

from infra.config import PlatformConfig
from infra.defaults.s3 import secure_bucket
from infra.gate.nag import acknowledge
from infra.security.keys import EncryptionKeys
from infra.security.secrets import GeneratedSecrets


class FoundationStack(Stack):
    """Stateful base: keys, secrets, the logs bucket and the access-logs bucket."""

    def __init__(
        self, scope: Construct, construct_id: str, *, config: PlatformConfig, **kwargs: Any
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        prefix = config.prefix
        storage = config.storage
        self.keys = EncryptionKeys(self, "Keys", prefix=prefix).keys
        self.secrets = GeneratedSecrets(
            self, "Secrets", prefix=prefix, key=self.keys.secrets
        ).secrets

        log_lifecycle = [
            s3.LifecycleRule(
                id="archive-then-expire",
                transitions=[
                    s3.Transition(
                        storage_class=s3.StorageClass.GLACIER_INSTANT_RETRIEVAL,
                        transition_after=Duration.days(storage.log_transition_days),
                    )
                ],
                expiration=Duration.days(storage.log_expiration_days),
                noncurrent_version_expiration=Duration.days(
                    storage.noncurrent_version_expiration_days
                ),
            )
        ]
        # S3 server access logs and ALB access logs can only be delivered to SSE-S3 buckets.
        self.access_logs_bucket = secure_bucket(
            self,
            "AccessLogs",
            encryption_key=None,
            access_logs_bucket=None,
            bucket_name=f"{prefix}-access-logs-{self.account}",
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
            bucket_name=f"{prefix}-logs-{self.account}",
            lifecycle_rules=log_lifecycle,
        )
        for bucket in (self.access_logs_bucket, self.logs_bucket):
            acknowledge(
                bucket,
                "Log archives are kept in the primary region for seven years and covered by "
                "CloudTrail log-file validation; cross-region copies of logs add cost without a "
                "recovery need (the DR plan restores data, not logs).",
                "NIST.800.53.R5-S3BucketReplicationEnabled",
            )
