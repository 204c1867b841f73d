"""What every pricing rule receives, and the helper that turns a quantity into a line item."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from infra.config import PlatformConfig
from ops.cost.inventory import CfnResource, Inventory
from ops.cost.lines import LineItem
from ops.cost.prices import PriceBook
from ops.cost.usage import Usage


class Unpriceable(LookupError):
    """A resource a rule cannot price (``str()`` says why): it is listed as not priced."""


class MissingPrice(Unpriceable):
    """A rule needs a price the snapshot does not have."""

    def __init__(self, key: str) -> None:
        super().__init__(f"no price {key!r} in the snapshot")


@dataclass(frozen=True)
class PricingContext:
    """The inventory, configuration, prices and usage one estimate is made from."""

    inventory: Inventory
    config: PlatformConfig
    prices: PriceBook
    usage: Usage

    @property
    def hours(self) -> float:
        """Hours in a billing month (AWS prices monthly figures at 730)."""
        return self.prices.hours_per_month

    def in_primary(self, resource: CfnResource) -> bool:
        """Whether ``resource`` serves traffic (the primary region), not waits in the DR one."""
        return resource.region == self.config.deployment.region

    def share(self, resource: CfnResource) -> float:
        """This resource's share of a usage figure split evenly over its type in the primary
        region (1 / count there); the DR region's standby resources carry no traffic (0)."""
        region = self.config.deployment.region
        if resource.region != region:
            return 0.0
        peers = [r for r in self.inventory.of_type(resource.type) if r.region == region]
        return 1 / len(peers)

    def line(
        self,
        component: str,
        resource: CfnResource,
        description: str,
        quantity: float,
        price_key: str,
        *,
        committable_fraction: float = 1.0,
        details: dict[str, Any] | None = None,
    ) -> LineItem:
        """``quantity`` units of ``price_key`` a month; commitments apply to the committable part.

        ``committable_fraction`` is the share of the quantity a commitment can cover (Fargate
        Spot tasks, for one, are not covered by Savings Plans).
        """
        if price_key not in self.prices:
            raise MissingPrice(price_key)
        price = self.prices[price_key]
        on_demand = quantity * price.usd
        terms = {"1yr": on_demand, "3yr": on_demand}
        offer = "none"
        if price.commitment is not None:
            offer = price.commitment.offer
            covered = on_demand * committable_fraction
            rates = price.commitment.rates
            for term in terms:
                # Without a 3-year offer, three years of commitment is the 1-year one renewed.
                rate = rates.get(term, rates.get("1yr", 1.0))
                terms[term] = on_demand - covered + covered * rate
        return LineItem(
            component=component,
            resource=resource.address,
            resource_type=resource.type,
            description=description,
            quantity=quantity,
            unit=price.unit,
            on_demand=on_demand,
            one_year=terms["1yr"],
            three_year=terms["3yr"],
            commitment=offer,
            details=details or {},
        )
