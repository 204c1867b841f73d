"""``python -m evidence``: the assessor's evidence package of a synthesized deployment.

Exit codes: 0 written; 1 the package could not be built (graphviz missing, cdk-nag evaluation
failed, a resource type nobody classified); 2 bad input (no synthesized assembly there); 3 written,
but a check fails with no acknowledgement beside its resource: ``make synth``'s gate fails on
what the evidence reports, since cdk-nag in the synth does not see CDK's own stack-level
handlers and the project's rules run only here.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from evidence.diagrams import GraphvizMissing
from evidence.inventory import UnclassifiedResource
from evidence.nag.runner import NagEvaluationError
from evidence.package import write_package
from evidence.provenance import of_repository
from evidence.status import STATUSES


@click.command()
@click.option(
    "--assembly",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("cdk.out"),
    show_default=True,
    help="The synthesized cloud assembly to read (make synth writes cdk.out).",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("out/evidence"),
    show_default=True,
    help="Where the package is written (its files are replaced).",
)
def main(assembly: Path, out: Path) -> None:
    """Observations, OSCAL SSP/assessment results/POA&M, inventory, ports and diagrams."""
    if not (assembly / "manifest.json").exists():
        click.echo(
            f"evidence error: --assembly={assembly} holds no synth; run make synth", err=True
        )
        sys.exit(2)
    started = time.monotonic()
    click.echo(f"-> evidence of {assembly} into {out}", err=True)
    try:
        summary = write_package(assembly, out, of_repository(Path.cwd()))
    except (GraphvizMissing, NagEvaluationError, UnclassifiedResource) as error:
        click.echo(f"evidence error: {error}", err=True)
        sys.exit(1)
    coverage = summary.coverage
    click.echo(
        "evidence: observations "
        + ", ".join(f"{result}={count}" for result, count in summary.observations.items())
    )
    click.echo(
        f"evidence: {coverage.checked} of {coverage.controls} Moderate controls have an "
        "automated check; by family: "
        + " ".join(f"{f.family.upper()} {f.checked}/{f.controls}" for f in coverage.families)
    )
    click.echo(
        "evidence: control status "
        + ", ".join(f"{status}={summary.statuses[status]}" for status in STATUSES)
    )
    click.echo(
        f"evidence: {summary.assets} assets, {summary.not_assets} configuration resources, "
        f"{summary.port_rows} ports/protocols rows, {summary.poam_items} POA&M items"
    )
    click.echo(
        f"evidence: {len(summary.files)} files in {out} ({time.monotonic() - started:.1f} s)"
    )
    if summary.unacknowledged:
        for line in summary.unacknowledged:
            click.echo(f"evidence: unacknowledged failure: {line}", err=True)
        click.echo(
            f"evidence error: {len(summary.unacknowledged)} failing checks are not acknowledged "
            "(fix the resource or acknowledge it with infra.gate.nag.acknowledge and a reason)",
            err=True,
        )
        sys.exit(3)
