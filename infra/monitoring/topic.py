"""The SNS topic every alarm notifies: KMS-encrypted, TLS-only, subscribers from config.

How a DR alarm pages: create it, without actions, in any stack of the standby region (a stack
:func:`infra.region.build_region` returns for the standby). The app applies
:class:`PagesOnCall` to the standby's stacks, which adds the region's own ``<prefix>-alerts``
topic (``pcs-<env>-dr-alerts``, the standby's first stack) as the alarm's and the OK action of
every alarm there, composite alarms included. Do not wire the primary's topic into a DR alarm:
it is in us-east-1 and silent with it. ``tests/infra/monitoring/test_dr_paging.py`` fails for a
DR alarm that does not name the DR topic, and lists the DR alarms by name.
"""

from __future__ import annotations

from collections.abc import Iterable

import jsii
from aws_cdk import IAspect, Stack
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as actions
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from constructs import Construct, IConstruct


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


@jsii.implements(IAspect)
class PagesOnCall:
    """Every alarm (metric or composite) of ``stacks`` notifies ``topic`` when it fires and
    when it clears; alarms of other stacks are left alone (the app applies this aspect with
    its others, in one visit: :class:`~infra.defaults.aspects.InOneVisit`)."""

    def __init__(self, topic: sns.ITopic, *, stacks: Iterable[Stack]) -> None:
        self._action = actions.SnsAction(topic)
        self._stack_paths = frozenset(stack.node.path for stack in stacks)

    def visit(self, node: IConstruct) -> None:
        """Add the topic as the alarm's alarm and OK action."""
        if isinstance(node, cloudwatch.AlarmBase) and Stack.of(node).node.path in self._stack_paths:
            node.add_alarm_action(self._action)
            node.add_ok_action(self._action)
