"""S3 buckets (by lifecycle class) and ECR repositories."""

from __future__ import annotations

import json

from ops.cost.inventory import CfnResource
from ops.cost.lines import ECR, S3, TRANSFER, LineItem
from ops.cost.pricing.context import PricingContext
from ops.cost.pricing.observability import (
    audit_archive_gb,
    copied_log_gb,
    delivered_to_s3_gb,
    waf_log_gb,
)

DAYS_PER_MONTH = 365 / 12
LOG_COPIES_KIND = "log_copies"
EDGE_LOGS_KIND = "edge_logs"
AUDIT_ARCHIVE_KIND = "audit_archive"
INTELLIGENT_TIERING = "INTELLIGENT_TIERING"
# Intelligent-Tiering's access tiers by days since the last read (S3 pricing page), as price keys.
_IT_TIERS = (
    (INTELLIGENT_TIERING, 0.0, 30.0),
    (f"{INTELLIGENT_TIERING}_INFREQUENT", 30.0, 90.0),
    (f"{INTELLIGENT_TIERING}_ARCHIVE_INSTANT", 90.0, float("inf")),
)


def bucket_kind(resource: CfnResource) -> str:
    """documents, backups, logs, access_logs, edge_logs, log_copies, audit_archive or other,
    from the bucket's names."""
    words = resource.words().replace("-", "").replace("_", "")
    if "accesslog" in words:
        return "access_logs"
    if "awswaflogs" in words:  # WAF delivers only to buckets named aws-waf-logs-*
        return EDGE_LOGS_KIND
    if "logcopies" in words:
        return LOG_COPIES_KIND
    if resource.stack.endswith("-audit") and "archive" in words:
        return AUDIT_ARCHIVE_KIND
    if "canary" in words:  # a synthetic canary's run artifacts, whatever page it checks
        return "other"
    for kind, marker in (("documents", "document"), ("backups", "backup"), ("logs", "log")):
        if marker in words:
            return kind
    return "other"


def replication_source(resource: CfnResource, ctx: PricingContext) -> dict | None:
    """The replication rule (of another bucket) whose destination is this bucket, if any."""
    name = resource.prop("BucketName")
    if not isinstance(name, str):
        return None
    for bucket in ctx.inventory.of_type(resource.type):
        for rule in (bucket.prop("ReplicationConfiguration") or {}).get("Rules", []):
            if f":::{name}" in json.dumps(rule.get("Destination", {}).get("Bucket")):
                return rule
    return None


def _kind_in_region(resource: CfnResource, ctx: PricingContext) -> str:
    """A bucket's kind; outside the primary region only replicas grow with their kind."""
    if resource.region == ctx.config.deployment.region or replication_source(resource, ctx):
        return bucket_kind(resource)
    return "other"


def _age_windows(
    resource: CfnResource, first_class: str = "STANDARD"
) -> list[tuple[str, float, float]]:
    """(storage class, from day, to day) an object passes through under the lifecycle rules."""
    rules = resource.prop("LifecycleConfiguration", {}).get("Rules", [])
    current = [
        r
        for r in rules
        if r.get("Status") == "Enabled" and not r.get("Prefix") and not r.get("TagFilters")
    ]
    transitions = sorted(
        (float(t["TransitionInDays"]), t["StorageClass"])
        for rule in current
        for t in rule.get("Transitions", [])
    )
    expirations = [float(r["ExpirationInDays"]) for r in current if "ExpirationInDays" in r]
    end = min(expirations) if expirations else float("inf")
    boundaries = [(0.0, first_class), *transitions]
    windows = []
    for index, (start, storage_class) in enumerate(boundaries):
        stop = boundaries[index + 1][0] if index + 1 < len(boundaries) else end
        windows.append((storage_class, start, min(stop, end)))
    return windows


def _noncurrent_windows(resource: CfnResource, first_class: str) -> list[tuple[str, float, float]]:
    """(storage class, from day, to day) a superseded version passes through, counted from the
    day it became noncurrent; none without a noncurrent rule (versions then never expire)."""
    rules = [
        r
        for r in resource.prop("LifecycleConfiguration", {}).get("Rules", [])
        if r.get("Status") == "Enabled" and "NoncurrentVersionExpiration" in r
    ]
    if not rules:
        return []
    end = min(float(r["NoncurrentVersionExpiration"]["NoncurrentDays"]) for r in rules)
    transitions = sorted(
        (float(t["TransitionInDays"]), t["StorageClass"])
        for rule in rules
        for t in rule.get("NoncurrentVersionTransitions", [])
    )
    boundaries = [(0.0, first_class), *transitions]
    return [
        (storage_class, start, min(end, boundaries[i + 1][0] if i + 1 < len(boundaries) else end))
        for i, (start, storage_class) in enumerate(boundaries)
    ]


def _access_tiers(windows: list[tuple[str, float, float]]) -> list[tuple[str, float, float]]:
    """Intelligent-Tiering windows split by the tier S3 moves an unread object to: frequent for
    its first 30 days, infrequent to day 90, archive instant after (the usage profile assumes a
    document is not read after its first month; each later read bills 30 days as frequent)."""
    split = []
    for storage_class, start, stop in windows:
        if storage_class != INTELLIGENT_TIERING:
            split.append((storage_class, start, stop))
            continue
        for tier, tier_start, tier_stop in _IT_TIERS:
            low, high = max(start, tier_start), min(stop, tier_stop)
            if low < high:
                split.append((tier, low, high))
    return split


