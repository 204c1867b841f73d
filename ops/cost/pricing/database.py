"""Aurora PostgreSQL, ElastiCache and MSK: instance or capacity hours, storage, I/O, snapshots."""

from __future__ import annotations

from ops.cost.inventory import CfnResource
from ops.cost.lines import AURORA, CACHE, KAFKA, TRANSFER, LineItem
from ops.cost.pricing.context import PricingContext, Unpriceable

IO_OPTIMIZED = "aurora-iopt1"


def _aurora_storage_gb(ctx: PricingContext) -> float:
    traffic = ctx.usage.traffic
    return (
        traffic.aurora_storage_gb
        + traffic.aurora_storage_growth_gb_per_month * ctx.usage.platform.pricing_month
    )


def price_aurora_cluster(resource: CfnResource, ctx: PricingContext) -> list[LineItem]:
    """Cluster storage, I/O (Aurora Standard only) and backup storage beyond the free 100%."""
    if resource.prop("Engine") != "aurora-postgresql":
        raise Unpriceable(f"engine {resource.prop('Engine')!r}: only aurora-postgresql is priced")
    storage = _aurora_storage_gb(ctx)
    retention = float(resource.prop("BackupRetentionPeriod", 1))
    io_optimized = resource.prop("StorageType") == IO_OPTIMIZED
    if resource.prop("GlobalClusterIdentifier") and resource.region != ctx.config.deployment.region:
        return _secondary_lines(resource, ctx, storage, retention)
    lines = [
        ctx.line(
            AURORA,
            resource,
            f"storage {storage:g} GB (month {ctx.usage.platform.pricing_month:g})",
            storage,
            "aurora.io_optimized_storage.gb_month" if io_optimized else "aurora.storage.gb_month",
        )
    ]
    if not io_optimized:
        lines.append(
            ctx.line(
                AURORA,
                resource,
                "I/O requests (Aurora Standard)",
                ctx.usage.traffic.aurora_io_million_per_month,
                "aurora.io.million_requests",
            )
        )
    # Continuous backup holds about one day's change per retained day; 100% of storage is free.
    backup = storage * ctx.usage.platform.backup_daily_change_fraction * retention
    lines.append(
        ctx.line(
            AURORA,
            resource,
            f"backup storage beyond the free 100% ({retention:g}-day retention)",
            backup,
            "aurora.backup.gb_month",
        )
    )
    return lines


def _secondary_lines(
    resource: CfnResource, ctx: PricingContext, storage: float, retention: float
) -> list[LineItem]:
    """A global database's secondary: the whole volume again, every replicated write I/O, the
    replicated bytes (4 KB pages) between regions, and its own backups beyond the free 100%."""
    writes = (
        ctx.usage.traffic.aurora_io_million_per_month * ctx.usage.platform.aurora_write_io_share
    )
    return [
        ctx.line(
            AURORA,
            resource,
            f"global secondary storage {storage:g} GB",
            storage,
            "aurora.storage.gb_month",
        ),
        ctx.line(AURORA, resource, "replicated write I/O", writes, "aurora.io.million_requests"),
        ctx.line(
            TRANSFER,
            resource,
            "global database replication to the secondary",
            writes * 1_000_000 * 4 / 1024 / 1024,
            "transfer.inter_region.gb",
        ),
        ctx.line(
            AURORA,
            resource,
            f"backup storage beyond the free 100% ({retention:g}-day retention)",
            storage * ctx.usage.platform.backup_daily_change_fraction * retention,
            "aurora.backup.gb_month",
        ),
    ]


