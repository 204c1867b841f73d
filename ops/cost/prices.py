"""A dated snapshot of public on-demand prices, validated as it is read.

Each price names its unit, the Price List service code and filters that find it again
(``--refresh-prices``), the pricing page it comes from and the date it was taken. Commitment
offers (Savings Plans, reserved instances) are effective rates as a fraction of on-demand,
defined once per offer and referenced by the prices they apply to.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ops.cost.errors import CostInputError

DEFAULT_PRICE_FILE = Path(__file__).parent / "data" / "prices-us-east-1.json"
TERMS = ("1yr", "3yr")


@dataclass(frozen=True)
class Commitment:
    """A commitment offer: the effective rate per term as a fraction of on-demand."""

    name: str
    offer: str
    rates: dict[str, float]  # term ("1yr", "3yr") -> fraction of on-demand; absent: not offered


@dataclass(frozen=True)
class Price:
    """One on-demand unit price."""

    key: str
    usd: float
    unit: str
    service_code: str
    description: str
    source: str
    date: str
    filters: dict[str, str]
    commitment: Commitment | None


@dataclass(frozen=True)
class PriceBook:
    """Every price of one snapshot, by key."""

    path: Path
    region: str
    snapshot_date: str
    hours_per_month: float
    prices: dict[str, Price]
    raw: dict[str, Any]

    def __contains__(self, key: str) -> bool:
        return key in self.prices

    def __getitem__(self, key: str) -> Price:
        return self.prices[key]


def load_prices(path: Path = DEFAULT_PRICE_FILE) -> PriceBook:
    """Read and validate a price snapshot; a bad entry raises CostInputError naming it."""
    raw = _read_json(path)
    where = f"price file {path}"
    for field in ("region", "snapshot_date", "hours_per_month", "commitments", "prices"):
        if field not in raw:
            raise CostInputError(f"{where}: missing top-level field {field!r}")
    _check_date(where, "snapshot_date", raw["snapshot_date"])
    hours = _positive_number(where, "hours_per_month", raw["hours_per_month"])
    commitments = {
        name: _commitment(where, name, body) for name, body in _mapping(where, "commitments", raw)
    }
    prices = {
        key: _price(where, key, body, commitments) for key, body in _mapping(where, "prices", raw)
    }
    return PriceBook(path, str(raw["region"]), raw["snapshot_date"], hours, prices, raw)


def _read_json(path: Path) -> dict[str, Any]:
    try:
        body = json.loads(path.read_text())
    except FileNotFoundError:
        raise CostInputError(f"price file {path}: not found") from None
    except json.JSONDecodeError as error:
        raise CostInputError(f"price file {path}: not JSON ({error})") from None
    if not isinstance(body, dict):
        raise CostInputError(f"price file {path}: top level must be an object")
    return body


def _mapping(where: str, field: str, raw: dict[str, Any]) -> list[tuple[str, Any]]:
    value = raw[field]
    if not isinstance(value, dict):
        raise CostInputError(f"{where}: {field} must be an object of entries")
    return list(value.items())


def _commitment(where: str, name: str, body: Any) -> Commitment:
    entry = f"{where}: commitments.{name}"
    if not isinstance(body, dict) or not isinstance(body.get("offer"), str):
        raise CostInputError(f"{entry}: needs an 'offer' name and rates '1yr'/'3yr'")
    rates = {}
    for term in TERMS:
        if term in body:
            rate = body[term]
            if isinstance(rate, bool) or not isinstance(rate, int | float) or not 0 < rate <= 1:
                raise CostInputError(f"{entry}.{term}={rate!r}: must be a fraction in (0, 1]")
            rates[term] = float(rate)
    if not rates:
        raise CostInputError(f"{entry}: offers neither '1yr' nor '3yr'")
    return Commitment(name=name, offer=body["offer"], rates=rates)


def _price(where: str, key: str, body: Any, commitments: dict[str, Commitment]) -> Price:
    entry = f"{where}: prices.{key}"
    if not isinstance(body, dict):
        raise CostInputError(f"{entry}: must be an object")
    for field in ("usd", "unit", "service_code", "description", "source", "date", "filters"):
        if field not in body:
            raise CostInputError(f"{entry}: missing field {field!r}")
    usd = body["usd"]
    if isinstance(usd, bool) or not isinstance(usd, int | float) or usd < 0:
        raise CostInputError(f"{entry}.usd={usd!r}: must be a non-negative number")
    _check_date(where, f"prices.{key}.date", body["date"])
    if not isinstance(body["filters"], dict):
        raise CostInputError(f"{entry}.filters: must be an object of Price List field -> value")
    commitment = None
    if "commitment" in body:
        if body["commitment"] not in commitments:
            raise CostInputError(
                f"{entry}.commitment={body['commitment']!r}: allowed: {', '.join(commitments)}"
            )
        commitment = commitments[body["commitment"]]
    return Price(
        key=key,
        usd=float(usd),
        unit=str(body["unit"]),
        service_code=str(body["service_code"]),
        description=str(body["description"]),
        source=str(body["source"]),
        date=body["date"],
        filters={str(k): str(v) for k, v in body["filters"].items()},
        commitment=commitment,
    )


def _check_date(where: str, field: str, value: Any) -> None:
    try:
        datetime.date.fromisoformat(str(value))
    except ValueError:
        raise CostInputError(f"{where}: {field}={value!r} is not a date (YYYY-MM-DD)") from None


def _positive_number(where: str, field: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise CostInputError(f"{where}: {field}={value!r} must be a positive number")
    return float(value)
