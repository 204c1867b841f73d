"""docs/cost.md's computed table is the model's output (``python -m ops.cost --doc``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from ops.cost.cli import cli
from ops.cost.inventory import Inventory
from ops.cost.levers import applied_levers
from ops.cost.model import Estimate, estimate
from ops.cost.prices import load_prices
from ops.cost.report import (
    DOC_BEGIN,
    DOC_END,
    LEVERS_BEGIN,
    LEVERS_END,
    render_lever_doc_table,
    replace_doc_table,
    replace_lever_table,
)
from ops.cost.usage import load_usage
from tests.ops.cost.conftest import STACK, fixed_config, fixed_template

COST_MD = Path(__file__).resolve().parents[3] / "docs" / "cost.md"


def _doc_columns() -> dict[str, dict[str, str]]:
    """``{tier: {row label: cell}}`` of the generated table in docs/cost.md."""
    text = COST_MD.read_text()
    section = text[text.index(DOC_BEGIN) + len(DOC_BEGIN) : text.index(DOC_END)]
    rows = [line.strip("|").split("|") for line in section.strip().splitlines() if "|" in line]
    header, body = rows[0], rows[2:]
    tiers = [cell.strip().removesuffix(" on demand") for cell in header[1:]]
    return {
        tier: {row[0].strip(): row[1 + index].strip() for row in body}
        for index, tier in enumerate(tiers)
    }


def _expected(result) -> dict[str, str]:
    model: Estimate = estimate(
        Inventory.from_result(result),
        result.config,
        load_prices(),
        load_usage(result.config.tier.name),
    )
    rows = {c.component: f"{c.on_demand:,.0f}" for c in model.components()}
    rows["**Total on demand**"] = f"{model.on_demand:,.0f}"
    rows["Total 1-yr commitments"] = f"{model.one_year:,.0f}"
    rows["Total 3-yr commitments"] = f"{model.three_year:,.0f}"
    return rows


def _present(column: dict[str, str]) -> dict[str, str]:
    return {label: cell for label, cell in column.items() if cell != "-"}


def test_the_10k_column_of_docs_cost_md_is_the_models_estimate_of_prod_at_10k(prod_10k):
    assert _present(_doc_columns()["10k"]) == _expected(prod_10k)


def test_the_100k_column_of_docs_cost_md_is_the_models_estimate_of_prod(prod):
    assert _present(_doc_columns()["100k"]) == _expected(prod)


def test_the_1m_column_of_docs_cost_md_is_the_models_estimate_of_prod_at_1m(prod_1m):
    assert _present(_doc_columns()["1m"]) == _expected(prod_1m)


def test_doc_rewrites_only_the_generated_section(fixed_prices, fixed_usage):
    inventory = Inventory.from_templates({STACK: ("us-east-1", fixed_template())})
    model = estimate(inventory, fixed_config(), fixed_prices, fixed_usage)
    document = f"# Cost\n\nbefore\n{DOC_BEGIN}\nstale\n{DOC_END}\nafter\n"
    rewritten = replace_doc_table(document, [model])
    assert rewritten.startswith(f"# Cost\n\nbefore\n{DOC_BEGIN}\n| Component | 100k on demand |")
    assert rewritten.endswith(f"{DOC_END}\nafter\n")
    assert "stale" not in rewritten


def test_a_doc_without_the_lever_markers_is_refused_before_any_synthesis(tmp_path):
    doc = tmp_path / "cost.md"
    doc.write_text(f"# Cost\n{DOC_BEGIN}\n{DOC_END}\n")
    result = CliRunner().invoke(cli, ["--doc", str(doc), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        f"error: --doc={doc}: no generated-levers markers ({LEVERS_BEGIN} ... {LEVERS_END})"
    ]
    assert not (tmp_path / "out").exists()


def test_a_doc_without_the_markers_is_refused_before_any_synthesis(tmp_path):
    doc = tmp_path / "cost.md"
    doc.write_text("# Cost\n")
    result = CliRunner().invoke(cli, ["--doc", str(doc), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        f"error: --doc={doc}: no generated-table markers ({DOC_BEGIN} ... {DOC_END})"
    ]
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("tier", ["10k", "100k", "1m"])
def test_each_tier_of_the_generated_table_is_present(tier):
    assert _doc_columns()[tier]["**Total on demand**"] != "-"


def test_the_lever_table_shows_before_after_and_change_per_tier():
    rows = [
        ("NAT per AZ (what none saves)", {"10k": (1100.0, 990.5), "1m": (2000.0, 2000.0)}),
        ("provisioned (100k only)", {"10k": None, "1m": (1500.25, 2000.0)}),
    ]
    assert render_lever_doc_table(["10k", "1m"], rows).splitlines() == [
        "| lever (priced by undoing it) | 10k before | 10k after | 10k change | "
        "1m before | 1m after | 1m change |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        "| NAT per AZ (what none saves) | 1,100.00 | 990.50 | -109.50 | 2,000.00 | 2,000.00 "
        "| +0.00 |",
        "| provisioned (100k only) | - | - | - | 1,500.25 | 2,000.00 | +499.75 |",
    ]


def test_the_lever_table_rewrites_only_its_own_section():
    document = f"a\n{DOC_BEGIN}\nmain\n{DOC_END}\nb\n{LEVERS_BEGIN}\nstale\n{LEVERS_END}\nc\n"
    rewritten = replace_lever_table(document, "| new |")
    assert rewritten == (
        f"a\n{DOC_BEGIN}\nmain\n{DOC_END}\nb\n{LEVERS_BEGIN}\n| new |\n{LEVERS_END}\nc\n"
    )


def _lever_rows() -> dict[str, dict[str, tuple[str, str, str]]]:
    """``{lever description: {tier: (before, after, change)}}`` of docs/cost.md's lever table."""
    text = COST_MD.read_text()
    section = text[text.index(LEVERS_BEGIN) + len(LEVERS_BEGIN) : text.index(LEVERS_END)]
    rows = [line.strip("|").split("|") for line in section.strip().splitlines()]
    tiers = [cell.strip().removesuffix(" before") for cell in rows[0][1::3]]
    return {
        row[0].strip(): {
            tier: tuple(cell.strip() for cell in row[1 + 3 * i : 4 + 3 * i])
            for i, tier in enumerate(tiers)
        }
        for row in rows[2:]
    }


