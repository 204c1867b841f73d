"""What the monitoring stack watches, as typed objects from the stacks that own them."""

from __future__ import annotations

from dataclasses import dataclass

from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_elasticloadbalancingv2 as elbv2
from aws_cdk import aws_rds as rds
from aws_cdk import aws_wafv2 as wafv2


@dataclass(frozen=True)
class MonitoredPlatform:
    """The ALB and its blue/green target groups, the ECS services, Aurora, the cache, the WAF.

    ``rollback_alarms`` are the compute stack's deployment alarms by short name (``api-5xx`` is
    spec §5.2's first alarm): the monitoring stack adds the on-call actions to them rather than
    creating twins.
    """

    load_balancer: elbv2.IApplicationLoadBalancer
    target_groups: tuple[elbv2.IApplicationTargetGroup, ...]
    cluster: ecs.ICluster
    services: dict[str, ecs.BaseService]  # by role: api, worker, beat
    database: rds.IDatabaseCluster
    cache_nodes: tuple[str, ...]  # CacheClusterId of each replication-group member
    web_acl: wafv2.CfnWebACL  # CloudFront scope: its metrics are in us-east-1
    web_target_groups: tuple[elbv2.IApplicationTargetGroup, ...]  # the Next.js front end's
    rollback_alarms: dict[str, cloudwatch.Alarm]
    distribution_id: str  # the site's CloudFront distribution (portal SLO)


def cache_node_ids(replication_group_id: str, node_count: int) -> tuple[str, ...]:
    """Member ids of a cluster-mode-disabled replication group: ``<id>-001``, ``<id>-002``…"""
    return tuple(f"{replication_group_id}-{index:03d}" for index in range(1, node_count + 1))
