"""Keys, application secrets and the log buckets every other stack writes to."""

from __future__ import annotations

from typing import Any

from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from infra.audit.log_copies import LogCopies
from infra.config import PlatformConfig
from infra.data.replicas import DrStorageNames
from infra.defaults.s3 import (
    ALB_LOG_PREFIX,
    allow_load_balancer_logs,
    lock_access_log_versions,
    locked_log_bucket,
    log_archive_lifecycle,
    secure_bucket,
)
from infra.edge.origin_header import origin_header_secret
from infra.gate.nag import acknowledge
from infra.names import PlatformNames
from infra.security.keys import EncryptionKeys
from infra.security.secrets import GeneratedSecrets
from infra.stacks.base import PlatformStack


class FoundationStack(PlatformStack):
    """Stateful base: keys, secrets, the logs bucket, the access-logs bucket and the 30-month
    copies of every log group."""

    def __init__(
        self, scope: Construct, construct_id: str, *, config: PlatformConfig, **kwargs: Any
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        self.keys = EncryptionKeys(
            self,
            "Keys",
            names=config.names,
            administrator=config.deployment.key_administrator_role,
        ).keys
        dr = DrStorageNames.of(config)
        replica = secretsmanager.ReplicaRegion(
            region=dr.dr_region,
            encryption_key=kms.Key.from_key_arn(self, "DrSecretsKey", dr.secrets_key_alias_arn),
        )
        self.secrets = GeneratedSecrets(
            self, "Secrets", names=config.names, key=self.keys.secrets, replica=replica
        ).secrets
        origin_header_secret(
            self, "OriginHeader", names=config.names, key=self.keys.secrets, replica=replica
        )

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
        lock_access_log_versions(self.access_logs_bucket)
        acknowledge(
            self.access_logs_bucket,
            "This bucket is the access-log destination itself; logging it would recurse. Writes "
            "come only from the S3 logging and ELB log-delivery principals (bucket policy), "
            "objects are versioned under Object Lock, no version may be deleted, and they "
            "expire after seven years.",
            "AwsSolutions-S1",
            "NIST.800.53.R5-S3BucketLoggingEnabled",
            "CKV_AWS_18",
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
            **locked_log_bucket(config.storage),
        )
        self._allow_cloudtrail(config.names)
        self.log_copies = LogCopies(
            self,
            "LogCopies",
            names=config.names,
            storage=config.storage,
            key=self.keys.logs,
            access_logs_bucket=self.access_logs_bucket,
        )
        allow_load_balancer_logs(self.access_logs_bucket, prefix=ALB_LOG_PREFIX)
        for bucket in (self.access_logs_bucket, self.logs_bucket):
            acknowledge(
                bucket,
                "Log archives are kept in the primary region for seven years and covered by "
                "CloudTrail log-file validation; cross-region copies of logs add cost without a "
                "recovery need (the DR plan restores data, not logs).",
                "NIST.800.53.R5-S3BucketReplicationEnabled",
            )

    def _allow_cloudtrail(self, names: PlatformNames) -> None:
        """CloudTrail may check the ACL and write under ``cloudtrail/``, for the platform trail
        only. Declared here so the bucket's whole policy is in this stack (the trail's stack
        deploys after it)."""
        trail = f"arn:{self.partition}:cloudtrail:{self.region}:{self.account}:trail/{names.trail}"
        source = {"aws:SourceArn": trail, "aws:SourceAccount": self.account}
        cloudtrail = iam.ServicePrincipal("cloudtrail.amazonaws.com")
        bucket = self.logs_bucket
        bucket.add_to_resource_policy(
            iam.PolicyStatement(
                sid="CloudTrailAclCheck",
                principals=[cloudtrail],
                actions=["s3:GetBucketAcl"],
                resources=[bucket.bucket_arn],
                conditions={"StringEquals": source},
            )
        )
        bucket.add_to_resource_policy(
            iam.PolicyStatement(
                sid="CloudTrailWrite",
                principals=[cloudtrail],
                actions=["s3:PutObject"],
                resources=[bucket.arn_for_objects(f"cloudtrail/AWSLogs/{self.account}/*")],
                conditions={
                    "StringEquals": {**source, "s3:x-amz-acl": "bucket-owner-full-control"}
                },
            )
        )
