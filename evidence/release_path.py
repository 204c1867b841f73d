"""Observations of the release path (CM-5, AC-5, AC-6): the CloudFormation execution policy and
the permissions boundary ``make bootstrap`` installs, and the deploy workflow's gate.

These are not template resources: each check reads the document the repository deploys
(:mod:`infra.delivery.bootstrap`, ``.github/workflows/deploy.yml``) and records the offending
actions, missing denies or missing gate steps as its value; empty is a pass. The hash is the
document's, so an assessor can tie the observation to what was installed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from evidence.assembly import Assembly
from evidence.observations import FAIL, PASS, Observation
from infra.delivery import bootstrap

DEPLOY_WORKFLOW = Path(__file__).resolve().parents[1] / ".github" / "workflows" / "deploy.yml"
STACK = "release-path"  # the observations' "stack": the bootstrap and the workflow, not a template
# Services whose whole-service grant would let a release switch off a control or use any role.
_CONTROL_SERVICES = ("cloudtrail", "guardduty", "config", "securityhub", "kms", "sts", "iam")
# make bootstrap creates them as customer managed policies (the "access" component).
_POLICY = "AWS::IAM::ManagedPolicy"
_MAIN_ONLY = "github.ref == 'refs/heads/main'"


def _listed(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def _wildcards(document: dict, *, whole_services: bool) -> list[str]:
    """Allowed actions that grant a whole control service (or any whole service)."""
    found = []
    for statement in document["Statement"]:
        if statement["Effect"] != "Allow":
            continue
        for action in _listed(statement["Action"]):
            service, _, name = action.partition(":")
            if action == "*" or (name == "*" and (whole_services or service in _CONTROL_SERVICES)):
                found.append(action)
            if action == "iam:PassRole" and "*" in _listed(statement["Resource"]):
                found.append("iam:PassRole on *")
    return sorted(found)


def _missing_denies(document: dict, *, account: str) -> list[str]:
    """The guardrails' (action, resource) pairs the document does not deny."""
    denied = {
        (action, resource)
        for statement in document["Statement"]
        if statement["Effect"] == "Deny"
        for action in _listed(statement["Action"])
        for resource in _listed(statement["Resource"])
    }
    required = {
        (action, resource)
        for statement in bootstrap.guardrail_statements(account=account)
        for action in _listed(statement["Action"])
        for resource in _listed(statement["Resource"])
    }
    return sorted(f"{action} on {resource}" for action, resource in required - denied)


def _gate_gaps(workflow: dict) -> list[str]:
    """What the deploy workflow lacks of its gate: each missing piece, named."""
    jobs = workflow.get("jobs", {})
    gaps = []

    def needs(name: str) -> set[str]:
        listed = jobs.get(name, {}).get("needs", [])
        return {name}.union(*(needs(n) for n in _listed(listed)))

    gate = jobs.get("gate", {})
    if not any(
        "infra.delivery.environment_gate" in s.get("run", "") for s in gate.get("steps", [])
    ):
        gaps.append("no gate job checking the environment")
    holders = sorted(n for n, job in jobs.items() if "id-token" in job.get("permissions", {}))
    for name in holders:
        if "gate" not in needs(name):
            gaps.append(f"job {name} may request an OIDC token without the gate")
        runs = " ".join(step.get("run", "") for step in jobs[name].get("steps", []))
        if any(word in runs for word in ("make ", "npm ", "pip ", "uv ")):
            gaps.append(f"job {name} holds the OIDC token and installs packages")
    if len(holders) > 1:
        gaps.append(f"jobs {holders} may request an OIDC token")
    for name, job in jobs.items():
        if "needs" not in job and job.get("if") != _MAIN_ONLY:
            gaps.append(f"job {name} runs from any ref")
    return gaps


def _observation(
    check: str,
    title: str,
    controls: tuple[str, ...],
    subject: str,
    path: str,
    value: list,
    sha: str,
) -> Observation:
    return Observation(
        check=check,
        source="pcs",
        title=title,
        controls=controls,
        stack=STACK,
        logical_id=subject,
        resource_type="GitHub::Actions::Workflow" if subject.endswith(".yml") else _POLICY,
        result=FAIL if value else PASS,
        reason="",
        property_path=path,
        value=json.dumps(value),
        template_sha256=sha,
    )


def _sha(document: dict) -> str:
    return hashlib.sha256(json.dumps(document, sort_keys=True).encode()).hexdigest()


def observations(
    account: str,
    *,
    execution: dict | None = None,
    boundary: dict | None = None,
    workflow: Path = DEPLOY_WORKFLOW,
) -> Iterator[Observation]:
    """The release path's observations for ``account`` (the documents default to the
    repository's own)."""
    execution = execution or bootstrap.execution_policy(account=account)
    boundary = boundary or bootstrap.permissions_boundary(account=account)
    for name, document, whole in (
        (bootstrap.EXECUTION_POLICY, execution, True),
        (bootstrap.PERMISSIONS_BOUNDARY, boundary, False),
    ):
        yield _observation(
            "PCS-AC6-ReleasePolicyByResource",
            "The release path's policies grant no whole control service and PassRole on no *",
            ("ac-6", "cm-5"),
            name,
            "Properties.Statement[Allow].Action",
            _wildcards(document, whole_services=whole),
            _sha(document),
        )
        yield _observation(
            "PCS-AC5-ReleaseGuardrails",
            "The release path may not stop the audit services, administer the keys or delete "
            "or re-policy the evidence buckets (explicit denies)",
            ("ac-5", "ac-6", "au-9"),
            name,
            "Properties.Statement[Deny]",
            _missing_denies(document, account=account),
            _sha(document),
        )
    text = workflow.read_text()
    parsed = yaml.safe_load(text)
    yield _observation(
        "PCS-CM5-ReleaseGate",
        "No job gets AWS credentials before the prod environment's reviewers and main-only "
        "branch policy are checked; runs start only from main",
        ("cm-5", "ac-5"),
        workflow.name,
        "Properties.jobs",
        _gate_gaps(parsed),
        hashlib.sha256(text.encode()).hexdigest(),
    )


def of_assembly(assembly: Assembly) -> list[Observation]:
    """The release path's observations for the assembly's account."""
    manifest = json.loads((assembly.outdir / "manifest.json").read_text())
    accounts = {
        artifact["environment"].split("/")[2]
        for artifact in manifest["artifacts"].values()
        if artifact["type"] == "aws:cloudformation:stack"
    }
    return [o for account in sorted(accounts) for o in observations(account)]
