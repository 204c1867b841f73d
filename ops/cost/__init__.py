"""The cost model: the monthly cost of an environment and tier, computed from its templates.

``python -m ops.cost`` (see :mod:`ops.cost.cli`) synthesizes each tier and writes a table, CSV,
JSON and a chart; :func:`monthly_total` gives ``make synth``'s summary its last line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from infra.synth import SynthResult


def monthly_total(result: SynthResult) -> float:
    """Monthly on-demand USD of a synthesis, with the default price snapshot and usage profile."""
    from ops.cost.inventory import Inventory
    from ops.cost.model import estimate
    from ops.cost.prices import load_prices
    from ops.cost.usage import load_usage

    config = result.config
    return estimate(
        Inventory.from_result(result), config, load_prices(), load_usage(config.tier.name)
    ).on_demand
