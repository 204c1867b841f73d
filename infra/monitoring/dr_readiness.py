"""The DR readiness check: a function in the DR region, every ``dr_readiness_minutes``, that
alarms when a failover precondition drifts (``infra/monitoring/readiness/drift.py``, the same
checks ``ops.dr failover-region --dry-run`` prints)."""

from __future__ import annotations

from pathlib import Path

from aws_cdk import Duration, Stack
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from constructs import Construct

from infra.config import PlatformConfig
from infra.defaults.functions import (
    acknowledge_outside_vpc,
    function_log_and_role,
    platform_function,
    puts_metrics_in,
    writes_its_log,
)
from infra.gate.nag import acknowledge
from infra.monitoring.readiness.drift import DRIFT_METRIC, METRIC_NAMESPACE, Expected

_CODE = Path(__file__).parent / "readiness"


def expected_of(config: PlatformConfig) -> Expected:
    """What the readiness checks expect of ``config``'s deployment (the function's environment,
    and what ``ops.dr`` checks with)."""
    names = config.names
    return Expected(
        primary_region=names.region,
        dr_region=names.dr_region,
        ecs_cluster=names.ecs_cluster,
        services=tuple(names.service(role) for role in ("api", "worker", "beat", "web")),
        global_cluster=names.global_cluster,
        secondary_cluster=names.secondary_cluster,
        rpo_seconds=config.database.global_rpo_seconds,
        user_pool=names.user_pool,
        traffic_switch_alarm=names.traffic_switch.alarm,
    )


class DrReadiness(Construct):
    """Exposes :attr:`function`, :attr:`schedule` and :attr:`alarm` (which pages on the DR
    region's topic as every DR alarm does, :class:`~infra.monitoring.topic.PagesOnCall`)."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        prefix: str,
        expected: Expected,
        every_minutes: int,
        logs_key: kms.IKey,
        log_retention_days: int,
    ) -> None:
        super().__init__(scope, construct_id)
        function_name = f"{prefix}-dr-readiness"
        log_group, role = function_log_and_role(
            self,
            function_name=function_name,
            description=f"{prefix}: reads the DR preconditions in both regions, reports drift",
            logs_key=logs_key,
            retention_days=log_retention_days,
        )
        policy = iam.ManagedPolicy(
            self,
            "Policy",
            description=f"{prefix}: the DR readiness check's reads and its one metric",
            roles=[role],
            statements=[
                writes_its_log(log_group),
                iam.PolicyStatement(
                    actions=[
                        "ecs:DescribeServices",
                        "ecs:DescribeTaskDefinition",
                        "ecr:DescribeImages",
                        "secretsmanager:DescribeSecret",
                        "rds:DescribeGlobalClusters",
                        "cloudwatch:GetMetricStatistics",
                        "cloudwatch:DescribeAlarms",
                        "cognito-idp:ListUserPools",
                        "cognito-idp:DescribeUserPool",
                    ],
                    resources=["*"],
                ),
                puts_metrics_in(METRIC_NAMESPACE),
            ],
        )
        acknowledge(
            policy,
            "Describe and list calls only, in the two regions of one deployment: they read no "
            "data (DescribeSecret returns no value), several support no resource-level "
            "permission (DescribeTaskDefinition, ListUserPools, GetMetricStatistics), and the "
            "check must see what the DR region holds, not only what it expects; "
            "PutMetricData is limited to the readiness namespace.",
            "AwsSolutions-IAM5[Resource::*]",
        )
        self.function = platform_function(
            self,
            "Function",
            function_name=function_name,
            description=(
                "DR readiness: images, secrets, replication lag, standby user pool, traffic switch"
            ),
            handler="drift.handler",
            source=_CODE,
            # Each call gives up after 5 s to connect and 10 s to read, twice: a dead region
            # costs 30 s per call, and the run asks the primary only until it fails once.
            timeout=Duration.minutes(3),
            role=role,
            log_group=log_group,
            environment=expected.environment(),
        )
        acknowledge_outside_vpc(
            self.function,
            "The check calls only AWS control-plane APIs of both regions and reads no data, "
            "so it runs outside the VPC; a run that fails reports nothing and the alarm, "
            "which treats missing data as drift, pages instead of a dead-letter queue; it "
            "runs every half hour, so reserved concurrency would only consume account quota.",
        )
        every = Duration.minutes(every_minutes)
        self.schedule = events.Rule(
            self,
            "Schedule",
            rule_name=function_name,
            description="The DR readiness check",
            schedule=events.Schedule.rate(every),
            targets=[targets.LambdaFunction(self.function, retry_attempts=2)],
        )
        self.alarm = cloudwatch.Alarm(
            self,
            "Drift",
            alarm_name=f"{prefix}-dr-readiness-drift",
            alarm_description=(
                "A DR failover precondition drifted, or the readiness check stopped reporting "
                f"(its log group {log_group.log_group_name}; runbook: region failure)"
            ),
            metric=cloudwatch.Metric(
                namespace=METRIC_NAMESPACE,
                metric_name=DRIFT_METRIC,
                period=every,
                statistic="Maximum",
                region=Stack.of(self).region,
            ),
            threshold=1,
            evaluation_periods=1,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            treat_missing_data=cloudwatch.TreatMissingData.BREACHING,
        )
