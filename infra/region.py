"""A region of the platform as a unit, built by one function for the primary and the standby.

:func:`build_region` builds a region's units in one order, the order its stacks deploy in:
stateful base (keys, secrets, log buckets) -> backup -> network -> data tier -> audit ->
identity -> images -> origin (ALB, entry, origin record) -> compute. The network, the audit
unit (archive, GuardDuty, Config, Security Hub), the origin and the compute are the same code in
both regions; the units whose nature differs by role (the primary holds the writers and the
sources of replication, the standby their replicas) are chosen by
:class:`~infra.config.RegionRole`.
Values crossing regions with names AWS does not generate go through :mod:`infra.names`
(replica buckets, keys' aliases, secrets, repositories); only what AWS generates crosses by
CDK's cross-region references (docs/decisions/dr-region-as-a-unit.md).

How a DR alarm pages: the standby's first stack is its alerts stack (``pcs-<env>-dr-alerts``,
its own ``<prefix>-alerts`` topic and key), and the app applies
:class:`~infra.monitoring.topic.PagesOnCall` to the standby's stacks (``Region.stacks``), so
every alarm created in one of them, without actions of its own, notifies that topic when it
fires and when it clears. A new DR alarm (a canary's, a replication's) needs nothing more
than to be built in a standby stack; never the primary's topic, which is silent with us-east-1
(tests/infra/monitoring/test_dr_paging.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_ecr as ecr
from aws_cdk import aws_kinesisfirehose as firehose
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sns as sns
from constructs import Construct

from infra.config import PlatformConfig, RegionConfig
from infra.data.outputs import DataTier
from infra.edge.traffic_switch import traffic_switch_alarm
from infra.identity.user_pool import IdentityEndpoint
from infra.monitoring.canary import region_canary
from infra.security.secrets import ApplicationSecrets
from infra.stacks.audit import AuditStack
from infra.stacks.backup import BackupStack
from infra.stacks.base import PlatformStack
from infra.stacks.compute import ComputeKeys, ComputeStack
from infra.stacks.data import DataStack
from infra.stacks.delivery import DeliveryStack
from infra.stacks.dr_backup import DrBackupStack
from infra.stacks.dr_region import DrDatabaseStack
from infra.stacks.dr_storage import DrStorageStack
from infra.stacks.dr_watch import DrWatchStack
from infra.stacks.foundation import FoundationStack
from infra.stacks.identity import IdentityStack
from infra.stacks.monitoring import AlertsStack
from infra.stacks.network import NetworkStack
from infra.stacks.origin import OriginStack


@dataclass(frozen=True)
class Region:
    """What one region runs, as the global edge, the monitoring and the other region see it."""

    config: RegionConfig
    stacks: tuple[PlatformStack, ...]  # in the order they deploy
    # The first of :attr:`stacks`, which deploy before the other region: the standby's alert
    # topic (its replication destinations' alarms page on it) with the traffic switch's alarm
    # (the primary's origin record reads it), and what the primary writes into (replica
    # buckets, the secrets replicas' key, the copy vault).
    ahead: tuple[PlatformStack, ...]
    network: NetworkStack
    keys: ComputeKeys
    secrets: ApplicationSecrets
    data_tier: DataTier
    origin: OriginStack
    repository: ecr.IRepository
    web_repository: ecr.IRepository
    identity: IdentityEndpoint  # the user pool whose tokens the region's API accepts
    audit_events: firehose.IDeliveryStream  # the audit archive's application stream
    compute: ComputeStack
    alerts: sns.ITopic  # the region's on-call topic (the standby's pages without the primary)


@dataclass(frozen=True)
class _Base:
    """A region's stateful base and the stacks it took, before the network."""

    stacks: list[PlatformStack]
    keys: ComputeKeys
    flow_logs_bucket: s3.IBucket
    access_logs_bucket: s3.IBucket


def build_region(
    scope: Construct,
    config: PlatformConfig,
    region: RegionConfig,
    *,
    primary: Region | None = None,
) -> Region:
    """Every stack of ``region``, in its deploy order.

    The standby needs the built ``primary``: its secondary joins the primary's global cluster,
    and its services run the images the primary's delivery stack replicates; its API accepts the
    primary's user pool's tokens besides its own pool's.
    """
    placement: dict[str, Any] = {
        "env": cdk.Environment(account=config.deployment.account, region=region.name),
        "availability_zones": region.availability_zones,
    }
    if region.standby and primary is None:
        raise ValueError("a standby region is built after its primary (build_region(primary=))")
    if region.standby:
        assert primary is not None
        return _standby(scope, config, region, primary, placement)
    return _primary(scope, config, region, placement)


