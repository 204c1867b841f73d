"""Thirty months for every CloudWatch log group (AU-11, OMB M-21-31: 12 months active, 18 cold).

CloudWatch keeps each group's events for its retention (a year: the active months, searchable
with Logs Insights). Every group in the primary region is also subscribed, through one Firehose
stream, to a bucket under S3 Object Lock in COMPLIANCE mode for the whole 30 months, where the
copies go cold on arrival (docs/decisions/audit-log-copies.md). A group with no stream in its
region (the DR region's, idle until a failover) is kept the 30 months in CloudWatch itself.

:func:`thirty_month_paths` reads a template and says, for each log group, which of the two it
has: the evidence package and the tests read the path from the templates, not from this code.
"""

from __future__ import annotations

import jsii
from aws_cdk import Duration, IAspect, Size, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from constructs import Construct, IConstruct

from infra.audit.streams import PARTITION, locked_stream
from infra.config import StorageConfig
from infra.config.errors import SPEC_MIN_LOG_RETENTION_DAYS
from infra.config.storage import M_21_31_LOG_DAYS
from infra.defaults.logs import encrypted_log_group
from infra.defaults.s3 import locked_archive_bucket
from infra.gate.nag import acknowledge
from infra.names import PlatformNames

# The first CloudWatch retention of at least 30 months (M_21_31_LOG_DAYS = 913 is not one).
CLOUDWATCH_THIRTY_MONTHS_DAYS = 1096
# The subscription filter every copied group carries, by this construct id.
FILTER_ID = "ThirtyMonthCopy"
STREAM_SUFFIX = "log-copies"
# WAF delivers to S3 only into buckets whose name starts with this (AWS WAF Developer Guide).
WAF_LOG_BUCKET_PREFIX = "aws-waf-logs-"
LOG_DELIVERY = "delivery.logs.amazonaws.com"


def waf_log_bucket_name(names: PlatformNames) -> str:
    """The locked bucket the edge's web ACL and CloudFront's standard logs are delivered to
    (docs/decisions/cost-waf-logs-to-s3.md, cost-cloudfront-logs-to-s3.md)."""
    return f"{WAF_LOG_BUCKET_PREFIX}{names.prefix}-{names.account}"


def stream_name(names: PlatformNames) -> str:
    """The log-copies Firehose stream of a deployment's primary region."""
    return f"{names.prefix}-{STREAM_SUFFIX}"


def subscription_role_name(names: PlatformNames) -> str:
    """The role CloudWatch Logs assumes to put a group's events into the stream."""
    return names.role(STREAM_SUFFIX, "subscription")


