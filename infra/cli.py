"""Command line of the platform: ``python -m infra synth --deployment prod --tier 100k``.

Exit codes: 0 the gate holds; 1 the gate failed (unacknowledged cdk-nag errors or cfn-lint
errors, each listed); 2 bad input (one line naming the field and the allowed values).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import click

from infra.config import ConfigError, load_config
from infra.summary import render_summary


def _progress(message: str) -> None:
    click.echo(f"-> {message}", err=True)


@click.group()
def cli() -> None:
    """PCS Platform infrastructure tools."""


@cli.command()
@click.option(
    "--deployment",
    default="prod",
    show_default=True,
    help="A name in deployments/ (deployments/<name>.toml) or the path of a deployment file.",
)
@click.option(
    "--tier", "tier_name", default=None, help="10k, 100k or 1m (default: the deployment's)"
)
@click.option(
    "--outdir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("cdk.out"),
    show_default=True,
    help="Where the cloud assembly is written (replaced on each run).",
)
def synth(deployment: str, tier_name: str | None, outdir: Path) -> None:
    """Synthesize every stack of a deployment, run cdk-nag and cfn-lint, print the summary."""
    try:
        config = load_config(deployment, tier_name)
    except ConfigError as error:
        click.echo(str(error), err=True)
        sys.exit(2)
    # Imported here: they start the CDK's jsii runtime (seconds); bad input fails before that.
    from infra.diagram import render_diagram
    from infra.synth import synthesize

    shutil.rmtree(outdir, ignore_errors=True)
    result = synthesize(config, outdir, progress=_progress)
    for finding in result.nag_errors:
        click.echo(f"cdk-nag: {finding}", err=True)
    for finding in result.lint_errors:
        click.echo(f"cfn-lint: {finding}", err=True)
    diagram = render_diagram(result, outdir / "architecture.png")
    click.echo(render_summary(result))
    click.echo(f"diagram: {diagram}")
    sys.exit(0 if result.passed else 1)
