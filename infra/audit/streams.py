"""A Firehose stream into a locked archive bucket: what the audit archive's streams and the log
copies' stream share (infra/audit/archive.py, infra/audit/log_copies.py)."""

from __future__ import annotations

from aws_cdk import Duration, Size, Stack
from aws_cdk import aws_kinesisfirehose as firehose
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from constructs import Construct

from infra.gate.nag import acknowledge

# Object keys partitioned by the day the stream received the records.
PARTITION = "year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/"
# What the Firehose L2 grants its generated role with wildcards (acknowledged per stream).
_GENERATED_WILDCARD_ACTIONS = (
    "kms:ReEncrypt*",
    "kms:GenerateDataKey*",
    "s3:GetObject*",
    "s3:GetBucket*",
    "s3:List*",
    "s3:DeleteObject*",
    "s3:Abort*",
)


def locked_stream(
    scope: Construct,
    construct_id: str,
    *,
    name: str,
    bucket: s3.Bucket,
    key: kms.IKey,
    errors: logs.ILogGroup,
    data_prefix: str,
    error_prefix: str,
    buffering: tuple[Duration, Size],
    why_its_role_is_enough: str,
    compression: firehose.Compression | None = None,
) -> firehose.DeliveryStream:
    """A DirectPut stream ``name`` encrypted with ``key``, writing into ``bucket`` under
    ``data_prefix`` (failed deliveries under ``error_prefix`` and into ``errors``); its generated
    role's wildcards acknowledged with ``why_its_role_is_enough``."""
    interval, size = buffering
    stream = firehose.DeliveryStream(
        scope,
        construct_id,
        delivery_stream_name=name,
        encryption=firehose.StreamEncryption.customer_managed_key(key),
        destination=firehose.S3Bucket(
            bucket,
            encryption_key=key,
            compression=compression,
            buffering_interval=interval,
            buffering_size=size,
            data_output_prefix=data_prefix,
            error_output_prefix=error_prefix,
            logging_config=firehose.EnableLogging(errors),
        ),
    )
    stack = Stack.of(bucket)
    bucket_id = stack.resolve(stack.get_logical_id(bucket.node.default_child))
    acknowledge(
        stream,
        why_its_role_is_enough,
        "NIST.800.53.R5-IAMNoInlinePolicy",
        *(f"AwsSolutions-IAM5[Action::{action}]" for action in _GENERATED_WILDCARD_ACTIONS),
        f"AwsSolutions-IAM5[Resource::<{bucket_id}.Arn>/*]",
    )
    return stream