def _stored(
    resource: CfnResource,
    ctx: PricingContext,
    kind: str,
    growth: float,
    windows: list[tuple[str, float, float]],
    what: str,
) -> list[LineItem]:
    """One line per storage class: what ``growth`` GB a month leaves in each window at month N,
    plus Intelligent-Tiering's monitoring of the objects it holds."""
    age_days = ctx.usage.platform.pricing_month * DAYS_PER_MONTH
    lines, tiered = [], 0.0
    for storage_class, start, stop in _access_tiers(windows):
        held_days = max(0.0, min(stop, age_days) - start)
        if held_days == 0:
            continue
        gigabytes = growth * held_days / DAYS_PER_MONTH
        if storage_class.startswith(INTELLIGENT_TIERING):
            tiered += gigabytes
        lines.append(
            ctx.line(
                S3,
                resource,
                f"{kind}: {what}{gigabytes:g} GB in {storage_class}",
                gigabytes,
                f"s3.{storage_class.lower()}.gb_month",  # a class without a price: not priced
                details={"kind": kind},
            )
        )
    if tiered:
        objects = tiered * 1024 / ctx.usage.platform.document_average_object_mb
        lines.append(
            ctx.line(
                S3,
                resource,
                f"{kind}: {what}Intelligent-Tiering monitoring of {objects:,.0f} objects",
                objects / 1000,
                "s3.intelligent_tiering.monitoring.per_1000",
                details={"kind": kind},
            )
        )
    return lines


def price_bucket(resource: CfnResource, ctx: PricingContext) -> list[LineItem]:
    """Month-N storage of a bucket growing at its kind's rate, split by lifecycle class.

    Data arrives evenly, so at month N the bucket holds ``growth x N`` months of objects aged
    0..N months; each storage class holds the part whose age lies in its lifecycle window.
    Documents also keep their superseded versions (the usage profile's share of the growth)
    under the noncurrent-version rules.
    Buckets of one kind in one region share the kind's growth; a replica starts in the storage
    class its source's replication rule names; a bucket with a replication rule also pays the
    inter-region transfer of its growth.
    """
    source = replication_source(resource, ctx)
    kind = _kind_in_region(resource, ctx)
    peers = [r for r in ctx.inventory.of_type(resource.type) if r.region == resource.region]
    peers = [r for r in peers if _kind_in_region(r, ctx) == kind]
    if kind == LOG_COPIES_KIND:  # grows with the subscribed groups' events, not a usage figure
        growth = copied_log_gb(ctx) / len(peers)
    elif kind == EDGE_LOGS_KIND:  # gzip files of WAF's records and CloudFront's standard logs
        vended = waf_log_gb(ctx) + delivered_to_s3_gb(ctx)
        growth = vended * ctx.usage.platform.log_storage_compression_ratio / len(peers)
    elif kind == AUDIT_ARCHIVE_KIND:  # the audit events Firehose writes, gzip-compressed
        growth = audit_archive_gb(ctx) / len(peers)
    else:
        growth = ctx.usage.traffic.s3_growth_gb_per_month[kind] / len(peers)
    first_class = (source or {}).get("Destination", {}).get("StorageClass", "STANDARD")
    current = _age_windows(resource, first_class)
    lines = _stored(resource, ctx, kind, growth, current, "")
    if kind == "documents":  # superseded and deleted versions, kept under the noncurrent rules
        superseded = growth * ctx.usage.platform.documents_superseded_share
        # A version is superseded in the class it lives in (after any day-0 transition).
        settled = next(c for c, start, stop in current if stop > start)
        windows = _noncurrent_windows(resource, settled)
        lines += _stored(resource, ctx, kind, superseded, windows, "superseded versions ")
    replication = resource.prop("ReplicationConfiguration")
    if replication:
        lines.append(
            ctx.line(
                TRANSFER,
                resource,
                f"{kind}: replication to the DR region",
                growth,
                "transfer.inter_region.gb",
            )
        )
        timed = [
            rule
            for rule in replication.get("Rules", [])
            if rule.get("Destination", {}).get("ReplicationTime", {}).get("Status") == "Enabled"
        ]
        if timed:
            lines.append(
                ctx.line(
                    S3,
                    resource,
                    f"{kind}: Replication Time Control",
                    growth,
                    "s3.replication_time_control.gb",
                )
            )
    return lines


def price_repository(resource: CfnResource, ctx: PricingContext) -> list[LineItem]:
    """Image storage, the tier's ECR volume split over the repositories."""
    gigabytes = ctx.usage.traffic.ecr_storage_gb * ctx.share(resource)
    return [
        ctx.line(ECR, resource, f"{gigabytes:g} GB of images", gigabytes, "ecr.storage.gb_month")
    ]


def price_image_replication(resource: CfnResource, ctx: PricingContext) -> list[LineItem]:
    """Each destination region stores a copy of the images (the tier's ECR volume)."""
    rules = resource.prop("ReplicationConfiguration", {}).get("Rules", [])
    destinations = sum(len(rule.get("Destinations", [])) for rule in rules)
    gigabytes = ctx.usage.traffic.ecr_storage_gb * destinations
    return [
        ctx.line(
            ECR,
            resource,
            f"{gigabytes:g} GB of replicated images in {destinations} region(s)",
            gigabytes,
            "ecr.storage.gb_month",
        )
    ]
