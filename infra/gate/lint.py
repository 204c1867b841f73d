"""cfn-lint over every synthesized template, in-process (no subprocess per template)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from cfnlint.api import ManualArgs, lint


@dataclass(frozen=True)
class LintFinding:
    """One cfn-lint match: ``level`` is error, warning or informational."""

    stack: str
    rule: str
    level: str
    message: str
    path: str

    def __str__(self) -> str:
        return f"{self.stack}: {self.rule} [{self.level}] {self.message} at {self.path}"


def lint_template(stack: str, template: dict, region: str) -> list[LintFinding]:
    """Lint one template for ``region``; returns every match."""
    matches = lint(json.dumps(template), config=ManualArgs(regions=[region]))
    return [
        LintFinding(
            stack=stack,
            rule=match.rule.id,
            level=match.rule.severity,
            message=match.message,
            path="/".join(str(part) for part in match.path),
        )
        for match in matches
    ]


def lint_assembly(templates: dict[str, tuple[str, Path]]) -> list[LintFinding]:
    """Lint every ``{stack: (region, template_path)}`` of a cloud assembly."""
    findings: list[LintFinding] = []
    for stack, (region, path) in sorted(templates.items()):
        findings.extend(lint_template(stack, json.loads(path.read_text()), region))
    return findings
