"""cfn-lint over every synthesized template, in-process (no subprocess per template)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from importlib.metadata import version
from pathlib import Path

from infra.gate.cache import FindingsCache, cache_dir, digest

# Read from the installed distribution: importing cfnlint loads its schemas (seconds), which a
# run whose every template is in the cache never needs.
CFN_LINT_VERSION = version("cfn-lint")


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
    from cfnlint.api import ManualArgs, lint

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


def lint_assembly(
    templates: dict[str, tuple[str, Path]], *, cache: FindingsCache | None = None
) -> list[LintFinding]:
    """Lint every ``{stack: (region, template_path)}`` of a cloud assembly; a template whose
    bytes, region and cfn-lint version were linted before takes its findings from ``cache``."""
    cache = cache or FindingsCache("cfn-lint", cache_dir())
    findings: list[LintFinding] = []
    for stack, (region, path) in sorted(templates.items()):
        body = path.read_bytes()
        # This module's source is part of the key: a change to how cfn-lint is called is a miss.
        key = digest(CFN_LINT_VERSION, Path(__file__).read_bytes(), region, body)
        stored = cache.get(key)
        if stored is None:
            found = lint_template(stack, json.loads(body), region)
            cache.put(key, [{**asdict(f), "stack": ""} for f in found])
        else:
            found = [LintFinding(**{**f, "stack": stack}) for f in stored]
        findings.extend(found)
    return findings
