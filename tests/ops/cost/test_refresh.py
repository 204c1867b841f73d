"""--refresh-prices: the Price List API through a stubbed pricing client, and no credentials."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import botocore.session
import pytest
from botocore.stub import Stubber
from click.testing import CliRunner

from ops.cost import cli as cli_module
from ops.cost import refresh as refresh_module
from ops.cost.cli import cli
from ops.cost.prices import load_prices
from ops.cost.refresh import on_demand_usd, refresh
from tests.ops.cost.conftest import FIXED_PRICES

TODAY = datetime.date(2026, 11, 24)


def _product(*dimensions: tuple[str, str]) -> str:
    """A Price List product (as the API returns it: a JSON string) with tiered dimensions."""
    return json.dumps(
        {
            "product": {"sku": "SKU1"},
            "terms": {
                "OnDemand": {
                    "SKU1.TERM": {
                        "priceDimensions": {
                            f"SKU1.TERM.{index}": {
                                "beginRange": begin,
                                "pricePerUnit": {"USD": usd},
                            }
                            for index, (begin, usd) in enumerate(dimensions)
                        }
                    }
                }
            },
        }
    )


def _price_book(tmp_path: Path, keys=("nat.hour", "kms.requests.per_10k")) -> Path:
    raw = json.loads(FIXED_PRICES.read_text())
    raw["prices"] = {key: raw["prices"][key] for key in keys}
    path = tmp_path / "prices.json"
    path.write_text(json.dumps(raw))
    return path


def _expected(price_key: str, path: Path) -> dict:
    price = load_prices(path)[price_key]
    return {
        "ServiceCode": price.service_code,
        "Filters": [
            {"Type": "TERM_MATCH", "Field": field, "Value": value}
            for field, value in price.filters.items()
        ],
        "FormatVersion": "aws_v1",
        "MaxResults": 100,
    }


@pytest.fixture
def pricing():
    client = botocore.session.get_session().create_client(
        "pricing",
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    with Stubber(client) as stubber:
        yield client, stubber
        stubber.assert_no_pending_responses()


def test_refresh_takes_each_price_from_get_products_and_dates_it(tmp_path, pricing):
    client, stubber = pricing
    path = _price_book(tmp_path)
    stubber.add_response(
        "get_products",
        {"FormatVersion": "aws_v1", "PriceList": [_product(("0", "0.0481"))]},
        _expected("nat.hour", path),
    )
    stubber.add_response(
        "get_products",
        {"FormatVersion": "aws_v1", "PriceList": [_product(("0", "0"), ("20000", "0.03"))]},
        _expected("kms.requests.per_10k", path),
    )
    snapshot, missed = refresh(load_prices(path), client, TODAY)
    assert missed == []
    assert snapshot["snapshot_date"] == "2026-11-24"
    assert snapshot["prices"]["nat.hour"]["usd"] == 0.0481
    assert snapshot["prices"]["nat.hour"]["date"] == "2026-11-24"
    assert snapshot["prices"]["kms.requests.per_10k"]["usd"] == 0.03  # first paid tier


def test_refresh_keeps_an_unmatched_price_and_its_date_and_reports_it(tmp_path, pricing):
    client, stubber = pricing
    path = _price_book(tmp_path)
    stubber.add_response(
        "get_products", {"FormatVersion": "aws_v1", "PriceList": []}, _expected("nat.hour", path)
    )
    stubber.add_response(
        "get_products",
        {"FormatVersion": "aws_v1", "PriceList": [_product(("0", "0.03"))]},
        _expected("kms.requests.per_10k", path),
    )
    snapshot, missed = refresh(load_prices(path), client, TODAY)
    assert missed == ["nat.hour"]
    assert snapshot["prices"]["nat.hour"]["usd"] == 0.05
    assert snapshot["prices"]["nat.hour"]["date"] == "2025-01-01"
    assert "nat.hour" in snapshot["provenance"]


def test_refreshed_snapshot_is_a_valid_price_file(tmp_path, pricing):
    client, stubber = pricing
    path = _price_book(tmp_path)
    for key in ("nat.hour", "kms.requests.per_10k"):
        stubber.add_response(
            "get_products",
            {"FormatVersion": "aws_v1", "PriceList": [_product(("0", "0.5"))]},
            _expected(key, path),
        )
    snapshot, _ = refresh(load_prices(path), client, TODAY)
    path.write_text(json.dumps(snapshot))
    assert load_prices(path).snapshot_date == "2026-11-24"


def test_products_that_disagree_on_the_price_give_no_price():
    assert on_demand_usd([_product(("0", "0.1")), _product(("0", "0.2"))]) is None


def test_refresh_without_credentials_is_a_one_line_error_and_changes_nothing(tmp_path, monkeypatch):
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.delenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", raising=False)
    monkeypatch.delenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", raising=False)
    path = _price_book(tmp_path)
    before = path.read_text()
    result = CliRunner().invoke(
        cli, ["--tiers", "10k", "--prices", str(path), "--refresh-prices", "--out", str(tmp_path)]
    )
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        "error: --refresh-prices needs AWS credentials (none found); the snapshot is unchanged"
    ]
    assert path.read_text() == before


def test_cli_refresh_writes_the_dated_snapshot_it_then_prices_with(
    tmp_path, monkeypatch, pricing, prod
):
    client, stubber = pricing
    path = _price_book(tmp_path, ("cloudwatch.dashboard_month", "nat.gb_processed"))
    for key, usd in (("cloudwatch.dashboard_month", "0.06"), ("nat.gb_processed", "0.04")):
        stubber.add_response(
            "get_products",
            {"FormatVersion": "aws_v1", "PriceList": [_product(("0", usd))]},
            _expected(key, path),
        )
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setattr(refresh_module, "pricing_client", lambda session: client)
    monkeypatch.setattr(cli_module, "_synthesize", lambda config, outdir: prod)
    tier = prod.config.tier.name
    result = CliRunner().invoke(
        cli,
        ["--tiers", tier, "--prices", str(path), "--refresh-prices", "--out", str(tmp_path)],
    )
    assert result.exit_code == 0, result.stderr
    book = load_prices(path)
    assert (book["cloudwatch.dashboard_month"].usd, book["cloudwatch.dashboard_month"].date) == (
        0.06,
        datetime.date.today().isoformat(),
    )
    assert f"wrote {path} dated {datetime.date.today().isoformat()}" in result.stderr
    (document,) = json.loads((tmp_path / "cost.json").read_text())
    dashboards = [line for line in document["lines"] if line["description"] == "dashboard"]
    assert dashboards and all(line["on_demand"] == 0.06 for line in dashboards)
