"""The synthetic canary of a region: CloudWatch Synthetics, every ``canary_every_minutes``, signs in
to the public site with the smoke-test tenant's API token and lists documents; its alarm pages the
region's alert topic (docs/decisions/monitoring-synthetic-canaries.md).

The token stays in Secrets Manager (the canary's environment names the secret, the script reads
it at each run). The canary's artifacts go to a bucket built like the platform's others, and its
Lambda function (created by Synthetics, named ``cwsyn-<canary>-<id>``) logs to a group created
here, encrypted and kept for the platform's retention: the canary's role may write to that group
but not create one, so Lambda never makes a group of its own that would never expire.
"""

from __future__ import annotations

from pathlib import Path

from aws_cdk import ArnFormat, Duration, Stack
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as actions
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk import aws_sns as sns
from aws_cdk import aws_synthetics as synthetics
from constructs import Construct

from infra.config import MonitoringConfig, PlatformConfig
from infra.defaults.logs import encrypted_log_group
from infra.defaults.s3 import secure_bucket
from infra.gate.nag import acknowledge
from infra.names import PlatformNames
from infra.security.secrets import grant_secret_read

_CODE = Path(__file__).parent / "synthetics"  # Synthetics wants python/<module>.py
HANDLER = "documents_canary.handler"
RUNTIME = synthetics.Runtime.SYNTHETICS_PYTHON_SELENIUM_7_0
# Synthetics names the canary's function cwsyn-<name>-<36-character id>; Lambda allows 64.
MAX_NAME_LENGTH = 64 - len("cwsyn-") - 1 - 36
ARTIFACTS_PREFIX = "documents"
SYNTHETICS_NAMESPACE = "CloudWatchSynthetics"


def canary_name(names: PlatformNames) -> str:
    """``<prefix>-docs``: the same in both regions (each region has its own canaries)."""
    name = f"{names.prefix}-docs"
    if len(name) > MAX_NAME_LENGTH:
        raise ValueError(
            f"canary name {name!r} is longer than {MAX_NAME_LENGTH} characters (Synthetics)"
        )
    return name


