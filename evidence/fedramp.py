"""FedRAMP's own validation of the SSP (FedRAMP's schematron, as ``trestle fedramp-validate`` runs
it), reported assertion by assertion: each failing assertion is named with what a person must
supply, so nothing the validator says is hidden, and a FATAL one fails the command.

The SSP imports the baseline by trestle's href (``trestle validate`` resolves only that, offline);
FedRAMP's rule reads the import as an XML resolved-profile catalog, so the validator runs with the
workspace's XML catalog, which maps that href to the vendored XML copy (the back-matter names it
and FedRAMP's published URL).

Exit codes: 0 report written, nothing FATAL; 1 a FATAL assertion failed (FedRAMP's validator
stops reading there); 2 no package there (run ``make evidence`` first).
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
import tomllib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import click
from trestle_fedramp.core.fedramp import FedrampValidator

from evidence.catalog import DATA, parameter_labels
from evidence.oscal.common import control_label
from evidence.oscal.workspace import XML_CATALOG, document_path
from evidence.tables import write_csv

NEEDS_HUMAN = "needs human input"
FATAL = "fatal"
SET_PARAMETERS = "set-parameter-elements-match-baseline"
DISPOSITIONS = tomllib.loads((DATA / "fedramp-dispositions.toml").read_text())
_ASSERT = re.compile(r"<svrl:failed-assert\b(.*?)</svrl:failed-assert>", re.S)
_ATTRIBUTE = re.compile(r'\s(id|role)="([^"]*)"')
# "For Control ac-1 - ... SSP set-parameter/@param-id values - <ids> Catalog param/@id values-
# <ids>." (the set-parameter assertion's diagnostic)
_PARAMETERS = re.compile(
    r"For Control (\S+) - .*?SSP set-parameter/@param-id values -(.*?)Catalog param/@id values-"
    r"(.*?)\.\s*</svrl:diagnostic-reference>",
    re.S,
)


@dataclass(frozen=True)
class Failure:
    assertion: str
    role: str
    control: str = ""  # the requirement's control, for the set-parameter assertion
    unset: tuple[str, ...] = ()  # its parameters the SSP leaves to a person


def failures(report_xml: str) -> list[Failure]:
    """Every failed assertion of an SVRL report, in report order."""
    found = []
    for body in _ASSERT.findall(report_xml):
        head = dict(_ATTRIBUTE.findall(body.split("<svrl:", 1)[0]))
        parameters = _PARAMETERS.search(body) if head["id"] == SET_PARAMETERS else None
        if parameters:
            control, given, wanted = parameters.groups()
            unset = tuple(p for p in wanted.split() if p not in given.split())
            found.append(Failure(head["id"], head["role"], control, unset))
        else:
            found.append(Failure(head["id"], head["role"]))
    return found


def failed_assertions(report_xml: str) -> Counter[tuple[str, str]]:
    """(assertion id, role) -> how many times it failed."""
    return Counter((f.assertion, f.role) for f in failures(report_xml))


class _OfflineValidator(FedrampValidator):
    """FedRAMP's validator with the workspace's XML catalog, so the SSP's import resolves to the
    vendored resolved-profile catalog without the network."""

    def __init__(self, catalog: Path) -> None:
        super().__init__()
        self._catalog = catalog

    def _get_xslt_processor(self, saxon_processor):
        saxon_processor.set_catalog_files([str(self._catalog)])
        return super()._get_xslt_processor(saxon_processor)


def run_validator(package: Path) -> str:
    """Run FedRAMP's validation of the package's SSP; returns the SVRL report of what failed."""
    workspace = (package / "oscal").resolve()
    ssp = document_path(workspace, "system-security-plans").read_text()
    with tempfile.TemporaryDirectory(prefix="fedramp-validate-") as out:
        _OfflineValidator(workspace / XML_CATALOG).validate_ssp(ssp, "json", Path(out))
        report = Path(out) / "fedramp-validation-report.xml"
        # No report: no assertion failed.
        return report.read_text() if report.exists() else ""


def planned_narratives(package: Path) -> list[tuple[str, str]]:
    """(control label, planned completion date) of each control whose narrative a person writes:
    the SSP's planned requirements, which no check reaches (gaps of the SSP, not POA&M items)."""
    ssp = json.loads(document_path(package / "oscal", "system-security-plans").read_text())
    plan = ssp["system-security-plan"]["control-implementation"]["implemented-requirements"]
    found = []
    for requirement in plan:
        props = requirement["props"]
        status = next(p["value"] for p in props if p["name"] == "implementation-status")
        due = next((p["value"] for p in props if p["name"] == "planned-completion-date"), "")
        if status == "planned":
            found.append((control_label(requirement["control-id"]), due))
    return found


def gaps_markdown(found: list[Failure], planned: list[tuple[str, str]] = ()) -> str:
    """What a person must supply, assertion by assertion; the parameters control by control; the
    narratives of the controls no check reaches."""
    counts = Counter((f.assertion, f.role) for f in found)
    lines = [
        "# What FedRAMP's validation leaves to a person",
        "",
        "Every assertion of FedRAMP's rules that the generated SSP fails, with what a person must "
        "supply. The values the templates fix (retention, token lifetimes, password rules, "
        "backups) are in the SSP's `set-parameters` and do not appear here.",
        "",
        "| assertion | role | failures | what a person must supply |",
        "| --- | --- | --- | --- |",
    ]
    lines += [
        f"| {assertion} | {role} | {count} | {DISPOSITIONS.get(assertion, 'not yet triaged')} |"
        for (assertion, role), count in sorted(counts.items())
    ]
    unset = [f for f in found if f.unset]
    if unset:
        labels = parameter_labels()
        lines += [
            "",
            "## Organization-defined parameters left to the system owner",
            "",
            "| control | parameter | what it asks for |",
            "| --- | --- | --- |",
        ]
        lines += [
            f"| {control_label(f.control)} | {param} | {labels.get(param, '')} |"
            for f in unset
            for param in f.unset
        ]
    if planned:
        lines += [
            "",
            f"## Control narratives the system owner writes ({len(planned)} controls)",
            "",
            "No template carries these controls: each is `planned` in the SSP, its generated "
            "statement says so, and its narrative is due by the date shown.",
            "",
            "| control | planned completion |",
            "| --- | --- |",
        ]
        lines += [f"| {label} | {due} |" for label, due in planned]
    return "\n".join(lines) + "\n"


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
    found = failures(run_validator(package))
    counts = Counter((f.assertion, f.role) for f in found)
    rows = [
        [assertion, role, count, NEEDS_HUMAN, DISPOSITIONS.get(assertion, "not yet triaged")]
        for (assertion, role), count in sorted(counts.items())
    ]
    write_csv(
        package / "fedramp-validation.csv",
        ("assertion", "role", "failures", "status", "what is needed"),
        rows,
    )
    (package / "fedramp-gaps.md").write_text(gaps_markdown(found, planned_narratives(package)))
    roles = Counter(f.role for f in found)
    click.echo(
        f"fedramp-validate: {roles[FATAL]} FATAL; "
        + ", ".join(f"{role} {n}" for role, n in sorted(roles.items()) if role != FATAL)
        + f" failures of {len(rows)} assertions, each with what a person must supply in "
        f"{package / 'fedramp-gaps.md'}"
    )
    if roles[FATAL]:
        fatal = sorted({f.assertion for f in found if f.role == FATAL})
        click.echo(f"evidence error: FATAL assertions: {', '.join(fatal)}", err=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
