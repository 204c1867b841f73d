"""FedRAMP's own validation of the SSP (``trestle fedramp-validate``), reported assertion by
assertion: each failing assertion is named with why it is left (what a person must supply), so
nothing the validator says is hidden.

Exit codes: 0 report written; 2 no package there (run ``make evidence`` first).
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import tomllib
from collections import Counter
from pathlib import Path

import click

from evidence.catalog import DATA
from evidence.oscal.workspace import document_path
from evidence.tables import write_csv

NEEDS_HUMAN = "needs human input"
DISPOSITIONS = tomllib.loads((DATA / "fedramp-dispositions.toml").read_text())
_FAILED = re.compile(r'<svrl:failed-assert\b[^>]*?\bid="([^"]+)"[^>]*?\brole="([^"]+)"', re.S)


def failed_assertions(report_xml: str) -> Counter[tuple[str, str]]:
    """(assertion id, role) -> how many times it failed."""
    return Counter(_FAILED.findall(report_xml))


def run_validator(package: Path) -> str:
    """Run ``trestle fedramp-validate`` on the package's SSP; returns the SVRL report."""
    workspace = (package / "oscal").resolve()
    trestle = Path(sys.executable).with_name("trestle")
    # Inside the workspace, so the SSP's relative link to the vendored baseline resolves.
    with tempfile.TemporaryDirectory(dir=workspace, prefix=".fedramp-validate-") as out:
        subprocess.run(
            [
                str(trestle),
                "fedramp-validate",
                "-f",
                str(document_path(workspace, "system-security-plans")),
                "-o",
                out,
                "-tr",
                str(workspace),
            ],
            cwd=workspace,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        report = Path(out) / "fedramp-validation-report.xml"
        if not report.exists():
            raise click.ClickException("trestle fedramp-validate wrote no report")
        return report.read_text()


@click.command()
@click.option(
    "--package",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("out/evidence"),
    show_default=True,
    help="The evidence package.",
)
def main(package: Path) -> None:
    """Run FedRAMP's validation of the SSP and list every failing assertion with its disposition."""
    if not document_path(package / "oscal", "system-security-plans").exists():
        click.echo(f"evidence error: --package={package} holds no SSP; run make evidence", err=True)
        sys.exit(2)
    failed = failed_assertions(run_validator(package))
    rows = [
        [assertion, role, count, NEEDS_HUMAN, DISPOSITIONS.get(assertion, "not yet triaged")]
        for (assertion, role), count in sorted(failed.items())
    ]
    write_csv(
        package / "fedramp-validation.csv",
        ("assertion", "role", "failures", "status", "what is needed"),
        rows,
    )
    click.echo(
        f"fedramp-validate: {len(rows)} assertions fail, each listed as needing human input "
        f"in {package / 'fedramp-validation.csv'}"
    )


if __name__ == "__main__":
    main()
