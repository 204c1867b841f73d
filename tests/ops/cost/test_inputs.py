"""Bad input (malformed price or usage file, unknown tier): one line naming the entry, exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ops.cost.cli import cli
from ops.cost.errors import CostInputError
from ops.cost.prices import DEFAULT_PRICE_FILE, load_prices
from ops.cost.usage import DEFAULT_USAGE_FILE, load_usage
from tests.ops.cost.conftest import FIXED_USAGE


def _run(*args: str):
    return CliRunner().invoke(cli, list(args))


def _one_line_error(result) -> str:
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


def _broken_prices(tmp_path: Path, key: str, field: str, value: object) -> Path:
    raw = json.loads(DEFAULT_PRICE_FILE.read_text())
    raw["prices"][key][field] = value
    path = tmp_path / "prices.json"
    path.write_text(json.dumps(raw))
    return path


def test_price_that_is_not_a_number_is_named_in_a_one_line_error(tmp_path):
    path = _broken_prices(tmp_path, "nat.hour", "usd", "cheap")
    line = _one_line_error(_run("--tiers", "10k", "--prices", str(path), "--out", str(tmp_path)))
    assert "prices.nat.hour.usd='cheap'" in line and "non-negative number" in line


def test_price_without_a_date_is_named(tmp_path):
    raw = json.loads(DEFAULT_PRICE_FILE.read_text())
    del raw["prices"]["alb.hour"]["date"]
    path = tmp_path / "prices.json"
    path.write_text(json.dumps(raw))
    with pytest.raises(CostInputError, match=r"prices\.alb\.hour: missing field 'date'"):
        load_prices(path)


def test_price_file_that_is_not_json_is_a_one_line_error(tmp_path):
    path = tmp_path / "prices.json"
    path.write_text("{ not json")
    line = _one_line_error(_run("--tiers", "10k", "--prices", str(path), "--out", str(tmp_path)))
    assert f"price file {path}: not JSON" in line


def test_price_naming_an_unknown_commitment_lists_the_offers(tmp_path):
    path = _broken_prices(tmp_path, "nat.hour", "commitment", "nat-reserved")
    with pytest.raises(CostInputError, match="commitment='nat-reserved': allowed: compute-"):
        load_prices(path)


def test_usage_entry_that_is_negative_is_named_in_a_one_line_error(tmp_path):
    text = FIXED_USAGE.read_text().replace("cross_az_gb = 0", "cross_az_gb = -5")
    path = tmp_path / "usage.toml"
    path.write_text(text)
    line = _one_line_error(_run("--tiers", "100k", "--usage", str(path), "--out", str(tmp_path)))
    assert "tiers.100k.cross_az_gb=-5" in line


def test_usage_entry_missing_is_named(tmp_path):
    text = FIXED_USAGE.read_text().replace("cross_az_gb = 0\n", "")
    path = tmp_path / "usage.toml"
    path.write_text(text)
    with pytest.raises(CostInputError, match=r"tiers\.100k\.cross_az_gb: missing"):
        load_usage("100k", path)


def test_usage_entry_misspelt_is_named(tmp_path):
    text = FIXED_USAGE.read_text().replace("cross_az_gb = 0", "cross_az_gbs = 0")
    path = tmp_path / "usage.toml"
    path.write_text(text)
    with pytest.raises(CostInputError, match=r"tiers\.100k\.cross_az_gbs: unknown entry"):
        load_usage("100k", path)


def test_usage_log_kinds_must_be_exactly_the_known_ones(tmp_path):
    text = FIXED_USAGE.read_text().replace("cdn = 0\n", "")
    path = tmp_path / "usage.toml"
    path.write_text(text)
    with pytest.raises(CostInputError, match=r"log_gb_per_month: must have exactly api"):
        load_usage("100k", path)


def test_unknown_tier_lists_the_allowed_ones(tmp_path):
    line = _one_line_error(_run("--tiers", "10k,5m", "--out", str(tmp_path)))
    assert line == "error: --tiers='10k,5m' is not allowed; allowed: a comma list of 10k, 100k, 1m"


def test_unknown_deployment_lists_the_allowed_ones(tmp_path):
    line = _one_line_error(_run("--deployment", "qa", "--tiers", "10k", "--out", str(tmp_path)))
    assert "deployment='qa'" in line and "dev, prod, staging" in line


@pytest.mark.parametrize("tier", ["10k", "100k", "1m"])
def test_shipped_usage_profile_is_valid_for_every_tier(tier):
    assert load_usage(tier, DEFAULT_USAGE_FILE).tier == tier


def test_every_shipped_price_names_its_source_page_and_date():
    book = load_prices(DEFAULT_PRICE_FILE)
    assert book.region == "us-east-1"
    for price in book.prices.values():
        assert price.source.startswith("https://aws.amazon.com/"), price.key
        assert price.date == book.snapshot_date, price.key
