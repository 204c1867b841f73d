"""The documents and backups buckets, each replicated to its replica in the DR region."""

from __future__ import annotations

from aws_cdk import Aws, Duration, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from constructs import Construct

from infra.config import StorageConfig
from infra.data.replicas import DrStorageNames
from infra.defaults.s3 import secure_bucket
from infra.gate.nag import acknowledge
from infra.names import PlatformNames


def documents_lifecycle(storage: StorageConfig) -> list[s3.LifecycleRule]:
    """Documents stay current in Intelligent-Tiering (S3 moves what nobody reads to cheaper tiers
    with millisecond reads); a superseded or deleted version is kept seven years, in Glacier
    Deep Archive after ``documents_noncurrent_cold_after_days``
    (docs/decisions/backup-documents-seven-years.md); abandoned uploads are cleaned up."""
    return [
        s3.LifecycleRule(
            id="tiered-and-every-version-seven-years",
            transitions=[
                s3.Transition(
                    storage_class=s3.StorageClass.INTELLIGENT_TIERING,
                    transition_after=Duration.days(0),
                )
            ],
            noncurrent_version_transitions=[
                s3.NoncurrentVersionTransition(
                    storage_class=s3.StorageClass.DEEP_ARCHIVE,
                    transition_after=Duration.days(storage.documents_noncurrent_cold_after_days),
                )
            ],
            noncurrent_version_expiration=Duration.days(storage.documents_version_days),
            abort_incomplete_multipart_upload_after=Duration.days(7),
        )
    ]


def backups_lifecycle(storage: StorageConfig) -> list[s3.LifecycleRule]:
    """The database archive moves to Glacier Deep Archive after ``archive_transition_days``
    and expires after seven years (its Object Lock keeps it that long)."""
    return [
        s3.LifecycleRule(
            id="archive-then-expire",
            transitions=[
                s3.Transition(
                    storage_class=s3.StorageClass.DEEP_ARCHIVE,
                    transition_after=Duration.days(storage.archive_transition_days),
                )
            ],
            noncurrent_version_transitions=[
                s3.NoncurrentVersionTransition(
                    storage_class=s3.StorageClass.DEEP_ARCHIVE,
                    transition_after=Duration.days(storage.archive_transition_days),
                )
            ],
            expiration=Duration.days(storage.archive_expiration_days),
            noncurrent_version_expiration=Duration.days(storage.archive_expiration_days),
            abort_incomplete_multipart_upload_after=Duration.days(7),
        )
    ]


def documents_lock(storage: StorageConfig) -> s3.ObjectLockRetention:
    """Every document version is locked for the seven years it is kept: governance mode, so a
    tenant's erasure request can still be honoured by a named role
    (docs/decisions/backup-documents-seven-years.md)."""
    return s3.ObjectLockRetention.governance(Duration.days(storage.documents_lock_days))


def backups_lock(storage: StorageConfig) -> s3.ObjectLockRetention:
    """The database archive: compliance mode, nobody (root included) shortens or deletes it."""
    return s3.ObjectLockRetention.compliance(Duration.days(storage.archive_lock_days))


# The replicated buckets, by purpose, with their lifecycles and Object Lock default retention
# (replicas use the same: S3 replicates a locked object only into a bucket with Object Lock).
LIFECYCLES = {"documents": documents_lifecycle, "backups": backups_lifecycle}
LOCKS = {"documents": documents_lock, "backups": backups_lock}
# Where replicas land (cost lever, docs/cost.md): they are read only in a regional disaster.
# Documents in Intelligent-Tiering like their source (millisecond reads; unread objects fall to
# the archive-instant tier after 90 days); the archive straight into Deep Archive, where its
# source moves after a week anyway.
REPLICA_CLASSES = {
    "documents": s3.StorageClass.INTELLIGENT_TIERING,
    "backups": s3.StorageClass.DEEP_ARCHIVE,
}
# S3 Replication Time Control: 99.99% of objects within 15 minutes (S3's one RTC time), with its
# metrics, for what database rows point at: a document's RPO is bounded like the database's
# (docs/decisions/dr-bounded-rpo.md). The backups bucket's monthly exports need no such bound.
TIME_CONTROLLED = frozenset({"documents"})


def replication_rule_id(purpose: str) -> str:
    """The id of the ``purpose`` bucket's replication rule (its metrics' RuleId dimension)."""
    return f"{purpose}-to-dr-region"


