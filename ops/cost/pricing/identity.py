"""Sign-in and the audit archive: Cognito's monthly active users and Firehose's ingestion."""

from __future__ import annotations

from ops.cost.inventory import CfnResource
from ops.cost.lines import AUDIT_ARCHIVE, COGNITO, LineItem
from ops.cost.pricing.context import PricingContext


def price_user_pool(resource: CfnResource, ctx: PricingContext) -> list[LineItem]:
    """The tier's monthly active users at the pool's feature plan's per-MAU price."""
    plan = str(resource.prop("UserPoolTier", "ESSENTIALS")).lower()
    share = ctx.usage.platform.monthly_active_user_share
    active = ctx.usage.traffic.users * share
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


def price_delivery_stream(resource: CfnResource, ctx: PricingContext) -> list[LineItem]:
    """Audit events ingested (each record billed at Firehose's 5 KB minimum), split over the
    streams; the objects they write are priced with their bucket."""
    platform, traffic = ctx.usage.platform, ctx.usage.traffic
    events = traffic.requests_per_month * platform.audit_events_per_request
    gigabytes = events * platform.firehose_billed_kb_per_record / 1e6 * ctx.share(resource)
    return [
        ctx.line(
            AUDIT_ARCHIVE,
            resource,
            f"{events / 1e6:g} M audit events ingested",
            gigabytes,
            "firehose.direct_put.gb",
        )
    ]