def _primary(
    scope: Construct, config: PlatformConfig, region: RegionConfig, placement: dict[str, Any]
) -> Region:
    foundation = FoundationStack(scope, region.stack("foundation"), config=config, **placement)
    keys = foundation.keys
    network = _network(scope, config, region, placement, flow_logs_bucket=foundation.logs_bucket)
    data = DataStack(
        scope,
        region.stack("data"),
        config=config,
        vpc=network.vpc,
        security_groups=network.security_groups,
        keys=keys,
        secrets=foundation.secrets,
        access_logs_bucket=foundation.access_logs_bucket,
        **placement,
    )
    # Before backup and compute: the archive's and the API's alarms notify this topic.
    alerts = AlertsStack(
        scope,
        region.stack("alerts"),
        config=config,
        region=region,
        sns_key=keys.sns,
        **placement,
    )
    backup = BackupStack(
        scope,
        region.stack("backup"),
        config=config,
        backup_key=keys.backup,
        archive_key=keys.storage,
        logs_key=keys.logs,
        data_tier=data.data_tier,
        topic=alerts.topic,
        **placement,
    )
    audit, identity = _audit_and_identity(
        scope,
        config,
        region,
        placement,
        logs=_Logs(foundation.logs_bucket, keys.logs, keys.logs, foundation.access_logs_bucket),
        audit_key=keys.audit,
    )
    delivery = DeliveryStack(scope, region.stack("delivery"), config=config, **placement)
    origin, compute = _origin_and_compute(
        scope,
        config,
        region,
        placement,
        network=network,
        access_logs_bucket=foundation.access_logs_bucket,
        keys=keys,
        secrets=foundation.secrets,
        data_tier=data.data_tier,
        repositories=(delivery.repository, delivery.web_repository),
        identity=identity.endpoint,
        audit_events=audit.archive.application,
    )
    return Region(
        config=region,
        stacks=(
            foundation,
            network,
            data,
            alerts,
            backup,
            audit,
            identity,
            delivery,
            origin,
            compute,
        ),
        ahead=(),
        network=network,
        keys=keys,
        secrets=foundation.secrets,
        data_tier=data.data_tier,
        origin=origin,
        repository=delivery.repository,
        web_repository=delivery.web_repository,
        identity=identity.endpoint,
        audit_events=audit.archive.application,
        compute=compute,
        alerts=alerts.topic,
    )


def _standby(
    scope: Construct,
    config: PlatformConfig,
    region: RegionConfig,
    primary: Region,
    placement: dict[str, Any],
) -> Region:
    # First the region's own alert topic and its key: every alarm of the stacks after it pages
    # there (the app's PagesOnCall), without the primary region.
    alerts = AlertsStack(scope, region.stack("alerts"), config=config, region=region, **placement)
    # The traffic switch's alarm, evaluated here: before the primary, whose origin record's
    # health check reads it (its state changes page on this region's topic, PagesOnCall).
    traffic_switch_alarm(
        alerts,
        "TrafficSwitch",
        switch=config.names.traffic_switch,
        period_seconds=config.edge.traffic_switch_period_seconds,
    )
    # The replica buckets, their key and the secrets replicas' key: the primary's data and
    # foundation replicate into them, so they deploy before the primary (deploy_order).
    storage = DrStorageStack(scope, region.stack("storage"), config=config, **placement)
    backup = DrBackupStack(scope, region.stack("backup"), config=config, **placement)
    network = _network(
        scope, config, region, placement, flow_logs_bucket=storage.access_logs_bucket
    )
    database = DrDatabaseStack(
        scope,
        region.stack("database"),
        config=config,
        region=region,
        vpc=network.vpc,
        security_groups=network.security_groups,
        storage_key=storage.key,
        secrets_key=storage.secrets_key,
        replicas=storage.replicas,
        **placement,
    )
    # The region's own audit archive, security services and Config: the DR services write
    # their audit events here, not across regions to a stream that is down with the primary.
    # A standby user pool with the primary's settings: the DR web tier signs users in here
    # while us-east-1 is down; the DR API also accepts the primary's tokens, which stay valid
    # across the switch (docs/decisions/identity-standby-pool.md).
    audit, identity = _audit_and_identity(
        scope,
        config,
        region,
        placement,
        logs=_Logs(
            storage.logs_bucket,
            storage.audit_key,
            database.keys.logs,
            storage.access_logs_bucket,
        ),
        audit_key=storage.audit_key,
        also_accepted=(primary.identity,),
    )
    # The readiness check, evaluated here: detection without the primary.
    watch = DrWatchStack(
        scope, region.stack("watch"), config=config, logs_key=database.keys.logs, **placement
    )
    # The region's own synthetic canary: the public site watched from here, paging here
    # (the app's PagesOnCall adds the DR topic to its alarm).
    region_canary(
        watch,
        config=config,
        names=region.names,
        token=database.secrets.smoke_test_token,
        key=database.keys.logs,
        access_logs_bucket=storage.access_logs_bucket,
        topic=None,
    )
    # ECR replication creates these in this region with the primary's names.
    repositories = (
        ecr.Repository.from_repository_name(network, "Repository", region.names.image_repository),
        ecr.Repository.from_repository_name(
            network, "WebRepository", region.names.web_image_repository
        ),
    )
    origin, compute = _origin_and_compute(
        scope,
        config,
        region,
        placement,
        network=network,
        access_logs_bucket=storage.access_logs_bucket,
        keys=database.keys,
        secrets=database.secrets,
        data_tier=database.data_tier,
        repositories=repositories,
        identity=identity.endpoint,
        audit_events=audit.archive.application,
    )
    stacks = (alerts, storage, backup, network, database, audit, identity, watch, origin, compute)
    return Region(
        config=region,
        stacks=stacks,
        ahead=(alerts, storage, backup),
        network=network,
        keys=database.keys,
        secrets=database.secrets,
        data_tier=database.data_tier,
        origin=origin,
        repository=repositories[0],
        web_repository=repositories[1],
        identity=identity.endpoint,
        audit_events=audit.archive.application,
        compute=compute,
        alerts=alerts.topic,
    )


