"""The SNS topic every alarm notifies: KMS-encrypted, TLS-only, subscribers from config."""

from __future__ import annotations

from aws_cdk import aws_kms as kms
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from constructs import Construct


def alert_topic(
    scope: Construct,
    construct_id: str,
    *,
    prefix: str,
    key: kms.IKey,
    emails: tuple[str, ...],
    https_endpoints: tuple[str, ...] = (),
) -> sns.Topic:
    """``<prefix>-alerts``, encrypted with the sns key (its policy admits CloudWatch), e-mailed
    to ``emails`` and posted to ``https_endpoints`` (a pager or chat webhook); each confirms
    its subscription once (docs/runbook.md, Paging)."""
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
    for endpoint in https_endpoints:
        topic.add_subscription(
            subscriptions.UrlSubscription(endpoint, protocol=sns.SubscriptionProtocol.HTTPS)
        )
    return topic
