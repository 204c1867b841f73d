"""Command line of the platform: ``python -m infra synth --deployment prod --tier 100k``.

Exit codes: 0 the gate holds; 1 the gate failed (unacknowledged cdk-nag errors, cfn-lint
errors, checkov failures or checkov skips without a reason, each listed); 2 bad input (one
line naming the field and the allowed values).
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


# The one option every command that acts on a deployment takes (synth, cdk, ops.cost, ops.dr).
DEPLOYMENT_OPTION = click.option(
    "--deployment",
    default="prod",
    show_default=True,
    help="A name in deployments/ (deployments/<name>.toml) or the path of a deployment file.",
)


@cli.command()
@DEPLOYMENT_OPTION
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
    """Synthesize every stack of a deployment, run cdk-nag, cfn-lint and checkov, print the
    summary."""
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
    if result.checkov:
        for finding in (*result.checkov.failed, *result.checkov.unreasoned_skips):
            click.echo(f"checkov: {finding}", err=True)
    diagram = render_diagram(result, outdir / "architecture.png")
    click.echo(render_summary(result))
    click.echo(f"diagram: {diagram}")
    sys.exit(0 if result.passed else 1)


@cli.command()
@DEPLOYMENT_OPTION
@click.option("--cdk", default="node_modules/.bin/cdk", show_default=True, help="The CDK CLI.")
def bootstrap(deployment: str, cdk: str) -> None:
    """Bootstrap the deployment's account in its primary and DR regions, CloudFormation limited
    to the repository's execution policy and every stack role to its permissions boundary."""
    import subprocess

    import boto3

    from infra.delivery.bootstrap import bootstrap as run_bootstrap

    try:
        target = load_config(deployment).deployment
    except ConfigError as error:
        click.echo(str(error), err=True)
        sys.exit(2)
    caller = boto3.client("sts").get_caller_identity()["Account"]
    if caller != target.account:
        click.echo(
            f"bootstrap: the credentials are for account {caller}, the deployment "
            f"{deployment!r} names {target.account}",
            err=True,
        )
        sys.exit(2)
    sys.exit(
        run_bootstrap(
            boto3.client("iam"),
            account=target.account,
            regions=(target.region, target.dr_region),
            cdk=cdk,
            run=lambda command: subprocess.run(command, check=False).returncode,
        )
    )