class LogCopies(Construct):
    """The locked bucket, the Firehose stream into it and the role CloudWatch Logs uses.

    Built in the stack every other primary stack deploys after (the subscription filters name
    the stream and the role by ARN, so :class:`SubscribeLogGroups` also adds that dependency).
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
    ) -> None:
        super().__init__(scope, construct_id)
        stack = Stack.of(self)
        self.bucket = locked_archive_bucket(
            self,
            "Bucket",
            key=key,
            access_logs_bucket=access_logs_bucket,
            access_logs_prefix=f"s3/{STREAM_SUFFIX}/",
            bucket_name=names.bucket(STREAM_SUFFIX),
            lock_days=storage.log_lock_days,
            rule_id="cold-then-expire",
            transitions=[(s3.StorageClass.GLACIER, storage.log_copy_cold_after_days)],
        )
        acknowledge(
            self.bucket,
            "The 30-month copy of the primary region's log groups is protected by S3 Object Lock "
            "in COMPLIANCE mode for the whole M-21-31 period; the DR region keeps its own groups "
            "30 months in CloudWatch, and a replica would need a second lock to mean anything.",
            "NIST.800.53.R5-S3BucketReplicationEnabled",
        )
        # The stream's own delivery errors cannot be copied through it: kept 30 months here.
        errors = encrypted_log_group(
            self,
            "Errors",
            key=key,
            retention_days=CLOUDWATCH_THIRTY_MONTHS_DAYS,
            log_group_name=f"/aws/kinesisfirehose/{stream_name(names)}",
        )
        self.stream = locked_stream(
            self,
            "Stream",
            name=stream_name(names),
            bucket=self.bucket,
            key=key,
            errors=errors,
            # CloudWatch Logs sends each batch gzip-compressed already: stored as it arrives.
            data_prefix=f"cloudwatch/{PARTITION}",
            error_prefix=f"errors/!{{firehose:error-output-type}}/{PARTITION}",
            buffering=(Duration.minutes(5), Size.mebibytes(64)),
            why_its_role_is_enough="The stream's role is generated for it alone: the logs key's "
            "data-key actions and this bucket's objects (the L2 grant is read-write, but Object "
            "Lock COMPLIANCE refuses overwrites, version deletes and shorter retention), plus its "
            "error group.",
        )
        self.subscription_role = iam.Role(
            self,
            "SubscriptionRole",
            role_name=subscription_role_name(names),
            description="CloudWatch Logs puts this account's log groups into the log-copies stream",
            assumed_by=iam.ServicePrincipal(
                "logs.amazonaws.com",
                conditions={
                    "StringLike": {
                        "aws:SourceArn": f"arn:{stack.partition}:logs:{stack.region}:"
                        f"{stack.account}:log-group:*"
                    }
                },
            ),
        )
        iam.ManagedPolicy(
            self,
            "SubscriptionPolicy",
            description="Put records into the log-copies stream only",
            statements=[
                iam.PolicyStatement(
                    actions=["firehose:PutRecord", "firehose:PutRecordBatch"],
                    resources=[self.stream.delivery_stream_arn],
                )
            ],
            roles=[self.subscription_role],
        )
        self.waf_bucket = self._waf_bucket(names, storage, key, access_logs_bucket)

    def _waf_bucket(
        self,
        names: PlatformNames,
        storage: StorageConfig,
        key: kms.IKey,
        access_logs_bucket: s3.IBucket,
    ) -> s3.Bucket:
        """The edge's logs, vended straight to S3 at half CloudWatch's ingestion price (the web
        ACL's, and CloudFront's standard logs where ``edge.access_log_destination`` is "s3",
        under ``AWSLogs/<account>/WAFLogs/`` and ``.../CloudFront/``): locked 30 months,
        Glacier Instant Retrieval after ``storage.log_transition_days`` (Athena reads it in
        milliseconds) for the active year, Glacier Flexible Retrieval for the 18 cold months."""
        stack = Stack.of(self)
        bucket = locked_archive_bucket(
            self,
            "WafLogs",
            key=key,
            access_logs_bucket=access_logs_bucket,
            access_logs_prefix="s3/waf-logs/",
            bucket_name=waf_log_bucket_name(names),
            lock_days=storage.log_lock_days,
            rule_id="active-year-then-cold-then-expire",
            transitions=[
                (s3.StorageClass.GLACIER_INSTANT_RETRIEVAL, storage.log_transition_days),
                (s3.StorageClass.GLACIER, SPEC_MIN_LOG_RETENTION_DAYS),
            ],
        )
        # The log deliveries (WAF's, CloudFront's), pinned to this account's sources here.
        pinned = {
            "StringEquals": {"aws:SourceAccount": stack.account},
            "ArnLike": {
                "aws:SourceArn": f"arn:{stack.partition}:logs:{stack.region}:{stack.account}:*"
            },
        }
        delivery = iam.ServicePrincipal(LOG_DELIVERY)
        bucket.add_to_resource_policy(
            iam.PolicyStatement(
                sid="WafLogDeliveryAclCheck",
                principals=[delivery],
                actions=["s3:GetBucketAcl", "s3:ListBucket"],
                resources=[bucket.bucket_arn],
                conditions=pinned,
            )
        )
        bucket.add_to_resource_policy(
            iam.PolicyStatement(
                sid="WafLogDeliveryWrite",
                principals=[delivery],
                actions=["s3:PutObject"],
                resources=[bucket.arn_for_objects(f"AWSLogs/{stack.account}/*")],
                conditions={
                    **pinned,
                    "StringEquals": {
                        **pinned["StringEquals"],
                        "s3:x-amz-acl": "bucket-owner-full-control",
                    },
                },
            )
        )
        acknowledge(
            bucket,
            "The edge's logs (WAF, CloudFront) are protected by S3 Object Lock in COMPLIANCE mode "
            "for the whole "
            "M-21-31 period in the region that serves CloudFront's scope; a replica would need a "
            "second lock to mean anything.",
            "NIST.800.53.R5-S3BucketReplicationEnabled",
        )
        return bucket


@jsii.implements(IAspect)
class SubscribeLogGroups:
    """Gives every log group of the app a 30-month path (registered on the app).

    In ``region`` (where :class:`LogCopies` stands in ``archive_stack``): a subscription filter
    of every event to the stream, and the group's stack deploys after ``archive_stack``.
    Elsewhere: CloudWatch retention of :data:`CLOUDWATCH_THIRTY_MONTHS_DAYS`.
    """

    def __init__(self, *, names: PlatformNames, region: str, archive_stack: Stack) -> None:
        self._names = names
        self._region = region
        self._archive_stack = archive_stack

    def visit(self, node: IConstruct) -> None:
        """Adds the filter (or the retention) to a ``CfnLogGroup``; ignores anything else."""
        if not isinstance(node, logs.CfnLogGroup) or node.node.try_find_child(FILTER_ID):
            return
        stack = Stack.of(node)
        if stack.region != self._region:
            node.retention_in_days = CLOUDWATCH_THIRTY_MONTHS_DAYS
            return
        if (node.log_group_name or "").endswith(f"/{stream_name(self._names)}"):
            return  # the stream's own error group: kept 30 months in CloudWatch (above)
        if stack is not self._archive_stack:
            stack.add_dependency(self._archive_stack, "its log groups are copied by its stream")
        logs.CfnSubscriptionFilter(
            node,
            FILTER_ID,
            log_group_name=node.ref,
            filter_pattern="",
            destination_arn=f"arn:{stack.partition}:firehose:{self._region}:{stack.account}:"
            f"deliverystream/{stream_name(self._names)}",
            role_arn=f"arn:{stack.partition}:iam::{stack.account}:role/"
            f"{subscription_role_name(self._names)}",
        )


def thirty_month_paths(template: dict) -> dict[str, str | None]:
    """Each log group of a synthesized template (by logical id) and its 30-month path:
    ``"copy: <destination ARN>"`` (a subscription filter to a Firehose stream),
    ``"cloudwatch: <days> days"`` (retention of at least M-21-31's 913 days), or None."""
    resources = template.get("Resources", {})
    copied = {
        body["Properties"]["LogGroupName"].get("Ref"): _text(body["Properties"]["DestinationArn"])
        for body in resources.values()
        if body["Type"] == "AWS::Logs::SubscriptionFilter"
        and ":deliverystream/" in str(body["Properties"].get("DestinationArn"))
        and isinstance(body["Properties"].get("LogGroupName"), dict)
    }
    paths: dict[str, str | None] = {}
    for logical_id, body in resources.items():
        if body["Type"] != "AWS::Logs::LogGroup":
            continue
        days = body.get("Properties", {}).get("RetentionInDays")
        if logical_id in copied:
            paths[logical_id] = f"copy: {copied[logical_id]}"
        elif days is not None and days >= M_21_31_LOG_DAYS:
            paths[logical_id] = f"cloudwatch: {days} days"
        else:
            paths[logical_id] = None
    return paths


def _text(value: object) -> str:
    """A template string value, an ``Fn::Join`` joined with each reference as ``<Name>``."""
    if isinstance(value, dict) and "Fn::Join" in value:
        separator, parts = value["Fn::Join"]
        return separator.join(_text(part) for part in parts)
    if isinstance(value, dict) and "Ref" in value:
        return f"<{value['Ref']}>"
    return str(value)
