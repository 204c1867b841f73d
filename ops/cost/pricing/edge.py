"""CloudFront, WAF and Route 53: monthly fees plus the tier's requests and bytes."""

from __future__ import annotations

from ops.cost.inventory import CfnResource
from ops.cost.lines import CLOUDFRONT, ROUTE53, WAF, LineItem
from ops.cost.pricing.context import PricingContext

# Managed rule groups with a subscription fee on top of the rule fee.
PAID_RULE_GROUPS = {"AWSManagedRulesBotControlRuleSet": "waf.bot_control_month"}


def price_distribution(resource: CfnResource, ctx: PricingContext) -> list[LineItem]:
    """Data out and HTTPS requests beyond CloudFront's always-free monthly allowance."""
    share = ctx.share(resource)
    traffic, platform = ctx.usage.traffic, ctx.usage.platform
    gigabytes = max(0.0, traffic.cloudfront_transfer_out_gb - platform.cloudfront_free_tier_gb)
    requests = max(0.0, traffic.requests_per_month - platform.cloudfront_free_tier_requests)
    return [
        ctx.line(
            CLOUDFRONT,
            resource,
            f"data out {traffic.cloudfront_transfer_out_gb:g} GB "
            f"({platform.cloudfront_free_tier_gb:g} GB free)",
            gigabytes * share,
            "cloudfront.transfer_out.gb",
        ),
        ctx.line(
            CLOUDFRONT,
            resource,
            f"{traffic.requests_per_month / 1e6:g} M HTTPS requests "
            f"({platform.cloudfront_free_tier_requests / 1e6:g} M free)",
            requests * share / 10_000,
            "cloudfront.https_requests.per_10k",
        ),
    ]


def price_function(resource: CfnResource, ctx: PricingContext) -> list[LineItem]:
    """A viewer-request function runs on every request of the behaviours it is attached to:
    priced as if every request (no free allowance for functions)."""
    requests = ctx.usage.traffic.requests_per_month * ctx.share(resource)
    return [
        ctx.line(
            CLOUDFRONT,
            resource,
            f"function {requests / 1e6:g} M invocations",
            requests / 1e6,
            "cloudfront.functions.per_million",
        )
    ]


def _managed_groups(rule: dict) -> list[str]:
    statement = rule.get("Statement", {})
    group = statement.get("ManagedRuleGroupStatement")
    return [group["Name"]] if group else []


def price_web_acl(resource: CfnResource, ctx: PricingContext) -> list[LineItem]:
    """The web ACL, one fee per rule (a rule group counts as one), and every request inspected."""
    rules = resource.prop("Rules", [])
    lines = [
        ctx.line(WAF, resource, "web ACL", 1, "waf.web_acl_month"),
        ctx.line(WAF, resource, f"{len(rules)} rules", len(rules), "waf.rule_month"),
        ctx.line(
            WAF,
            resource,
            "requests inspected",
            ctx.usage.traffic.requests_per_month / 1e6,
            "waf.requests.per_million",
        ),
    ]
    for rule in rules:
        for group in _managed_groups(rule):
            if group in PAID_RULE_GROUPS:
                lines.append(ctx.line(WAF, resource, group, 1, PAID_RULE_GROUPS[group]))
    return lines


def price_hosted_zone(resource: CfnResource, ctx: PricingContext) -> list[LineItem]:
    """A hosted zone and its share of non-alias queries."""
    return [
        ctx.line(ROUTE53, resource, "hosted zone", 1, "route53.hosted_zone_month"),
        ctx.line(
            ROUTE53,
            resource,
            "standard queries",
            ctx.usage.traffic.route53_queries_million * ctx.share(resource),
            "route53.queries.per_million",
        ),
    ]


def price_health_check(resource: CfnResource, ctx: PricingContext) -> list[LineItem]:
    """A health check of an AWS endpoint plus each optional feature it uses."""
    config = resource.prop("HealthCheckConfig", {})
    features = [
        name
        for name, used in (
            ("HTTPS", str(config.get("Type", "")).startswith("HTTPS")),
            ("string matching", "STR_MATCH" in str(config.get("Type", ""))),
            ("fast interval", int(config.get("RequestInterval", 30)) == 10),
            ("latency measurement", bool(config.get("MeasureLatency"))),
        )
        if used
    ]
    lines = [
        ctx.line(ROUTE53, resource, "health check (AWS endpoint)", 1, "route53.health_check_month")
    ]
    if features:
        lines.append(
            ctx.line(
                ROUTE53,
                resource,
                "optional features: " + ", ".join(features),
                len(features),
                "route53.health_check_feature_month",
            )
        )
    return lines
