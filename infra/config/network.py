"""The VPC layout section: AZs, subnet CIDRs, NAT gateways, endpoints."""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, replace

from infra.config.errors import ConfigError


@dataclass(frozen=True)
class NetworkConfig:
    """VPC layout (spec §1.1): nine /24 subnets, three per tier, one per AZ."""

    availability_zones: tuple[str, ...]
    vpc_cidr: str = "10.0.0.0/16"
    public_subnet_cidrs: tuple[str, ...] = ("10.0.1.0/24", "10.0.2.0/24", "10.0.3.0/24")
    private_subnet_cidrs: tuple[str, ...] = ("10.0.10.0/24", "10.0.11.0/24", "10.0.12.0/24")
    database_subnet_cidrs: tuple[str, ...] = ("10.0.20.0/24", "10.0.21.0/24", "10.0.22.0/24")
    # No NAT gateway: no security group sends beyond the VPC, its endpoints and the S3 prefix
    # list (docs/decisions/network-task-egress.md), so a NAT would carry nothing and bill its
    # hours and public IPv4 (docs/decisions/network-no-nat.md). An operator who adds a
    # dependency on the internet turns them on here, one per AZ for AZ independence.
    nat_gateways: int = 0
    # The ALB admits only CloudFront: its origin-facing managed prefix list, by region (the ID
    # is fixed per region; looking it up would need an AWS account at synth).
    cloudfront_prefix_list_id: str = "pl-3b927c52"
    # The tasks reach S3 (ECR image layers, the documents bucket) through the gateway endpoint
    # only: their egress names the region's S3 managed prefix list (com.amazonaws.<region>.s3),
    # by ID for the same reason.
    s3_prefix_list_id: str = "pl-63a5400a"
    flow_log_traffic_type: str = "ALL"
    # The pilot-light DR region (docs/decisions/dr-pilot-light-region.md): the same layout under
    # its own /16 (no overlap, so the regions can be peered and a restored cluster or copied
    # security-group rule means the same thing in both) and, like the primary, no NAT.
    dr_vpc_cidr: str = "10.1.0.0/16"
    dr_nat_gateways: int = 0
    # The AWS APIs the tasks call, each through an interface endpoint (the tasks have no other
    # way out; docs/decisions/network-vpc-endpoints.md): image pulls, container logs, injected
    # secrets, ECS Exec (its channels and session key), the worker's queue metrics and audit
    # stream. Nothing calls STS (task credentials come from the ECS agent).
    interface_endpoints: tuple[str, ...] = (
        "ecr.api",
        "ecr.dkr",
        "logs",
        "secretsmanager",
        "kms",
        "ssmmessages",
        "monitoring",
        "kinesis-firehose",
        # The API and worker invoke the pool-admin function (user pools accept no PrivateLink
        # request once they have a domain: docs/decisions/identity-member-invitations.md).
        "lambda",
    )
    # The MSK API's (FIPS) endpoint where the tier runs Kafka: the deploy-time bootstrap-broker
    # lookup calls it from the VPC (infra/data/kafka_bootstrap.py).
    kafka_api_endpoint: bool = True

    # Where the interface endpoints have their network interfaces; () = the first
    # ``endpoint_zone_count`` AZs: every AZ of the VPC unless the tier chooses fewer (tiers.toml:
    # two, AWS's guidance for an endpoint resilient to an AZ's failure, cost-endpoints-two-azs.md).
    # Tasks in an AZ without them reach them across AZs at $0.01 a GB each way. The pilot-light
    # DR region keeps them in one AZ: its tasks have no internet egress, so they need the
    # endpoints from the first minute of a failover, not a NAT (dr-pilot-light-region.md).
    endpoint_availability_zones: tuple[str, ...] = ()
    endpoint_zone_count: int = 3

    def __post_init__(self) -> None:
        if len(self.availability_zones) < 2 or len(set(self.availability_zones)) != len(
            self.availability_zones
        ):
            raise ConfigError(
                "network.availability_zones",
                list(self.availability_zones),
                "2 or more distinct AZs",
            )
        vpc = _network("network.vpc_cidr", self.vpc_cidr)
        seen: list[tuple[str, ipaddress.IPv4Network]] = []
        for tier in ("public", "private", "database"):
            cidrs = getattr(self, f"{tier}_subnet_cidrs")
            name = f"network.{tier}_subnet_cidrs"
            if len(cidrs) != len(self.availability_zones):
                raise ConfigError(
                    name, list(cidrs), f"one CIDR per AZ ({len(self.availability_zones)})"
                )
            for index, cidr in enumerate(cidrs):
                subnet = _network(f"{name}[{index}]", cidr)
                if not subnet.subnet_of(vpc):
                    raise ConfigError(f"{name}[{index}]", cidr, f"a subnet inside {self.vpc_cidr}")
                for other_name, other in seen:
                    if subnet.overlaps(other):
                        raise ConfigError(
                            f"{name}[{index}]", cidr, f"a CIDR that does not overlap {other_name}"
                        )
                seen.append((f"{name}[{index}]={cidr}", subnet))
        # CloudFront's may be empty (no ingress, see dr_region_network); S3's never: the tasks
        # could not pull images, and no fallback opens their egress wider.
        if self.cloudfront_prefix_list_id:
            _prefix_list("network.cloudfront_prefix_list_id", self.cloudfront_prefix_list_id)
        _prefix_list("network.s3_prefix_list_id", self.s3_prefix_list_id)
        if not 1 <= self.endpoint_zone_count <= len(self.availability_zones):
            raise ConfigError(
                "network.endpoint_zone_count",
                self.endpoint_zone_count,
                f"1..{len(self.availability_zones)}",
            )
        for name in ("nat_gateways", "dr_nat_gateways"):
            if not 0 <= getattr(self, name) <= len(self.availability_zones):
                raise ConfigError(
                    f"network.{name}", getattr(self, name), f"0..{len(self.availability_zones)}"
                )

    def endpoint_zones(self) -> tuple[str, ...]:
        """The AZs the interface endpoints are placed in."""
        return (
            self.endpoint_availability_zones or self.availability_zones[: self.endpoint_zone_count]
        )


