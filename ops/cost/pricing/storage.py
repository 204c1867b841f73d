"""S3 buckets (by lifecycle class) and ECR repositories."""

from __future__ import annotations

import json

from ops.cost.inventory import CfnResource
from ops.cost.lines import ECR, S3, TRANSFER, LineItem
from ops.cost.pricing.context import PricingContext

DAYS_PER_MONTH = 365 / 12


def bucket_kind(resource: CfnResource) -> str:
    """documents, backups, logs, access_logs or other, from the bucket's names."""
    words = resource.words().replace("-", "").replace("_", "")
    if "accesslog" in words:
        return "access_logs"
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


def price_bucket(resource: CfnResource, ctx: PricingContext) -> list[LineItem]:
    """Month-N storage of a bucket growing at its kind's rate, split by lifecycle class.

    Data arrives evenly, so at month N the bucket holds ``growth x N`` months of objects aged
    0..N months; each storage class holds the part whose age lies in its lifecycle window.
    Buckets of one kind in one region share the kind's growth; a replica starts in the storage
    class its source's replication rule names; a bucket with a replication rule also pays the
    inter-region transfer of its growth.
    """
    source = replication_source(resource, ctx)
    kind = _kind_in_region(resource, ctx)
    peers = [r for r in ctx.inventory.of_type(resource.type) if r.region == resource.region]
    peers = [r for r in peers if _kind_in_region(r, ctx) == kind]
    growth = ctx.usage.traffic.s3_growth_gb_per_month[kind] / len(peers)
    age_days = ctx.usage.platform.pricing_month * DAYS_PER_MONTH
    first_class = (source or {}).get("Destination", {}).get("StorageClass", "STANDARD")
    lines = []
    for storage_class, start, stop in _age_windows(resource, first_class):
        held_days = max(0.0, min(stop, age_days) - start)
        if held_days == 0:
            continue
        gigabytes = growth * held_days / DAYS_PER_MONTH
        lines.append(
            ctx.line(
                S3,
                resource,
                f"{kind}: {gigabytes:g} GB in {storage_class}",
                gigabytes,
                f"s3.{storage_class.lower()}.gb_month",  # a class without a price: not priced
                details={"kind": kind},
            )
        )
    if resource.prop("ReplicationConfiguration"):
        lines.append(
            ctx.line(
                TRANSFER,
                resource,
                f"{kind}: replication to the DR region",
                growth,
                "transfer.inter_region.gb",
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
