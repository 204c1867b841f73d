"""CloudWatch: alarms, Synthetics canaries, dashboards, log groups (ingestion and retained
storage), metric filters."""

from __future__ import annotations

import json

from ops.cost.inventory import CfnResource
from ops.cost.lines import CLOUDWATCH, LineItem
from ops.cost.pricing.context import PricingContext

DAYS_PER_MONTH = 365 / 12
HIGH_RESOLUTION_BELOW_SECONDS = 60
# Log-group kind by a word of its name; first match wins (the usage file's log_gb_per_month).
LOG_KIND_MARKERS = (
    # Small groups first: release hooks, lookups, rotation and the Beat scheduler log little.
    ("other", ("release", "deploy", "lookup", "rotation", "beat")),
    ("waf", ("waf",)),
    ("cdn", ("cdn", "cloudfront")),
    ("cloudtrail", ("cloudtrail",)),
    ("database", ("rds", "postgres", "aurora")),
    ("cache", ("elasticache", "redis", "valkey")),
    ("kafka", ("msk", "kafka")),
    ("worker", ("worker", "celery")),
    ("web", ("nextjs", "/web", "web")),
    ("api", ("api",)),
)


def log_kind(resource: CfnResource) -> str:
    """The usage-profile kind of a log group (api, worker, database, ... or other)."""
    words = resource.words()
    for kind, markers in LOG_KIND_MARKERS:
        if any(marker in words for marker in markers):
            return kind
    return "other"


def price_alarm(resource: CfnResource, ctx: PricingContext) -> list[LineItem]:
    """One alarm-month per metric the alarm evaluates; high resolution below a 60-s period."""
    metrics = resource.prop("Metrics")
    if metrics:
        stats = [m["MetricStat"] for m in metrics if "MetricStat" in m]
        count = len(stats) or 1
        period = min((float(s.get("Period", 60)) for s in stats), default=60)
    else:
        count, period = 1, float(resource.prop("Period", 60))
    if "Band" in str(resource.prop("ComparisonOperator", "")):
        count *= 3  # an anomaly-detection alarm bills the metric and its two band bounds
    resolution = "high_resolution" if period < HIGH_RESOLUTION_BELOW_SECONDS else "standard"
    return [
        ctx.line(
            CLOUDWATCH,
            resource,
            f"alarm ({count} metric{'s' * (count > 1)}, {resolution})",
            count,
            f"cloudwatch.alarm.{resolution}_metric_month",
        )
    ]


def price_composite_alarm(resource: CfnResource, ctx: PricingContext) -> list[LineItem]:
    """A composite alarm."""
    return [
        ctx.line(CLOUDWATCH, resource, "composite alarm", 1, "cloudwatch.alarm.composite_month")
    ]


def price_canary(resource: CfnResource, ctx: PricingContext) -> list[LineItem]:
    """A Synthetics canary: one run per scheduled interval (``rate(N minutes)``), all month."""
    expression = resource.prop("Schedule")["Expression"]
    number, unit = expression.removeprefix("rate(").removesuffix(")").split()
    minutes = int(number) * (60 if unit.startswith("hour") else 1)
    runs = DAYS_PER_MONTH * 24 * 60 / minutes
    return [
        ctx.line(
            CLOUDWATCH,
            resource,
            f"Synthetics canary ({expression})",
            runs,
            "cloudwatch.synthetics.canary_run",
        )
    ]


def price_dashboard(resource: CfnResource, ctx: PricingContext) -> list[LineItem]:
    """A dashboard (the account's 3 free ones are not assumed: other dashboards take them)."""
    return [ctx.line(CLOUDWATCH, resource, "dashboard", 1, "cloudwatch.dashboard_month")]


def price_metric_filter(resource: CfnResource, ctx: PricingContext) -> list[LineItem]:
    """Each metric a filter publishes is a custom metric."""
    count = len(resource.prop("MetricTransformations", [])) or 1
    return [
        ctx.line(CLOUDWATCH, resource, "metric filter", count, "cloudwatch.custom_metric_month")
    ]


def ingested_gb(resource: CfnResource, ctx: PricingContext) -> float:
    """GB a month a log group ingests: its kind's volume split over the kind's groups."""
    kind = log_kind(resource)
    if not ctx.in_primary(resource):
        return 0.0  # the DR region's groups: nothing runs there until a failover
    if kind == "other":
        return ctx.usage.traffic.log_gb_per_month["other"]
    peers = [
        g for g in ctx.inventory.of_type(resource.type) if log_kind(g) == kind and ctx.in_primary(g)
    ]
    return ctx.usage.traffic.log_gb_per_month[kind] / len(peers)


