"""KMS keys, secrets, and the account's detective controls (GuardDuty, Config, Security Hub)."""

from __future__ import annotations

from ops.cost.inventory import CfnResource
from ops.cost.lines import KMS, SECRETS, SECURITY, LineItem
from ops.cost.pricing.compute import average_fargate_vcpus
from ops.cost.pricing.context import PricingContext


def price_key(resource: CfnResource, ctx: PricingContext) -> list[LineItem]:
    """A customer managed key (rotations add key-months) and its share of requests."""
    rotated = bool(resource.prop("EnableKeyRotation"))
    versions = ctx.usage.platform.kms_billed_key_versions if rotated else 1.0
    requests = ctx.usage.traffic.kms_requests_per_month * ctx.share(resource)
    return [
        ctx.line(
            KMS,
            resource,
            f"key ({versions:g} billed versions{' with rotation' * rotated})",
            versions,
            "kms.key_month",
        ),
        ctx.line(KMS, resource, "requests", requests / 10_000, "kms.requests.per_10k"),
    ]


def price_secret(resource: CfnResource, ctx: PricingContext) -> list[LineItem]:
    """A secret, each replica of it in another region (billed as a secret), and API calls."""
    calls = ctx.usage.traffic.secrets_api_calls_per_month * ctx.share(resource)
    copies = 1 + len(resource.prop("ReplicaRegions") or [])
    return [
        ctx.line(
            SECRETS,
            resource,
            "secret" + (f" and {copies - 1} replica(s)" if copies > 1 else ""),
            copies,
            "secretsmanager.secret_month",
        ),
        ctx.line(SECRETS, resource, "API calls", calls / 10_000, "secretsmanager.api.per_10k"),
    ]


def _features(resource: CfnResource) -> set[str]:
    return {
        f.get("Name")
        for f in resource.prop("Features", [])
        if f.get("Status", "ENABLED") == "ENABLED"
    }


def standby_resource_share(ctx: PricingContext) -> float:
    """The standby region's resources per primary-region resource, counted in the templates
    (CDK's own custom resources and metadata left out): what its Config rules and Security
    Hub controls evaluate, against the primary's."""

    def counted(resource: CfnResource) -> bool:
        return not resource.type.startswith("Custom::") and resource.type != "AWS::CDK::Metadata"

    primary = standby = 0
    for resource in ctx.inventory.resources:
        if counted(resource):
            if ctx.in_primary(resource):
                primary += 1
            else:
                standby += 1
    return standby / primary if primary else 0.0


def regional_share(resource: CfnResource, ctx: PricingContext, *, by_resources: bool) -> float:
    """1 in the primary region. In the standby region: its share of the templates' resources
    for what is evaluated per resource, the usage profile's ``standby_activity_share`` for what
    activity drives (events, flows, data events, configuration changes)."""
    if ctx.in_primary(resource):
        return 1.0
    if by_resources:
        return standby_resource_share(ctx)
    return ctx.usage.platform.standby_activity_share


def price_detector(resource: CfnResource, ctx: PricingContext) -> list[LineItem]:
    """GuardDuty: CloudTrail events, flow and DNS logs, S3 data events (S3 Protection) and
    Fargate runtime monitoring where those features are on."""
    traffic, share = ctx.usage.traffic, regional_share(resource, ctx, by_resources=False)
    lines = [
        ctx.line(
            SECURITY,
            resource,
            "GuardDuty: CloudTrail management events",
            traffic.cloudtrail_management_events_million * share,
            "guardduty.cloudtrail_events.per_million",
        ),
        ctx.line(
            SECURITY,
            resource,
            "GuardDuty: VPC flow and DNS logs",
            traffic.flow_log_gb_per_month * share,
            "guardduty.flow_dns_logs.gb",
        ),
    ]
    if "S3_DATA_EVENTS" in _features(resource):
        lines.append(
            ctx.line(
                SECURITY,
                resource,
                "GuardDuty: S3 Protection (S3 data events)",
                traffic.s3_data_events_million * share,
                "guardduty.s3_data_events.per_million",
            )
        )
    if "RUNTIME_MONITORING" in _features(resource) and ctx.in_primary(resource):
        vcpus = average_fargate_vcpus(ctx)
        lines.append(
            ctx.line(
                SECURITY,
                resource,
                f"GuardDuty: Fargate runtime monitoring {vcpus:g} vCPU",
                vcpus,
                "guardduty.fargate_runtime.vcpu_month",
            )
        )
    return lines


def price_config_recorder(resource: CfnResource, ctx: PricingContext) -> list[LineItem]:
    """AWS Config: configuration items recorded (changes: activity) and rule evaluations
    (each rule over each resource it applies to)."""
    traffic = ctx.usage.traffic
    changed = regional_share(resource, ctx, by_resources=False)
    evaluated = regional_share(resource, ctx, by_resources=True)
    return [
        ctx.line(
            SECURITY,
            resource,
            "Config: configuration items",
            traffic.config_items_per_month * changed,
            "config.item",
        ),
        ctx.line(
            SECURITY,
            resource,
            "Config: rule evaluations",
            traffic.config_rule_evaluations_per_month * evaluated,
            "config.rule_evaluation",
        ),
    ]


def price_security_hub(resource: CfnResource, ctx: PricingContext) -> list[LineItem]:
    """Security Hub CSPM: security checks."""
    return [
        ctx.line(
            SECURITY,
            resource,
            "Security Hub: security checks",
            ctx.usage.traffic.securityhub_checks_per_month
            * regional_share(resource, ctx, by_resources=True),
            "securityhub.check",
        )
    ]
