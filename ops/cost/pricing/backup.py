"""AWS Backup vaults and plans, billed as AWS bills them.

Aurora and S3 recovery points are billed differently (Aurora User Guide, "Understanding Aurora
backup storage usage" and "Copying a DB cluster snapshot"; AWS Backup pricing):

- An Aurora snapshot kept within the cluster's point-in-time window is covered by its continuous
  backup (priced on the cluster); every snapshot kept beyond that window is billed at the full
  cluster size it had when taken. A copy in another region is always a full copy, billed at full
  size for as long as it is kept, and every copy moves the whole cluster between regions.
- S3 backups are incremental: a bucket's points hold its objects once plus their changes;
  documents are written once, so a vault holds the bucket's size.

Neither has a cold tier in AWS Backup, so cold-storage settings do not change the price.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from ops.cost.inventory import CfnResource
from ops.cost.lines import AURORA, BACKUP, TRANSFER, LineItem
from ops.cost.pricing.context import PricingContext, Unpriceable

DAYS_PER_MONTH = 365 / 12
_RATE = re.compile(r"rate\((\d+) (minute|hour|day)s?\)")
_RATE_DAYS = {"minute": 1 / 1440, "hour": 1 / 24, "day": 1.0}


def snapshot_interval_days(schedule: str) -> float:
    """Days between two runs of an AWS Backup schedule (``cron(...)`` or ``rate(...)``)."""
    rate = _RATE.fullmatch(schedule.strip())
    if rate:
        return int(rate.group(1)) * _RATE_DAYS[rate.group(2)]
    cron = re.fullmatch(r"cron\((.+)\)", schedule.strip())
    if cron is None or len(cron.group(1).split()) != 6:
        raise Unpriceable(f"schedule {schedule!r}: not a cron(...) or rate(...) expression")
    _minute, hour, day_of_month, _month, day_of_week, _year = cron.group(1).split()
    if hour == "*":
        return 1 / 24
    if hour.startswith("*/") or hour.startswith("0/"):
        return int(hour[2:]) / 24
    if day_of_week not in ("?", "*"):
        return 7 / len(day_of_week.split(","))
    if day_of_month not in ("?", "*"):
        return DAYS_PER_MONTH / len(day_of_month.split(","))
    return 1.0


@dataclass(frozen=True)
class Protected:
    """One resource a plan backs up, as the vaults' prices need it at the pricing month."""

    what: str
    aurora: bool
    full_gb: float  # its size at the pricing month
    growth_gb_per_day: float
    pitr_days: float  # Aurora: the cluster's point-in-time window (0 for S3)

    def size_days_ago(self, days: float) -> float:
        """Its size ``days`` before the pricing month (linear growth)."""
        return self.full_gb - self.growth_gb_per_day * days


def _pitr_days(plan: CfnResource, ctx: PricingContext) -> float:
    """The longest backup retention of the Aurora clusters in the plan's region."""
    days = [
        float(cluster.prop("BackupRetentionPeriod", 1))
        for cluster in ctx.inventory.of_type("AWS::RDS::DBCluster")
        if cluster.region == plan.region
    ]
    return max(days, default=1.0)


def protected_resources(plan: CfnResource, ctx: PricingContext) -> list[Protected]:
    """What the plan's selections back up: Aurora clusters by ARN, S3 buckets by name."""
    platform, traffic = ctx.usage.platform, ctx.usage.traffic
    month_days = platform.pricing_month * DAYS_PER_MONTH
    protected = []
    for selection in ctx.inventory.of_type("AWS::Backup::BackupSelection"):
        if ctx.inventory.referenced(selection, selection.prop("BackupPlanId")) != plan:
            continue
        for target in selection.prop("BackupSelection", {}).get("Resources", []):
            text = json.dumps(target).lower()
            if ":rds:" in text:
                growth = traffic.aurora_storage_growth_gb_per_month / DAYS_PER_MONTH
                full = traffic.aurora_storage_gb + growth * month_days
                protected.append(Protected("Aurora", True, full, growth, _pitr_days(plan, ctx)))
            elif "bucket" in text or ":s3:" in text:
                kind = next((k for k in ("documents", "backups", "logs") if k in text), "other")
                growth = traffic.s3_growth_gb_per_month[kind] / DAYS_PER_MONTH
                protected.append(Protected(f"S3 {kind}", False, growth * month_days, growth, 0.0))
    return protected


def billed_snapshots(
    resource: Protected, interval_days: float, kept_days: float, month_days: float, free_days: float
) -> tuple[int, float]:
    """(count, GB) of the Aurora snapshots taken every ``interval_days`` and kept ``kept_days``
    that exist at the pricing month and are older than ``free_days``, each at its size then."""
    count, gigabytes, index = 0, 0.0, 0
    while (age := index * interval_days) < min(kept_days, month_days):
        if age >= free_days:
            count += 1
            gigabytes += resource.size_days_ago(age)
        index += 1
    return count, gigabytes