class DocumentsCanary(Construct):
    """Exposes :attr:`canary`, :attr:`bucket`, :attr:`log_group` and :attr:`alarm` (its actions:
    ``topic``; None in a standby stack, whose ``PagesOnCall`` adds the DR region's topic)."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        names: PlatformNames,
        site_url: str,
        monitoring: MonitoringConfig,
        token: secretsmanager.ISecret,
        key: kms.IKey,
        access_logs_bucket: s3.IBucket,
        log_retention_days: int,
        topic: sns.ITopic | None,
    ) -> None:
        super().__init__(scope, construct_id)
        name = canary_name(names)
        stack = Stack.of(self)
        days = Duration.days(monitoring.canary_artifact_days)
        self.bucket = secure_bucket(
            self,
            "Artifacts",
            encryption_key=key,
            access_logs_bucket=access_logs_bucket,
            access_logs_prefix=f"s3/canary-{name}/",
            lifecycle_rules=[
                s3.LifecycleRule(
                    id="expire-run-artifacts",
                    expiration=days,
                    noncurrent_version_expiration=Duration.days(1),
                )
            ],
        )
        acknowledge(
            self.bucket,
            "Run artifacts of the synthetic canary (its log, the HTTP archive of one document "
            f"list), kept {monitoring.canary_artifact_days} days like the canary's run history; "
            "they are reproduced by the next run, so they are not replicated to the DR region "
            "(the DR region runs its own canary into its own bucket).",
            "NIST.800.53.R5-S3BucketReplicationEnabled",
            "CKV_AWS_144",
        )
        role = iam.Role(
            self,
            "Role",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description=f"{names.prefix}: the synthetic canary {name} (lists documents)",
        )
        function_logs = f"/aws/lambda/cwsyn-{name}-"
        statements = [
            iam.PolicyStatement(
                sid="WriteRunArtifacts",
                actions=["s3:PutObject", "s3:GetBucketLocation"],
                resources=[
                    self.bucket.bucket_arn,
                    self.bucket.arn_for_objects(f"{ARTIFACTS_PREFIX}/*"),
                ],
            ),
            iam.PolicyStatement(
                sid="SyntheticsFindsItsBucket", actions=["s3:ListAllMyBuckets"], resources=["*"]
            ),
            iam.PolicyStatement(
                sid="EncryptRunArtifacts",
                actions=["kms:GenerateDataKey", "kms:Decrypt"],
                resources=[key.key_arn],
                conditions={"StringEquals": {"kms:ViaService": f"s3.{stack.region}.amazonaws.com"}},
            ),
            # Into the group created below only: no logs:CreateLogGroup, so Lambda cannot make a
            # group of its own that never expires.
            iam.PolicyStatement(
                sid="LogToItsOwnGroup",
                actions=["logs:CreateLogStream", "logs:PutLogEvents"],
                resources=[
                    stack.format_arn(
                        service="logs",
                        resource="log-group",
                        resource_name=f"{function_logs}*",
                        arn_format=ArnFormat.COLON_RESOURCE_NAME,
                    )
                ],
            ),
            iam.PolicyStatement(
                sid="RunMetrics",
                actions=["cloudwatch:PutMetricData"],
                resources=["*"],
                conditions={"StringEquals": {"cloudwatch:namespace": SYNTHETICS_NAMESPACE}},
            ),
        ]
        for statement in statements:
            role.add_to_policy(statement)
        grant_secret_read(role, token)
        acknowledge(
            role,
            "The policy is this role's own (created and deleted with it): Synthetics' documented "
            "canary permissions, scoped to the canary's bucket, key, log streams and token; "
            "s3:ListAllMyBuckets and cloudwatch:PutMetricData support no resource-level "
            "permission (the metric is limited to the CloudWatchSynthetics namespace); the log "
            "streams are those of the canary's own function, whose id is generated on creation.",
            "NIST.800.53.R5-IAMNoInlinePolicy",
            "AwsSolutions-IAM5[Resource::*]",
            f"AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:{stack.region}:"
            f"{stack.account}:log-group:{function_logs}*]",
            f"AwsSolutions-IAM5[Resource::<{stack.get_logical_id(self.bucket.node.default_child)}"
            f".Arn>/{ARTIFACTS_PREFIX}/*]",
        )
        every = Duration.minutes(monitoring.canary_every_minutes)
        self.canary = synthetics.Canary(
            self,
            "Canary",
            canary_name=name,
            runtime=RUNTIME,
            test=synthetics.Test.custom(
                code=synthetics.Code.from_asset(str(_CODE)), handler=HANDLER
            ),
            schedule=synthetics.Schedule.rate(every),
            timeout=Duration.seconds(monitoring.canary_timeout_seconds),
            role=role,
            artifacts_bucket_location=synthetics.ArtifactsBucketLocation(
                bucket=self.bucket, prefix=ARTIFACTS_PREFIX
            ),
            # Synthetics sets artifact encryption for Node.js runtimes only: the bucket's
            # default (SSE-KMS with ``key``) encrypts what the Python canary puts.
            success_retention_period=days,
            failure_retention_period=days,
            # The secret's ARN, not its value: the script reads the token at each run.
            environment_variables={"SITE_URL": site_url, "TOKEN_SECRET": token.secret_arn},
            provisioned_resource_cleanup=True,
            start_after_creation=True,
        )
        self.canary.node.add_dependency(role)
        self.log_group = encrypted_log_group(
            self,
            "Logs",
            key=key,
            retention_days=log_retention_days,
            log_group_name=f"{function_logs}{self.canary.canary_id}",
        )
        self.alarm = cloudwatch.Alarm(
            self,
            "Failed",
            alarm_name=names.alarm("canary-documents-failed"),
            alarm_description=(
                f"The synthetic canary {name} ({stack.region}) could not list documents through "
                f"{site_url} as the smoke-test tenant in {monitoring.canary_failed_runs} runs "
                "in a row, or stopped running (runbook: Synthetic canaries)"
            ),
            metric=self.canary.metric_success_percent(period=every, statistic="Minimum"),
            threshold=100,
            evaluation_periods=monitoring.canary_failed_runs,
            comparison_operator=cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
            # A canary that stops running stops watching: silence pages too.
            treat_missing_data=cloudwatch.TreatMissingData.BREACHING,
        )
        if topic is not None:
            self.alarm.add_alarm_action(actions.SnsAction(topic))
            self.alarm.add_ok_action(actions.SnsAction(topic))


def region_canary(
    stack: Construct,
    *,
    config: PlatformConfig,
    names: PlatformNames,
    token: secretsmanager.ISecret,
    key: kms.IKey,
    access_logs_bucket: s3.IBucket,
    topic: sns.ITopic | None,
) -> DocumentsCanary:
    """The canary of one region (``names``'): the deployment's public site, its figures; its
    alarm pages ``topic`` (None: the stack's ``PagesOnCall`` adds the region's)."""
    return DocumentsCanary(
        stack,
        "DocumentsCanary",
        names=names,
        site_url=f"https://{config.deployment.domain_name}",
        monitoring=config.monitoring,
        token=token,
        key=key,
        access_logs_bucket=access_logs_bucket,
        log_retention_days=config.compute.log_retention_days,
        topic=topic,
    )