def test_the_lever_table_lists_every_lever_issue_26_applied():
    assert list(_lever_rows()) == [lever.description for lever in applied_levers()]


@pytest.mark.parametrize(
    ("tier", "fixture"), [("10k", "prod_10k"), ("100k", "prod"), ("1m", "prod_1m")]
)
def test_each_levers_after_column_is_the_models_estimate_of_the_tier(tier, fixture, request):
    result = request.getfixturevalue(fixture)
    model = estimate(
        Inventory.from_result(result),
        result.config,
        load_prices(),
        load_usage(result.config.tier.name),
    )
    afters = {cells[tier][1] for cells in _lever_rows().values()} - {"-"}
    assert afters == {f"{model.on_demand:,.2f}"}


def _change(lever: str, tier: str) -> str:
    description = next(x.description for x in applied_levers() if x.name == lever)
    return _lever_rows()[description][tier][2]


@pytest.mark.parametrize(
    ("tier", "fixture"), [("10k", "prod_10k"), ("100k", "prod"), ("1m", "prod_1m")]
)
def test_the_third_endpoint_az_costs_each_primary_interface_endpoint_730_hours(
    tier, fixture, request
):
    result = request.getfixturevalue(fixture)
    network = result.stacks[f"{result.config.prefix}-network"].template["Resources"]
    interfaces = [
        r for r in network.values()
        if r["Type"] == "AWS::EC2::VPCEndpoint"
        and r["Properties"].get("VpcEndpointType") == "Interface"
    ]  # fmt: skip
    # 9 task APIs at 10k, plus the MSK API where the tier runs Kafka: x 730 h x $0.01.
    assert len(interfaces) == {"10k": 9, "100k": 10, "1m": 10}[tier]
    assert _change("endpoints-three-azs", tier) == f"-{len(interfaces) * 730 * 0.01:,.2f}"


def test_provisioned_aurora_at_100k_saves_three_serverless_instances_at_4_acu():
    # 3 x 4 ACU x 730 h x $0.12 = $1,051.20 against 3 x db.r7g.large at $0.276 x 730 = $604.44.
    assert _change("aurora-serverless-v2", "100k") == "-446.76"
    assert _change("aurora-serverless-v2", "10k") == "-"  # 10k runs Serverless v2 already


def _target_tables() -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """The two tables of docs/cost.md's "Against the issue's targets": ``{row label: [10k,
    100k, 1m]}`` each ("-" read as 0)."""
    text = COST_MD.read_text()
    section = text[text.index("### Against the issue's targets") :]
    tables: list[dict[str, list[float]]] = []
    in_table = False
    for line in section.splitlines():
        cells = [c.strip().strip("*").replace(",", "").lstrip("+") for c in line.split("|")[1:-1]]
        if not cells:
            in_table = False
            if len(tables) == 2:
                break
            continue
        if not in_table:  # the header row starts a table
            tables.append({})
            in_table = True
        elif "---" not in cells[1]:
            tables[-1][cells[0]] = [0.0 if c == "-" else float(c) for c in cells[1:4]]
    return tables[0], tables[1]


def test_the_gap_to_the_issues_targets_adds_up_from_the_models_totals():
    """The computed row is the lever table's after column (the model's, tested above); each
    difference, sum and remainder is the arithmetic of the rows it names."""
    totals, lines = _target_tables()
    rows = _lever_rows()
    afters = [
        next(cells[tier][1] for cells in rows.values() if cells[tier][1] != "-")
        for tier in ("10k", "100k", "1m")
    ]
    assert totals["Computed table above"] == [float(a.replace(",", "")) for a in afters]
    difference = [
        round(c - t, 2)
        for c, t in zip(totals["Computed table above"], totals["Target with Plus"], strict=True)
    ]
    assert totals["Difference"] == difference
    totalled = ("sum of the lines", "difference to the target", "left after the lines")
    named = {label: row for label, row in lines.items() if label not in totalled}
    summed = [round(sum(column), 2) for column in zip(*named.values(), strict=True)]
    assert lines["sum of the lines"] == summed
    assert lines["difference to the target"] == difference
    assert lines["left after the lines"] == [
        round(d - s, 2) for d, s in zip(difference, summed, strict=True)
    ]
    assert lines["issue 20: the DNS traffic switch"] == [58.54, 66.17, 140.97]