class DataBuckets(Construct):
    """``documents`` and ``backups``: SSE-KMS with the storage key, versioned, access-logged,
    and replicated (with their SSE-KMS objects, delete markers and tags) to the DR region.

    ``documents`` accepts the browser's pre-signed POST uploads from ``site_origin`` (CORS).
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        names: PlatformNames,
        storage: StorageConfig,
        key: kms.IKey,
        access_logs_bucket: s3.IBucket,
        dr_names: DrStorageNames,
        site_origin: str,
    ) -> None:
        super().__init__(scope, construct_id)
        self._key = key
        self._dr_names = dr_names
        self.buckets = {
            purpose: self._replicated_bucket(
                purpose,
                bucket_name=names.bucket(purpose),
                lifecycle_rules=LIFECYCLES[purpose](storage),
                lock=LOCKS[purpose](storage),
                access_logs_bucket=access_logs_bucket,
                cors=(
                    [
                        s3.CorsRule(
                            allowed_methods=[s3.HttpMethods.POST],
                            allowed_origins=[site_origin],
                            allowed_headers=["*"],
                            max_age=3000,
                        )
                    ]
                    if purpose == "documents"
                    else None
                ),
            )
            for purpose in LIFECYCLES
        }

    def _replicated_bucket(
        self,
        purpose: str,
        *,
        bucket_name: str,
        lifecycle_rules: list[s3.LifecycleRule],
        lock: s3.ObjectLockRetention,
        access_logs_bucket: s3.IBucket,
        cors: list[s3.CorsRule] | None,
    ) -> s3.Bucket:
        construct_id = purpose.title()
        role = iam.Role(
            self,
            f"{construct_id}ReplicationRole",
            assumed_by=iam.ServicePrincipal("s3.amazonaws.com"),
            description=f"S3 replication of {bucket_name} to the DR region",
        )
        replica = s3.Bucket.from_bucket_attributes(
            self,
            f"{construct_id}Replica",
            bucket_name=self._dr_names.replica_bucket_name(purpose),
            bucket_arn=self._dr_names.replica_bucket_arn(purpose),
            region=self._dr_names.dr_region,
        )
        bucket = secure_bucket(
            self,
            construct_id,
            encryption_key=self._key,
            access_logs_bucket=access_logs_bucket,
            bucket_name=bucket_name,
            lifecycle_rules=lifecycle_rules,
            cors=cors,
            object_lock_enabled=True,
            object_lock_default_retention=lock,
            replication_role=role,
            replication_rules=[
                s3.ReplicationRule(
                    id=replication_rule_id(purpose),
                    destination=replica,
                    storage_class=REPLICA_CLASSES[purpose],
                    priority=1,
                    kms_key=kms.Key.from_key_arn(
                        self, f"{construct_id}ReplicaKey", self._dr_names.key_alias_arn
                    ),
                    sse_kms_encrypted_objects=True,
                    delete_marker_replication=True,
                    **(
                        {
                            "replication_time_control": s3.ReplicationTimeValue.FIFTEEN_MINUTES,
                            "metrics": s3.ReplicationTimeValue.FIFTEEN_MINUTES,
                        }
                        if purpose in TIME_CONTROLLED
                        else {}
                    ),
                )
            ],
        )
        self._grant_replication(role, bucket, replica)
        return bucket

    def _grant_replication(self, role: iam.Role, source: s3.IBucket, replica: s3.IBucket) -> None:
        """Exactly what S3 replication of SSE-KMS objects needs, on these two buckets only."""
        region = Stack.of(self).region
        statements = [
            iam.PolicyStatement(
                actions=["s3:GetReplicationConfiguration", "s3:ListBucket"],
                resources=[source.bucket_arn],
            ),
            iam.PolicyStatement(
                actions=[
                    "s3:GetObjectVersionForReplication",
                    "s3:GetObjectVersionAcl",
                    "s3:GetObjectVersionTagging",
                    "s3:GetObjectRetention",
                    "s3:GetObjectLegalHold",
                ],
                resources=[source.arn_for_objects("*")],
            ),
            iam.PolicyStatement(
                actions=["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"],
                resources=[replica.arn_for_objects("*")],
            ),
            iam.PolicyStatement(
                actions=["kms:Decrypt"],
                resources=[self._key.key_arn],
                conditions={"StringEquals": {"kms:ViaService": f"s3.{region}.amazonaws.com"}},
            ),
            # The DR key's ID is not known here; its alias is, so the grant is scoped by alias.
            iam.PolicyStatement(
                actions=["kms:Encrypt", "kms:GenerateDataKey"],
                resources=[
                    f"arn:{Stack.of(self).partition}:kms:{self._dr_names.dr_region}:"
                    f"{self._dr_names.account}:key/*"
                ],
                conditions={
                    "StringEquals": {
                        "kms:ViaService": f"s3.{self._dr_names.dr_region}.amazonaws.com"
                    },
                    "ForAnyValue:StringEquals": {"kms:ResourceAliases": self._dr_names.key_alias},
                },
            ),
        ]
        policy = iam.ManagedPolicy(
            self,
            f"{role.node.id}Policy",
            description=f"S3 replication of {source.bucket_name} to the DR region",
            statements=statements,
            roles=[role],
        )
        stack = Stack.of(self)
        source_id = stack.get_logical_id(source.node.default_child)
        acknowledge(
            policy,
            "Replication reads every object version of one source bucket and writes replicas to "
            "one DR bucket: the object wildcards are bounded by those two bucket ARNs, and the "
            "DR key grant (whose key ID is unknown in this region) by its alias and the S3 "
            "service in the DR region.",
            f"AwsSolutions-IAM5[Resource::<{source_id}.Arn>/*]",
            f"AwsSolutions-IAM5[Resource::{_nag_arn(replica.bucket_arn)}/*]",
            f"AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:kms:{self._dr_names.dr_region}:"
            f"{self._dr_names.account}:key/*]",
        )


def _nag_arn(arn: str) -> str:
    """An ARN as cdk-nag prints it in a rule id (the partition as ``<AWS::Partition>``)."""
    return arn.replace(Aws.PARTITION, "<AWS::Partition>")
