"""The spec's own cost table (infrastructure-architecture.md §7), to print beside the model's."""

from __future__ import annotations

from ops.cost import lines

TIERS = ("10k", "100k", "1m")

# Monthly USD per component and tier, as the spec's §7 table states them.
SPEC_MONTHLY: dict[str, dict[str, float]] = {
    lines.API: {"10k": 146, "100k": 365, "1m": 1095},
    lines.CELERY: {"10k": 73, "100k": 182, "1m": 547},
    lines.AURORA: {"10k": 292, "100k": 730, "1m": 2190},
    lines.CACHE: {"10k": 73, "100k": 182, "1m": 365},
    lines.KAFKA: {"10k": 0, "100k": 200, "1m": 400},
    lines.ALB: {"10k": 22, "100k": 45, "1m": 90},
    lines.NAT: {"10k": 32, "100k": 100, "1m": 300},
    lines.S3: {"10k": 10, "100k": 50, "1m": 200},
    lines.CLOUDWATCH: {"10k": 15, "100k": 50, "1m": 150},
    lines.TRANSFER: {"10k": 0, "100k": 33, "1m": 204},
}
SPEC_TOTAL_ON_DEMAND = {"10k": 663, "100k": 1937, "1m": 5541}
SPEC_TOTAL_RESERVED_3YR = {"10k": 464, "100k": 1356, "1m": 3879}


def spec_figure(component: str, tier: str) -> float | None:
    """The spec's monthly figure for a component at a tier, or None if the spec has no row."""
    return SPEC_MONTHLY.get(component, {}).get(tier)
