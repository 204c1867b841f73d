"""The summary ``make synth`` prints: stacks, resources, findings, acknowledgements, lint, time."""

from __future__ import annotations

from collections import Counter

from infra.gate.checkov import CheckovReport
from infra.synth import SynthResult
from ops.cost import monthly_total

CHECKOV_COLUMN = "checkov p/f/s"


def render_summary(result: SynthResult) -> str:
    """A plain-text table of one synthesis and the gate's verdict."""
    config = result.config
    scan = result.checkov
    lines = [
        f"PCS Platform synth: env={config.environment.name} tier={config.tier.name} "
        f"region={config.deployment.region} dr_region={config.deployment.dr_region}",
        "",
        f"{'stack':<32} {'region':<12} {'resources':>9}"
        + (f" {CHECKOV_COLUMN:>16}" if scan else ""),
    ]
    for stack in sorted(result.stacks.values(), key=lambda s: s.name):
        row = f"{stack.name:<32} {stack.region:<12} {sum(stack.resource_types.values()):>9}"
        if scan:
            row += f" {'/'.join(str(n) for n in scan.figures(stack.name).values()):>16}"
        lines.append(row)
    by_level = Counter(f"{f.pack}/{f.severity}" for f in result.nag_findings)
    nag = ", ".join(f"{k}={v}" for k, v in sorted(by_level.items())) or "none"
    lint_levels = Counter(f.level for f in result.lint_findings)
    lint = ", ".join(f"{k}={v}" for k, v in sorted(lint_levels.items())) or "clean"
    lines += [
        "",
        f"cdk-nag unacknowledged findings: {nag}",
        f"cdk-nag acknowledgements (with reasons): {result.acknowledgements}",
        f"cfn-lint: {lint}",
        *([_checkov_line(scan)] if scan else []),
        f"synth time: {result.seconds:.1f} s"
        + (f" ({_timing_breakdown(result)})" if result.timings else ""),
        f"gate: {'PASSED' if result.passed else 'FAILED'}",
        f"monthly cost of {config.environment.name} at {config.tier.name}, on-demand: "
        f"${monthly_total(result):,.2f} (detail: make cost)",
    ]
    return "\n".join(lines)


def _checkov_line(scan: CheckovReport) -> str:
    figures = ", ".join(f"{outcome}={count}" for outcome, count in scan.figures().items())
    line = f"checkov {scan.version}: {figures}"
    if scan.unreasoned_skips:
        line += f", skips without a reason={len(scan.unreasoned_skips)}"
    return line


def _timing_breakdown(result: SynthResult) -> str:
    return ", ".join(f"{name} {seconds:.1f} s" for name, seconds in result.timings)
