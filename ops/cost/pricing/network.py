"""NAT gateways, public IPv4 addresses, VPC endpoints, load balancers and data transfer."""

from __future__ import annotations

from ops.cost.inventory import CfnResource
from ops.cost.lines import ALB, ENDPOINTS, NAT, PUBLIC_IPV4, TRANSFER, LineItem
from ops.cost.pricing.context import PricingContext, Unpriceable

SECONDS_PER_HOUR = 3600
ALB_NEW_CONNECTIONS_PER_LCU = 25  # per second
ALB_GB_PER_LCU = 1  # processed GB per hour (EC2/IP targets)


def price_nat_gateway(resource: CfnResource, ctx: PricingContext) -> list[LineItem]:
    """Hours of one NAT gateway. No data: no security group sends beyond the VPC
    (docs/decisions/network-no-nat.md), so a NAT an operator turns on carries nothing until a
    dependency on the internet is added, and that dependency brings its own usage figure."""
    return [ctx.line(NAT, resource, "NAT gateway hours", ctx.hours, "nat.hour")]


def price_elastic_ip(resource: CfnResource, ctx: PricingContext) -> list[LineItem]:
    """A public IPv4 address: billed by the hour whether attached or idle."""
    return [
        ctx.line(PUBLIC_IPV4, resource, "Elastic IP (public IPv4)", ctx.hours, "ipv4.public_hour")
    ]


def price_vpc_endpoint(resource: CfnResource, ctx: PricingContext) -> list[LineItem]:
    """Interface endpoints: per AZ-hour and per GB; gateway endpoints (S3, DynamoDB) are free."""
    kind = resource.prop("VpcEndpointType", "Gateway")
    if kind == "Gateway":
        return []
    if kind != "Interface":
        raise Unpriceable(f"VpcEndpointType {kind!r}: only Interface and Gateway are priced")
    interfaces = [
        r
        for r in ctx.inventory.of_type(resource.type)
        if r.prop("VpcEndpointType", "Gateway") == "Interface"
    ]
    zones = len(resource.prop("SubnetIds", [])) or 1
    gigabytes = ctx.usage.traffic.interface_endpoint_gb / len(interfaces)
    name = resource.prop("ServiceName")
    # com.amazonaws.<region>.<service>: keep <service> (e.g. ecr.api).
    service = name.split(".", 3)[-1] if isinstance(name, str) else resource.logical_id
    return [
        ctx.line(
            ENDPOINTS,
            resource,
            f"{service}: {zones} AZs",
            zones * ctx.hours,
            "endpoint.interface.az_hour",
        ),
        ctx.line(
            ENDPOINTS,
            resource,
            f"{service}: data processed",
            gigabytes,
            "endpoint.interface.gb_processed",
        ),
    ]


def price_vpc(resource: CfnResource, ctx: PricingContext) -> list[LineItem]:
    """Traffic that crosses AZs (billed both ways). Nothing leaves for the internet but through
    CloudFront (its own line): no security group sends beyond the VPC."""
    cross_az = ctx.usage.traffic.cross_az_gb * ctx.share(resource)
    return [
        ctx.line(
            TRANSFER,
            resource,
            f"cross-AZ {cross_az:g} GB (each direction billed)",
            2 * cross_az,
            "transfer.cross_az.gb",
        )
    ]


def alb_lcus(ctx: PricingContext) -> float:
    """Average LCUs of the application's ALB: the larger of its new-connection and byte rates.

    LCUs bill each hour's largest dimension; when one dimension leads in every hour (bytes, for
    this API behind CloudFront) the month's LCU-hours are that dimension's average x hours.
    """
    traffic, platform = ctx.usage.traffic, ctx.usage.platform
    requests_per_second = traffic.requests_per_month / (ctx.hours * SECONDS_PER_HOUR)
    new_connections = requests_per_second * platform.alb_new_connections_per_request
    processed_gb_per_hour = traffic.cloudfront_transfer_out_gb / ctx.hours
    return max(
        new_connections / ALB_NEW_CONNECTIONS_PER_LCU, processed_gb_per_hour / ALB_GB_PER_LCU
    )


def price_load_balancer(resource: CfnResource, ctx: PricingContext) -> list[LineItem]:
    """Hours and LCUs; an internet-facing one also holds a public IPv4 address per AZ."""
    kind = resource.prop("Type", "application")
    if kind not in ("application", "network"):
        raise Unpriceable(f"load balancer type {kind!r}: only application and network are priced")
    prefix = "alb" if kind == "application" else "nlb"
    balancers = [
        r
        for r in ctx.inventory.of_type(resource.type)
        if r.prop("Type", "application") == kind and ctx.in_primary(r)
    ]
    # The DR region's balancers (the origin name's SECONDARY) carry nothing until a failover.
    lcus = alb_lcus(ctx) / len(balancers) if ctx.in_primary(resource) else 0.0
    lines = [
        ctx.line(ALB, resource, f"{kind} load balancer hours", ctx.hours, f"{prefix}.hour"),
        ctx.line(ALB, resource, f"avg {lcus:.3f} LCU", lcus * ctx.hours, f"{prefix}.lcu_hour"),
    ]
    if resource.prop("Scheme", "internet-facing") == "internet-facing":
        zones = len(resource.prop("Subnets", []) or resource.prop("SubnetMappings", [])) or 2
        lines.append(
            ctx.line(
                PUBLIC_IPV4,
                resource,
                f"internet-facing: {zones} public IPv4 (one per AZ)",
                zones * ctx.hours,
                "ipv4.public_hour",
            )
        )
    return lines
