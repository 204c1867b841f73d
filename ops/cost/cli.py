"""``python -m ops.cost``: synthesize each tier, price it, write table, CSV, JSON and a chart.

Exit codes: 0 written; 2 bad input (unknown deployment or tier, malformed price or usage file,
--refresh-prices without AWS credentials), one line naming the entry. Progress goes to stderr,
the table to stdout.
"""

from __future__ import annotations

import datetime
import json
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from infra.cli import DEPLOYMENT_OPTION
from infra.config import TIERS, ConfigError, PlatformConfig, load_config
from ops.cost.errors import CostInputError
from ops.cost.prices import DEFAULT_PRICE_FILE, PriceBook, load_prices
from ops.cost.report import (
    DOC_BEGIN,
    DOC_END,
    LEVERS_BEGIN,
    LEVERS_END,
    has_doc_table,
    has_lever_table,
)
from ops.cost.usage import DEFAULT_USAGE_FILE, load_usage

if TYPE_CHECKING:
    from infra.synth import SynthResult
    from ops.cost.model import Estimate
    from ops.cost.usage import Usage


def _progress(message: str) -> None:
    click.echo(f"-> {message}", err=True)


def _fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(2)


def _tiers(value: str) -> list[str]:
    names = [name.strip() for name in value.split(",") if name.strip()]
    unknown = [name for name in names if name not in TIERS]
    if unknown or not names:
        _fail(f"--tiers={value!r} is not allowed; allowed: a comma list of {', '.join(TIERS)}")
    return names


def _refresh(prices_path: Path) -> None:
    import boto3
    from botocore.exceptions import BotoCoreError, ClientError

    from ops.cost.refresh import pricing_client, refresh

    session = boto3.Session()
    if session.get_credentials() is None:
        _fail("--refresh-prices needs AWS credentials (none found); the snapshot is unchanged")
    _progress("fetching prices from the AWS Price List API")
    try:
        snapshot, missed = refresh(
            load_prices(prices_path), pricing_client(session), datetime.date.today()
        )
    except (BotoCoreError, ClientError) as error:
        _fail(f"--refresh-prices: {error}")
    except CostInputError as error:
        _fail(str(error))
    prices_path.write_text(json.dumps(snapshot, indent=2) + "\n")
    for key in missed:
        _progress(f"not refreshed (no single matching price): {key}")
    _progress(f"wrote {prices_path} dated {snapshot['snapshot_date']}")


def _synthesize(config: PlatformConfig, outdir: Path) -> SynthResult:
    from infra.synth import synthesize  # imports the CDK (seconds): bad input fails before it

    shutil.rmtree(outdir, ignore_errors=True)
    return synthesize(config, outdir, lint=False, progress=_progress)


@click.command()
@DEPLOYMENT_OPTION
@click.option(
    "--tiers", default="10k,100k,1m", show_default=True, help="Comma list of 10k, 100k, 1m."
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("out/cost"),
    show_default=True,
    help="Where cost.csv, cost.json, cost.png and each tier's cloud assembly are written.",
)
@click.option(
    "--prices",
    "prices_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=DEFAULT_PRICE_FILE,
    show_default=True,
    help="Price snapshot (JSON).",
)
@click.option(
    "--usage",
    "usage_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=DEFAULT_USAGE_FILE,
    show_default=True,
    help="Usage profile (TOML).",
)
@click.option(
    "--levers",
    "price_levers",
    is_flag=True,
    help="Also price each cost lever (ops/cost/levers.py) against each tier: levers.csv.",
)
@click.option(
    "--doc",
    "doc_path",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    default=None,
    help="Rewrite the generated tables of this Markdown file (docs/cost.md): the result, and "
    "the before/after of each lever applied (ops/cost/levers.py: APPLIED).",
)
@click.option(
    "--refresh-prices",
    is_flag=True,
    help="Fetch current prices (needs AWS credentials) into the snapshot file first.",
)
def cli(
    deployment: str,
    tiers: str,
    out: Path,
    prices_path: Path,
    usage_path: Path,
    price_levers: bool,
    doc_path: Path | None,
    refresh_prices: bool,
) -> None:
    """Monthly cost of a deployment at each tier, computed from the synthesized templates."""
    from ops.cost.chart import write_chart
    from ops.cost.inventory import Inventory
    from ops.cost.levers import LEVERS, Lever
    from ops.cost.model import estimate
    from ops.cost.report import render_csv, render_table, replace_doc_table, to_json

    tier_names = _tiers(tiers)
    try:
        configs = [load_config(deployment, tier) for tier in tier_names]
    except ConfigError as error:
        _fail(str(error))
    if doc_path is not None and not has_doc_table(doc_path.read_text()):
        _fail(f"--doc={doc_path}: no generated-table markers ({DOC_BEGIN} ... {DOC_END})")
    if doc_path is not None and not has_lever_table(doc_path.read_text()):
        _fail(f"--doc={doc_path}: no generated-levers markers ({LEVERS_BEGIN} ... {LEVERS_END})")
    if refresh_prices:
        _refresh(prices_path)
    try:
        book: PriceBook = load_prices(prices_path)
        usages = [load_usage(tier, usage_path) for tier in tier_names]
    except CostInputError as error:
        _fail(str(error))

    def price(config: PlatformConfig, usage: Usage, variant: str = "") -> Estimate:
        """Synthesize ``config`` into its own assembly directory and estimate it."""
        outdir = out / "assembly" / f"{config.deployment.name}-{config.tier.name}{variant}"
        return estimate(Inventory.from_result(_synthesize(config, outdir)), config, book, usage)

    estimates = [price(c, u) for c, u in zip(configs, usages, strict=True)]
    out.mkdir(parents=True, exist_ok=True)
    priced: dict[tuple[str, str], Estimate | None] = {}

    def undone(lever: Lever, config: PlatformConfig, usage: Usage) -> Estimate | None:
        """The tier priced with ``lever`` applied; None where it changes nothing (no synth)."""
        key = (lever.name, config.tier.name)
        if key not in priced:
            changed = lever.apply(config)
            priced[key] = None if changed == config else price(changed, usage, f"-{lever.name}")
        return priced[key]

    tiers = list(zip(configs, usages, estimates, strict=True))
    if price_levers:
        from ops.cost.report import render_levers

        savings = [
            (lever, base, undone(lever, config, usage) or base)
            for config, usage, base in tiers
            for lever in LEVERS
        ]
        table, rows = render_levers(savings)
        (out / "levers.csv").write_text(rows)
        click.echo(table)
    (out / "cost.csv").write_text(render_csv(estimates))
    (out / "cost.json").write_text(to_json(estimates) + "\n")
    write_chart(estimates, out / "cost.png")
    if doc_path is not None:
        from ops.cost.levers import applied_levers
        from ops.cost.report import render_lever_doc_table, replace_lever_table

        rows = []
        for lever in applied_levers():
            by_tier = {}
            for config, usage, base in tiers:
                before = undone(lever, config, usage)
                by_tier[base.tier] = None if before is None else (before.on_demand, base.on_demand)
            rows.append((lever.description, by_tier))
        text = replace_doc_table(doc_path.read_text(), estimates)
        text = replace_lever_table(text, render_lever_doc_table(tier_names, rows))
        doc_path.write_text(text)
        _progress(f"rewrote the generated tables of {doc_path}")
    click.echo(render_table(estimates))
    _progress(f"wrote {out / 'cost.csv'}, {out / 'cost.json'}, {out / 'cost.png'}")