def price_db_instance(resource: CfnResource, ctx: PricingContext) -> list[LineItem]:
    """An Aurora instance: Serverless v2 ACU-hours at the tier's average, or provisioned hours."""
    cluster = ctx.inventory.referenced(resource, resource.prop("DBClusterIdentifier"))
    if cluster is None:
        raise Unpriceable("not an Aurora cluster member: only Aurora PostgreSQL is priced")
    instance_class = resource.prop("DBInstanceClass")
    io_optimized = cluster.prop("StorageType") == IO_OPTIMIZED
    if instance_class != "db.serverless":
        return [
            ctx.line(
                AURORA,
                resource,
                f"{instance_class} instance",
                ctx.hours,
                f"aurora.instance.{instance_class}",
            )
        ]
    scaling = cluster.prop("ServerlessV2ScalingConfiguration", {})
    low, high = float(scaling.get("MinCapacity", 0.5)), float(scaling.get("MaxCapacity", 1))
    traffic = ctx.usage.traffic
    # Readers in promotion tier 0-1 scale with the writer (they are its failover targets).
    follows_writer = "writer" in resource.words() or int(resource.prop("PromotionTier", 1)) <= 1
    wanted = (
        traffic.aurora_writer_average_acu if follows_writer else traffic.aurora_reader_average_acu
    )
    acu = min(max(wanted, low), high)
    role = "writer or failover reader" if follows_writer else "reader"
    if cluster.prop("GlobalClusterIdentifier") and resource.region != ctx.config.deployment.region:
        # A global secondary's reader serves no traffic: it applies replication at its floor.
        acu, role = low, "global secondary reader"
    key = (
        "aurora.serverless_v2_io_optimized.acu_hour"
        if io_optimized
        else "aurora.serverless_v2.acu_hour"
    )
    return [
        ctx.line(
            AURORA,
            resource,
            f"Serverless v2 {role}: avg {acu:g} ACU (bounds {low:g}-{high:g})",
            acu * ctx.hours,
            key,
            details={"average_acu": acu, "min_acu": low, "max_acu": high},
        )
    ]


def _cache_lines(
    resource: CfnResource, ctx: PricingContext, engine: str, node_type: str, nodes: int
) -> list[LineItem]:
    lines = [
        ctx.line(
            CACHE,
            resource,
            f"{nodes} x {node_type} ({engine})",
            nodes * ctx.hours,
            f"elasticache.{engine}.{node_type}",
            details={"nodes": nodes, "node_type": node_type, "engine": engine},
        )
    ]
    retained = float(resource.prop("SnapshotRetentionLimit", 0))
    free = ctx.usage.platform.cache_snapshot_free_count
    billed = max(0.0, retained - free)
    if billed:
        lines.append(
            ctx.line(
                CACHE,
                resource,
                f"snapshots: {retained:g} retained, {free:g} free",
                billed * ctx.usage.traffic.cache_dataset_gb,
                "elasticache.snapshot.gb_month",
            )
        )
    return lines


def price_replication_group(resource: CfnResource, ctx: PricingContext) -> list[LineItem]:
    """Node-hours of every node of the replication group, plus snapshots beyond the free one."""
    if "NumCacheClusters" in resource.properties:
        nodes = int(resource.prop("NumCacheClusters"))
    else:
        groups = int(resource.prop("NumNodeGroups", 1))
        nodes = groups * (int(resource.prop("ReplicasPerNodeGroup", 0)) + 1)
    engine = str(resource.prop("Engine", "redis")).lower()
    return _cache_lines(resource, ctx, engine, resource.prop("CacheNodeType"), nodes)


def price_cache_cluster(resource: CfnResource, ctx: PricingContext) -> list[LineItem]:
    """A standalone cache cluster (not part of a replication group)."""
    engine = str(resource.prop("Engine", "redis")).lower()
    nodes = int(resource.prop("NumCacheNodes", 1))
    return _cache_lines(resource, ctx, engine, resource.prop("CacheNodeType"), nodes)


def price_msk_cluster(resource: CfnResource, ctx: PricingContext) -> list[LineItem]:
    """Broker-hours and broker storage of a provisioned MSK cluster (no commitments exist)."""
    brokers = int(resource.prop("NumberOfBrokerNodes"))
    group = resource.prop("BrokerNodeGroupInfo", {})
    instance_type = group.get("InstanceType")
    volume = float(group.get("StorageInfo", {}).get("EBSStorageInfo", {}).get("VolumeSize", 1000))
    return [
        ctx.line(
            KAFKA,
            resource,
            f"{brokers} x {instance_type} brokers",
            brokers * ctx.hours,
            f"msk.broker.{instance_type}",
            details={"brokers": brokers, "instance_type": instance_type},
        ),
        ctx.line(
            KAFKA,
            resource,
            f"{brokers} x {volume:g} GiB broker storage",
            brokers * volume,
            "msk.storage.gb_month",
        ),
    ]
