"""S3 buckets with the platform's controls: no public access, TLS only, versioned, logged."""

from __future__ import annotations

from typing import Any

from aws_cdk import Aws, Duration, RemovalPolicy, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk.region_info import RegionInfo
from constructs import Construct

from infra.config import StorageConfig


def secure_bucket(
    scope: Construct,
    construct_id: str,
    *,
    encryption_key: kms.IKey | None,
    access_logs_bucket: s3.IBucket | None,
    access_logs_prefix: str | None = None,
    **overrides: Any,
) -> s3.Bucket:
    """A private, TLS-only, versioned bucket (AC-3, SC-8, SC-28, CP-9).

    With ``encryption_key`` the bucket uses SSE-KMS with S3 Bucket Keys; without one it uses
    SSE-S3, which only the access-log bucket needs (S3 server access logs and ALB logs cannot be
    delivered to SSE-KMS buckets). ``access_logs_bucket`` receives this bucket's access logs; the
    grant that lets S3 write them is pinned to this bucket (:func:`allow_server_access_logs`).
    """
    prefix = access_logs_prefix or (f"s3/{construct_id.lower()}/" if access_logs_bucket else None)
    # CDK grants S3 logging on a target in another stack without aws:SourceArn (a reference
    # back would make the stacks depend on each other): that grant is declared here instead.
    elsewhere = access_logs_bucket is not None and Stack.of(access_logs_bucket) is not Stack.of(
        scope
    )
    props: dict[str, Any] = {
        "block_public_access": s3.BlockPublicAccess.BLOCK_ALL,
        "enforce_ssl": True,
        "minimum_tls_version": 1.2,
        "versioned": True,
        "object_ownership": s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
        "removal_policy": RemovalPolicy.RETAIN,
        "server_access_logs_bucket": None if elsewhere else access_logs_bucket,
        "server_access_logs_prefix": None if elsewhere else prefix,
    }
    if encryption_key is None:
        props["encryption"] = s3.BucketEncryption.S3_MANAGED
    else:
        props.update(
            encryption=s3.BucketEncryption.KMS,
            encryption_key=encryption_key,
            bucket_key_enabled=True,
        )
    props.update(overrides)
    bucket = s3.Bucket(scope, construct_id, **props)
    if elsewhere:
        bucket.node.default_child.logging_configuration = s3.CfnBucket.LoggingConfigurationProperty(
            destination_bucket_name=access_logs_bucket.bucket_name, log_file_prefix=prefix
        )
        allow_server_access_logs(
            access_logs_bucket,
            prefix=prefix,
            source_arn=_arn_of(bucket, props.get("bucket_name")),
            account=Stack.of(scope).account,
        )
    return bucket


def _arn_of(bucket: s3.Bucket, name: str | None) -> str:
    """The bucket's ARN without a reference to it: from its fixed name, else the names
    CloudFormation generates in its stack (``<stack name>-<logical id>-<suffix>``, lowercased
    and truncated, so only the stack name is relied on)."""
    if name is None:
        name = f"{Stack.of(bucket).stack_name.lower()}-*"
    return f"arn:{Aws.PARTITION}:s3:::{name}"


def allow_server_access_logs(
    target: s3.IBucket, *, prefix: str, source_arn: str, account: str
) -> None:
    """Let S3 server access logging write under ``prefix`` of ``target``, for ``source_arn`` of
    ``account`` only (AU-9)."""
    target.add_to_resource_policy(
        iam.PolicyStatement(
            principals=[iam.ServicePrincipal("logging.s3.amazonaws.com")],
            actions=["s3:PutObject"],
            resources=[target.arn_for_objects(f"{prefix}*")],
            conditions={
                "ArnLike": {"aws:SourceArn": source_arn},
                "StringEquals": {"aws:SourceAccount": account},
            },
        )
    )


# Where load balancers write their access logs in an access-log bucket.
ALB_LOG_PREFIX = "alb"


