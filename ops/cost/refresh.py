"""Refresh the price snapshot from the AWS Price List API (``pricing`` client, us-east-1).

Each price entry carries the service code and the Price List filters that identify it; an entry
whose filters match no product, or products with different prices, keeps its earlier price and
date and is reported, so a refreshed file never mixes in a guess.
"""

from __future__ import annotations

import copy
import datetime
import json
from typing import Any

from ops.cost.prices import PriceBook

PRICING_REGION = "us-east-1"  # the Price List API answers from us-east-1 (and two others)


def pricing_client(session: Any | None = None) -> Any:
    """A ``pricing`` client on the us-east-1 endpoint."""
    import boto3

    return (session or boto3.Session()).client("pricing", region_name=PRICING_REGION)


def on_demand_usd(price_list: list[str]) -> float | None:
    """The first paid tier's USD price if every matched product agrees on it, else None."""
    found = set()
    for item in price_list:
        product = json.loads(item)
        for term in product.get("terms", {}).get("OnDemand", {}).values():
            dimensions = sorted(
                term.get("priceDimensions", {}).values(),
                key=lambda d: float(d.get("beginRange", 0)),
            )
            paid = [float(d["pricePerUnit"]["USD"]) for d in dimensions]
            paid = [usd for usd in paid if usd > 0]
            if paid:
                found.add(paid[0])
    return found.pop() if len(found) == 1 else None


def refresh(book: PriceBook, client: Any, today: datetime.date) -> tuple[dict[str, Any], list[str]]:
    """A new snapshot (as JSON data) dated ``today``, and the keys that could not be refreshed."""
    snapshot = copy.deepcopy(book.raw)
    missed = []
    for key, price in book.prices.items():
        response = client.get_products(
            ServiceCode=price.service_code,
            Filters=[
                {"Type": "TERM_MATCH", "Field": field, "Value": value}
                for field, value in price.filters.items()
            ],
            FormatVersion="aws_v1",
            MaxResults=100,
        )
        usd = on_demand_usd(response.get("PriceList", []))
        if usd is None:
            missed.append(key)
            continue
        snapshot["prices"][key]["usd"] = usd
        snapshot["prices"][key]["date"] = today.isoformat()
    snapshot["snapshot_date"] = today.isoformat()
    snapshot["provenance"] = (
        f"Fetched from the AWS Price List API (pricing.get_products, {PRICING_REGION} endpoint) "
        f"on {today.isoformat()}. Entries whose filters matched no single price keep their "
        f"earlier price and date: {', '.join(missed) or 'none'}."
    )
    return snapshot, missed
