"""The SNS topic every alarm notifies: KMS-encrypted, TLS-only, subscribers from config."""

from __future__ import annotations

from aws_cdk import aws_kms as kms
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from constructs import Construct


def alert_topic(
    scope: Construct, construct_id: str, *, prefix: str, key: kms.IKey, emails: tuple[str, ...]
) -> sns.Topic:
    """``<prefix>-alerts``, encrypted with the sns key (its policy admits CloudWatch), e-mailed
    to ``emails`` (each confirms its subscription once)."""
    topic = sns.Topic(
        scope,
        construct_id,
        topic_name=f"{prefix}-alerts",
        display_name=f"{prefix} alerts",
        master_key=key,
        enforce_ssl=True,
    )
    for email in emails:
        topic.add_subscription(subscriptions.EmailSubscription(email))
    return topic
