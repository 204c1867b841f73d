"""Observations: every automated check applied to every resource it applies to, with its result.

Three sources: cdk-nag's NIST 800-53 R5 pack (its controls parsed from each rule's text), cdk-nag's
AwsSolutions pack (no control mapping: recorded, not counted for coverage) and this project's own
rules of FedRAMP parameter values and control mechanisms (:mod:`evidence.registry`), with the
release path's checks and the origin boundary's, which read more than one template. A failing
check that the synth acknowledged beside the resource is ``acknowledged``, with the
acknowledgement's reason.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from evidence.assembly import Assembly, Stack
from evidence.catalog import control_ids
from evidence.nag.runner import RuleOutcome, evaluate
from evidence.registry import RULES
from evidence.rules import REPLACED_NAG_RULES

PASS, FAIL, ACKNOWLEDGED = "pass", "fail", "acknowledged"


@dataclass(frozen=True)
class Observation:
    """One check of one resource."""

    check: str
    source: str
    title: str
    controls: tuple[str, ...]
    stack: str
    logical_id: str
    resource_type: str
    result: str
    reason: str
    property_path: str
    value: str
    template_sha256: str

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.stack, self.logical_id, self.check, self.property_path)


def collect(assembly: Assembly) -> list[Observation]:
    """Every observation of the assembly, sorted by stack, resource, check and property."""
    by_template = {s.template_path.name: s for s in assembly.stacks.values()}
    templates = [s.template_path for s in sorted(assembly.stacks.values(), key=lambda s: s.name)]
    observations = [
        _from_nag(by_template[o.template], o)
        for o in evaluate(templates)
        if o.rule not in REPLACED_NAG_RULES
    ]
    observations += rule_observations(assembly)
    # Both build on this module's Observation.
    from evidence import origin
    from evidence.release_path import of_assembly

    observations += of_assembly(assembly) + origin.observations(assembly)
    return sorted(observations, key=lambda o: o.key)


def _from_nag(stack: Stack, outcome: RuleOutcome) -> Observation:
    failed = outcome.outcome != "Compliant"
    findings = json.loads(outcome.outcome) if outcome.outcome.startswith("[") else []
    reason = ""
    if failed:
        # A rule with findings is acknowledged finding by finding ("Rule[finding]").
        ids = [f"{outcome.rule}[{f}]" for f in findings] or [outcome.rule]
        reasons = [stack.acknowledgement(outcome.logical_id, rule_id) for rule_id in ids]
        # ... or as a whole, where the policy is CDK's own (its handlers at stack scope).
        whole = stack.acknowledgement(outcome.logical_id, outcome.rule) or ""
        reason = reasons[0] if all(reasons) else whole
    return Observation(
        check=outcome.rule,
        source=f"cdk-nag {outcome.pack}",
        title=outcome.info.split(" - (Control", 1)[0],
        controls=control_ids(outcome.info) if outcome.pack.startswith("NIST") else (),
        stack=stack.name,
        logical_id=outcome.logical_id,
        resource_type=outcome.resource_type,
        result=PASS if not failed else ACKNOWLEDGED if reason else FAIL,
        reason=reason,
        property_path="Properties",
        value=_read(stack, outcome.logical_id, findings, failed and outcome.outcome),
        template_sha256=stack.sha256,
    )


def _read(stack: Stack, logical_id: str, findings: list[str], outcome: str | bool) -> str:
    """What a cdk-nag rule read: it does not say which property, so the resource's whole
    Properties, pinned by the SHA-256 of their canonical JSON (the template holds the text),
    after the rule's findings."""
    properties = stack.resources.get(logical_id, {}).get("Properties", {})
    canonical = json.dumps(properties, sort_keys=True, separators=(",", ":")).encode()
    digest = f"sha256:{hashlib.sha256(canonical).hexdigest()}"
    said = ", ".join(findings) if findings else (outcome or "")
    return f"{said} ({digest})" if said else digest


def rule_observations(assembly: Assembly) -> list[Observation]:
    """The project's own rules applied to every resource of their type."""
    observations = []
    for stack, logical_id, resource in assembly.resources():
        for rule in RULES:
            if resource["Type"] != rule.resource_type:
                continue
            for verdict in rule.check(resource.get("Properties", {}), stack.template):
                reason = "" if verdict.passed else stack.acknowledgement(logical_id, rule.id) or ""
                observations.append(
                    Observation(
                        check=rule.id,
                        source="pcs",
                        title=rule.title,
                        controls=rule.controls,
                        stack=stack.name,
                        logical_id=logical_id,
                        resource_type=rule.resource_type,
                        result=PASS if verdict.passed else ACKNOWLEDGED if reason else FAIL,
                        reason=reason,
                        property_path=f"Properties.{verdict.path}",
                        value=json.dumps(verdict.value, sort_keys=True),
                        template_sha256=stack.sha256,
                    )
                )
    return observations
