"""The durable, tamper-evident copy of the application audit trail (AU-9, AU-11, OMB M-21-31).

Events arrive through Kinesis Data Firehose (docs/decisions/audit-archive-firehose.md) and land
in one bucket under S3 Object Lock in COMPLIANCE mode: no one, the account root included, can
shorten the retention or delete an object version before it ends.
"""

from __future__ import annotations

from aws_cdk import Duration, Size
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kinesisfirehose as firehose
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from constructs import Construct

from infra.audit.streams import PARTITION, locked_stream
from infra.config import AuditArchiveConfig
from infra.defaults.logs import encrypted_log_group
from infra.defaults.s3 import locked_archive_bucket
from infra.gate.nag import acknowledge


class AuditArchive(Construct):
    """The Object Lock bucket and a Firehose stream per event source into it.

    :attr:`application` receives the service's audit events (the outbox publisher, JSON lines);
    :attr:`sign_in` receives the user pool's sign-in activity (threat protection's export).
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        prefix: str,
        archive: AuditArchiveConfig,
        key: kms.IKey,
        logs_key: kms.IKey,
        log_retention_days: int,
        access_logs_bucket: s3.IBucket,
    ) -> None:
        super().__init__(scope, construct_id)
        self._prefix = prefix
        self._archive = archive
        self._key = key
        self.bucket = locked_archive_bucket(
            self,
            "Bucket",
            key=key,
            access_logs_bucket=access_logs_bucket,
            access_logs_prefix="s3/audit-archive/",
            lock_days=archive.retention_days,
            rule_id="hot-then-cold-then-expire",
            transitions=[(s3.StorageClass.GLACIER, archive.hot_days)],
        )
        acknowledge(
            self.bucket,
            "The audit copy is protected by S3 Object Lock in COMPLIANCE mode for the whole "
            "M-21-31 period. Each region writes its own locked archive (what its services "
            "record while they serve) and the database's audit table reaches the DR region with "
            "the global database; a replica would need a second lock to mean anything.",
            "NIST.800.53.R5-S3BucketReplicationEnabled",
        )
        # Deletes would only add delete markers (the versions are locked), but an audit copy
        # should not even appear to lose a record; lifecycle expiry is not subject to policy.
        self.bucket.add_to_resource_policy(
            iam.PolicyStatement(
                sid="DenyEveryDelete",
                effect=iam.Effect.DENY,
                principals=[iam.AnyPrincipal()],
                actions=["s3:DeleteObject", "s3:DeleteObjectVersion"],
                resources=[self.bucket.arn_for_objects("*")],
            )
        )
        self._logs_key = logs_key
        self._log_retention_days = log_retention_days
        self.application = self._stream("Application", "application")
        self.sign_in = self._stream("SignIn", "sign-in")

    def _stream(self, construct_id: str, source: str) -> firehose.DeliveryStream:
        """A DirectPut stream, encrypted with the audit key, writing gzip objects under
        ``<source>/``; failed deliveries go to ``errors/<source>/`` and to its error log group."""
        name = f"{self._prefix}-audit-{source}"
        errors = encrypted_log_group(
            self,
            f"{construct_id}Errors",
            key=self._logs_key,
            retention_days=self._log_retention_days,
            log_group_name=f"/aws/kinesisfirehose/{name}",
        )
        return locked_stream(
            self,
            construct_id,
            name=name,
            bucket=self.bucket,
            key=self._key,
            errors=errors,
            data_prefix=f"{source}/{PARTITION}",
            error_prefix=f"errors/{source}/!{{firehose:error-output-type}}/{PARTITION}",
            buffering=(
                Duration.seconds(self._archive.buffer_seconds),
                Size.mebibytes(self._archive.buffer_mib),
            ),
            compression=firehose.Compression.GZIP,
            why_its_role_is_enough="The stream's roles are generated for it alone: the audit key's "
            "data-key actions and the audit bucket's objects (the L2 grant is read-write, but the "
            "bucket policy denies every delete to every principal and Object Lock COMPLIANCE "
            "refuses overwrites and shorter retention), plus the stream's own error log group.",
        )
