"""Synthesize one environment, run the compliance gate over it and collect what it found.

The CLI, the tests and the cost model all go through :func:`synthesize`, so what the tests assert
is what ``make synth`` ships.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from infra.config import PlatformConfig
from infra.gate.checkov import CheckovReport, start_scan
from infra.gate.lint import LintFinding, lint_assembly
from infra.progress import Steps

_VALIDATION_FAILED = "ValidationFailed"


@dataclass(frozen=True)
class StackArtifact:
    """One synthesized CloudFormation stack."""

    name: str
    region: str
    template_path: Path
    depends_on: tuple[str, ...] = ()

    @property
    def template(self) -> dict:
        """The template as parsed JSON."""
        return json.loads(self.template_path.read_text())

    @property
    def resource_types(self) -> Counter[str]:
        """How many resources of each CloudFormation type the stack has."""
        return Counter(r["Type"] for r in self.template.get("Resources", {}).values())


@dataclass(frozen=True)
class NagFinding:
    """An unacknowledged cdk-nag finding."""

    pack: str
    rule: str
    severity: str
    path: str
    description: str

    def __str__(self) -> str:
        return f"{self.severity.upper()} {self.rule} at {self.path}: {self.description[:160]}"


@dataclass(frozen=True)
class SynthResult:
    """What one synthesis produced and what the gate said of it."""

    config: PlatformConfig
    outdir: Path
    stacks: dict[str, StackArtifact]
    nag_findings: tuple[NagFinding, ...]
    acknowledgements: int
    lint_findings: tuple[LintFinding, ...]
    seconds: float
    checkov: CheckovReport | None = None
    # (step, seconds) in the order the steps ran: what the summary's timing line shows.
    timings: tuple[tuple[str, float], ...] = ()

    @property
    def nag_errors(self) -> tuple[NagFinding, ...]:
        """Unacknowledged findings of error level: any one fails the gate."""
        return tuple(f for f in self.nag_findings if f.severity == "error")

    @property
    def lint_errors(self) -> tuple[LintFinding, ...]:
        """cfn-lint errors: any one fails the gate."""
        return tuple(f for f in self.lint_findings if f.level == "error")

    @property
    def deploy_order(self) -> tuple[str, ...]:
        """The stacks in the order ``cdk deploy --all`` deploys them one at a time: each after
        every stack it depends on, otherwise in the app's order."""
        order: list[str] = []
        while len(order) < len(self.stacks):
            order.append(
                next(
                    name
                    for name, stack in self.stacks.items()
                    if name not in order and set(stack.depends_on) <= set(order)
                )
            )
        return tuple(order)

    def requires(self, stack: str, other: str) -> bool:
        """``stack`` deploys only after ``other`` (a dependency, directly or through others)."""
        parents = set(self.stacks[stack].depends_on)
        return other in parents or any(self.requires(parent, other) for parent in parents)

    @property
    def passed(self) -> bool:
        """True when the gate holds: no unacknowledged nag error, no cfn-lint error, no checkov
        failure and no checkov skip without a reason."""
        scanned = self.checkov is None or self.checkov.passed
        return not self.nag_errors and not self.lint_errors and scanned


def synthesize(
    config: PlatformConfig,
    outdir: Path,
    *,
    lint: bool = True,
    progress: Callable[[str], None] = lambda _message: None,
) -> SynthResult:
    """Build the app for ``config`` into ``outdir``, run cdk-nag, then (``lint``) cfn-lint and
    checkov over the templates; return the result."""
    from infra.app import build_app  # imports aws_cdk, which starts the jsii runtime

    started = time.monotonic()
    steps = Steps(progress)
    with steps("app", f"building {config.prefix} at tier {config.tier.name}"):
        app = build_app(config, outdir=outdir)
    with steps("synth+nag", "synthesizing and running cdk-nag (NIST 800-53 R5, AwsSolutions)"):
        try:
            app.synth()
        except RuntimeError as error:
            if _VALIDATION_FAILED not in str(error):
                raise
    stacks = _read_stacks(outdir)
    lint_findings: list[LintFinding] = []
    checkov = None
    if lint:
        # checkov runs in its own process while cfn-lint runs here: the two share no state.
        with steps("scanners", f"cfn-lint and checkov over {len(stacks)} templates, side by side"):
            scan = start_scan({s.name: s.template_path for s in stacks.values()})
            lint_findings = lint_assembly(
                {s.name: (s.region, s.template_path) for s in stacks.values()}
            )
            checkov = scan.report()
    return SynthResult(
        config=config,
        outdir=outdir,
        stacks=stacks,
        nag_findings=tuple(_read_nag_findings(outdir)),
        acknowledgements=_count_acknowledgements(outdir),
        lint_findings=tuple(lint_findings),
        seconds=time.monotonic() - started,
        checkov=checkov,
        timings=steps.timings,
    )


def _manifest(outdir: Path) -> dict:
    return json.loads((outdir / "manifest.json").read_text())


def _read_stacks(outdir: Path) -> dict[str, StackArtifact]:
    stacks = {}
    manifest = _manifest(outdir)
    for name, artifact in manifest["artifacts"].items():
        if artifact["type"] != "aws:cloudformation:stack":
            continue
        region = artifact["environment"].rsplit("/", 1)[-1]
        template = outdir / artifact["properties"]["templateFile"]
        depends_on = tuple(
            dep
            for dep in artifact.get("dependencies", ())
            if manifest["artifacts"].get(dep, {}).get("type") == "aws:cloudformation:stack"
        )
        stacks[name] = StackArtifact(
            name=name, region=region, template_path=template, depends_on=depends_on
        )
    return stacks


def _read_nag_findings(outdir: Path) -> list[NagFinding]:
    report = outdir / "validation-report.json"
    if not report.exists():
        return []
    findings = []
    for plugin in json.loads(report.read_text())["pluginReports"]:
        for violation in plugin["violations"]:
            for construct in violation["violatingConstructs"]:
                findings.append(
                    NagFinding(
                        pack=plugin["pluginName"],
                        rule=violation["ruleName"],
                        severity=violation["severity"],
                        path=construct["constructPath"],
                        description=violation["description"],
                    )
                )
    return findings


def _count_acknowledgements(outdir: Path) -> int:
    count = 0
    for metadata in outdir.glob("*.metadata.json"):
        for entries in json.loads(metadata.read_text()).values():
            for entry in entries:
                if entry["type"] == "aws:cdk:acknowledged-rules":
                    count += len(entry["data"])
    return count
