"""Cost levers: one configuration change each, priced by re-synthesizing the tier with it.

``python -m ops.cost --levers`` prices every lever against each tier's configuration, so the
savings docs/cost.md quotes come from the same model and templates as the totals.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from infra.config import Architecture, CapacityMode, CapacityProviderShare, PlatformConfig


@dataclass(frozen=True)
class Lever:
    """A named change to a configuration, and whether it keeps prod's availability."""

    name: str
    description: str
    keeps_availability: bool
    apply: Callable[[PlatformConfig], PlatformConfig]


def _database(**changes) -> Callable[[PlatformConfig], PlatformConfig]:
    return lambda c: replace(c, database=replace(c.database, **changes))


def _cache(**changes) -> Callable[[PlatformConfig], PlatformConfig]:
    return lambda c: replace(c, cache=replace(c.cache, **changes))


def _network(**changes) -> Callable[[PlatformConfig], PlatformConfig]:
    return lambda c: replace(c, network=replace(c.network, **changes))


def _backup(**changes) -> Callable[[PlatformConfig], PlatformConfig]:
    return lambda c: replace(c, backup=replace(c.backup, **changes))


def _edge(**changes) -> Callable[[PlatformConfig], PlatformConfig]:
    return lambda c: replace(c, edge=replace(c.edge, **changes))


def _compute(**changes) -> Callable[[PlatformConfig], PlatformConfig]:
    return lambda c: replace(c, compute=replace(c.compute, **changes))


def _provisioned(instance_class: str) -> Callable[[PlatformConfig], PlatformConfig]:
    return _database(capacity_mode=CapacityMode.PROVISIONED, instance_class=instance_class)


LEVERS: tuple[Lever, ...] = (
    Lever(
        "aurora-one-reader",
        "Aurora: 1 reader (failover target) instead of 2",
        True,
        _database(reader_count=1),
    ),
    Lever(
        "cache-two-nodes",
        "ElastiCache: primary + 1 replica instead of 2 replicas",
        True,
        _cache(node_count=2),
    ),
    Lever(
        "aurora-serverless-v2",
        "Aurora Serverless v2 instead of provisioned (what provisioned saves at 100k and 1m)",
        True,
        _database(capacity_mode=CapacityMode.SERVERLESS_V2),
    ),
    Lever(
        "aurora-r7g.xlarge",
        "Aurora provisioned db.r7g.xlarge instead of Serverless v2",
        True,
        _provisioned("r7g.xlarge"),
    ),
    Lever(
        "aurora-r7g.2xlarge",
        "Aurora provisioned db.r7g.2xlarge instead of Serverless v2",
        True,
        _provisioned("r7g.2xlarge"),
    ),
    Lever(
        "endpoints-three-azs",
        "Interface endpoints in all three AZs instead of two (what two save)",
        True,
        _network(endpoint_zone_count=3),
    ),
    Lever(
        "dr-copies-35-days",
        "DR vault keeps five weekly full copies (35 days) instead of two (what two save)",
        True,
        _backup(dr_copy_retention_days=35),
    ),
    Lever(
        "nat-per-az",
        "A NAT gateway per AZ (what running none saves: nothing egresses)",
        True,
        _network(nat_gateways=3),
    ),
    Lever(
        "cdn-logs-to-cloudwatch",
        "CloudFront standard logs into CloudWatch and its 30-month copy instead of the locked "
        "S3 bucket (what S3 saves)",
        True,
        _edge(access_log_destination="cloudwatch"),
    ),
    Lever(
        "x86",
        "x86_64 API and Beat instead of Graviton (what Graviton saves)",
        True,
        _compute(architecture=Architecture.X86_64),
    ),
    Lever(
        "worker-x86",
        "Workers on x86 80% Spot instead of Graviton 80% Spot (what Graviton saves)",
        True,
        _compute(worker_architecture=Architecture.X86_64),
    ),
    Lever(
        "redis",
        "Redis OSS instead of Valkey (what Valkey saves)",
        True,
        _cache(engine="redis", engine_version="7.1"),
    ),
    Lever(
        "worker-on-demand",
        "Workers all on-demand (what Spot saves)",
        True,
        _compute(worker_strategy=(CapacityProviderShare("FARGATE", weight=100, base=1),)),
    ),
)

# The choices issue 26 applied, each priced by undoing it: docs/cost.md's generated before/after
# table (``python -m ops.cost --doc``), per tier.
APPLIED: tuple[str, ...] = (
    "nat-per-az",
    "endpoints-three-azs",
    "dr-copies-35-days",
    "aurora-serverless-v2",
    "cdn-logs-to-cloudwatch",
)


def applied_levers() -> tuple[Lever, ...]:
    """The :data:`LEVERS` named in :data:`APPLIED`, in that order."""
    by_name = {lever.name: lever for lever in LEVERS}
    return tuple(by_name[name] for name in APPLIED)
