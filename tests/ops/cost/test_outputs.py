"""Outputs: the table, CSV and JSON carry totals and not-priced resources; the chart is a PNG."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace

from click.testing import CliRunner

from infra.config import load_config
from ops.cost import cli as cli_module
from ops.cost.chart import write_chart
from ops.cost.levers import LEVERS
from ops.cost.model import estimate
from ops.cost.report import render_csv, render_levers, render_table, to_json
from ops.cost.spec import SPEC_TOTAL_ON_DEMAND
from tests.ops.cost.conftest import STACK, fixed_config


def _fixed(fixed_inventory, fixed_prices, fixed_usage):
    return [estimate(fixed_inventory, fixed_config(), fixed_prices, fixed_usage)]


def test_table_lists_the_unpriced_resource_and_the_spec_total(
    fixed_inventory, fixed_prices, fixed_usage
):
    table = render_table(_fixed(fixed_inventory, fixed_prices, fixed_usage))
    assert f"not priced: {STACK}/Gadget (AWS::Example::Gadget)" in table
    assert "TOTAL                          $270       $233       $177    $1,937" in table


def test_csv_has_a_total_row_and_a_not_priced_row(fixed_inventory, fixed_prices, fixed_usage):
    rows = list(
        csv.DictReader(io.StringIO(render_csv(_fixed(fixed_inventory, fixed_prices, fixed_usage))))
    )
    total = next(row for row in rows if row["component"] == "TOTAL")
    assert (total["on_demand"], total["spec"], total["difference"]) == (
        "270.44",
        "1937",
        "-1666.56",
    )
    assert any(row["note"].startswith(f"not priced: {STACK}/Gadget") for row in rows)


def test_json_keeps_every_line_and_the_not_priced_resource(
    fixed_inventory, fixed_prices, fixed_usage
):
    (document,) = json.loads(to_json(_fixed(fixed_inventory, fixed_prices, fixed_usage)))
    assert document["totals"]["on_demand"] == 270.44
    assert round(sum(line["on_demand"] for line in document["lines"]), 6) == 270.44
    assert document["not_priced"][0]["resource_type"] == "AWS::Example::Gadget"


def test_chart_is_written_as_a_png(tmp_path, fixed_inventory, fixed_prices, fixed_usage):
    path = tmp_path / "cost.png"
    write_chart(_fixed(fixed_inventory, fixed_prices, fixed_usage), path)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_every_lever_changes_the_configuration_and_stays_valid():
    base = load_config("prod", "100k")
    for lever in LEVERS:
        assert lever.apply(base) != base, lever.name


def test_cli_writes_table_csv_json_and_chart(tmp_path, monkeypatch, prod):
    # The session synth of prod stands in for the CLI's own synth of the same env and tier.
    monkeypatch.setattr(cli_module, "_synthesize", lambda config, outdir: prod)
    tier = prod.config.tier.name
    result = CliRunner().invoke(cli_module.cli, ["--tiers", tier, "--out", str(tmp_path)])
    assert result.exit_code == 0, result.stderr
    assert f"prod at tier {tier}" in result.stdout
    assert "not priced: none" in result.stdout
    assert {p.name for p in tmp_path.iterdir()} >= {"cost.csv", "cost.json", "cost.png"}
    (document,) = json.loads((tmp_path / "cost.json").read_text())
    assert document["totals"]["spec_on_demand"] == SPEC_TOTAL_ON_DEMAND[tier]


def test_lever_table_and_csv_show_the_monthly_change(fixed_inventory, fixed_prices, fixed_usage):
    (lever,) = [lever for lever in LEVERS if lever.name == "aurora-one-reader"]
    base = estimate(fixed_inventory, fixed_config(api_average=3), fixed_prices, fixed_usage)
    changed = estimate(fixed_inventory, fixed_config(api_average=4), fixed_prices, fixed_usage)
    table, rows = render_levers([(lever, base, changed)])
    assert "aurora-one-reader        100k         +$48" in table
    assert table.splitlines()[1].endswith("yes")
    assert rows.splitlines()[1].startswith("aurora-one-reader,100k,True,48.0,")
    table, _ = render_levers([(replace(lever, keeps_availability=False), base, changed)])
    assert table.splitlines()[1].endswith("NO")