def dr_region_network(
    network: NetworkConfig, region: str, availability_zones: tuple[str, ...]
) -> NetworkConfig:
    """``network``'s layout in the DR ``region``: every subnet at the same offset in the DR CIDR,
    that region's S3 prefix list, and the ALB group admitting that region's CloudFront
    origin-facing prefix list (the DR ALB is the distribution's standby origin)."""
    old = ipaddress.IPv4Network(network.vpc_cidr)
    new = _network("network.dr_vpc_cidr", network.dr_vpc_cidr)
    if new.overlaps(old):
        raise ConfigError("network.dr_vpc_cidr", network.dr_vpc_cidr, f"not overlapping {old}")

    def moved(cidrs: tuple[str, ...]) -> tuple[str, ...]:
        shift = int(new.network_address) - int(old.network_address)
        return tuple(
            str(ipaddress.IPv4Network((int(net.network_address) + shift, net.prefixlen)))
            for net in map(ipaddress.IPv4Network, cidrs)
        )

    count = len(availability_zones)
    return replace(
        network,
        availability_zones=availability_zones,
        vpc_cidr=network.dr_vpc_cidr,
        public_subnet_cidrs=moved(network.public_subnet_cidrs)[:count],
        private_subnet_cidrs=moved(network.private_subnet_cidrs)[:count],
        database_subnet_cidrs=moved(network.database_subnet_cidrs)[:count],
        nat_gateways=network.dr_nat_gateways,
        kafka_api_endpoint=False,
        endpoint_availability_zones=availability_zones[:1],
        s3_prefix_list_id=region_prefix_list("dr_region", region, S3_GATEWAY_PREFIX_LISTS),
        cloudfront_prefix_list_id=region_prefix_list(
            "dr_region", region, CLOUDFRONT_ORIGIN_FACING_PREFIX_LISTS
        ),
    )


# com.amazonaws.global.cloudfront.origin-facing, per region (fixed by AWS; a lookup would need an
# account at synth).
CLOUDFRONT_ORIGIN_FACING_PREFIX_LISTS = {
    "us-east-1": "pl-3b927c52",
    "us-east-2": "pl-b6a144df",
    "us-west-1": "pl-4ea04527",
    "us-west-2": "pl-82a045eb",
}
# com.amazonaws.<region>.s3, the S3 gateway endpoint's destinations, per region (the same).
S3_GATEWAY_PREFIX_LISTS = {
    "us-east-1": "pl-63a5400a",
    "us-east-2": "pl-7ba54012",
    "us-west-2": "pl-68a54001",
}
_PREFIX_LIST = re.compile(r"pl-[0-9a-f]+")


def region_prefix_list(field_name: str, region: str, prefix_lists: dict[str, str]) -> str:
    """``region``'s entry of ``prefix_lists``; a region without one is a config error."""
    try:
        return prefix_lists[region]
    except KeyError:
        raise ConfigError(field_name, region, ", ".join(prefix_lists)) from None


def _prefix_list(field_name: str, value: str) -> None:
    if not _PREFIX_LIST.fullmatch(value):
        raise ConfigError(field_name, value, "a managed prefix list ID such as pl-63a5400a")


def _network(field_name: str, cidr: str) -> ipaddress.IPv4Network:
    try:
        return ipaddress.IPv4Network(cidr)
    except ValueError:
        raise ConfigError(field_name, cidr, "an IPv4 CIDR such as 10.0.1.0/24") from None