def allow_load_balancer_logs(bucket: s3.IBucket, *, prefix: str) -> None:
    """Elastic Load Balancing may write this account's load balancer logs under ``prefix``.

    In regions older than August 2022 ELB writes as its regional account, whose requests carry
    no source ARN or account: the object path (``AWSLogs/<this account>``) pins them. Newer
    regions use the service principal, conditioned on this account's load balancers.
    """
    stack = Stack.of(bucket)
    elb_account = RegionInfo.get(stack.region).elbv2_account
    if elb_account:
        principal: iam.IPrincipal = iam.AccountPrincipal(elb_account)
        conditions = None
    else:
        principal = iam.ServicePrincipal("logdelivery.elasticloadbalancing.amazonaws.com")
        conditions = {
            "StringEquals": {"aws:SourceAccount": stack.account},
            "ArnLike": {
                "aws:SourceArn": f"arn:{Aws.PARTITION}:elasticloadbalancing:{stack.region}:"
                f"{stack.account}:loadbalancer/*"
            },
        }
    bucket.add_to_resource_policy(
        iam.PolicyStatement(
            sid="LoadBalancerLogs",
            principals=[principal],
            actions=["s3:PutObject"],
            resources=[bucket.arn_for_objects(f"{prefix}/AWSLogs/{stack.account}/*")],
            conditions=conditions,
        )
    )


def locked_log_bucket(storage: StorageConfig) -> dict[str, Any]:
    """``secure_bucket`` options of a log archive: Object Lock in compliance mode for
    ``storage.log_lock_days`` (OMB M-21-31: 12 months active and 18 months cold storage)."""
    return {
        "object_lock_enabled": True,
        "object_lock_default_retention": s3.ObjectLockRetention.compliance(
            Duration.days(storage.log_lock_days)
        ),
    }


def lock_access_log_versions(bucket: s3.Bucket) -> None:
    """Object Lock without a default retention on a server access-log target, and no version
    deletion by anyone: S3 refuses a target with a default retention, and versioning cannot be
    suspended once Object Lock is on, so only the lifecycle expires logs (AU-9)."""
    bucket.node.default_child.object_lock_enabled = True
    bucket.add_to_resource_policy(
        iam.PolicyStatement(
            sid="NoLogVersionIsDeleted",
            effect=iam.Effect.DENY,
            principals=[iam.AnyPrincipal()],
            actions=["s3:DeleteObjectVersion"],
            resources=[bucket.arn_for_objects("*")],
        )
    )


def log_archive_lifecycle(storage: StorageConfig) -> list[s3.LifecycleRule]:
    """Log archives: many small objects, so Glacier Instant Retrieval (no per-object restore)."""
    return [
        s3.LifecycleRule(
            id="archive-then-expire",
            transitions=[
                s3.Transition(
                    storage_class=s3.StorageClass.GLACIER_INSTANT_RETRIEVAL,
                    transition_after=Duration.days(storage.log_transition_days),
                )
            ],
            expiration=Duration.days(storage.log_expiration_days),
            noncurrent_version_expiration=Duration.days(storage.noncurrent_version_expiration_days),
        )
    ]


def locked_archive_bucket(
    scope: Construct,
    construct_id: str,
    *,
    key: kms.IKey,
    access_logs_bucket: s3.IBucket,
    access_logs_prefix: str,
    lock_days: int,
    rule_id: str,
    transitions: list[tuple[s3.StorageClass, int]],
    bucket_name: str | None = None,
) -> s3.Bucket:
    """A log or audit archive (AU-9, AU-11): every object under Object Lock in COMPLIANCE mode
    for ``lock_days``, moved to each ``(storage class, after days)`` of ``transitions`` and
    expired when its lock ends (a version becomes noncurrent only then: gone a day later)."""
    return secure_bucket(
        scope,
        construct_id,
        encryption_key=key,
        access_logs_bucket=access_logs_bucket,
        access_logs_prefix=access_logs_prefix,
        bucket_name=bucket_name,
        object_lock_enabled=True,
        object_lock_default_retention=s3.ObjectLockRetention.compliance(Duration.days(lock_days)),
        lifecycle_rules=[
            s3.LifecycleRule(
                id=rule_id,
                transitions=[
                    s3.Transition(storage_class=storage_class, transition_after=Duration.days(days))
                    for storage_class, days in transitions
                ],
                expiration=Duration.days(lock_days),
                noncurrent_version_expiration=Duration.days(1),
            )
        ],
    )
