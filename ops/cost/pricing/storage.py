"""S3 buckets (by lifecycle class), ECR repositories, AWS Backup vaults and plans."""

from __future__ import annotations

import json

from ops.cost.inventory import CfnResource
from ops.cost.lines import BACKUP, ECR, S3, TRANSFER, LineItem
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
    if resource.region == ctx.config.environment.region or replication_source(resource, ctx):
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


def _protected(plan: CfnResource, ctx: PricingContext) -> list[tuple[str, float, float, str]]:
    """(what, full GB at month N, GB changed per day, warm price key) per protected resource.

    Read from the plan's backup selections: Aurora clusters by their ARN, S3 buckets by name.
    Aurora rewrites blocks (a share of the database a day); documents are written once, so a
    bucket's change per day is its growth, which its full size at month N already holds.
    """
    platform, traffic = ctx.usage.platform, ctx.usage.traffic
    aurora_gb = traffic.aurora_storage_gb + traffic.aurora_storage_growth_gb_per_month * (
        platform.pricing_month
    )
    protected = []
    for selection in ctx.inventory.of_type("AWS::Backup::BackupSelection"):
        body = selection.prop("BackupSelection", {})
        if ctx.inventory.referenced(selection, selection.prop("BackupPlanId")) != plan:
            continue
        for target in body.get("Resources", []):
            text = json.dumps(target).lower()
            if ":rds:" in text:
                daily = aurora_gb * platform.backup_daily_change_fraction
                protected.append(("Aurora", aurora_gb, daily, "backup.aurora_warm.gb_month"))
            elif "bucket" in text or ":s3:" in text:
                kind = next((k for k in ("documents", "backups", "logs") if k in text), "other")
                growth = traffic.s3_growth_gb_per_month[kind]
                protected.append(
                    (
                        f"S3 {kind}",
                        growth * platform.pricing_month,
                        growth / DAYS_PER_MONTH,
                        "backup.s3_warm.gb_month",
                    )
                )
    return protected


def price_backup_vault(resource: CfnResource, ctx: PricingContext) -> list[LineItem]:
    """What a vault holds at month N: per protected resource one full copy plus its changes.

    Points are incremental and share unchanged blocks, so a resource's points in one vault hold
    its full size (documents: all of it, written once) plus every day's change (Aurora) over
    the longest window any rule or copy action keeps them. Neither Aurora nor S3 backups have
    a cold tier in AWS Backup, so cold-storage settings do not change the price.
    """
    name = resource.prop("BackupVaultName")
    age_days = ctx.usage.platform.pricing_month * DAYS_PER_MONTH
    held: dict[str, tuple[float, float, float, str]] = {}  # what -> full, days, change/day, key
    for plan in ctx.inventory.of_type("AWS::Backup::BackupPlan"):
        for rule in plan.prop("BackupPlan", {}).get("BackupPlanRule", []):
            lifecycles = [
                copy.get("Lifecycle", rule.get("Lifecycle", {}))
                for copy in rule.get("CopyActions", [])
                if f"backup-vault:{name}" in json.dumps(copy.get("DestinationBackupVaultArn"))
            ]
            if ctx.inventory.referenced(plan, rule.get("TargetBackupVault")) == resource:
                lifecycles.append(rule.get("Lifecycle", {}))
            for lifecycle in lifecycles:
                window = min(float(lifecycle.get("DeleteAfterDays", age_days)), age_days)
                for what, full, daily_change, price_key in _protected(plan, ctx):
                    kept = held.get(what, (full, 0.0, daily_change, price_key))[1]
                    held[what] = (full, max(kept, window), daily_change, price_key)
    lines = []
    for what, (full, days, daily_change, price_key) in held.items():
        changes = 0.0 if what.startswith("S3") else daily_change * days
        lines.append(
            ctx.line(
                BACKUP,
                resource,
                f"{what}: full {full:,.0f} GB + {days:.0f} days of change {changes:,.0f} GB",
                full + changes,
                price_key,
            )
        )
    return lines


def price_backup_plan(resource: CfnResource, ctx: PricingContext) -> list[LineItem]:
    """The inter-region transfer of each rule's copies: every new increment, each copy action.

    (What the points store is priced on the vaults that hold them.)
    """
    lines = []
    for rule in resource.prop("BackupPlan", {}).get("BackupPlanRule", []):
        copies = len(rule.get("CopyActions", []))
        if not copies:
            continue
        for what, _full, daily_change, _key in _protected(resource, ctx):
            lines.append(
                ctx.line(
                    TRANSFER,
                    resource,
                    f"{rule.get('RuleName', 'rule')}: {what} copies to the DR region",
                    copies * daily_change * DAYS_PER_MONTH,
                    "transfer.inter_region.gb",
                )
            )
    return lines