def copied_log_gb(ctx: PricingContext) -> float:
    """GB a month the subscription filters send to Firehose: the ingestion of every subscribed
    group, gzip-compressed as CloudWatch Logs delivers it (infra/audit/log_copies.py)."""
    groups = [
        ctx.inventory.referenced(subscription, subscription.prop("LogGroupName"))
        for subscription in ctx.inventory.of_type("AWS::Logs::SubscriptionFilter")
        if ":deliverystream/" in json.dumps(subscription.prop("DestinationArn"))
    ]
    total = sum(ingested_gb(group, ctx) for group in groups if group is not None)
    return total * ctx.usage.platform.log_storage_compression_ratio


def audit_archive_gb(ctx: PricingContext) -> float:
    """GB a month the audit archive's streams write: one event per request of
    ``audit_event_kb``, gzip-compressed by Firehose (docs/decisions/audit-archive-firehose.md)."""
    platform, traffic = ctx.usage.platform, ctx.usage.traffic
    events = traffic.requests_per_month * platform.audit_events_per_request
    return events * platform.audit_event_kb / 1e6 * platform.log_storage_compression_ratio


def price_log_group(resource: CfnResource, ctx: PricingContext) -> list[LineItem]:
    """Ingestion by the group's class and the compressed storage its retention keeps at month N."""
    kind = log_kind(resource)
    ingested = ingested_gb(resource, ctx)
    infrequent = resource.prop("LogGroupClass") == "INFREQUENT_ACCESS"
    retention_days = float(resource.prop("RetentionInDays", float("inf")))
    kept_days = min(retention_days, ctx.usage.platform.pricing_month * DAYS_PER_MONTH)
    stored = (
        ingested * ctx.usage.platform.log_storage_compression_ratio * kept_days / DAYS_PER_MONTH
    )
    ingest_key = "ingest_infrequent" if infrequent else "ingest_standard"
    return [
        ctx.line(
            CLOUDWATCH,
            resource,
            f"{kind} logs {ingested:g} GB ingested ({'IA' if infrequent else 'Standard'})",
            ingested,
            f"cloudwatch.logs.{ingest_key}.gb",
            details={"kind": kind},
        ),
        ctx.line(
            CLOUDWATCH,
            resource,
            f"{kind} logs stored {stored:.3g} GB (retention {retention_days:g} d)",
            stored,
            "cloudwatch.logs.storage.gb_month",
        ),
    ]


def waf_log_gb(ctx: PricingContext) -> float:
    """GB a month of WAF log records (one per request inspected), before compression."""
    return ctx.usage.traffic.log_gb_per_month["waf"]


def _to_s3(resource: CfnResource) -> bool:
    return ":s3:::" in json.dumps(resource.prop("DestinationResourceArn"))


def delivered_to_s3_gb(ctx: PricingContext) -> float:
    """GB a month the log deliveries (standard logging v2) write into S3, before compression:
    each S3 delivery destination's log kind (CloudFront's ``<prefix>-cdn-access``: cdn)."""
    return sum(
        ctx.usage.traffic.log_gb_per_month[log_kind(destination)]
        for destination in ctx.inventory.of_type("AWS::Logs::DeliveryDestination")
        if _to_s3(destination) and ctx.in_primary(destination)
    )


def price_waf_logging(resource: CfnResource, ctx: PricingContext) -> list[LineItem]:
    """A web ACL's logging straight to S3 bills vended-log delivery per GB (its storage is the
    bucket's); to a log group or a Firehose stream, the destination bills."""
    destinations = json.dumps(resource.prop("LogDestinationConfigs", []))
    if ":s3:::" not in destinations:
        return []
    return [
        ctx.line(
            CLOUDWATCH,
            resource,
            "WAF logs delivered to S3 (vended)",
            waf_log_gb(ctx),
            "cloudwatch.vended_logs_to_s3.gb",
            details={"kind": "waf"},
        )
    ]


def price_delivery_destination(resource: CfnResource, ctx: PricingContext) -> list[LineItem]:
    """A standard-logging (v2) destination in S3 bills vended-log delivery per GB of its kind
    (its storage is the bucket's); a log-group destination bills as the group's ingestion."""
    if not _to_s3(resource):
        return []
    kind = log_kind(resource)
    gigabytes = ctx.usage.traffic.log_gb_per_month[kind] if ctx.in_primary(resource) else 0.0
    return [
        ctx.line(
            CLOUDWATCH,
            resource,
            f"{kind} logs delivered to S3 (vended)",
            gigabytes,
            "cloudwatch.vended_logs_to_s3.gb",
            details={"kind": kind},
        )
    ]


def price_flow_log(resource: CfnResource, ctx: PricingContext) -> list[LineItem]:
    """Vended-log delivery of flow logs (their storage is the destination bucket's or group's)."""
    gigabytes = ctx.usage.traffic.flow_log_gb_per_month * ctx.share(resource)
    destination = resource.prop("LogDestinationType", "cloud-watch-logs")
    key = (
        "cloudwatch.vended_logs_to_s3.gb"
        if destination == "s3"
        else "cloudwatch.vended_logs_to_logs.gb"
    )
    return [ctx.line(CLOUDWATCH, resource, f"flow logs to {destination}", gigabytes, key)]