def _network(
    scope: Construct,
    config: PlatformConfig,
    region: RegionConfig,
    placement: dict[str, Any],
    *,
    flow_logs_bucket: s3.IBucket,
) -> NetworkStack:
    return NetworkStack(
        scope,
        region.stack("network"),
        config=config,
        network=region.network,
        logs_bucket=flow_logs_bucket,
        **placement,
    )


@dataclass(frozen=True)
class _Logs:
    """Where a region's audit unit logs: its log archive bucket and that bucket's key, the key
    of its log groups, and its access-logs bucket."""

    bucket: s3.IBucket
    bucket_key: kms.IKey
    groups_key: kms.IKey
    access_logs_bucket: s3.IBucket


def _audit_and_identity(
    scope: Construct,
    config: PlatformConfig,
    region: RegionConfig,
    placement: dict[str, Any],
    *,
    logs: _Logs,
    audit_key: kms.IKey,
    also_accepted: tuple[IdentityEndpoint, ...] = (),
) -> tuple[AuditStack, IdentityStack]:
    """The region's audit archive (with GuardDuty, Config, Security Hub) and its user pool,
    whose sign-in events that archive keeps; the pool's ids cross regions (the standby's API
    accepts the primary's tokens too: ``also_accepted``)."""
    audit = AuditStack(
        scope,
        region.stack("audit"),
        config=config,
        region=region,
        logs_bucket=logs.bucket,
        logs_bucket_key=logs.bucket_key,
        logs_key=logs.groups_key,
        audit_key=audit_key,
        access_logs_bucket=logs.access_logs_bucket,
        **placement,
    )
    identity = IdentityStack(
        scope,
        region.stack("identity"),
        config=config,
        sign_in_events=audit.archive.sign_in,
        logs_key=logs.groups_key,
        also_accepted=also_accepted,
        cross_region_references=True,
        **placement,
    )
    return audit, identity


def _origin_and_compute(
    scope: Construct,
    config: PlatformConfig,
    region: RegionConfig,
    placement: dict[str, Any],
    *,
    network: NetworkStack,
    access_logs_bucket: s3.IBucket,
    keys: ComputeKeys,
    secrets: ApplicationSecrets,
    data_tier: DataTier,
    repositories: tuple[ecr.IRepository, ecr.IRepository],
    identity: IdentityEndpoint,
    audit_events: firehose.IDeliveryStream,
) -> tuple[OriginStack, ComputeStack]:
    """The region's internal ALB with the entry that answers the origin name, and its services."""
    origin = OriginStack(
        scope,
        region.stack("origin"),
        config=config,
        region=region,
        vpc=network.vpc,
        security_groups=network.security_groups,
        access_logs_bucket=access_logs_bucket,
        **placement,
    )
    repository, web_repository = repositories
    compute = ComputeStack(
        scope,
        region.stack("compute"),
        config=config,
        region=region,
        vpc=network.vpc,
        security_groups=network.security_groups,
        keys=keys,
        secrets=secrets,
        data_tier=data_tier,
        origin=origin,
        repository=repository,
        web_repository=web_repository,
        identity=identity,
        audit_events=audit_events,
        # The standby's API also accepts the primary's user pool (its generated ids).
        cross_region_references=region.standby,
        **placement,
    )
    return origin, compute


def deploy_order(primary: Region, standby: Region) -> None:
    """The dependencies AWS imposes between the regions, and each region's own order.

    The standby's alert topic, storage and backup vault deploy first: S3 replication, Secrets
    Manager replicas and Backup copies need their destinations to exist, the alarms of
    those destinations page on the topic, and the primary's origin record carries a health
    check on the traffic switch's alarm beside that topic. Then the primary region, then
    the rest of the standby, whose secondary joins the primary's global cluster and whose
    services run the images the primary replicates. Within a region, each stack after the one
    before it (docs/decisions/dr-region-as-a-unit.md).
    """
    for stacks in (primary.stacks, standby.stacks):
        for earlier, later in pairwise(stacks):
            later.add_stack_dependency(earlier, "the region's deploy order")
    primary.stacks[0].add_stack_dependency(
        standby.ahead[-1], "replicates and copies into the standby's destinations"
    )
    standby.stacks[len(standby.ahead)].add_stack_dependency(
        primary.stacks[-1], "the standby follows the primary it replicates"
    )
