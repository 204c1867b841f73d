"""The documents' replication to the DR region, watched: S3 Replication Time Control's misses."""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as cloudwatch_actions
from aws_cdk import aws_sns as sns
from constructs import Construct

from infra.data.buckets import replication_rule_id

# S3 publishes the replication metrics of a Time Control rule per source, destination and rule.
_PERIOD = Duration.minutes(5)


def replication_alarm(
    scope: Construct,
    construct_id: str,
    *,
    alarm_name: str,
    purpose: str,
    source_bucket: str,
    replica_bucket: str,
    topic: sns.ITopic,
) -> cloudwatch.Alarm:
    """On-call hears of any object S3 did not replicate within Time Control's 15 minutes."""
    alarm = cloudwatch.Alarm(
        scope,
        construct_id,
        alarm_name=alarm_name,
        alarm_description=(
            f"Objects of {source_bucket} not replicated to {replica_bucket} within 15 minutes "
            "(S3 Replication Time Control): the DR region's copy is behind its bound"
        ),
        metric=cloudwatch.Metric(
            namespace="AWS/S3",
            metric_name="OperationsMissedThreshold",
            dimensions_map={
                "SourceBucket": source_bucket,
                "DestinationBucket": replica_bucket,
                "RuleId": replication_rule_id(purpose),
            },
            statistic="Sum",
            period=_PERIOD,
        ),
        threshold=0,
        evaluation_periods=1,
        comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        # S3 publishes the metric only while objects replicate: no writes, nothing missed.
        treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
    )
    alarm.add_alarm_action(cloudwatch_actions.SnsAction(topic))
    return alarm