@dataclass(frozen=True)
class _Keeps:
    """One rule or copy action that puts recovery points into a vault."""

    rule: str
    interval_days: float
    kept_days: float
    same_region: bool  # the points are the plan's own (not copies from another region)


def _keeps(vault: CfnResource, ctx: PricingContext) -> list[tuple[CfnResource, _Keeps]]:
    name = vault.prop("BackupVaultName")
    found = []
    for plan in ctx.inventory.of_type("AWS::Backup::BackupPlan"):
        for rule in plan.prop("BackupPlan", {}).get("BackupPlanRule", []):
            interval = snapshot_interval_days(rule.get("ScheduleExpression", "rate(1 day)"))
            rule_name = rule.get("RuleName", "rule")
            lifecycles = [
                (copy.get("Lifecycle", rule.get("Lifecycle", {})), False)
                for copy in rule.get("CopyActions", [])
                if f"backup-vault:{name}" in json.dumps(copy.get("DestinationBackupVaultArn"))
            ]
            if ctx.inventory.referenced(plan, rule.get("TargetBackupVault")) == vault:
                lifecycles.append((rule.get("Lifecycle", {}), True))
            for lifecycle, own in lifecycles:
                kept = float(lifecycle.get("DeleteAfterDays", float("inf")))
                found.append((plan, _Keeps(rule_name, interval, kept, own)))
    return found


def price_backup_vault(resource: CfnResource, ctx: PricingContext) -> list[LineItem]:
    """What a vault holds at the pricing month, per protected resource.

    Aurora: every snapshot billed at full size (see the module docstring), per rule. S3: the
    bucket's size once plus nothing for documents written once, over all rules together.
    """
    month_days = ctx.usage.platform.pricing_month * DAYS_PER_MONTH
    lines: list[LineItem] = []
    s3_held: dict[str, float] = {}
    for plan, keeps in _keeps(resource, ctx):
        for protected in protected_resources(plan, ctx):
            if not protected.aurora:
                s3_held[protected.what] = protected.full_gb
                continue
            free_days = protected.pitr_days if keeps.same_region else 0.0
            count, gigabytes = billed_snapshots(
                protected, keeps.interval_days, keeps.kept_days, month_days, free_days
            )
            if not count:
                continue
            where = "beyond the PITR window" if keeps.same_region else "full cross-region copies"
            lines.append(
                ctx.line(
                    BACKUP,
                    resource,
                    f"Aurora {keeps.rule}: {count} snapshots {where}, {gigabytes:,.0f} GB",
                    gigabytes,
                    "backup.aurora_warm.gb_month",
                    details={"snapshots": count},
                )
            )
    for what, gigabytes in s3_held.items():
        lines.append(
            ctx.line(
                BACKUP,
                resource,
                f"{what}: {gigabytes:,.0f} GB (incremental points)",
                gigabytes,
                "backup.s3_warm.gb_month",
            )
        )
    return lines


def price_backup_plan(resource: CfnResource, ctx: PricingContext) -> list[LineItem]:
    """The inter-region transfer of each rule's copies.

    An Aurora copy moves the whole cluster each time; an S3 copy moves the new objects.
    (What the points store is priced on the vaults that hold them.)
    """
    lines = []
    for rule in resource.prop("BackupPlan", {}).get("BackupPlanRule", []):
        copies = len(rule.get("CopyActions", []))
        if not copies:
            continue
        interval = snapshot_interval_days(rule.get("ScheduleExpression", "rate(1 day)"))
        for protected in protected_resources(resource, ctx):
            if protected.aurora:
                gigabytes = copies * protected.full_gb * DAYS_PER_MONTH / interval
                what = f"Aurora full copies ({DAYS_PER_MONTH / interval:,.1f} a month)"
            else:
                gigabytes = copies * protected.growth_gb_per_day * DAYS_PER_MONTH
                what = protected.what
            lines.append(
                ctx.line(
                    TRANSFER,
                    resource,
                    f"{rule.get('RuleName', 'rule')}: {what} to the DR region",
                    gigabytes,
                    "transfer.inter_region.gb",
                )
            )
    return lines


def price_event_rule(resource: CfnResource, ctx: PricingContext) -> list[LineItem]:
    """Schedules and AWS service events on the default bus are free; a schedule that runs the
    archive exporter bills one snapshot export a month, per GB of the cluster's size."""
    exporters = [
        function
        for target in resource.prop("Targets", [])
        if (function := ctx.inventory.referenced(resource, target.get("Arn"))) is not None
        and "EXPORT_DAY" in function.prop("Environment", {}).get("Variables", {})
    ]
    if not exporters:
        return []
    traffic = ctx.usage.traffic
    gigabytes = (
        traffic.aurora_storage_gb
        + traffic.aurora_storage_growth_gb_per_month * ctx.usage.platform.pricing_month
    )
    return [
        ctx.line(
            AURORA,
            resource,
            f"monthly snapshot export to the archive: {gigabytes:,.0f} GB",
            gigabytes,
            "rds.snapshot_export.gb",
        )
    ]
