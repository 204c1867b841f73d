"""The cost model prices every interface endpoint the network adds (docs/cost.md's delta)."""

from __future__ import annotations

import pytest

from ops.cost.inventory import Inventory
from ops.cost.lines import ENDPOINTS
from ops.cost.model import estimate
from ops.cost.prices import DEFAULT_PRICE_FILE, load_prices
from ops.cost.usage import load_usage

AZ_HOUR = 0.01  # endpoint.interface.az_hour in the us-east-1 snapshot


@pytest.mark.parametrize(
    ("environment", "endpoints"),
    # prod (100k, with MSK): 9 task APIs (the pool-admin function's lambda, issue 22) + the MSK
    # API; dev: the 9. Two AZs each.
    [("prod", 10), ("dev", 9)],
)
def test_each_interface_endpoint_is_billed_per_az_hour(environment, endpoints, request):
    result = request.getfixturevalue(environment)
    prices = load_prices(DEFAULT_PRICE_FILE)
    assert prices["endpoint.interface.az_hour"].usd == AZ_HOUR
    lines = estimate(
        Inventory.from_result(result), result.config, prices, load_usage(result.config.tier.name)
    ).lines
    hourly = [
        line
        for line in lines
        if line.component == ENDPOINTS
        and line.description.endswith("AZs")
        and line.resource.startswith(f"{result.config.names.prefix}-network/")
    ]
    assert len(hourly) == endpoints
    assert sum(line.on_demand for line in hourly) == pytest.approx(
        endpoints * 2 * prices.hours_per_month * AZ_HOUR
    )
