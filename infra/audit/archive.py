"""The durable, tamper-evident copy of the application audit trail (AU-9, AU-11, OMB M-21-31).

Events arrive through Kinesis Data Firehose (docs/decisions/audit-archive-firehose.md) and land
in one bucket under S3 Object Lock in COMPLIANCE mode: no one, the account root included, can
shorten the retention or delete an object version before it ends.
"""

from __future__ import annotations

from aws_cdk import Duration, Size, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kinesisfirehose as firehose
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from constructs import Construct

from infra.config import AuditArchiveConfig
from infra.defaults.logs import encrypted_log_group
from infra.defaults.s3 import secure_bucket
from infra.gate.nag import acknowledge

# What the Firehose L2 grants its generated roles with wildcards (acknowledged per stream).
_GENERATED_WILDCARD_ACTIONS = (
    "kms:ReEncrypt*",
    "kms:GenerateDataKey*",
    "s3:GetObject*",
    "s3:GetBucket*",
    "s3:List*",
    "s3:DeleteObject*",
    "s3:Abort*",
)
# Object keys: one prefix per source, partitioned by the hour the stream received the records.
_PARTITION = "year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/"


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
        self.bucket = secure_bucket(
            self,
            "Bucket",
            encryption_key=key,
            access_logs_bucket=access_logs_bucket,
            access_logs_prefix="s3/audit-archive/",
            object_lock_enabled=True,
            object_lock_default_retention=s3.ObjectLockRetention.compliance(
                Duration.days(archive.retention_days)
            ),
            lifecycle_rules=[
                s3.LifecycleRule(
                    id="hot-then-cold-then-expire",
                    transitions=[
                        s3.Transition(
                            storage_class=s3.StorageClass.GLACIER,
                            transition_after=Duration.days(archive.hot_days),
                        )
                    ],
                    expiration=Duration.days(archive.retention_days),
                    # A version becomes noncurrent only when it expires, after its lock ends.
                    noncurrent_version_expiration=Duration.days(1),
                )
            ],
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
        stream = firehose.DeliveryStream(
            self,
            construct_id,
            delivery_stream_name=name,
            encryption=firehose.StreamEncryption.customer_managed_key(self._key),
            destination=firehose.S3Bucket(
                self.bucket,
                encryption_key=self._key,
                compression=firehose.Compression.GZIP,
                buffering_interval=Duration.seconds(self._archive.buffer_seconds),
                buffering_size=Size.mebibytes(self._archive.buffer_mib),
                data_output_prefix=f"{source}/{_PARTITION}",
                error_output_prefix=f"errors/{source}/!{{firehose:error-output-type}}/{_PARTITION}",
                logging_config=firehose.EnableLogging(errors),
            ),
        )
        acknowledge(
            stream,
            "The stream's roles are generated for it alone: the audit key's data-key actions and "
            "the audit bucket's objects (the L2 grant is read-write, but the bucket policy denies "
            "every delete to every principal and Object Lock COMPLIANCE refuses overwrites and "
            "shorter retention), plus the stream's own error log group.",
            "NIST.800.53.R5-IAMNoInlinePolicy",
            *(f"AwsSolutions-IAM5[Action::{action}]" for action in _GENERATED_WILDCARD_ACTIONS),
            f"AwsSolutions-IAM5[Resource::<{self._bucket_logical_id()}.Arn>/*]",
        )
        return stream

    def _bucket_logical_id(self) -> str:
        stack = Stack.of(self)
        return stack.resolve(stack.get_logical_id(self.bucket.node.default_child))
