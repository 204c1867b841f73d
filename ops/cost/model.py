"""The estimate: each resource priced by its type's rule, or listed as not priced."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from infra.config import PlatformConfig
from ops.cost.inventory import Inventory
from ops.cost.lines import COMPONENTS, LineItem, NotPriced
from ops.cost.prices import PriceBook
from ops.cost.pricing import RULES
from ops.cost.pricing.context import PricingContext, Unpriceable
from ops.cost.pricing.free import no_charge_reason
from ops.cost.usage import Usage


@dataclass(frozen=True)
class ComponentCost:
    """Monthly cost of one component: on-demand and with 1- and 3-year commitments."""

    component: str
    on_demand: float
    one_year: float
    three_year: float


@dataclass(frozen=True)
class Estimate:
    """One environment at one tier: line items, what could not be priced, what costs nothing."""

    environment: str
    tier: str
    price_snapshot: str
    lines: tuple[LineItem, ...]
    not_priced: tuple[NotPriced, ...]
    no_charge: dict[str, int]

    def components(self) -> list[ComponentCost]:
        """Cost per component, in the spec's row order, components with lines only."""
        totals: dict[str, list[float]] = {}
        for line in self.lines:
            sums = totals.setdefault(line.component, [0.0, 0.0, 0.0])
            sums[0] += line.on_demand
            sums[1] += line.one_year
            sums[2] += line.three_year
        order = {name: index for index, name in enumerate(COMPONENTS)}
        return [
            ComponentCost(name, *sums)
            for name, sums in sorted(totals.items(), key=lambda item: order.get(item[0], 99))
        ]

    @property
    def on_demand(self) -> float:
        """Monthly on-demand total."""
        return sum(line.on_demand for line in self.lines)

    @property
    def one_year(self) -> float:
        """Monthly total with 1-year commitments wherever AWS offers one."""
        return sum(line.one_year for line in self.lines)

    @property
    def three_year(self) -> float:
        """Monthly total with 3-year commitments wherever AWS offers one."""
        return sum(line.three_year for line in self.lines)


def estimate(
    inventory: Inventory, config: PlatformConfig, prices: PriceBook, usage: Usage
) -> Estimate:
    """Price every resource of ``inventory`` for ``config`` with ``prices`` and ``usage``."""
    context = PricingContext(inventory=inventory, config=config, prices=prices, usage=usage)
    lines: list[LineItem] = []
    not_priced: list[NotPriced] = []
    no_charge: Counter[str] = Counter()
    for resource in inventory.resources:
        if no_charge_reason(resource.type) is not None:
            no_charge[resource.type] += 1
            continue
        rule = RULES.get(resource.type)
        if rule is None:
            not_priced.append(
                NotPriced(resource.address, resource.type, "no pricing rule for this type")
            )
            continue
        try:
            priced = rule(resource, context)
        except Unpriceable as error:
            not_priced.append(NotPriced(resource.address, resource.type, str(error)))
            continue
        except (KeyError, TypeError, ValueError) as error:
            # A template shape the rule does not know (an unresolved token, say): listed, and
            # the rest of the estimate still made.
            reason = f"could not read its properties ({type(error).__name__}: {error})"
            not_priced.append(NotPriced(resource.address, resource.type, reason))
            continue
        if not priced:  # the rule found nothing billable (a gateway endpoint, for one)
            no_charge[resource.type] += 1
        lines.extend(priced)
    return Estimate(
        environment=config.environment.name,
        tier=config.tier.name,
        price_snapshot=prices.snapshot_date,
        lines=tuple(lines),
        not_priced=tuple(not_priced),
        no_charge=dict(sorted(no_charge.items())),
    )
