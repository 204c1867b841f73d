"""checkov over every synthesized template: one subprocess in the scanners' own venv.

checkov pins a boto3 the platform cannot share, so it lives in the locked project
``tools/scanners`` (docs/decisions/gate-scanner-tool-project.md); ``make synth`` builds its venv.
A finding is closed by fixing the resource or by skipping the check beside it in the template's
``Metadata.checkov.skip`` with the compensating control as the comment, which
:func:`infra.gate.nag.acknowledge` writes together with the cdk-nag acknowledgement.
"""

from __future__ import annotations

import json
import subprocess
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

SCANNERS = Path(__file__).resolve().parents[2] / "tools" / "scanners"
CHECKOV = SCANNERS / ".venv" / "bin" / "checkov"
# The platform's own checks (CKV_PCS_*), loaded with --external-checks-dir.
CUSTOM_CHECKS = SCANNERS / "checks"
OPEN_EGRESS_CHECK = "CKV_PCS_1"
# The shortest comment that can name a control, as for cdk-nag acknowledgements.
MIN_REASON = 20
OUTCOMES = ("passed", "failed", "skipped")


class ScannerMissing(RuntimeError):
    """The scanners' venv is not built."""


@dataclass(frozen=True)
class CheckovResult:
    """One check on one resource: ``outcome`` is passed, failed or skipped."""

    stack: str
    check: str
    resource: str
    outcome: str
    name: str

    def __str__(self) -> str:
        return f"{self.stack}: {self.check} {self.outcome.upper()} on {self.resource}: {self.name}"


@dataclass(frozen=True)
class UnreasonedSkip:
    """A ``Metadata.checkov.skip`` entry whose comment names no control."""

    stack: str
    resource: str
    check: str

    def __str__(self) -> str:
        return f"{self.stack}: skip of {self.check} on {self.resource} has no reason"


@dataclass(frozen=True)
class CheckovReport:
    """What checkov found over a cloud assembly, and the skips that carry no reason."""

    version: str
    results: tuple[CheckovResult, ...]
    unreasoned_skips: tuple[UnreasonedSkip, ...]

    @property
    def failed(self) -> tuple[CheckovResult, ...]:
        """Failed checks: any one fails the gate."""
        return tuple(r for r in self.results if r.outcome == "failed")

    def figures(self, stack: str | None = None) -> dict[str, int]:
        """``{passed, failed, skipped}`` over every stack, or over ``stack``."""
        counts = Counter(r.outcome for r in self.results if stack in (None, r.stack))
        return {outcome: counts[outcome] for outcome in OUTCOMES}

    @property
    def passed(self) -> bool:
        """True when nothing failed and every skip names its compensating control."""
        return not self.failed and not self.unreasoned_skips


def scan_assembly(templates: dict[str, Path]) -> CheckovReport:
    """Run checkov (with the custom checks) once over every ``{stack: template_path}``."""
    if not CHECKOV.exists():
        raise ScannerMissing(f"{CHECKOV} is missing: `make scanners` builds it from its lock")
    by_path = {path.resolve(): stack for stack, path in templates.items()}
    command = [
        str(CHECKOV),
        "--framework=cloudformation",
        f"--external-checks-dir={CUSTOM_CHECKS}",
        "--skip-download",  # nothing is fetched: no guidelines, no platform policies
        "--output=json",
        *(f"--file={path}" for path in sorted(by_path)),
    ]
    run = subprocess.run(command, capture_output=True, text=True, check=False)
    # 0: all passed, 1: some check failed; anything else is checkov failing to run.
    if run.returncode not in (0, 1):
        raise RuntimeError(f"checkov exited {run.returncode}: {run.stderr.strip()[-2000:]}")
    payload = json.loads(run.stdout)
    # One report per framework (a list), or the report itself; with no resource, the summary.
    reports = payload if isinstance(payload, list) else [payload]
    results = [
        _result(by_path, check, outcome)
        for report in reports
        for outcome in OUTCOMES
        for check in report.get("results", {}).get(f"{outcome}_checks", ())
    ]
    _require_custom_checks(templates, results)
    return CheckovReport(
        version=reports[0].get("summary", reports[0])["checkov_version"],
        results=tuple(results),
        unreasoned_skips=tuple(_unreasoned_skips(templates)),
    )


def _result(by_path: dict[Path, str], check: dict, outcome: str) -> CheckovResult:
    return CheckovResult(
        stack=by_path[Path(check["file_abs_path"]).resolve()],
        check=check["check_id"],
        resource=check["resource"],
        outcome=outcome,
        name=check["check_name"],
    )


def _require_custom_checks(templates: dict[str, Path], results: list[CheckovResult]) -> None:
    """checkov only logs a custom check it cannot load; the gate must not pass without it."""
    has_groups = any(
        resource["Type"] == "AWS::EC2::SecurityGroup"
        for path in templates.values()
        for resource in json.loads(path.read_text()).get("Resources", {}).values()
    )
    if has_groups and not any(r.check == OPEN_EGRESS_CHECK for r in results):
        raise RuntimeError(f"checkov did not run {OPEN_EGRESS_CHECK} from {CUSTOM_CHECKS}")


def _unreasoned_skips(templates: dict[str, Path]) -> list[UnreasonedSkip]:
    """Every skip in the templates' metadata, not only those checkov reports, needs a reason."""
    found = []
    for stack, path in sorted(templates.items()):
        for logical_id, resource in json.loads(path.read_text()).get("Resources", {}).items():
            skips = resource.get("Metadata", {}).get("checkov", {}).get("skip", ())
            for skip in skips:
                if len(str(skip.get("comment", "")).strip()) < MIN_REASON:
                    found.append(UnreasonedSkip(stack, logical_id, str(skip.get("id"))))
    return found
