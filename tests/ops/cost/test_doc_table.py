"""docs/cost.md's computed table is the model's output (``python -m ops.cost --doc``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from ops.cost.cli import cli
from ops.cost.inventory import Inventory
from ops.cost.model import Estimate, estimate
from ops.cost.prices import load_prices
from ops.cost.report import DOC_BEGIN, DOC_END, replace_doc_table
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
