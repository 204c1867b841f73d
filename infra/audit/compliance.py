"""AWS Config: the resource recorder, its delivery channel and the NIST 800-53 Rev 5 pack."""

from __future__ import annotations

from aws_cdk import Stack
from aws_cdk import aws_config as config
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from constructs import Construct

from infra.gate.nag import acknowledge

_KEY_PREFIX = "config"


class ComplianceRecorder(Construct):
    """Records every supported resource (CM-8) and evaluates it against NIST 800-53 Rev 5 (CA-7).

    Snapshots and history go to ``logs_bucket`` under ``config/``, encrypted with ``logs_key``.
    ``global_resources``: record IAM and the account's other global resources (in one region).
    The conformance pack is AWS's "Operational Best Practices for NIST 800-53 rev 5" template,
    read from ``template_key`` in the same bucket (see docs/decisions/audit-conformance-pack.md).
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        prefix: str,
        logs_bucket: s3.IBucket,
        logs_key: kms.IKey,
        snapshot_frequency: str,
        template_key: str,
        global_resources: bool,
    ) -> None:
        super().__init__(scope, construct_id)
        role = iam.Role(
            self,
            "RecorderRole",
            assumed_by=iam.ServicePrincipal("config.amazonaws.com"),
            description=f"{prefix}: AWS Config recorder and delivery channel",
            managed_policies=[
                iam.ManagedPolicy.from_aws_managed_policy_name("service-role/AWS_ConfigRole")
            ],
        )
        acknowledge(
            role,
            "AWS_ConfigRole is the AWS-maintained read-only policy listing every resource type "
            "Config can describe; a hand-written copy would silently stop recording new types.",
            "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWS_ConfigRole]",
        )
        stack = Stack.of(self)
        # The bucket's literal name (not its cross-stack export) keeps the policy and the IAM5
        # evidence below readable: arn:<partition>:s3:::pcs-prod-logs-<account>/config/...
        bucket_name = _literal_name(logs_bucket)
        bucket_arn = f"arn:{stack.partition}:s3:::{bucket_name}"
        delivered = f"{bucket_arn}/{_KEY_PREFIX}/AWSLogs/{stack.account}/Config/*"
        # A customer-managed policy, not an inline one: it is listed, versioned and reviewable.
        delivery = iam.ManagedPolicy(
            self,
            "DeliveryPolicy",
            description=f"{prefix}: AWS Config delivery to the logs bucket",
            roles=[role],
            statements=[
                iam.PolicyStatement(actions=["s3:PutObject"], resources=[delivered]),
                iam.PolicyStatement(
                    actions=["s3:GetBucketAcl"],
                    resources=[bucket_arn],
                ),
                iam.PolicyStatement(
                    actions=["kms:GenerateDataKey", "kms:Decrypt"], resources=[logs_key.key_arn]
                ),
            ],
        )
        acknowledge(
            delivery,
            "Config names its objects by date and snapshot id, so writes are limited to the "
            "config/AWSLogs/<account>/Config/ prefix of the logs bucket, which is versioned and "
            "KMS-encrypted; the policy has no read or delete action on objects.",
            f"AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::{bucket_name}/{_KEY_PREFIX}"
            f"/AWSLogs/{stack.account}/Config/*]",
        )
        self.recorder = config.CfnConfigurationRecorder(
            self,
            "Recorder",
            name=f"{prefix}-recorder",
            role_arn=role.role_arn,
            recording_group=config.CfnConfigurationRecorder.RecordingGroupProperty(
                all_supported=True, include_global_resource_types=global_resources
            ),
        )
        self.delivery_channel = config.CfnDeliveryChannel(
            self,
            "DeliveryChannel",
            name=f"{prefix}-delivery",
            s3_bucket_name=bucket_name,
            s3_key_prefix=_KEY_PREFIX,
            s3_kms_key_arn=logs_key.key_arn,
            config_snapshot_delivery_properties=config.CfnDeliveryChannel.ConfigSnapshotDeliveryPropertiesProperty(
                delivery_frequency=snapshot_frequency
            ),
        )
        self.delivery_channel.node.add_dependency(self.recorder)
        self.conformance_pack = config.CfnConformancePack(
            self,
            "Nist80053Rev5",
            conformance_pack_name=f"{prefix}-nist-800-53-rev-5",
            template_s3_uri=f"s3://{bucket_name}/{template_key}",
        )
        # Config rules evaluate only once the recorder runs and can deliver.
        self.conformance_pack.node.add_dependency(self.delivery_channel)


def _literal_name(bucket: s3.IBucket) -> str:
    """The bucket's name as written in its template (buckets of this platform are named)."""
    resource = bucket.node.default_child
    if isinstance(resource, s3.CfnBucket) and resource.bucket_name:
        return resource.bucket_name
    return bucket.bucket_name
