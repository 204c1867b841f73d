"""S3 buckets with the platform's controls: no public access, TLS only, versioned, logged."""

from __future__ import annotations

from typing import Any

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
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
    delivered to SSE-KMS buckets). ``access_logs_bucket`` receives this bucket's access logs.
    """
    props: dict[str, Any] = {
        "block_public_access": s3.BlockPublicAccess.BLOCK_ALL,
        "enforce_ssl": True,
        "minimum_tls_version": 1.2,
        "versioned": True,
        "object_ownership": s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
        "removal_policy": RemovalPolicy.RETAIN,
        "server_access_logs_bucket": access_logs_bucket,
        "server_access_logs_prefix": access_logs_prefix
        or (f"s3/{construct_id.lower()}/" if access_logs_bucket else None),
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
    return s3.Bucket(scope, construct_id, **props)


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
