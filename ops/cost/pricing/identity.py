"""Sign-in, the audit archive and the log copies: Cognito's monthly active users and Firehose's
ingestion."""

from __future__ import annotations

from ops.cost.inventory import CfnResource
from ops.cost.lines import AUDIT_ARCHIVE, COGNITO, LOG_COPIES, LineItem
from ops.cost.pricing.context import PricingContext
from ops.cost.pricing.observability import copied_log_gb


def price_user_pool(resource: CfnResource, ctx: PricingContext) -> list[LineItem]:
    """The tier's monthly active users (``identity.monthly_active_user_share`` of its users) at
    the pool's feature plan's per-MAU price."""
    plan = str(resource.prop("UserPoolTier", "ESSENTIALS")).lower()
    share = ctx.config.identity.monthly_active_user_share
    # A standby pool in the DR region signs nobody in until a failover.
    active = ctx.usage.traffic.users * share if ctx.in_primary(resource) else 0.0
    return [
        ctx.line(
            COGNITO,
            resource,
            f"{active:,.0f} monthly active users ({share:.0%} of {ctx.usage.traffic.users:,.0f}), "
            f"{plan} plan",
            active,
            f"cognito.{plan}.mau",
        )
    ]


def is_log_copies(resource: CfnResource) -> bool:
    """Whether a stream is the log groups' 30-month copy (infra/audit/log_copies.py)."""
    return "log-copies" in resource.words()


def price_delivery_stream(resource: CfnResource, ctx: PricingContext) -> list[LineItem]:
    """The log-copies stream: the subscribed groups' compressed events. An audit stream: audit
    events (each record billed at Firehose's 5 KB minimum), split over the audit streams. The
    objects they write are priced with their bucket."""
    if is_log_copies(resource):
        gigabytes = copied_log_gb(ctx) if ctx.in_primary(resource) else 0.0
        return [
            ctx.line(
                LOG_COPIES,
                resource,
                f"{gigabytes:,.1f} GB of log groups' events (gzip) ingested",
                gigabytes,
                "firehose.direct_put.gb",
            )
        ]
    platform, traffic = ctx.usage.platform, ctx.usage.traffic
    events = traffic.requests_per_month * platform.audit_events_per_request
    audit_streams = [
        r
        for r in ctx.inventory.of_type(resource.type)
        if ctx.in_primary(r) and not is_log_copies(r)
    ]
    share = 1 / len(audit_streams) if ctx.in_primary(resource) else 0.0
    gigabytes = events * platform.firehose_billed_kb_per_record / 1e6 * share
    return [
        ctx.line(
            AUDIT_ARCHIVE,
            resource,
            f"{events / 1e6:g} M audit events ingested",
            gigabytes,
            "firehose.direct_put.gb",
        )
    ]
