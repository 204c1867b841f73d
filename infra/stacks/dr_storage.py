"""The DR region's storage: replica buckets for documents and backups and their key, the secrets
replicas' key, and the region's own log buckets and audit key."""

from __future__ import annotations

from typing import Any

from constructs import Construct

from infra.config import PlatformConfig
from infra.data.buckets import LIFECYCLES, LOCKS
from infra.data.replicas import DrStorageNames
from infra.defaults.kms import domain_key
from infra.defaults.s3 import (
    ALB_LOG_PREFIX,
    allow_load_balancer_logs,
    lock_access_log_versions,
    locked_log_bucket,
    log_archive_lifecycle,
    secure_bucket,
)
from infra.gate.nag import acknowledge
from infra.stacks.base import PlatformStack


class DrStorageStack(PlatformStack):
    """Deployed to ``deployment.dr_region`` before the data stack that replicates into it.

    Exposes :attr:`replicas` (by purpose) and :attr:`key`; the primary region reaches them by the
    deterministic names of :class:`~infra.data.replicas.DrStorageNames`, not by stack exports.
    """

    def __init__(
        self, scope: Construct, construct_id: str, *, config: PlatformConfig, **kwargs: Any
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        names = DrStorageNames.of(config)
        self.key = domain_key(
            self,
            "StorageKey",
            alias=names.key_alias,
            description=f"{config.prefix}: DR-region replicas of the documents and backups buckets",
            administrator=config.deployment.key_administrator_role,
        )
        # The database secrets replicate here, so a cluster restored in this region can be
        # signed into while the primary region is down (docs/runbook.md, scenario 3).
        self.secrets_key = domain_key(
            self,
            "SecretsKey",
            alias=names.secrets_key_alias,
            description=f"{config.prefix}: DR-region replicas of the database secrets",
            administrator=config.deployment.key_administrator_role,
        )
        # S3 delivers server access logs only to a bucket in the same region, and only SSE-S3.
        self.access_logs_bucket = secure_bucket(
            self,
            "AccessLogs",
            encryption_key=None,
            access_logs_bucket=None,
            bucket_name=config.names.bucket("dr-access-logs"),
            lifecycle_rules=log_archive_lifecycle(config.storage),
        )
        lock_access_log_versions(self.access_logs_bucket)
        acknowledge(
            self.access_logs_bucket,
            "This bucket is the DR region's access-log destination itself; logging it would "
            "recurse. Writes come only from the S3 logging principal (bucket policy), objects "
            "are versioned and expire after seven years.",
            "AwsSolutions-S1",
            "NIST.800.53.R5-S3BucketLoggingEnabled",
            "CKV_AWS_18",
        )
        acknowledge(
            self.access_logs_bucket,
            "S3 server access logs support only SSE-S3 destinations; the bucket is private, "
            "TLS-only and versioned.",
            "NIST.800.53.R5-S3DefaultEncryptionKMS",
        )
        # The DR region's ALB (the distribution's standby origin) logs here, as the primary's
        # does to the foundation's access-logs bucket.
        allow_load_balancer_logs(self.access_logs_bucket, prefix=ALB_LOG_PREFIX)
        # What the DR region audits itself with: its audit archive (the Firehose streams and
        # their Object Lock bucket) and AWS Config's log archive, under the region's own key
        # (docs/decisions/dr-region-as-a-unit.md).
        self.audit_key = domain_key(
            self,
            "AuditKey",
            alias=config.names.key_alias("dr-audit"),
            description=f"{config.prefix}: DR-region audit archive and AWS Config's log archive",
            administrator=config.deployment.key_administrator_role,
        )
        self.logs_bucket = secure_bucket(
            self,
            "Logs",
            encryption_key=self.audit_key,
            access_logs_bucket=self.access_logs_bucket,
            bucket_name=config.names.bucket("dr-logs"),
            lifecycle_rules=log_archive_lifecycle(config.storage),
            **locked_log_bucket(config.storage),
        )
        self.replicas = {
            purpose: secure_bucket(
                self,
                f"{purpose.title()}Replica",
                encryption_key=self.key,
                access_logs_bucket=self.access_logs_bucket,
                bucket_name=names.replica_bucket_name(purpose),
                lifecycle_rules=lifecycle(config.storage),
                object_lock_enabled=True,
                object_lock_default_retention=LOCKS[purpose](config.storage),
            )
            for purpose, lifecycle in LIFECYCLES.items()
        }
        for bucket in (self.access_logs_bucket, self.logs_bucket, *self.replicas.values()):
            acknowledge(
                bucket,
                "This is the DR-region copy, its access log or the DR region's own log archive: "
                "replicating it again would only chain regions (the primary's archives are in "
                "the primary). The bucket is versioned, KMS- or S3-encrypted, TLS-only and kept "
                "for seven years.",
                "NIST.800.53.R5-S3BucketReplicationEnabled",
            )
