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
from dataclasses import asdict, dataclass
from pathlib import Path

from infra.gate.cache import FindingsCache, cache_dir, digest, tree_digest

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


def scan_assembly(
    templates: dict[str, Path], *, cache: FindingsCache | None = None
) -> CheckovReport:
    """Run checkov (with the custom checks) once over every ``{stack: template_path}``."""
    return start_scan(templates, cache=cache).report()


class PendingScan:
    """checkov running in its own process over the templates ``cache`` has no findings for, so
    the caller can do other work (cfn-lint) meanwhile; :meth:`report` waits for it."""

    def __init__(self, templates: dict[str, Path], cache: FindingsCache) -> None:
        if not CHECKOV.exists():
            raise ScannerMissing(f"{CHECKOV} is missing: `make scanners` builds it from its lock")
        self._templates = templates
        self._cache = cache
        # checkov's version (the lock), the custom checks and how this module calls checkov.
        configuration = (
            (SCANNERS / "uv.lock").read_bytes(),
            tree_digest(CUSTOM_CHECKS),
            Path(__file__).read_bytes(),
        )
        self._keys = {
            stack: digest(*configuration, path.read_bytes()) for stack, path in templates.items()
        }
        self._stored = {stack: cache.get(key) for stack, key in self._keys.items()}
        missing = {s: p for s, p in templates.items() if self._stored[s] is None}
        self._by_path = {path.resolve(): stack for stack, path in missing.items()}
        self._process = None
        if missing:
            command = [
                str(CHECKOV),
                "--framework=cloudformation",
                f"--external-checks-dir={CUSTOM_CHECKS}",
                "--skip-download",  # nothing is fetched: no guidelines, no platform policies
                "--output=json",
                *(f"--file={path}" for path in sorted(self._by_path)),
            ]
            self._process = subprocess.Popen(
                command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
            )

    def report(self) -> CheckovReport:
        """Wait for checkov, store what it found per template and report over all of them."""
        version = None
        if self._process is not None:
            stdout, stderr = self._process.communicate()
            # 0: all passed, 1: some check failed; anything else is checkov failing to run.
            if self._process.returncode not in (0, 1):
                raise RuntimeError(
                    f"checkov exited {self._process.returncode}: {stderr.strip()[-2000:]}"
                )
            payload = json.loads(stdout)
            # One report per framework (a list), or the report itself; with no resource, the
            # summary.
            reports = payload if isinstance(payload, list) else [payload]
            version = reports[0].get("summary", reports[0])["checkov_version"]
            scanned = [
                _result(self._by_path, check, outcome)
                for report in reports
                for outcome in OUTCOMES
                for check in report.get("results", {}).get(f"{outcome}_checks", ())
            ]
            for stack in self._by_path.values():
                own = [asdict(r) | {"stack": ""} for r in scanned if r.stack == stack]
                self._stored[stack] = {"version": version, "results": own}
                self._cache.put(self._keys[stack], self._stored[stack])
        results = [
            CheckovResult(**{**entry, "stack": stack})
            for stack, stored in sorted(self._stored.items())
            for entry in stored["results"]
        ]
        _require_custom_checks(self._templates, results)
        return CheckovReport(
            version=version or next(iter(self._stored.values()))["version"],
            results=tuple(results),
            unreasoned_skips=tuple(_unreasoned_skips(self._templates)),
        )


def start_scan(templates: dict[str, Path], *, cache: FindingsCache | None = None) -> PendingScan:
    """Start checkov over ``{stack: template_path}`` in the background (:class:`PendingScan`)."""
    return PendingScan(templates, cache or FindingsCache("checkov", cache_dir()))


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
